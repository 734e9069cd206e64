import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StudyFile } from './studyFile.ts';
import { formatStudyResults, studyResults } from './studyResults.ts';
import type { StudyAnswer } from './studyStore.ts';

// Four cases; the generated conclusion is A in cases 1 and 3, B in cases 2 and 4.
const study: StudyFile = {
  format: 'radreport-study',
  version: 1,
  seed: 1,
  source: 'p.jsonl',
  cases: [1, 2, 3, 4].map((number) => ({ number, findings: `f${number}`, A: `a${number}`, B: `b${number}` })),
  key: [1, 2, 3, 4].map((number) => ({ number, id: `r${number}`, A: number % 2 ? 'generated' : 'original', B: number % 2 ? 'original' : 'generated' })),
};

const answer = (n: number, ratingA: number | null, ratingB: number | null, preference: StudyAnswer['preference']): StudyAnswer => ({
  case: n,
  ratingA,
  ratingB,
  preference,
});

// Reader 1: generated ratings 4, 3, 5, 2 (cases 1–4), original 3, 4, 4, 4; prefers generated, original, generated, original.
const ada = [answer(1, 4, 3, 'A'), answer(2, 4, 3, 'A'), answer(3, 5, 4, 'A'), answer(4, 4, 2, 'A')];
// Reader 2: answered three cases fully and rated case 4's A only. Generated 4, 3, 4; original 4, 3, 5 (+ case 4: 5).
// Preferences: equivalent, equivalent, original.
const ben = [answer(1, 4, 4, 'equivalent'), answer(2, 3, 3, 'equivalent'), answer(3, 4, 5, 'B'), answer(4, 5, null, null)];

test('per reader: shares by source, mean ratings by source with t intervals, paired differences', () => {
  const results = studyResults(study, [
    { reader: 'Ada', answers: ada },
    { reader: 'Ben', answers: ben },
  ]);
  assert.equal(results.cases, 4);
  const [a, b] = results.readers;
  assert.equal(a!.reader, 'Ada');
  assert.equal(a!.casesComplete, 4);
  assert.deepEqual(
    { n: a!.preference.n, g: a!.preference.generated, o: a!.preference.original, e: a!.preference.equivalent, share: a!.preference.generatedShare },
    { n: 4, g: 2, o: 2, e: 0, share: 0.5 },
  );
  assert.equal(a!.ratings.generated.mean, (4 + 3 + 5 + 2) / 4);
  assert.equal(a!.ratings.original.mean, (3 + 4 + 4 + 4) / 4);
  assert.equal(a!.ratings.difference.mean, (1 - 1 + 1 - 2) / 4);
  // sd of 4, 3, 5, 2 = sqrt(5/3); t(.975, 3) = 3.182446.
  const half = (3.182446 * Math.sqrt(5 / 3)) / 2;
  assert.ok(Math.abs(a!.ratings.generated.ci95![0] - (3.5 - half)) < 1e-5);
  assert.ok(Math.abs(a!.ratings.generated.ci95![1] - (3.5 + half)) < 1e-5);

  assert.equal(b!.casesAnswered, 4);
  assert.equal(b!.casesComplete, 3);
  assert.deepEqual([b!.preference.n, b!.preference.generated, b!.preference.original, b!.preference.equivalent], [3, 0, 1, 2]);
  assert.deepEqual([b!.ratings.generated.n, b!.ratings.original.n, b!.ratings.difference.n], [3, 4, 3]);
  assert.equal(b!.ratings.original.mean, (4 + 3 + 5 + 5) / 4);
});

test('overall pools every answer; agreement over what two readers both gave', () => {
  const results = studyResults(study, [
    { reader: 'Ada', answers: ada },
    { reader: 'Ben', answers: ben },
  ]);
  const overall = results.overall;
  assert.equal(overall.readers, 2);
  assert.equal(overall.casesComplete, 7);
  assert.deepEqual([overall.preference.n, overall.preference.generated, overall.preference.original, overall.preference.equivalent], [7, 2, 3, 2]);
  assert.equal(overall.preference.generatedShare, 2 / 7);
  assert.equal(overall.ratings.generated.n, 7);
  assert.equal(overall.ratings.generated.mean, (4 + 3 + 5 + 2 + 4 + 3 + 4) / 7);
  assert.equal(overall.ratings.original.mean, (3 + 4 + 4 + 4 + 4 + 3 + 5 + 5) / 8);

  // Preferences by case: 1 (gen, equiv), 2 (orig, equiv), 3 (gen, orig): no pair agrees.
  const agreement = results.agreement;
  assert.equal(agreement.preference.fleissCases, 3);
  assert.equal(agreement.preference.pairwiseAgreement, 0);
  // Fleiss by hand: P̄ = 0; category totals gen 2, orig 2, equiv 2 of 6 → P̄e = 1/3; kappa = −0.5.
  assert.ok(Math.abs(agreement.preference.fleissKappa! - -0.5) < 1e-12);
  assert.ok(agreement.preference.krippendorffAlpha! < 0);
  // Conclusions rated by both readers: cases 1–3, both sources; in case 4 only the original (A: Ada 4, Ben 5), since
  // Ben did not rate B, the generated one.
  assert.equal(agreement.ratings.units, 7);
  assert.equal(typeof agreement.ratings.krippendorffAlpha, 'number');

  const text = formatStudyResults(results);
  assert.match(text, /Reader study: 4 cases, 2 reader\(s\)/);
  assert.match(text, /^Ada\s+4\s+2\/4\s+0\.500 /m);
  assert.match(text, /^all readers\s+7\s+2\/7\s+0\.286 /m);
  assert.match(text, /Fleiss' kappa -0\.500 \(3 cases answered by every reader\)/);
});

test('a study nobody answered yet gives empty figures, not errors', () => {
  const results = studyResults(study, []);
  assert.equal(results.overall.preference.generatedShare, null);
  assert.equal(results.overall.ratings.generated.mean, null);
  assert.equal(results.agreement.preference.fleissKappa, null);
  assert.match(formatStudyResults(results), /0 reader\(s\)/);
});
