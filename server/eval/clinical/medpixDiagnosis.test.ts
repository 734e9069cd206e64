import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readJsonl } from '../../../test/support/sharedData.ts';
import { leadSentence } from '../baselines/leadSentence.ts';
import { FINDING_CLASSES, MEDPIX_CONCEPTS } from './medpixConcepts.ts';
import { diagnosisConcepts, judgeMedpixCases, statedConcepts } from './medpixDiagnosis.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/medpix/cases.jsonl', import.meta.url));

test('a diagnosis names concepts; a conclusion states one by the diagnosis, a synonym or the finding class it rests on', () => {
  assert.deepEqual(diagnosisConcepts('Glioblastoma multiforme'), ['glioma']);
  assert.deepEqual(diagnosisConcepts('Ovarian torsion'), ['torsion-volvulus']);
  assert.deepEqual(diagnosisConcepts('Acute on chronic bilateral subdural hematomas.'), ['subdural-haematoma', 'haemorrhage']);
  assert.deepEqual(diagnosisConcepts('Crohn’s Disease complicated by partial small bowel obstruction'), ['bowel-inflammation', 'bowel-obstruction']);
  assert.deepEqual(diagnosisConcepts('Zebra syndrome'), []);

  assert.deepEqual(statedConcepts('Large enhancing mass in the left frontal lobe.', ['glioma']), ['glioma']);
  assert.deepEqual(statedConcepts('Glioblastoma, most likely.', ['glioma']), ['glioma']);
  assert.deepEqual(statedConcepts('No mass. No haemorrhage.', ['glioma', 'haemorrhage']), []);
  assert.deepEqual(statedConcepts('Left subdural haematoma with mass effect.', ['subdural-haematoma']), ['subdural-haematoma']);
  assert.deepEqual(statedConcepts('Torsion of the right ovary.', ['torsion-volvulus']), ['torsion-volvulus']);
  assert.deepEqual(statedConcepts('Enlarged right ovary.', ['torsion-volvulus']), []);
});

test('the share of scorable cases whose conclusion states the diagnosis, the findings as a ceiling, the unscorable listed', () => {
  const rows = readFileSync(FIXTURE, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((r) => r.split === 'test');
  const cases = rows.map((r) => ({ id: r.id, findings: r.findings, reference: '', prediction: leadSentence(r.findings), diagnosis: r.diagnosis }));
  const { summary, perCase } = judgeMedpixCases(cases);
  assert.deepEqual(summary, {
    measure: 'medpix-diagnosis',
    cases: 4,
    scorable: 3,
    prediction: { count: 1, of: 3, share: 1 / 3 },
    findings: { count: 3, of: 3, share: 1 },
    notScorable: ['mp-4'],
  });
  assert.deepEqual(perCase[0], { expected: ['glioma'], prediction: ['glioma'], findings: ['glioma'] });
  assert.deepEqual(perCase[1], { expected: ['subdural-haematoma', 'haemorrhage'], prediction: [], findings: ['subdural-haematoma'] });
});

test('the concept table: unique ids, known classes, every public test case scorable', () => {
  const ids = MEDPIX_CONCEPTS.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const concept of MEDPIX_CONCEPTS) {
    for (const name of concept.classes ?? []) assert.ok(name in FINDING_CLASSES, `${concept.id}: ${name}`);
    assert.ok(concept.states.length + (concept.classes?.length ?? 0) > 0, `${concept.id} has statement words`);
  }
  const rows = readJsonl<{ id: string; split: string; diagnosis: string }>('medpix/cases.jsonl');
  const unscorable = rows.filter((r) => diagnosisConcepts(r.diagnosis).length === 0).map((r) => r.id);
  assert.deepEqual(
    rows.filter((r) => r.split === 'test' && unscorable.includes(r.id)),
    [],
  );
  assert.ok(unscorable.length <= 5, `not scorable: ${unscorable.join(', ')}`);
});
