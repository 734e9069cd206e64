import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SHARED_DATA } from '../../../test/support/sharedData.ts';
import { iuUid, parseIuReportsCsv, readIuLabels, resolveIuProblem } from './iuLabels.ts';
import { IU_CONCEPTS, IU_PROBLEM_TERMS } from './iuProblemSynonyms.ts';

const CSV = fileURLToPath(new URL('./fixtures/iu/indiana_reports.csv', import.meta.url));

test('the IU reports table: quoted fields, labels as problems, bare organs decided by their MeSH qualifier', async () => {
  const labels = await readIuLabels(CSV);
  assert.deepEqual([...labels.keys()], ['1', '2', '3', '4', '5', '6', '7', '8']);
  const problems = (uid: string) => labels.get(uid)!.problems;
  assert.deepEqual(problems('1'), [], 'normal');
  assert.deepEqual(problems('2'), ['cardiomegaly', 'pleural-effusion']);
  assert.deepEqual(problems('3'), ['low-lung-volumes', 'lung-opacity'], 'Lung/hypoinflation; Opacity twice counts once');
  assert.deepEqual(problems('4'), ['degenerative', 'granuloma'], 'Thoracic Vertebrae/degenerative');
  assert.deepEqual(problems('6'), [], 'No Indexing');
  assert.deepEqual(problems('7'), ['elevated-diaphragm', 'aortic-ectasia'], 'Diaphragm/right/elevated, Aorta/tortuous');
  assert.deepEqual(labels.get('8'), { uid: '8', problems: [], unmapped: ['Zebra Stripes/lung'] });
});

test('qualifier rules: the first rule whose qualifier the label has', () => {
  assert.equal(resolveIuProblem('Lung', 'Lung/hyperdistention/mild'), 'hyperinflation');
  assert.equal(resolveIuProblem('Lung', 'Lung/base/bilateral/hypoinflation/mild'), 'low-lung-volumes');
  assert.equal(resolveIuProblem('Lung', 'Lung/hilum/lymph nodes/bilateral/enlarged'), 'hilar-prominence');
  assert.equal(resolveIuProblem('Diaphragm', 'Diaphragm/bilateral/flattened'), 'hyperinflation');
  assert.equal(resolveIuProblem('Calcinosis', 'Calcinosis/aorta, thoracic'), 'atherosclerosis');
  assert.equal(resolveIuProblem('Calcinosis', 'Calcinosis/lung/hilum/lymph nodes'), 'calcification');
  assert.equal(resolveIuProblem('Subcutaneous  Emphysema', 'Subcutaneous  Emphysema/right'), 'subcutaneous-emphysema');
  assert.equal(resolveIuProblem('Technical Quality of Image Unsatisfactory ', 'Technical Quality of Image Unsatisfactory '), null);
  assert.equal(resolveIuProblem('Unicorn', 'Unicorn/horn'), undefined);
});

test('CSV details: a doubled quote, a line break inside a field, a trailing empty field, a malformed field', () => {
  const table = parseIuReportsCsv('uid,MeSH,Problems,findings\r\n1,"Nodule/lung","Nodule","a ""b""\nc"\n2,normal,normal,\n', 'x.csv');
  assert.deepEqual(table.get('1')!.problems, ['nodule']);
  assert.deepEqual(table.get('2')!.problems, []);
  assert.throws(() => parseIuReportsCsv('uid,MeSH\n1,x\n', 'x.csv'), /x\.csv:1: no `Problems` column/);
  assert.throws(() => parseIuReportsCsv('uid,MeSH,Problems\n1,a"b,c\n', 'x.csv'), /malformed CSV/);
  assert.equal(iuUid('iu-3851'), '3851');
  assert.equal(iuUid('mts-3'), undefined);
});

test('the synonym table knows every Problems term of indiana_reports.csv, and every concept it names exists', async () => {
  const ids = new Set(IU_CONCEPTS.map((c) => c.id));
  for (const [term, rule] of Object.entries(IU_PROBLEM_TERMS)) {
    const targets = typeof rule === 'string' ? [rule] : [rule.otherwise, ...rule.byQualifier.map(([, concept]) => concept)];
    for (const target of targets) assert.ok(ids.has(target), `${term} → ${target}`);
  }
  const labels = await readIuLabels(`${SHARED_DATA}iu-xray/indiana_reports.csv`);
  assert.equal(labels.size, 3851);
  assert.deepEqual(
    [...labels.values()].flatMap((l) => l.unmapped),
    [],
  );
  const abnormal = [...labels.values()].filter((l) => l.problems.length > 0).length;
  assert.ok(abnormal > 2000 && abnormal < 2500, `${abnormal} abnormal studies`);
  // Every concept of the table is used by some label, so none is dead weight.
  const used = new Set([...labels.values()].flatMap((l) => l.problems));
  const unused = IU_CONCEPTS.map((c) => c.id).filter((id) => !used.has(id));
  assert.deepEqual(unused, []);
  assert.match(readFileSync(`${SHARED_DATA}iu-xray/indiana_reports.csv`, 'utf8').slice(0, 30), /^uid,MeSH,Problems/);
});
