import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkStudyFile, createStudy, seededRandom, type StudySourceRow } from './studyFile.ts';

const rows: StudySourceRow[] = Array.from({ length: 30 }, (_, i) => ({
  id: `r${i}`,
  exam: i % 2 ? 'CT chest' : undefined,
  findings: `Findings ${i}.`,
  reference: `Original ${i}.`,
  prediction: `Generated ${i}.`,
}));

test('the same rows, count and seed give the same study; another seed another one', () => {
  const a = createStudy(rows, { seed: 7, cases: 10, source: 'p.jsonl' }).study;
  const b = createStudy(rows, { seed: 7, cases: 10, source: 'p.jsonl' }).study;
  const c = createStudy(rows, { seed: 8, cases: 10, source: 'p.jsonl' }).study;
  assert.deepEqual(a, b);
  assert.notDeepEqual(
    a.key.map((k) => k.id),
    c.key.map((k) => k.id),
  );
  assert.equal(a.cases.length, 10);
  assert.equal(new Set(a.key.map((k) => k.id)).size, 10);
});

test('each case shows the original and the generated conclusion as A and B, and only the key says which', () => {
  const { study } = createStudy(rows, { seed: 1, source: 'p.jsonl' });
  assert.equal(study.cases.length, 30);
  const placements = new Set<string>();
  study.cases.forEach((c, i) => {
    const key = study.key[i]!;
    const row = rows.find((r) => r.id === key.id)!;
    assert.equal(c.number, i + 1);
    assert.equal(c.findings, row.findings);
    assert.equal(c[key.A === 'original' ? 'A' : 'B'], row.reference);
    assert.equal(c[key.A === 'generated' ? 'A' : 'B'], row.prediction);
    assert.deepEqual(Object.keys(c).sort(), row.exam ? ['A', 'B', 'exam', 'findings', 'number'] : ['A', 'B', 'findings', 'number']);
    placements.add(key.A);
  });
  assert.deepEqual([...placements].sort(), ['generated', 'original'], 'both orders occur');
  assert.doesNotMatch(JSON.stringify(study.cases), /generated|original|"id"/);
});

test('an empty prediction is left out (it would give the generated one away)', () => {
  const { study, leftOut } = createStudy([...rows.slice(0, 3), { id: 'blank', findings: 'x', reference: 'y', prediction: '  ' }], { seed: 2, source: 'p' });
  assert.deepEqual(leftOut, ['blank']);
  assert.equal(study.cases.length, 3);
});

test('seeded random numbers are reproducible and spread over [0, 1)', () => {
  const a = seededRandom(42);
  const b = seededRandom(42);
  const values = Array.from({ length: 1000 }, () => a());
  assert.deepEqual(
    values.slice(0, 5),
    Array.from({ length: 5 }, () => b()),
  );
  assert.ok(values.every((v) => v >= 0 && v < 1));
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  assert.ok(Math.abs(mean - 0.5) < 0.05, `mean ${mean}`);
});

test('a malformed study.json is refused with the reason', () => {
  const { study } = createStudy(rows.slice(0, 2), { seed: 1, source: 'p' });
  assert.deepEqual(checkStudyFile(JSON.parse(JSON.stringify(study)), 's.json'), study);
  assert.throws(() => checkStudyFile({ ...study, version: 2 }, 's.json'), /s\.json is not a reader study: unknown format or version/);
  assert.throws(() => checkStudyFile({ ...study, key: [study.key[0]] }, 's.json'), /different lengths/);
  assert.throws(
    () => checkStudyFile({ ...study, key: [study.key[0], { ...study.key[1], A: 'original', B: 'original' }] }, 's.json'),
    /answer key 2 is malformed/,
  );
});
