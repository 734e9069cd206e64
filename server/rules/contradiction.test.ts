import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contradiction } from './contradiction.ts';
import { checkFixture, checkFixtureFile } from './testing/checkFixture.ts';

test('contradiction: asserting what the findings negate, negating what they assert, hedged positives count', () => {
  const problems = checkFixtureFile([contradiction], new URL('./fixtures/contradiction.report.md', import.meta.url));
  assert.match(problems[0]!.message, /The conclusion states pneumothorax, but the findings negate it: “No pneumothorax\.”/);
  assert.match(problems[1]!.message, /The conclusion negates pleural effusion, but the findings state it/);
  assert.match(problems[2]!.message, /as a possibility/);
  assert.equal(problems[0]!.severity, 'error');
});

test('contradiction: partial negations, other sides, other organs, history and resolved findings are no contradiction', () => {
  checkFixture([contradiction], '## Findings\nNo large pleural effusion.\n\n## Impression\nSmall pleural effusion.\n');
  checkFixture([contradiction], '## Findings\nNo left pleural effusion. Small right pleural effusion.\n\n## Impression\nSmall right pleural effusion.\n');
  checkFixture([contradiction], '## Findings\nNo rib fracture.\n\n## Impression\nHealed clavicle fracture.\n');
  checkFixture([contradiction], '## Findings\nHealed left rib fracture.\n\n## Impression\nNo acute fracture.\n');
  checkFixture([contradiction], '## Findings\nThe pneumothorax has resolved.\n\n## Impression\nResolution of the pneumothorax.\n');
  checkFixture([contradiction], '## Findings\nNo pneumonia.\n\n## Impression\nHistory of pneumonia.\n');
  checkFixture([contradiction], '## Findings\nNo change in the small left pleural effusion.\n\n## Impression\nStable left pleural effusion.\n');
});

test('contradiction: a general denial covers the specific finding', () => {
  checkFixture([contradiction], '## Findings\nMild congestion without edema.\n\n## Impression\n⟦contradiction|Pulmonary edema⟧.\n');
  checkFixture([contradiction], '## Findings\nStable cardiomegaly.\n\n## Impression\nNo ⟦contradiction|cardiomegaly⟧.\n');
});

test('contradiction: a global negation against a finding it covers (CT abdomen: appendicitis under "No acute abnormality")', () => {
  const [problem] = checkFixtureFile([contradiction], new URL('./fixtures/contradiction-global-negation.report.md', import.meta.url));
  assert.match(
    problem!.message,
    /^“No acute abnormality in the abdomen or pelvis” in the conclusion, but the findings state inflammation: “The appendix is dilated/,
  );
  assert.equal(problem!.related?.length, 1);
  // The clean twin: the conclusion names it, and the negation leaves room for it.
  checkFixture(
    [contradiction],
    '## Findings\nThe appendix is dilated to 11 mm with periappendiceal fat stranding. No free air.\n\n## Impression\n1. Acute appendicitis.\n2. Otherwise no acute abnormality in the abdomen or pelvis.\n',
  );
});

test('contradiction: global negations by reach (acute or any significant finding) and by place', () => {
  checkFixture([contradiction], '## Findings\nNew left lower lobe consolidation.\n\n## Impression\n⟦contradiction|No acute cardiopulmonary process⟧.\n');
  checkFixture(
    [contradiction],
    '## Findings\nNew left lower lobe consolidation.\n\n## Impression\nLeft lower lobe pneumonia. ⟦contradiction|No acute cardiopulmonary process⟧.\n',
  );
  checkFixture(
    [contradiction],
    '## Findings\nNew left lower lobe consolidation.\n\n## Impression\nLeft lower lobe pneumonia. Otherwise no acute cardiopulmonary process.\n',
  );
  checkFixture(
    [contradiction],
    '## Findings\n7 mm nodule in the right upper lobe.\n\n## Impression\nNo acute cardiopulmonary process. 7 mm right upper lobe nodule.\n',
  );
  checkFixture([contradiction], '## Findings\n7 mm nodule in the right upper lobe.\n\n## Impression\n⟦contradiction|Normal chest radiograph⟧.\n');
  checkFixture(
    [contradiction],
    '## Findings\nAcute subdural hematoma along the right frontal convexity, 6 mm thick.\n\n## Impression\n⟦contradiction|No acute intracranial abnormality⟧.\n',
  );
  checkFixture(
    [contradiction],
    '## Findings\nMucosal thickening of the left maxillary sinus. Right parietal scalp hematoma.\n\n## Impression\nNo acute intracranial abnormality.\n',
  );
  checkFixture(
    [contradiction],
    '## Findings\nAcute fracture of the left fifth rib. The lungs are clear.\n\n## Impression\nNo acute cardiopulmonary abnormality.\n',
  );
  checkFixture([contradiction], '## Findings\nAcute fracture of the left fifth rib.\n\n## Impression\n⟦contradiction|No acute osseous abnormality⟧.\n');
  checkFixture([contradiction], '## Findings\nRight lower lobe consolidation.\n\n## Impression\nThe left lung is clear.\n');
  checkFixture(
    [contradiction],
    '## Findings\nComplex tear of the posterior horn of the medial meniscus.\n\n## Impression\n⟦contradiction|Normal MRI of the knee⟧.\n',
  );
});

test('contradiction: no global-negation contradiction against trace, stable, healed, hedged or alternative findings', () => {
  checkFixture(
    [contradiction],
    '## Findings\nTrace right pleural effusion. Stable small left pleural effusion. Healed left rib fractures.\n\n## Impression\nNo acute cardiopulmonary process.\n',
  );
  checkFixture(
    [contradiction],
    '## Findings\nPossible small left pleural effusion. Atelectasis or pneumonia at the right base.\n\n## Impression\nNo acute cardiopulmonary process.\n',
  );
  // A denial of the finding itself is reported once, as such.
  const problems = checkFixture(
    [contradiction],
    '## Findings\nSmall right pleural effusion.\n\n## Impression\nNo acute cardiopulmonary process. No ⟦contradiction|pleural effusion⟧.\n',
  );
  assert.match(problems[0]!.message, /negates pleural effusion/);
});

test('contradiction: a LI-RADS 5 observation states the carcinoma the conclusion names; "no tumour in vein" does not deny it', () => {
  checkFixture(
    [contradiction],
    '## Findings\nSegment VIII: 2.6 cm observation with non-rim arterial phase hyperenhancement and washout: LI-RADS 5.\nThe portal and hepatic veins are patent, with no tumour in vein.\n\n## Impression\n2.6 cm segment VIII observation, LI-RADS 5: definite hepatocellular carcinoma. No tumour in vein.\n',
  );
  // Without the category, the denial stands against a carcinoma the findings never state.
  checkFixture(
    [contradiction],
    '## Findings\nSegment VIII: 2.6 cm observation with arterial phase hyperenhancement.\nNo tumour in the liver.\n\n## Impression\n⟦contradiction|Hepatocellular carcinoma⟧ in segment VIII.\n',
  );
});
