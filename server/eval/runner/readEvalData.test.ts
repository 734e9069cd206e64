import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { iuPairs, mtsamplesImaging, SHARED_DATA } from '../../../test/support/sharedData.ts';
import { conclusionPromptInput } from '../../generation/conclusionPrompt.ts';
import { parseReport } from '../../report/parseReport.ts';
import { caseReport } from './caseReport.ts';
import { DataFileError } from './evalCase.ts';
import { iuReportMarkdown } from './iuReport.ts';
import { iuPairCase, parseEvalJsonl, readEvalData } from './readEvalData.ts';

const REPORTS = fileURLToPath(new URL('./fixtures/reports/', import.meta.url));

test('IU pairs: every row, with its split, findings and impression as reference', async () => {
  const data = await readEvalData(`${SHARED_DATA}iu-xray/pairs.jsonl`);
  assert.equal(data.format, 'iu-pairs');
  assert.equal(data.cases.length, 3331);
  assert.deepEqual(data.skipped, []);
  const counts = new Map<string, number>();
  for (const c of data.cases) counts.set(c.split!, (counts.get(c.split!) ?? 0) + 1);
  assert.deepEqual(Object.fromEntries(counts), { train: 2657, test: 342, valid: 332 });
  const first = data.cases[0]!;
  assert.equal(first.id, 'iu-1');
  assert.equal(first.reference, 'Normal chest x-XXXX.');
  assert.match(first.findings, /^The cardiac silhouette and mediastinum size/);
  assert.equal(first.modality, 'XR');
});

test('IU pairs: the prompt is the one of the same row written as a report by iuReportMarkdown, on every row', () => {
  // What `radreport eval` asks the model (the case's fields rendered by `caseReport` and parsed) is what the editor asks
  // of the row as a markdown report, and what training/exportPairs.ts trained the model on.
  const differing: string[] = [];
  for (const row of iuPairs()) {
    const asked = conclusionPromptInput(caseReport(iuPairCase(row)));
    const fromReport = conclusionPromptInput(parseReport(iuReportMarkdown(row, { withImpression: false })));
    if (JSON.stringify(asked) !== JSON.stringify(fromReport)) differing.push(row.id);
  }
  assert.deepEqual(differing, []);
});

test('MTSamples: text parsed into findings and conclusion sections', async () => {
  const data = await readEvalData(`${SHARED_DATA}mtsamples/imaging-reports.jsonl`);
  assert.equal(data.format, 'mtsamples');
  assert.equal(data.cases.length + data.skipped.length, mtsamplesImaging().length);
  assert.ok(data.cases.length >= 145, `only ${data.cases.length} usable reports; skipped ${JSON.stringify(data.skipped)}`);
  const scrotum = data.cases.find((c) => c.id === 'mts-36')!;
  assert.equal(scrotum.modality, 'US');
  assert.equal(scrotum.split, 'train');
  assert.match(scrotum.findings, /^Duplex and color flow imaging/);
  assert.match(scrotum.findings, /No intratesticular masses or torsion is identified/);
  assert.equal(scrotum.reference, 'Trace bilateral hydroceles, which are nonspecific, otherwise unremarkable examination.');
  assert.doesNotMatch(scrotum.findings, /IMPRESSION/);
  assert.equal(scrotum.prompt.findings, scrotum.findings);
});

test('a folder of markdown reports: recursive, sorted by path, *.md only, reports without a conclusion skipped', async () => {
  const data = await readEvalData(REPORTS);
  assert.equal(data.format, 'markdown-folder');
  assert.deepEqual(
    data.cases.map((c) => [c.id, c.split, c.exam, c.modality, c.reference]),
    [
      ['ct-head.md', undefined, 'CT head without contrast', 'CT', 'No acute intracranial abnormality.'],
      ['nested/mr-knee.md', undefined, 'MR LEFT KNEE', 'MR', 'Complex tear of the posterior horn of the medial meniscus.'],
    ],
  );
  assert.deepEqual(data.skipped, [{ id: 'no-conclusion.md', reason: 'no conclusion (impression) section' }]);
  assert.equal(data.cases[0]!.prompt.clinical, 'Fall, headache.');
  assert.equal(data.cases[1]!.findings, 'There is a complex tear of the posterior horn of the medial meniscus. The cruciate ligaments are intact.');
});

test('MedPix: history as clinical information, findings as findings, exam from modality and region, no reference', async () => {
  const data = await readEvalData(fileURLToPath(new URL('../clinical/fixtures/medpix/cases.jsonl', import.meta.url)));
  assert.equal(data.format, 'medpix');
  const glioma = data.cases.find((c) => c.id === 'mp-1')!;
  assert.equal(glioma.exam, 'CT head');
  assert.equal(glioma.modality, 'CT');
  assert.equal(glioma.reference, '');
  assert.equal(glioma.diagnosis, 'Glioblastoma multiforme');
  assert.deepEqual(glioma.prompt, {
    exam: 'CT head',
    modality: 'CT',
    clinical: 'Headache and seizure.',
    findings: 'Large enhancing mass in the left frontal lobe with surrounding edema. Midline shift of 5 mm.',
  });
  const torsion = data.cases.find((c) => c.id === 'mp-3')!;
  assert.equal(torsion.exam, 'CT and MR genitourinary');
  assert.equal(torsion.modality, 'CT+MR');
  assert.equal(torsion.prompt.modality, undefined);

  const shared = await readEvalData(`${SHARED_DATA}medpix/cases.jsonl`);
  assert.equal(shared.cases.length, 654);
  assert.equal(shared.cases.filter((c) => c.split === 'test').length, 64);
  assert.deepEqual(new Set(shared.cases.map((c) => c.exam?.split(' ').pop())), new Set(['head', 'chest', 'abdomen', 'musculoskeletal', 'genitourinary']));
});

test('CT-RATE: read like IU pairs, with the labels carried', async () => {
  const data = await readEvalData(fileURLToPath(new URL('../clinical/fixtures/ct-rate/pairs.jsonl', import.meta.url)));
  assert.equal(data.format, 'ct-rate');
  const first = data.cases.find((c) => c.id === 'ct-1')!;
  assert.equal(first.modality, 'CT');
  assert.equal(first.reference, 'Bilateral pleural effusion, cardiomegaly.');
  assert.equal(first.labels!['Pleural effusion'], 1);
  assert.equal(first.labels!['Emphysema'], 0);
  assert.equal(Object.keys(first.labels!).length, 18);
  assert.throws(
    () => parseEvalJsonl('{"findings": "a", "impression": "b", "labels": {"Emphysema": 2}}\n', 'c.jsonl'),
    /c\.jsonl:1: label "Emphysema" must be 0 or 1, got 2/,
  );
  assert.throws(() => parseEvalJsonl('{"findings": "a", "impression": "b", "labels": [1]}\n', 'c.jsonl'), /`labels` must be an object/);

  const shared = await readEvalData(`${SHARED_DATA}ct-rate-subset/pairs.jsonl`);
  assert.equal(shared.cases.length + shared.skipped.length, 742);
  assert.ok(shared.cases.every((c) => c.labels && Object.keys(c.labels).length === 18));
});

test('bad data files give a clear message with the line', async () => {
  assert.throws(
    () => parseEvalJsonl('{"findings": "a", "impression": "b"}\nnot json\n', 'x.jsonl'),
    (error: unknown) => {
      assert.ok(error instanceof DataFileError);
      assert.equal(error.message, 'x.jsonl:2: not a JSON object (expected one JSON object a line)');
      return true;
    },
  );
  assert.throws(() => parseEvalJsonl('{"findings": "a", "impression": 3}\n', 'x.jsonl'), /x\.jsonl:1: `impression` must be a string, got number/);
  assert.throws(() => parseEvalJsonl('[1, 2]\n', 'x.jsonl'), /x\.jsonl:1: not a JSON object/);
  assert.throws(() => parseEvalJsonl('{"prediction": "a"}\n', 'x.jsonl'), /unknown row shape/);
  assert.throws(() => parseEvalJsonl('{"findings": "a", "diagnosis": 3}\n', 'x.jsonl'), /x\.jsonl:1: `diagnosis` must be a string, got number/);
  assert.throws(() => parseEvalJsonl('\n\n', 'x.jsonl'), /x\.jsonl: no rows/);
  assert.throws(() => parseEvalJsonl('\u0000\u0001\uFFFD binary', 'x.jsonl'), /x\.jsonl:1: not a JSON object/);
  await assert.rejects(readEvalData('/nonexistent/data.jsonl'), /\/nonexistent\/data\.jsonl: no such file or folder/);
  const data = parseEvalJsonl('{"id": "a", "findings": "Clear lungs.", "impression": " "}\n', 'x.jsonl');
  assert.deepEqual(data.skipped, [{ id: 'a', reason: 'no impression' }]);
});
