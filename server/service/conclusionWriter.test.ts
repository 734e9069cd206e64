import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseReport } from '../report/parseReport.ts';
import { writeConclusion, type WriteConclusionOptions } from './conclusionWriter.ts';
import { memoryEditor } from './testing/memoryEditor.ts';
import { scriptedEngine } from './testing/scriptedEngine.ts';

const URI = 'file:///r.report.md';
const words = (text: string) => () => text.split(/(?<= )/);

function options(editor: ReturnType<typeof memoryEditor>, engine: ReturnType<typeof scriptedEngine>, extra: Partial<WriteConclusionOptions> = {}): WriteConclusionOptions {
  return {
    uri: URI,
    editor,
    engine,
    parse: (text) => parseReport(text),
    check: () => [],
    chooseMode: async () => 'replace',
    flushMs: 5,
    ...extra,
  };
}

test('streams the conclusion into an empty impression section with versioned edits', async () => {
  const editor = memoryEditor(URI, '# XR chest\n\n## Findings\nLeft lower lobe opacity.\n\n## Impression\n\n## Recommendation\nNone.\n');
  const engine = scriptedEngine(words('  Left lower lobe pneumonia.\n'));
  const result = await writeConclusion(options(editor, engine));
  assert.equal(result.status, 'written');
  assert.equal(result.text, 'Left lower lobe pneumonia.');
  assert.equal(editor.text, '# XR chest\n\n## Findings\nLeft lower lobe opacity.\n\n## Impression\nLeft lower lobe pneumonia.\n\n## Recommendation\nNone.\n');
  assert.ok(editor.edits.length >= 2, `streamed in ${editor.edits.length} edits`);
  assert.match(engine.prompts[0]!.user, /Findings: Left lower lobe opacity\./);
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
  const r1 = await writeConclusion(options(declined, scriptedEngine(words('Normal.')), { chooseMode: async () => undefined }));
  assert.equal(r1.status, 'declined');
  assert.equal(declined.text, text);
  const appended = memoryEditor(URI, text);
  await writeConclusion(options(appended, scriptedEngine(words('Normal chest.')), { chooseMode: async () => 'append' }));
  assert.equal(appended.text, '## Findings\nClear lungs.\n\n## Impression\nMy own words.\n\nNormal chest.\n');
});

test('re-anchors when the user types elsewhere during streaming, and never edits a version it has not seen', async () => {
  const editor = memoryEditor(URI, '## Findings\nRight pleural effusion.\n\n## Impression\n');
  editor.onEdit = (count) => {
    if (count === 1) editor.type(0, '# Chest radiograph\n\n');
  };
  const result = await writeConclusion(options(editor, scriptedEngine(words('Moderate right pleural effusion, increased.'), 10)));
  assert.equal(result.status, 'written');
  assert.equal(editor.text, '# Chest radiograph\n\n## Findings\nRight pleural effusion.\n\n## Impression\nModerate right pleural effusion, increased.\n');
  for (const edit of editor.edits) assert.ok(edit.version >= 1);
});

test('stops, keeping the document as the user left it, when the generated text itself is edited', async () => {
  const editor = memoryEditor(URI, '## Findings\nRight pleural effusion.\n\n## Impression\n');
  editor.onEdit = (count) => {
    if (count === 1) {
      const at = editor.text.indexOf('Moderate');
      editor.type(at, 'Small', 'Moderate'.length);
    }
  };
  const result = await writeConclusion(options(editor, scriptedEngine(words('Moderate right pleural effusion, increased since the prior study.'), 10)));
  assert.equal(result.status, 'document-changed');
  assert.match(editor.text, /## Impression\nSmall/);
  assert.doesNotMatch(editor.text, /since the prior study/);
});

test('cancellation stops generation and keeps what was written', async () => {
  const editor = memoryEditor(URI, '## Findings\nA.\n\n## Impression\n');
  const controller = new AbortController();
  editor.onEdit = (count) => {
    if (count === 1) controller.abort();
  };
  const pieces = Array.from({ length: 200 }, (_, i) => `w${i} `);
  const result = await writeConclusion(options(editor, scriptedEngine(() => pieces, 5), { signal: controller.signal }));
  assert.equal(result.status, 'cancelled');
  assert.ok(editor.text.includes('w0'));
  assert.ok(!editor.text.includes('w199'));
});

test('no findings, no generation; failed checks are reported', async () => {
  const empty = memoryEditor(URI, '## Findings\n\n## Impression\n');
  const engine = scriptedEngine(words('x'));
  const r = await writeConclusion(options(empty, engine));
  assert.equal(r.status, 'failed');
  assert.equal(engine.calls, 0);
  const editor = memoryEditor(URI, '## Findings\nLeft effusion.\n\n## Impression\n');
  const flaggedResult = await writeConclusion(options(editor, scriptedEngine(words('Right effusion.')), {
    check: (_report, conclusion) => (conclusion === 'Right effusion.' ? ['laterality-mismatch'] : []),
  }));
  assert.deepEqual(flaggedResult.flagged, ['laterality-mismatch']);
});
