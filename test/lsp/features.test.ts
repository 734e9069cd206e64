import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { CodeAction, CodeLens, CompletionItem, Diagnostic, InlineCompletionList, Position } from 'vscode-languageserver-protocol';
import { ensureTestModels, type TestModels } from '../models/testModels.ts';
import { markedText } from '../support/cursorMarkers.ts';
import { LspTestClient } from './lspTestClient.ts';
import { CLINICAL_OFF } from '../support/clinicalRulesOff.ts';

// $0 marks: the placeholder (a range), a place in the findings, the start of the empty conclusion.
const MARKED_REPORT = markedText(`---
type: radiology-report
exam: XR chest PA and lateral
---
# XR chest PA and lateral

## Clinical information
Cough.

## Findings
Lef$0t lower lobe opacity. Nodule measures $0___$0 mm.

## Impression
$0
`);
const REPORT = MARKED_REPORT.text;
const [IN_FINDINGS, PLACEHOLDER_START, PLACEHOLDER_END, CONCLUSION_START] = MARKED_REPORT.cursors as [Position, Position, Position, Position];

let models: TestModels;
before(async () => {
  models = await ensureTestModels();
});

const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => d.code).sort();

describe('diagnostics', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start({ settings: { diagnosticsDelayMs: 200 } });
  });
  after(() => client.stop());

  test('a report gets diagnostics with codes, versions and links to the rule docs', async () => {
    const uri = client.open(REPORT);
    const diagnostics = await client.diagnosticsFor(uri);
    assert.deepEqual(codes(diagnostics), ['empty-conclusion', 'placeholder']);
    const placeholder = diagnostics.find((d) => d.code === 'placeholder')!;
    assert.deepEqual(placeholder.range, { start: PLACEHOLDER_START, end: PLACEHOLDER_END });
    assert.equal(placeholder.source, 'radreport');
    const docs = fileURLToPath(placeholder.codeDescription!.href);
    assert.ok(existsSync(docs), `docs page ${docs} exists`);
  });

  test('edits are checked after a pause, and a fixed report has no problems left', async () => {
    const uri = client.open(REPORT);
    await client.diagnosticsFor(uri);
    const text = client.text(uri);
    client.edit(uri, text.indexOf('___'), text.indexOf('___') + 3, '6');
    client.edit(uri, text.length, text.length, 'Left lower lobe opacity. Nodule measures 6 mm.\n');
    assert.deepEqual(await client.diagnosticsFor(uri), []);
    // Only the latest version was published, not each keystroke's.
    const versions = client.diagnostics.get(uri)!.map((d) => d.version);
    assert.deepEqual(versions, [1, 3]);
  });

  test('a markdown file that is not a report (by name or front matter) gets nothing', async () => {
    const uri = client.open('# Notes\n\nFINDINGS: none\n', { name: 'notes.md' });
    await client.waitFor(() => (client.diagnostics.get(uri)?.length ?? 0) > 0);
    assert.deepEqual(client.diagnostics.get(uri)!.at(-1)!.diagnostics, []);
    const byFrontMatter = client.open('---\ntype: radiology-report\n---\n## Findings\nClear.\n', { name: 'plain.md' });
    assert.deepEqual(codes(await client.diagnosticsFor(byFrontMatter)), ['missing-section']);
  });

  test('a report template (front matter type: radiology-report-template) is linted in template mode', async () => {
    const uri = client.open(
      '---\ntype: radiology-report-template\n---\n# CT head\n\n## Findings\nHemorrhage: ___\nMidline shift:\nMidline shift: None.\n\n## Impression\n',
      { name: 'ct-head.md' },
    );
    const diagnostics = await client.diagnosticsFor(uri);
    // Unfilled fields and the empty impression are expected in a template; the repeated field is not.
    assert.deepEqual(codes(diagnostics), ['template-duplicate-field']);
    assert.equal(diagnostics[0]!.range.start.line, 8);
  });

  test('a text with no report sections is reported as such, not crashed on', async () => {
    const uri = client.open('Shopping list: eggs, milk.\n');
    const [diagnostic] = await client.diagnosticsFor(uri);
    assert.match(diagnostic!.message as string, /does not look like a radiology report/);
  });

  test('a 10 MB document and binary junk get a clear message and the server stays up', async () => {
    const big = client.open('## Findings\n' + 'Clear lungs. '.repeat(800_000));
    const [tooLarge] = await client.diagnosticsFor(big);
    assert.match(tooLarge!.message as string, /too large to check/);
    const junk = client.open(Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131) % 256)).toString('latin1'));
    const [binary] = await client.diagnosticsFor(junk);
    assert.match(binary!.message as string, /binary data/);
    const uri = client.open(REPORT);
    assert.equal((await client.diagnosticsFor(uri)).length, 2);
  });

  test('settings of the wrong type get a clear error naming them and the defaults are used', async () => {
    await client.changeSettings({ threads: 'many', files: 42, diagnosticsDelayMs: 200, rules: { placeholder: 'loud' } });
    await client.waitFor(() => client.messages.some((m) => /radiologyReport\.threads must be/.test(m.message)));
    const message = client.messages.find((m) => /radiologyReport\.threads/.test(m.message))!.message;
    assert.match(message, /radiologyReport\.files must be a list of glob patterns/);
    assert.match(message, /radiologyReport\.rules\.placeholder must be "off"/);
    const uri = client.open(REPORT);
    assert.deepEqual(codes(await client.diagnosticsFor(uri)), ['empty-conclusion', 'placeholder']);
    await client.changeSettings({ diagnosticsDelayMs: 200 });
  });

  test('rule severities come from settings and from the nearest .radreportrc.json, which wins', async () => {
    await client.changeSettings({ diagnosticsDelayMs: 200, rules: { placeholder: 'error' } });
    const dir = mkdtempSync(join(tmpdir(), 'radreport-rc-'));
    const uri = client.open(REPORT, { dir });
    const diagnostics = await client.diagnosticsFor(uri);
    assert.equal(diagnostics.find((d) => d.code === 'placeholder')!.severity, 1);
    writeFileSync(join(dir, '.radreportrc.json'), JSON.stringify({ rules: { placeholder: 'off' } }));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: `file://${dir}/.radreportrc.json`, type: 1 }] });
    const other = client.open(REPORT, { dir, name: 'second.report.md' });
    assert.deepEqual(codes(await client.diagnosticsFor(other)), ['empty-conclusion']);
    writeFileSync(join(dir, '.radreportrc.json'), '{ not json');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: `file://${dir}/.radreportrc.json`, type: 2 }] });
    const third = client.open(REPORT, { dir, name: 'third.report.md' });
    const broken = await client.diagnosticsFor(third);
    assert.ok(
      broken.some((d) => d.code === 'config' && /is not valid JSON/.test(d.message as string)),
      JSON.stringify(broken),
    );
    await client.changeSettings({ diagnosticsDelayMs: 200 });
  });

  test('a misspelt rule or option in .radreportrc.json is a diagnostic on its key there, with the name meant; the rest applies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'radreport-rc-'));
    const rc = join(dir, '.radreportrc.json');
    writeFileSync(rc, '{\n  "rules": {\n    "placeholdr": "off",\n    "empty-conclusion": { "severity": "error", "heading": "x" }\n  }\n}\n');
    const uri = client.open(REPORT, { dir });
    const diagnostics = await client.diagnosticsFor(uri);
    assert.equal(diagnostics.find((d) => d.code === 'empty-conclusion')!.severity, 1, 'the valid severity applies');
    assert.equal(diagnostics.find((d) => d.code === 'placeholder')!.severity, 2, 'the misspelt rule is not turned off');
    const onReport = diagnostics.filter((d) => d.code === 'config').map((d) => d.message);
    assert.deepEqual(onReport, [
      `${rc}:3:5: rules.placeholdr is not a rule; did you mean "placeholder"? (\`radreport rules\` lists them)`,
      `${rc}:4:48: rules.empty-conclusion.heading is not an option of empty-conclusion; it has no options, only "severity"`,
    ]);
    const rcUri = `file://${rc}`;
    await client.waitFor(() => (client.diagnostics.get(rcUri)?.at(-1)?.diagnostics.length ?? 0) > 0, 10_000, 'diagnostics on the config file');
    const onFile = client.diagnostics.get(rcUri)!.at(-1)!.diagnostics;
    assert.deepEqual(
      onFile.map((d) => [d.range.start.line, d.range.start.character, d.range.end.character, d.code, d.message]),
      [
        [2, 4, 16, 'config', 'rules.placeholdr is not a rule; did you mean "placeholder"? (`radreport rules` lists them)'],
        [3, 47, 56, 'config', 'rules.empty-conclusion.heading is not an option of empty-conclusion; it has no options, only "severity"'],
      ],
    );
    writeFileSync(rc, '{ "rules": { "placeholder": "off" } }\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: rcUri, type: 2 }] });
    await client.waitFor(() => client.diagnostics.get(rcUri)!.at(-1)!.diagnostics.length === 0, 10_000, 'the fixed config file cleared');
    // Broken again, then deleted: its problems go with it.
    writeFileSync(rc, '{ "rulez": {} }\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: rcUri, type: 2 }] });
    await client.waitFor(() => client.diagnostics.get(rcUri)!.at(-1)!.diagnostics.length === 1, 10_000, 'the broken config file marked');
    rmSync(rc);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: rcUri, type: 3 }] });
    await client.waitFor(() => client.diagnostics.get(rcUri)!.at(-1)!.diagnostics.length === 0, 10_000, 'the deleted config file cleared');
  });
});

describe('code actions, lenses and completion', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start({ settings: { diagnosticsDelayMs: 0 } });
  });
  after(() => client.stop());

  test('CodeLens: "Generate conclusion" on the conclusion heading, "Add conclusion" when it is missing', async () => {
    const uri = client.open(REPORT);
    const [lens] = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.equal(lens!.command!.title, 'Generate conclusion');
    assert.equal(lens!.command!.command, 'radiologyReport.generateConclusion');
    assert.equal(lens!.range.start.line, 12);
    const missing = client.open('# CT head\n\n## Findings\nNo hemorrhage.\n');
    const [add] = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: missing } });
    assert.equal(add!.command!.title, 'Add conclusion');
    assert.equal(add!.range.start.line, 2);
  });

  test('quick fix from the diagnostic data adds the missing section with a versioned edit', async () => {
    const uri = client.open('# CT head\n\n## Findings\nNo hemorrhage.\n');
    const diagnostics = await client.diagnosticsFor(uri);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostics[0]!.range,
      context: { diagnostics, only: ['quickfix'] },
    });
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Add an Impression section', 'Generate conclusion from the findings', 'Disable rule missing-section in .radreportrc.json'],
    );
    const fix = actions[0]!;
    const change = fix.edit!.documentChanges![0] as { textDocument: { version: number } };
    assert.equal(change.textDocument.version, 1);
    // Apply it as an editor would, and the problem is gone.
    assert.deepEqual(client.applyWorkspaceEdit({ edit: fix.edit! }), { applied: true });
    assert.equal(client.text(uri), '# CT head\n\n## Findings\nNo hemorrhage.\n\n## Impression\n');
    assert.deepEqual(codes(await client.diagnosticsFor(uri)), ['empty-conclusion']);
    // A stale diagnostic (older version) offers no text fix.
    client.edit(uri, 0, 0, ' ');
    const stale = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostics[0]!.range,
      context: { diagnostics, only: ['quickfix'] },
    });
    assert.ok(!stale.some((a) => a.edit), 'no edit for a diagnostic of another version');
  });

  test('"disable rule" writes the nearest .radreportrc.json and the problem goes away', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'radreport-disable-'));
    writeFileSync(join(dir, '.radreportrc.json'), JSON.stringify({ sections: { conclusion: ['Beurteilung'] } }, null, 2));
    const uri = client.open(REPORT, { dir });
    await client.diagnosticsFor(uri);
    await client.request('workspace/executeCommand', { command: 'radiologyReport.disableRule', arguments: [{ uri, ruleId: 'placeholder' }] });
    const rc = JSON.parse(readFileSync(join(dir, '.radreportrc.json'), 'utf8'));
    assert.deepEqual(rc, { sections: { conclusion: ['Beurteilung'] }, rules: { placeholder: 'off' } });
    client.edit(uri, 0, 0, '');
    assert.deepEqual(codes(await client.diagnosticsFor(uri)), ['empty-conclusion']);
  });

  test('source.fixAll applies every preferred fix at once', async () => {
    const uri = client.open('---\ntype: radiology-report\n---\nText without sections.\n\nFINDINGS: No hemorrhage.\n');
    await client.diagnosticsFor(uri);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    assert.equal(actions.length, 1);
    assert.equal(actions[0]!.kind, 'source.fixAll.radreport');
  });

  test('completion offers the missing section headings in the report’s style, and templates in an empty report', async () => {
    const doc = markedText('---\ntype: radiology-report\n---\n## Findings\nClear.$0\n\n$0');
    const [afterText, emptyLine] = doc.cursors as [Position, Position];
    const uri = client.open(doc.text);
    const items = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: emptyLine });
    const first = [...items].sort((a, b) => a.sortText!.localeCompare(b.sortText!)).map((i) => i.label);
    assert.deepEqual(first.slice(0, 5), ['## Clinical information', '## Technique', '## Comparison', '## Impression', '## Recommendation']);
    const emptyDoc = markedText('---\ntype: radiology-report\n---\n$0');
    const empty = client.open(emptyDoc.text);
    const templates = (
      await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: empty }, position: emptyDoc.cursors[0] })
    ).filter((i) => i.kind === 15);
    // The built-in snippets (the RSNA RadReport library joins them when it is built: the next test).
    const snippets = templates.filter((t) => t.insertTextFormat === 2);
    assert.deepEqual(snippets.map((t) => t.label).sort(), [
      'CT chest report',
      'CT head report',
      'Chest radiograph report',
      'MR brain report',
      'MR knee report',
    ]);
    assert.deepEqual(await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: afterText }), []);
  });

  test("report templates: the department's folder (markdown and MRRT) is listed, makes a new report, and is offered in an empty report", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'radreport-templates-'));
    writeFileSync(
      join(folder, 'ct-head.report-template.md'),
      '---\ntype: radiology-report-template\ntitle: CT head trauma\nmodality: CT\nbodyPart: head\n---\n# CT head trauma\n\n## Findings\nHemorrhage: None.\n\n## Impression\nNo acute intracranial abnormality.\n',
    );
    writeFileSync(
      join(folder, 'knee.html'),
      '<html><head><meta name="dcterms.title" content="MR Knee"/><meta name="dcterms.creator" content="Doe J"/></head><body><section data-section-name="Findings"><header class="level1">Findings</header><p><label for="m">Medial meniscus:</label><input type="text" id="m" value="Intact."/></p></section><section data-section-name="Impression"><header class="level1">Impression</header><p><textarea id="i">Normal.</textarea></p></section></body></html>',
    );
    writeFileSync(join(folder, 'notes.txt'), 'not a template');
    const own = await LspTestClient.start({ settings: { templates: [folder] } });
    try {
      const { templates } = await own.request<{
        templates: Array<{ id: string; title: string; source: string; modality?: string; bodyPart?: string; credit?: string }>;
      }>('radiologyReport/templates', {});
      const department = templates.filter((t) => t.source === 'department');
      assert.deepEqual(
        department.map((t) => [t.id, t.title, t.modality, t.bodyPart]),
        [
          ['ct-head.report-template.md', 'CT head trauma', 'CT', 'head'],
          ['knee.html', 'MR Knee', 'MR', 'lower limb'],
        ],
      );
      for (const shipped of templates.filter((t) => t.source !== 'department')) assert.match(shipped.credit ?? '', /RSNA RadReport/);
      const made = await own.request<{ text: string } | null>('radiologyReport/reportFromTemplate', { source: 'department', id: 'knee.html' });
      assert.match(
        made!.text,
        /^---\ntype: radiology-report\nexam: "MR Knee"\nmodality: MR\n[^]*\n## Findings\nMedial meniscus: Intact\.\n\n## Impression\nNormal\.\n$/,
      );
      assert.equal(await own.request('radiologyReport/reportFromTemplate', { source: 'department', id: 'gone.md' }), null);
      const empty = own.open('---\ntype: radiology-report\n---\n');
      const offered = await own.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: empty }, position: { line: 3, character: 0 } });
      const trauma = offered.find((item) => item.label === 'CT head trauma')!;
      assert.equal(trauma.detail, 'CT · head — department template');
      assert.match((trauma.textEdit as { newText: string }).newText, /\n## Findings\nHemorrhage: None\.\n/);
    } finally {
      await own.stop();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('conclusion generation with the tiny model', () => {
  let client: LspTestClient;
  const settings = { model: '', maxTokens: 16, diagnosticsDelayMs: 0, inlineCompletion: { debounceMs: 50 }, rules: CLINICAL_OFF };
  before(async () => {
    settings.model = models.model;
    client = await LspTestClient.start({ settings });
  });
  after(() => client.stop());

  const generate = (uri: string, extra: Record<string, unknown> = {}) =>
    client.request<{ status: string; text: string; flagged: string[]; message?: string }>('workspace/executeCommand', {
      command: 'radiologyReport.generateConclusion',
      arguments: [{ uri, version: client.version(uri), ...extra }],
    });

  test('the command writes the checked conclusion into the section with one versioned applyEdit, deterministically, with progress and its source', async () => {
    const uri = client.open(REPORT);
    const result = await generate(uri);
    assert.equal(result.status, 'written', result.message);
    assert.ok(result.text.length > 10);
    const text = client.text(uri);
    assert.ok(text.includes(`## Impression\n${result.text}\n`), JSON.stringify(text));
    for (const edit of client.appliedEdits) {
      const change = edit.edit.documentChanges![0] as { textDocument: { version: number } };
      assert.equal(typeof change.textDocument.version, 'number', 'every edit names its document version');
    }
    const begin = client.progress.find((p) => (p as { value: { kind: string } }).value.kind === 'begin') as { value: { cancellable: boolean } };
    assert.equal(begin.value.cancellable, true);
    const reports = client.progress
      .map((p) => (p as { value: { kind: string; message?: string } }).value)
      .filter((v) => v.kind === 'report')
      .map((v) => v.message);
    assert.ok(reports.includes('Writing the conclusion…') && reports.includes('Checking it against the findings…'), reports.join(' | '));
    // The tiny model's words are random: the guard rejects them and the conclusion is composed from the plan.
    assert.equal((result as { source?: string }).source, 'composed');
    assert.equal(result.text, '1. Left lower lobe opacity.\n2. Nodule.');
    assert.ok(client.modelStates.some((s) => (s as { state: string }).state === 'ready'));
    const again = client.open(REPORT);
    const second = await generate(again);
    assert.equal(second.text, result.text, 'temperature 0 is deterministic');
  });

  test('an existing conclusion is never replaced without asking', async () => {
    const declining = await LspTestClient.start({ settings: { model: models.model, maxTokens: 8 }, answer: () => 'Cancel' });
    try {
      const text = REPORT.replace('## Impression\n', '## Impression\nMy own words.\n');
      const uri = declining.open(text);
      const r = await declining.request<{ status: string }>('workspace/executeCommand', {
        command: 'radiologyReport.generateConclusion',
        arguments: [{ uri }],
      });
      assert.equal(r.status, 'declined');
      assert.equal(declining.text(uri), text);
      assert.ok(declining.messages.some((m) => /already says "My own words\."/.test(m.message)));
    } finally {
      await declining.stop();
    }
  });

  test('compare: the resident’s conclusion beside the generated one and the plan, with what each leaves out; the report is not edited', async () => {
    const text = REPORT.replace('## Impression\n', '## Impression\nLeft lower lobe opacity.\n');
    const uri = client.open(text);
    const edits = client.appliedEdits.length;
    const result = await client.request<{
      status: string;
      markdown: string;
      resident: string;
      generated: string;
      source: string;
      residentLeftOut: string[];
      generatedLeftOut: string[];
    }>('workspace/executeCommand', { command: 'radiologyReport.compareConclusion', arguments: [{ uri }] });
    assert.equal(result.status, 'compared', result.markdown);
    assert.equal(result.resident, 'Left lower lobe opacity.');
    assert.equal(result.generated, '1. Left lower lobe opacity.\n2. Nodule.');
    assert.equal(result.source, 'composed');
    assert.deepEqual(result.residentLeftOut, ['Nodule.']);
    assert.deepEqual(result.generatedLeftOut, []);
    assert.match(result.markdown, /\| Nodule\. \| ✗ left out \| ✓ statement 2 \|/);
    assert.equal(client.text(uri), text);
    assert.equal(client.appliedEdits.length, edits);
    const none = await client.request<{ status: string; markdown: string }>('workspace/executeCommand', {
      command: 'radiologyReport.compareConclusion',
      arguments: [{ uri: client.open(REPORT) }],
    });
    assert.equal(none.status, 'failed');
    assert.match(none.markdown, /no conclusion of its own yet/);
  });

  test('radiologyReport.examples: the server indexes the folder it names and generates with the nearest; the grounded conclusion is unchanged in what it says', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'radreport-lsp-examples-'));
    writeFileSync(join(folder, 'pneumonia.report.md'), '## Findings\nOpacity in the left lower lobe.\n\n## Impression\nLeft basal consolidation.\n');
    writeFileSync(join(folder, 'normal.report.md'), '## Findings\nClear lungs.\n\n## Impression\nNormal chest.\n');
    writeFileSync(join(folder, 'draft.report.md'), '## Findings\nClear lungs.\n');
    const withExamples = await LspTestClient.start({ settings: { ...settings, examples: folder } });
    try {
      const uri = withExamples.open(REPORT);
      const result = await withExamples.request<{ status: string; text: string; source: string }>('workspace/executeCommand', {
        command: 'radiologyReport.generateConclusion',
        arguments: [{ uri, version: withExamples.version(uri) }],
      });
      assert.equal(result.status, 'written');
      assert.ok(
        withExamples.logs.some((line) => line.includes(`Examples: 2 findings → conclusion pairs from 3 files in ${folder}`)),
        withExamples.logs.join('\n'),
      );
      // The examples change the prompt only: the tiny model's random words are rejected and the plan is composed as before.
      assert.equal(result.source, 'composed');
      assert.equal(result.text, '1. Left lower lobe opacity.\n2. Nodule.');
    } finally {
      await withExamples.stop();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('the user typing elsewhere during generation does not break it; edits always name the version they were made for', async () => {
    const uri = client.open(REPORT);
    const before = client.appliedEdits.length;
    const progressBefore = client.progress.length;
    const pending = generate(uri);
    // Type while the conclusion is being written (the first progress report), before anything is inserted.
    await client.waitFor(() => client.progress.slice(progressBefore).some((p) => (p as { value: { kind: string } }).value.kind === 'report'));
    client.edit(uri, 0, 0, '<!-- draft -->\n');
    const result = await pending;
    assert.equal(result.status, 'written', result.message);
    assert.equal(client.appliedEdits.length, before + 1);
    assert.ok(client.text(uri).startsWith('<!-- draft -->\n'));
    assert.ok(client.text(uri).includes(`## Impression\n${result.text}`));
  });

  test('an editor that refuses the edit leaves the document untouched and says so', async () => {
    const refusing = await LspTestClient.start({ settings: { model: models.model, maxTokens: 8 }, refuseEdits: true });
    try {
      const uri = refusing.open(REPORT);
      const r = await refusing.request<{ status: string; message: string }>('workspace/executeCommand', {
        command: 'radiologyReport.generateConclusion',
        arguments: [{ uri }],
      });
      assert.equal(r.status, 'failed');
      assert.equal(refusing.text(uri), REPORT);
    } finally {
      await refusing.stop();
    }
  });

  test('cancelling the progress stops generation and writes nothing', async () => {
    await client.changeSettings({ ...settings, maxTokens: 4000 });
    const uri = client.open(REPORT);
    const tokens: unknown[] = [];
    client.connection.onRequest('window/workDoneProgress/create', (p: { token: unknown }) => {
      tokens.push(p.token);
      return null;
    });
    const before = client.appliedEdits.length;
    const progressBefore = client.progress.length;
    const pending = generate(uri);
    await client.waitFor(
      () => client.progress.slice(progressBefore).some((p) => (p as { value: { message?: string } }).value.message === 'Writing the conclusion…'),
      30_000,
      'generation to start',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await client.connection.sendNotification('window/workDoneProgress/cancel', { token: tokens.at(-1) });
    const result = await pending;
    assert.equal(result.status, 'cancelled');
    assert.ok(Date.now() - started < 2000, `stopped in ${Date.now() - started} ms`);
    assert.equal(client.appliedEdits.length, before, 'nothing unchecked is written');
    assert.equal(client.text(uri), REPORT);
    await client.changeSettings(settings);
  });

  test('inline completion: ghost text inside the conclusion, continuing what is typed, nowhere else', async () => {
    const uri = client.open(REPORT);
    const line = CONCLUSION_START.line;
    const inline = (position: { line: number; character: number }) =>
      client.request<InlineCompletionList | null>('textDocument/inlineCompletion', { textDocument: { uri }, position, context: { triggerKind: 2 } });
    const full = await inline(CONCLUSION_START);
    const suggestion = full!.items[0]!.insertText as string;
    assert.ok(suggestion.length > 10);
    // Type the first word: the ghost text continues from it (served from the cache of the same findings).
    const firstWord = suggestion.split(' ')[0]!;
    const offset = REPORT.indexOf('## Impression\n') + '## Impression\n'.length;
    client.edit(uri, offset, offset, firstWord);
    const rest = await inline({ line, character: firstWord.length });
    assert.equal(firstWord + (rest!.items[0]!.insertText as string), suggestion);
    // Typing something else: the model continues from what was typed (the typed words are its answer's start), and the
    // whole is checked; the tiny model's random continuation fails the check, so nothing is offered, and the user is told.
    client.edit(uri, offset, offset + firstWord.length, 'Moderate cardiomegaly');
    const continued = await inline({ line, character: 'Moderate cardiomegaly'.length });
    assert.equal(continued, null, 'an unchecked continuation is never offered');
    await client.waitFor(() => client.messages.some((m) => /generated conclusion was not offered/.test(m.message)));
    // In the middle of the user's text, and outside the conclusion: nothing.
    assert.equal(await inline({ line, character: 3 }), null);
    assert.equal(await inline(IN_FINDINGS), null);
  });

  test('a generated conclusion that fails a check is flagged: withheld as ghost text, reported when written', async () => {
    // The tiny model's words are random, so make a check that any conclusion fails: every word is a "placeholder".
    await client.changeSettings({ ...settings, placeholders: ['[a-z]{3,}'] });
    const uri = client.open(REPORT);
    const line = CONCLUSION_START.line;
    const ghost = await client.request<InlineCompletionList | null>('textDocument/inlineCompletion', {
      textDocument: { uri },
      position: { line, character: 0 },
      context: { triggerKind: 2 },
    });
    assert.equal(ghost, null);
    await client.waitFor(() => client.messages.some((m) => /generated conclusion was not offered: it fails placeholder/.test(m.message)));
    const result = await generate(uri);
    assert.equal(result.status, 'written');
    assert.deepEqual(result.flagged, ['placeholder']);
    await client.waitFor(() => client.messages.some((m) => /Review the generated conclusion: it fails placeholder/.test(m.message)));
    assert.deepEqual(
      client.messageRequests.map((m) => m.message),
      [],
      'messages that ask nothing are notifications, never requests that hold the editor',
    );
    const diagnostics = await client.diagnosticsFor(uri);
    assert.ok(
      diagnostics.some((d) => d.code === 'placeholder' && d.range.start.line === line),
      'the problem is marked in the written conclusion',
    );
    await client.changeSettings(settings);
  });

  test('inline completion is cancelled by the next keystroke', async () => {
    const uri = client.open(REPORT.replace('Left lower lobe opacity.', 'Right upper lobe mass.'));
    const line = CONCLUSION_START.line;
    const source = client.connection;
    const { CancellationTokenSource } = await import('vscode-jsonrpc/node');
    const cts = new CancellationTokenSource();
    const request = source.sendRequest(
      'textDocument/inlineCompletion',
      { textDocument: { uri }, position: { line, character: 0 }, context: { triggerKind: 2 } },
      cts.token,
    );
    setTimeout(() => cts.cancel(), 10);
    const result = await request.catch((error: Error) => error);
    assert.ok(result === null || result instanceof Error, 'a cancelled request returns nothing');
  });
});

describe('bad models', () => {
  test('a missing model path and a malformed GGUF give a clear error naming the file; the server stays up', async () => {
    const client = await LspTestClient.start({ settings: { model: '/nonexistent/model.gguf', maxTokens: 8, diagnosticsDelayMs: 0, rules: CLINICAL_OFF } });
    try {
      const uri = client.open(REPORT);
      const missing = await client.request<{ status: string; message: string }>('workspace/executeCommand', {
        command: 'radiologyReport.generateConclusion',
        arguments: [{ uri }],
      });
      assert.equal(missing.status, 'failed');
      assert.match(missing.message, /\/nonexistent\/model\.gguf/);
      assert.ok(client.messages.some((m) => m.type === 1 && /nonexistent\/model\.gguf/.test(m.message)));
      assert.ok(client.modelStates.some((s) => (s as { state: string }).state === 'error'));

      await client.changeSettings({ model: models.broken.missingFeedForwardLength, maxTokens: 8, diagnosticsDelayMs: 0, rules: CLINICAL_OFF });
      const broken = await client.request<{ status: string; message: string }>('workspace/executeCommand', {
        command: 'radiologyReport.generateConclusion',
        arguments: [{ uri }],
      });
      assert.equal(broken.status, 'failed');
      assert.match(broken.message, /broken-no-feed-forward-length\.gguf/);
      assert.match(broken.message, /feed_forward_length/);

      await client.changeSettings({ model: models.model, maxTokens: 8, diagnosticsDelayMs: 0, rules: CLINICAL_OFF });
      const good = await client.request<{ status: string }>('workspace/executeCommand', {
        command: 'radiologyReport.generateConclusion',
        arguments: [{ uri }],
      });
      assert.equal(good.status, 'written');
      assert.equal(client.process.exitCode, null, 'the server is still running');
      assert.deepEqual(codes(await client.diagnosticsFor(uri)), ['placeholder']);
    } finally {
      await client.stop();
    }
  });
});
