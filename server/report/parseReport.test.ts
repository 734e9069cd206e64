import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseReport, sectionOf, sectionsOf } from './parseReport.ts';
import { createSectionClassifier } from './sectionSynonyms.ts';

const ctChest = readFileSync(new URL('./fixtures/ct-chest.report.md', import.meta.url), 'utf8');
const kinds = (text: string, classifier = createSectionClassifier()) => parseReport(text, { classifier }).sections.map((s) => `${s.kind}:${s.heading}`);

test('markdown report: front matter metadata, sections of every level, sub-headings stay inside', () => {
  const report = parseReport(ctChest);
  assert.deepEqual(
    report.sections.map((s) => [s.kind, s.heading, s.style, s.level]),
    [
      ['other', 'CT chest with contrast', 'heading', 1],
      ['clinical', 'Clinical information', 'heading', 2],
      ['technique', 'Technique', 'heading', 2],
      ['comparison', 'Comparison', 'heading', 2],
      ['findings', 'Findings', 'heading', 2],
      ['conclusion', 'Impression', 'heading', 2],
    ],
  );
  assert.deepEqual(
    { ...report.meta, raw: undefined },
    {
      exam: 'CT chest with contrast',
      modality: 'CT',
      sex: 'female',
      sexSource: 'front matter',
      age: 64,
      author: 'Dr. A. Example',
      type: 'radiology-report',
      raw: undefined,
    },
  );
  const findings = sectionOf(report, 'findings')!;
  assert.equal(
    findings.text,
    'Lungs\nA 6 mm solid nodule in the right upper lobe (series 3, image 42). No consolidation.\nPleura\nNo pleural effusion or pneumothorax.',
  );
  assert.deepEqual(
    findings.sentences.map((s) => s.text),
    ['Lungs', 'A 6 mm solid nodule in the right upper lobe (series 3, image 42).', 'No consolidation.', 'Pleura', 'No pleural effusion or pneumothorax.'],
  );
  // Sentence spans point into the markdown source, markup included.
  const nodule = findings.sentences[1]!;
  assert.equal(ctChest.slice(nodule.span.start, nodule.span.end), 'A 6 mm solid nodule in the **right upper lobe** (series 3, image 42).');
  assert.deepEqual(nodule.range.start, report.positions.positionAt(nodule.span.start));
  const conclusion = sectionOf(report, 'conclusion')!;
  assert.deepEqual(
    conclusion.sentences.map((s) => s.text),
    ['Solitary 6 mm right upper lobe nodule.', 'No acute cardiopulmonary abnormality.'],
  );
  assert.equal(ctChest.slice(conclusion.headingSpan.start, conclusion.headingSpan.end), '## Impression');
});

test('dictation labels: case-insensitive synonyms at the start of any line, text on the same line', () => {
  const text =
    'EXAM: , MR LEFT KNEE\nCLINICAL HISTORY: Pain.\nTechnique: Sagittal PD.\nFINDINGS:  ,Tear of the medial meniscus.\nLEFT MAIN CORONARY ARTERY: stays in findings.\nImpression: Medial meniscal tear.\n';
  const report = parseReport(text);
  assert.deepEqual(
    report.sections.map((s) => `${s.kind}:${s.heading}`),
    ['other:EXAM', 'clinical:CLINICAL HISTORY', 'technique:Technique', 'findings:FINDINGS', 'conclusion:Impression'],
  );
  assert.equal(report.meta.exam, 'MR LEFT KNEE');
  assert.equal(report.meta.modality, 'MR');
  assert.equal(report.meta.side, 'left');
  assert.equal(sectionOf(report, 'findings')!.text, 'Tear of the medial meniscus. LEFT MAIN CORONARY ARTERY: stays in findings.');
  assert.equal(sectionOf(report, 'conclusion')!.sentences[0]!.text, 'Medial meniscal tear.');
  const label = sectionOf(report, 'conclusion')!;
  assert.equal(text.slice(label.headingSpan.start, label.headingSpan.end), 'Impression:');
});

test('synonyms: Opinion, Summary, Conclusions are conclusions; Description and Report are findings; Indication is clinical', () => {
  assert.deepEqual(kinds('# Report\nx\n# Opinion\ny\n'), ['findings:Report', 'conclusion:Opinion']);
  assert.deepEqual(kinds('## Description\nx\n## Summary\ny\n## Reason for exam\nz\n'), [
    'findings:Description',
    'conclusion:Summary',
    'clinical:Reason for exam',
  ]);
  assert.deepEqual(kinds('#### CONCLUSIONS\nx\n'), ['conclusion:CONCLUSIONS']);
  assert.deepEqual(kinds('**Indication:** x\n\n**Findings:** y\n\n**Conclusion**: z\n'), ['clinical:Indication', 'findings:Findings', 'conclusion:Conclusion']);
  assert.deepEqual(kinds('OCULAR FINDINGS: x\nCLINICAL IMPRESSION: y\n'), ['findings:OCULAR FINDINGS', 'conclusion:CLINICAL IMPRESSION']);
  assert.deepEqual(kinds('FINDINGS:\nx\nIMPRESSION\ny\n'), ['findings:FINDINGS', 'conclusion:IMPRESSION']);
});

test('synonyms are configurable, so other languages need no code', () => {
  const classifier = createSectionClassifier({ findings: ['Befund'], conclusion: ['Beurteilung'], clinical: ['Fragestellung'] });
  assert.deepEqual(kinds('## Fragestellung\na\n## Befund\nb\n## Beurteilung\nc\n', classifier), [
    'clinical:Fragestellung',
    'findings:Befund',
    'conclusion:Beurteilung',
  ]);
  assert.deepEqual(kinds('BEURTEILUNG: c\n', classifier), ['conclusion:BEURTEILUNG']);
});

test('CRLF line endings, text before any heading, and sections of the same kind twice', () => {
  const report = parseReport('CT head\r\nFINDINGS: No bleed.\r\nIMPRESSION\r\nNormal.\r\nFINDINGS: Addendum.\r\n');
  assert.deepEqual(
    report.sections.map((s) => `${s.kind}:${s.style}`),
    ['other:title', 'findings:label', 'conclusion:label', 'findings:label'],
  );
  assert.equal(sectionsOf(report, 'findings').length, 2);
  assert.equal(sectionOf(report, 'conclusion')!.text, 'Normal.');
});

test('bad front matter is a parse problem, not an exception', () => {
  const report = parseReport('---\nexam: [unclosed\n---\n## Findings\nx\n');
  assert.equal(report.parseProblems.length, 1);
  assert.match(report.parseProblems[0]!.message, /Front matter is not valid YAML/);
  assert.equal(sectionOf(report, 'findings')!.text, 'x');
  assert.match(parseReport('---\n- a\n- b\n---\n').parseProblems[0]!.message, /must be a YAML mapping/);
});

test('sentences: measurements, abbreviations and numbered items do not split; de-identification stays', () => {
  const report = parseReport(
    '## Findings\nNodule 1.4 x 2.0 cm, e.g. in the RUL. Seen by Dr. Smith. XXXX are normal! Effusion? No\n1.  First item. 2.  Second item.\n',
  );
  assert.deepEqual(
    sectionOf(report, 'findings')!.sentences.map((s) => s.text),
    ['Nodule 1.4 x 2.0 cm, e.g. in the RUL.', 'Seen by Dr. Smith.', 'XXXX are normal!', 'Effusion?', 'No', 'First item.', '2. Second item.'],
  );
});

test('junk input parses without throwing', () => {
  const junk = Array.from({ length: 5000 }, (_, i) => String.fromCharCode((i * 7919) % 65536)).join('');
  const report = parseReport(junk);
  assert.ok(Array.isArray(report.sections));
  assert.deepEqual(parseReport('').sections, []);
});

test('patient details: nested front matter, else the clinical information', () => {
  const nested = parseReport('---\npatient:\n  sex: F\n  age: 61\n---\n## Findings\nNormal.\n');
  assert.deepEqual([nested.meta.sex, nested.meta.sexSource, nested.meta.age], ['female', 'front matter', 61]);
  const told = parseReport('## Clinical information\n61-year-old woman with pelvic pain.\n\n## Findings\nNormal.\n');
  assert.deepEqual([told.meta.sex, told.meta.sexSource, told.meta.age], ['female', 'clinical information', 61]);
  const dictated = parseReport('HISTORY: 45 yo M, flank pain.\nFINDINGS: Normal.\n');
  assert.deepEqual([dictated.meta.sex, dictated.meta.age], ['male', 45]);
  const top = parseReport('---\nsex: M\nage: 70\n---\n## Clinical information\n61-year-old woman.\n');
  assert.deepEqual([top.meta.sex, top.meta.sexSource, top.meta.age], ['male', 'front matter', 70]);
  assert.equal(parseReport('## Clinical information\nFever of 101 F.\n').meta.sex, undefined);
});
