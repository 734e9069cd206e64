import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groundedConclusion } from '../generation/groundedConclusion.ts';
import type { GenerateOptions } from '../generation/engine.ts';
import { parseReport } from '../report/parseReport.ts';
import { writeConclusion, type WriteConclusionOptions } from './conclusionWriter.ts';
import { memoryEditor } from './testing/memoryEditor.ts';
import { scriptedEngine } from './testing/scriptedEngine.ts';

const URI = 'file:///r.report.md';
const words = (text: string) => () => text.split(/(?<= )/);

function options(
  editor: ReturnType<typeof memoryEditor>,
  engine: ReturnType<typeof scriptedEngine>,
  extra: Partial<WriteConclusionOptions> = {},
): WriteConclusionOptions {
  return {
    uri: URI,
    editor,
    parse: (text) => parseReport(text),
    conclude: (report, signal, onProgress) => groundedConclusion(report, { engine, signal, onProgress }),
    chooseMode: async () => 'replace',
    ...extra,
  };
}

test('writes the checked conclusion into an empty impression section in one versioned edit', async () => {
  const editor = memoryEditor(URI, '# XR chest\n\n## Findings\nLeft lower lobe opacity.\n\n## Impression\n\n## Recommendation\nNone.\n');
  const engine = scriptedEngine(words('  Left lower lobe pneumonia.\n'));
  const progress: string[] = [];
  const result = await writeConclusion(options(editor, engine, { onProgress: (m) => progress.push(m) }));
  assert.equal(result.status, 'written');
  assert.equal(result.source, 'model');
  assert.equal(result.text, 'Left lower lobe pneumonia.');
  assert.equal(editor.text, '# XR chest\n\n## Findings\nLeft lower lobe opacity.\n\n## Impression\nLeft lower lobe pneumonia.\n\n## Recommendation\nNone.\n');
  assert.equal(editor.edits.length, 1, 'nothing unchecked is streamed into the document');
  assert.deepEqual(progress, ['Writing the conclusion…', 'Checking it against the findings…']);
  assert.match(engine.prompts[0]!.user, /Findings: Left lower lobe opacity\./);
  assert.match(engine.prompts[0]!.user, /Plan: 1\. Left lower lobe opacity\./);
});

test('a conclusion that fails the check is corrected or composed before anything is written', async () => {
  const editor = memoryEditor(URI, '## Findings\nModerate right pleural effusion.\n\n## Impression\n');
  const engine = scriptedEngine(words('No acute cardiopulmonary disease.'));
  const result = await writeConclusion(options(editor, engine));
  assert.equal(result.status, 'written');
  assert.equal(result.source, 'composed');
  assert.deepEqual(result.flagged, []);
  assert.ok(
    result.corrections!.some((c) => /left out moderate right pleural effusion/.test(c)),
    result.corrections!.join('; '),
  );
  assert.equal(editor.text, '## Findings\nModerate right pleural effusion.\n\n## Impression\nModerate right pleural effusion.\n');
  assert.doesNotMatch(editor.text, /No acute/);
});

test('adds a missing conclusion section in the report’s own style', async () => {
  const editor = memoryEditor(URI, 'EXAM: CT head\nFINDINGS: No hemorrhage.');
  const result = await writeConclusion(options(editor, scriptedEngine(words('No acute intracranial abnormality.'))));
  assert.equal(result.status, 'written');
  assert.equal(editor.text, 'EXAM: CT head\nFINDINGS: No hemorrhage.\nIMPRESSION: No acute intracranial abnormality.\n');
});

test('asks before touching an existing conclusion; declining changes nothing, append keeps it', async () => {
  const text = '## Findings\nClear lungs.\n\n## Impression\nMy own words.\n';
  const declined = memoryEditor(URI, text);
  const engine = scriptedEngine(words('Normal chest.'));
  const r1 = await writeConclusion(options(declined, engine, { chooseMode: async () => undefined }));
  assert.equal(r1.status, 'declined');
  assert.equal(declined.text, text);
  assert.equal(engine.calls, 0, 'nothing is generated for a conclusion the user keeps');
  const appended = memoryEditor(URI, text);
  await writeConclusion(options(appended, scriptedEngine(words('No acute cardiopulmonary abnormality.')), { chooseMode: async () => 'append' }));
  assert.equal(appended.text, '## Findings\nClear lungs.\n\n## Impression\nMy own words.\n\nNo acute cardiopulmonary abnormality.\n');
});

test('places the conclusion again when the user typed elsewhere meanwhile, and never edits a version it has not seen', async () => {
  const editor = memoryEditor(URI, '## Findings\nRight pleural effusion.\n\n## Impression\n');
  const engine = scriptedEngine((_prompt: unknown, opts: GenerateOptions) => {
    if (!opts.responsePrefix) editor.type(0, '# Chest radiograph\n\n');
    return ['Right pleural effusion.'];
  });
  const result = await writeConclusion(options(editor, engine));
  assert.equal(result.status, 'written');
  assert.equal(editor.text, '# Chest radiograph\n\n## Findings\nRight pleural effusion.\n\n## Impression\nRight pleural effusion.\n');
  assert.equal(editor.edits.length, 1);
  assert.equal(editor.edits[0]!.version, 2, 'the edit names the version that holds the typed title');
});

test('writes nothing when the findings changed while the conclusion was being written', async () => {
  const editor = memoryEditor(URI, '## Findings\nRight pleural effusion.\n\n## Impression\n');
  const engine = scriptedEngine(() => {
    editor.type(editor.text.indexOf('Right'), 'Left', 'Right'.length);
    return ['Right pleural effusion.'];
  });
  const result = await writeConclusion(options(editor, engine));
  assert.equal(result.status, 'document-changed');
  assert.equal(editor.text, '## Findings\nLeft pleural effusion.\n\n## Impression\n');
  assert.equal(editor.edits.length, 0);
});

test('cancellation writes nothing', async () => {
  const editor = memoryEditor(URI, '## Findings\nSmall left pleural effusion.\n\n## Impression\n');
  const controller = new AbortController();
  const pieces = Array.from({ length: 200 }, (_, i) => `w${i} `);
  const engine = scriptedEngine(() => {
    setTimeout(() => controller.abort(), 20);
    return pieces;
  }, 5);
  const result = await writeConclusion(options(editor, engine, { signal: controller.signal }));
  assert.equal(result.status, 'cancelled');
  assert.equal(editor.text, '## Findings\nSmall left pleural effusion.\n\n## Impression\n');
});

test('no findings, no generation; a closed document is a clear failure', async () => {
  const empty = memoryEditor(URI, '## Findings\n\n## Impression\n');
  const engine = scriptedEngine(words('x'));
  const r = await writeConclusion(options(empty, engine));
  assert.equal(r.status, 'failed');
  assert.match(r.message!, /no findings/);
  assert.equal(engine.calls, 0);
  const closed = await writeConclusion(options(memoryEditor('file:///other.md', 'x'), engine));
  assert.equal(closed.status, 'failed');
  assert.match(closed.message!, /not open/);
});
