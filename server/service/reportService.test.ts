import assert from 'node:assert/strict';
import { test } from 'node:test';
import { continuation } from './inlineConclusion.ts';
import { createReportService } from './reportService.ts';
import { memoryWorkspace } from './reportWorkspace.ts';
import { scriptedEngine } from './testing/scriptedEngine.ts';

const logger = { log() {} };
const REPORT = '## Findings\nLeft lower lobe opacity.\n\n## Impression\n';

function service(pieces: string[], files: Record<string, string> = {}) {
  const engines: Array<ReturnType<typeof scriptedEngine>> = [];
  const workspace = memoryWorkspace(files);
  const svc = createReportService({
    workspace,
    createEngine: () => {
      const engine = scriptedEngine(() => pieces, 1);
      engines.push(engine);
      return engine;
    },
    embeddedModel: () => ({ modelPath: '/models/default.gguf', loras: [{ path: '/models/adapter.gguf', scale: 1 }] }),
    logger,
  });
  return { svc, engines, workspace };
}

test('continuation: the rest of the generated text after what was typed, ignoring case and spacing', () => {
  assert.equal(continuation('Left lower lobe pneumonia.', ''), 'Left lower lobe pneumonia.');
  assert.equal(continuation('Left lower lobe pneumonia.', 'left  lower'), ' lobe pneumonia.');
  assert.equal(continuation('Left lower lobe pneumonia.', 'Left lower '), 'lobe pneumonia.');
  assert.equal(continuation('Left lower lobe pneumonia.', 'Right'), undefined);
  assert.equal(continuation('Left lower lobe pneumonia.', 'Left lower lobe pneumonia.'), undefined);
});

test('inline conclusion: offered at the end of the conclusion only, cached by the findings, continued from typed text', async () => {
  const { svc, engines } = service(['Left ', 'lower ', 'lobe ', 'pneumonia.']);
  await svc.updateSettings({ inlineCompletion: { debounceMs: 0 } });
  const signal = new AbortController().signal;
  const first = await svc.inlineConclusion({ uri: 'u', text: REPORT, version: 1 }, REPORT.length, signal);
  assert.deepEqual(first, { insertText: 'Left lower lobe pneumonia.', span: { start: REPORT.length, end: REPORT.length } });
  const typed = REPORT + 'Left lower ';
  const second = await svc.inlineConclusion({ uri: 'u', text: typed, version: 2 }, typed.length, signal);
  assert.equal(second?.insertText, 'lobe pneumonia.');
  assert.equal(engines[0]!.calls, 1, 'the same findings are not generated twice');
  assert.equal(await svc.inlineConclusion({ uri: 'u', text: REPORT, version: 3 }, 5, signal), undefined, 'not in the findings');
  const changed = REPORT.replace('Left', 'Right');
  // The scripted model keeps saying "left": the guard catches the wrong side, and the ghost text is the corrected one.
  const corrected = await svc.inlineConclusion({ uri: 'u', text: changed, version: 4 }, changed.length, signal);
  assert.ok(engines[0]!.calls >= 2, 'new findings, new generation');
  assert.equal(corrected?.insertText, 'Right lower lobe opacity.');
  const calls = engines[0]!.calls;
  await svc.updateSettings({ inlineCompletion: { enabled: false } });
  assert.equal(await svc.inlineConclusion({ uri: 'u', text: REPORT, version: 5 }, REPORT.length, signal), undefined, 'the toggle really stops the work');
  assert.equal(engines[0]!.calls, calls);
});

test('inline conclusion: a cancelled request returns nothing but the generation for the same findings goes on', async () => {
  const { svc, engines } = service(['Left ', 'lower ', 'lobe ', 'pneumonia.']);
  await svc.updateSettings({ inlineCompletion: { debounceMs: 0 } });
  const controller = new AbortController();
  const pending = svc.inlineConclusion({ uri: 'u', text: REPORT, version: 1 }, REPORT.length, controller.signal);
  setTimeout(() => controller.abort(), 1);
  assert.equal(await pending, undefined);
  const next = await svc.inlineConclusion({ uri: 'u', text: REPORT, version: 2 }, REPORT.length, new AbortController().signal);
  assert.equal(next?.insertText, 'Left lower lobe pneumonia.');
  assert.equal(engines[0]!.calls, 1, 'joined the generation already running');
});

test('settings: the embedded model is used when no model is set; a model change replaces the engine', async () => {
  const { svc, engines } = service(['x']);
  assert.equal(svc.modelPath(), '/models/default.gguf');
  await svc.loadModel();
  assert.equal(engines.length, 1);
  await svc.updateSettings({ model: '/other.gguf' });
  assert.equal(svc.modelPath(), '/other.gguf');
  assert.deepEqual(svc.engineState, { state: 'unloaded' });
  await svc.loadModel();
  assert.equal(engines.length, 2);
  await svc.updateSettings({ model: '/other.gguf', diagnosticsDelayMs: 10 });
  assert.equal(engines.length, 2, 'a setting that does not touch the model keeps the engine');
});

test('settings: a temperature, seed, token-limit or inference-timeout change keeps the loaded engine and reaches its next request', async () => {
  const { svc, engines } = service(['x']);
  const sampled: unknown[] = [];
  await svc.loadModel();
  engines[0]!.updateRequestSettings = (sampling) => void sampled.push(sampling);
  await svc.updateSettings({ temperature: 0.7 });
  await svc.updateSettings({ temperature: 0.7, seed: 7, maxTokens: 64 });
  await svc.updateSettings({ temperature: 0.7, seed: 7, maxTokens: 64, inferenceTimeoutMs: 30_000 });
  assert.equal(engines.length, 1, 'no new engine');
  assert.deepEqual(svc.engineState, { state: 'ready', device: 'CPU', model: 'scripted' }, 'the model stays loaded');
  assert.equal(sampled.length, 3);
  assert.equal((sampled[0] as { temperature: number }).temperature, 0.7);
  assert.deepEqual(sampled[1], { temperature: 0.7, maxTokens: 64, seed: 7, inferenceTimeoutMs: 20_000 });
  assert.deepEqual(sampled[2], { temperature: 0.7, maxTokens: 64, seed: 7, inferenceTimeoutMs: 30_000 });
  await svc.updateSettings({ temperature: 0.7, seed: 7, maxTokens: 64, contextSize: 4096 });
  assert.equal(engines.length, 1, 'replaced lazily');
  assert.deepEqual(svc.engineState, { state: 'unloaded' }, 'a context size change unloads the model');
});

test('report detection: by the files globs or by front matter', async () => {
  const { svc } = service([]);
  assert.equal(svc.isReport({ uri: 'file:///a/b.report.md', text: '' }), true);
  assert.equal(svc.isReport({ uri: 'file:///a/b.md', text: '# notes' }), false);
  assert.equal(svc.isReport({ uri: 'file:///a/b.md', text: '---\ntitle: x\ntype: radiology-report\n---\n' }), true);
  await svc.updateSettings({ files: ['**/reports/*.md'] });
  assert.equal(svc.isReport({ uri: 'file:///x/reports/c.md', text: '' }), true);
  assert.equal(svc.isReport({ uri: 'file:///a/b.report.md', text: '' }), false);
});

test('disable rule: writes the nearest .radreportrc.json, keeping what it holds; refuses to overwrite a broken one', async () => {
  const { svc, workspace } = service([], { '/proj/.radreportrc.json': '{"sections": {"conclusion": ["Opinion"]}}' });
  const doc = { uri: 'file:///proj/sub/a.report.md', path: '/proj/sub/a.report.md', text: REPORT, version: 1 };
  assert.equal(await svc.disableRule(doc, 'placeholder'), '/proj/.radreportrc.json');
  assert.deepEqual(JSON.parse(workspace.files.get('/proj/.radreportrc.json')!), { sections: { conclusion: ['Opinion'] }, rules: { placeholder: 'off' } });
  const analysis = await svc.analyse({ ...doc, text: REPORT + '___\n', version: 2 });
  assert.ok(!analysis.problems.some((p) => p.ruleId === 'placeholder'));
  workspace.files.set('/proj/.radreportrc.json', '{ broken');
  svc.configFilesChanged();
  await assert.rejects(svc.disableRule(doc, 'empty-conclusion'), /not a valid JSON object/);
  assert.equal(workspace.files.get('/proj/.radreportrc.json'), '{ broken');
  const lonely = { uri: 'file:///elsewhere/a.report.md', path: '/elsewhere/a.report.md', text: REPORT, version: 1 };
  assert.equal(await svc.disableRule(lonely, 'placeholder'), '/elsewhere/.radreportrc.json');
});

test('a document far longer than any report gets no conclusion, plan or ghost text, at once and with the reason', async () => {
  const { svc, engines } = service(['Left lower lobe pneumonia.']);
  await svc.updateSettings({ inlineCompletion: { debounceMs: 0 } });
  const text = REPORT.replace('Left lower lobe opacity.', 'Left lower lobe opacity. '.repeat(5000));
  const doc = { uri: 'long', text, version: 1 };
  const started = Date.now();
  const editor = {} as Parameters<typeof svc.generateConclusion>[1];
  const result = await svc.generateConclusion(doc, editor, { chooseMode: async () => 'replace' });
  assert.equal(result.status, 'failed');
  assert.match(result.message ?? '', /too long to write a conclusion for \(125,028 characters; .* the limit is 100,000\)/);
  assert.match((await svc.conclusionPlan(doc)).markdown, /too long/);
  assert.equal(await svc.inlineConclusion(doc, text.length, new AbortController().signal), undefined);
  assert.equal(engines.length, 0, 'the model is not even loaded');
  assert.ok(Date.now() - started < 1000);
});

test('examples: the nearest of the user’s own reports go in the prompt, never the report itself; an untrusted workspace reads none', async () => {
  const signed = (findings: string, impression: string) => `## Findings\n${findings}\n\n## Impression\n${impression}\n`;
  const { svc, engines } = service(['Left lower lobe opacity.'], {
    '/ws/signed/pneumonia.md': signed('Opacity in the left lower lobe.', 'Left basal consolidation, in keeping with pneumonia.'),
    '/ws/signed/normal.md': signed('The heart and lungs are normal.', 'Normal chest.'),
    '/ws/signed/current.md': REPORT,
  });
  await svc.updateSettings({ inlineCompletion: { debounceMs: 0 }, examples: '/ws/signed', exampleCount: 1 });
  const signal = new AbortController().signal;
  await svc.inlineConclusion({ uri: 'file:///ws/signed/current.md', path: '/ws/signed/current.md', text: REPORT, version: 1 }, REPORT.length, signal);
  assert.match(
    engines[0]!.prompts[0]!.user,
    /^Example findings: Opacity in the left lower lobe\.\nExample conclusion: Left basal consolidation, in keeping with pneumonia\.\n\nFindings: Left lower lobe opacity\./,
  );
  assert.equal(engines[0]!.prompts[0]!.user.match(/Example findings/g)!.length, 1);

  await svc.updateSettings({ inlineCompletion: { debounceMs: 0 }, examples: '/ws/signed' });
  await svc.ignoreWorkspaceConfig(true);
  const other = REPORT.replace('Left', 'Right');
  await svc.inlineConclusion({ uri: 'u2', text: other, version: 1 }, other.length, signal);
  assert.doesNotMatch(engines.at(-1)!.prompts.at(-1)!.user, /Example/);
});

test('compare: the report’s own conclusion beside the generated one and the plan, nothing written', async () => {
  const text = '## Findings\nLeft lower lobe opacity. Small right pleural effusion.\n\n## Impression\nLeft lower lobe pneumonia.\n';
  const { svc, engines } = service(['1. Left lower lobe opacity. 2. Small right pleural effusion.']);
  const result = await svc.compareConclusion({ uri: 'u', text, version: 1 });
  assert.equal(result.status, 'compared', result.markdown);
  assert.equal(result.resident, 'Left lower lobe pneumonia.');
  assert.equal(result.source, 'model');
  assert.deepEqual(result.residentLeftOut, ['Small right pleural effusion.']);
  assert.deepEqual(result.generatedLeftOut, []);
  assert.match(result.markdown, /## What your conclusion leaves out\n\n- Small right pleural effusion\./);
  assert.equal(engines[0]!.calls, 1);

  const noConclusion = await svc.compareConclusion({ uri: 'u', text: REPORT, version: 2 });
  assert.equal(noConclusion.status, 'failed');
  assert.match(noConclusion.markdown, /no conclusion of its own yet/);
  assert.equal(engines[0]!.calls, 1, 'nothing generated without a conclusion to compare');
});

test("template mode: a markdown file in the department's template folders is a report, linted as a template", async () => {
  const { svc } = service([]);
  const text = '# CT head\n\n## Findings\nHemorrhage: ___\nMidline shift:\nMidline shift: None.\n\n## Impression\n';
  const doc = { uri: 'file:///dept/templates/ct-head.md', path: '/dept/templates/ct-head.md', version: 1, text };
  assert.equal(svc.isReport(doc), false);
  await svc.updateSettings({ templates: ['/dept/templates/'] });
  assert.equal(svc.isReport(doc), true);
  assert.equal(svc.isReport({ ...doc, uri: 'file:///dept/templates/notes.txt', path: '/dept/templates/notes.txt' }), false);
  assert.deepEqual(
    (await svc.analyse(doc)).problems.map((p) => p.ruleId),
    ['template-duplicate-field'],
  );
  const elsewhere = { ...doc, uri: 'file:///dept/reports/ct-head.report.md', path: '/dept/reports/ct-head.report.md' };
  assert.ok((await svc.analyse(elsewhere)).problems.some((p) => p.ruleId === 'placeholder'));
});
