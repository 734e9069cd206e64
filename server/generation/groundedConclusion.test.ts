import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseReport } from '../report/parseReport.ts';
import { scriptedEngine } from '../service/testing/scriptedEngine.ts';
import type { GenerateOptions } from './engine.ts';
import { ConclusionCancelled, conclusionRequest, groundedConclusion } from './groundedConclusion.ts';
import { defaultVocabulary } from '../clinical/vocabulary.ts';

// The orchestration with an in-memory engine; the real model's path is proven in the engine, LSP and e2e tiers.
const REPORT = parseReport(readFileSync(new URL('../plan/fixtures/plan.report.md', import.meta.url), 'utf8'));
const answers =
  (first: string, continuation = '') =>
  (_prompt: unknown, options: GenerateOptions) => [options.responsePrefix ? continuation : first];

test('the prompt carries the plan', () => {
  const { prompt, plan } = conclusionRequest(REPORT, defaultVocabulary());
  assert.match(prompt.user, /\nPlan: 1\. New airspace opacity in the left lower lobe\. 2\. Small left pleural effusion\. 3\. Mild cardiomegaly\.$/);
  assert.match(prompt.system, /state every point of the plan/);
  assert.equal(plan.statements.length, 3);
});

test('source "model": the model states the plan and nothing else, and is shown as it wrote it', async () => {
  const text = '1. New left lower lobe pneumonia with a small left pleural effusion. 2. Mild cardiomegaly.';
  const engine = scriptedEngine(answers(text));
  const result = await groundedConclusion(REPORT, { engine });
  assert.equal(result.source, 'model');
  assert.equal(result.text, text);
  assert.equal(result.check.ok, true);
  assert.deepEqual(result.corrections, []);
  assert.equal(engine.calls, 1);
});

test('source "model-corrected": what failed is dropped, what was left out is forced as the start, the model finishes', async () => {
  const engine = scriptedEngine(answers('1. Cardiomegaly. 2. No acute cardiopulmonary disease.', ' 4. Degenerative changes of the thoracic spine.'));
  const progress: string[] = [];
  const result = await groundedConclusion(REPORT, { engine, onProgress: (m) => progress.push(m) });
  assert.equal(result.source, 'model-corrected');
  assert.equal(engine.calls, 2);
  // The plan's items in rank order, the model's own words where it stated one ("Cardiomegaly."), as a forced start.
  assert.equal(engine.requests[1]!.responsePrefix, '1. New airspace opacity in the left lower lobe. 2. Small left pleural effusion. 3. Cardiomegaly. ');
  assert.equal(
    result.text,
    '1. New airspace opacity in the left lower lobe.\n2. Small left pleural effusion.\n3. Cardiomegaly.\n4. Degenerative changes of the thoracic spine.',
  );
  assert.equal(result.check.ok, true);
  assert.ok(result.corrections.includes('left out new airspace opacity in the left lower lobe'), result.corrections.join('; '));
  assert.ok(result.corrections.includes('called the study normal although the findings are not'));
  assert.match(progress[2]!, /^Correcting: /);
  assert.equal(result.attempts.length, 2);
  assert.equal(result.attempts[0]!.text, '1. Cardiomegaly. 2. No acute cardiopulmonary disease.');
});

test('source "composed": when the model adds nothing that passes, the conclusion is the plan', async () => {
  const engine = scriptedEngine(answers('No acute cardiopulmonary disease.', ' 4. No acute cardiopulmonary disease.'));
  const result = await groundedConclusion(REPORT, { engine });
  assert.equal(result.source, 'composed');
  assert.equal(result.text, '1. New airspace opacity in the left lower lobe.\n2. Small left pleural effusion.\n3. Mild cardiomegaly.');
  assert.equal(result.check.ok, true);
  assert.doesNotMatch(result.text, /No acute/);
});

test('a de-identification token never reaches the conclusion', async () => {
  const pneumothorax = parseReport('---\nexam: XR chest\n---\n## Findings\nLarge right pneumothorax. Left lung clear.\n\n## Impression\n');
  for (const [first, rest] of [
    ['Left base airspace disease, the right base, XXXX atelectasis.', ''],
    ['Large right pneumothorax. Chest x-XXXX.', ''],
  ] as const) {
    const result = await groundedConclusion(pneumothorax, { engine: scriptedEngine(answers(first, rest)) });
    assert.doesNotMatch(result.text, /XXXX/);
    assert.match(result.text, /right pneumothorax/i);
    assert.equal(result.check.ok, true, result.check.problems.map((p) => p.message).join('; '));
  }
});

test('a normal study gets the exam’s normal statement, from the model when it says so', async () => {
  const head = parseReport('---\nexam: CT head\n---\n## Findings\nNo haemorrhage, mass effect or hydrocephalus.\n\n## Impression\n');
  const model = await groundedConclusion(head, { engine: scriptedEngine(answers('No acute intracranial abnormality.')) });
  assert.deepEqual([model.source, model.text], ['model', 'No acute intracranial abnormality.']);
  const invented = await groundedConclusion(head, { engine: scriptedEngine(answers('Small left subdural haematoma.', '')) });
  assert.deepEqual([invented.source, invented.text], ['composed', 'No acute intracranial abnormality.']);
});

test('cancellation rejects with ConclusionCancelled; an engine error is passed on', async () => {
  const controller = new AbortController();
  const slow = scriptedEngine(() => Array.from({ length: 100 }, (_, i) => `w${i} `), 5);
  setTimeout(() => controller.abort(), 20);
  await assert.rejects(groundedConclusion(REPORT, { engine: slow, signal: controller.signal }), ConclusionCancelled);
  const broken = scriptedEngine(() => {
    throw new Error('Cannot use model file /m.gguf: not a GGUF file');
  });
  await assert.rejects(groundedConclusion(REPORT, { engine: broken }), /not a GGUF file/);
});

test('examples only change the wording: a finding that only an example has never reaches the conclusion', async () => {
  const examples = [
    {
      findings: 'Acute displaced fracture of the left seventh rib. Small left pleural effusion.',
      conclusion: '1. Acute displaced left seventh rib fracture.\n2. Small left pleural effusion.',
    },
  ];
  // The model copies the example's rib fracture, which this report's findings do not have.
  const copying = '1. New left lower lobe pneumonia with a small left pleural effusion. 2. Mild cardiomegaly. 3. Acute displaced left seventh rib fracture.';
  const engine = scriptedEngine(answers(copying, ''));
  const result = await groundedConclusion(REPORT, { engine, examples });
  assert.match(
    engine.prompts[0]!.user,
    /^Example findings: Acute displaced fracture of the left seventh rib\. Small left pleural effusion\.\nExample conclusion: 1\. Acute displaced left seventh rib fracture\. 2\. Small left pleural effusion\.\n\n/,
  );
  // The plan is this report's own, never the example's.
  assert.match(engine.prompts[0]!.user, /\nPlan: 1\. New airspace opacity in the left lower lobe\. 2\. Small left pleural effusion\. 3\. Mild cardiomegaly\.$/);
  assert.notEqual(result.source, 'model');
  assert.ok(result.corrections.includes('stated a finding the findings do not'), result.corrections.join('; '));
  assert.doesNotMatch(result.text, /rib|fracture/i);
  assert.equal(result.check.ok, true);
  // Without the copied finding, the same wording passes as the model's own.
  const faithful = await groundedConclusion(REPORT, { engine: scriptedEngine(answers(copying.replace(/ 3\. .*$/, ''))), examples });
  assert.equal(faithful.source, 'model');
});
