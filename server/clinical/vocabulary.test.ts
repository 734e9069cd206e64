import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseReport } from '../report/parseReport.ts';
import { globalNegationConflicts } from './globalNegation.ts';
import { pluralForms, PhraseIndex, tokenize } from './phraseIndex.ts';
import { analyzeReport } from './reportAnalysis.ts';
import { readVocabulary, vocabularyFor, type VocabularyExtension } from './vocabulary.ts';

test('phrases match case-insensitively, across hyphens and markup, with regular and Latin plurals', () => {
  const index = new PhraseIndex<string>();
  index.add('ground glass opacity', 'ggo', { plural: true });
  index.add('metastasis', 'met', { plural: true });
  index.add('pneumothorax', 'ptx', { plural: true });
  index.add('tension pneumothorax', 'tension');
  const found = (text: string) => index.findAll(tokenize(text)).map((m) => m.value);
  assert.deepEqual(found('Ground-glass opacities and **metastases**.'), ['ggo', 'met']);
  assert.deepEqual(found('Right tension pneumothorax.'), ['tension']);
  assert.deepEqual(pluralForms('apex'), ['apex', 'apices', 'apexes', 'apexs']);
  assert.ok(pluralForms('calculus').includes('calculi'));
});

test('a de-identification token inside a phrase stands for the removed word, never for a whole phrase', () => {
  const index = new PhraseIndex<string>();
  index.add('wedge deformity', 'fracture');
  index.add('pleural effusion', 'effusion');
  const found = (text: string) => index.findAll(tokenize(text)).map((m) => [m.value, m.first, m.last]);
  assert.deepEqual(found('A mild wedge XXXX deformity of a vertebral body.'), [['fracture', 2, 4]]);
  assert.deepEqual(found('Left pleural XXXX effusion.'), [['effusion', 1, 3]]);
  assert.deepEqual(found('The wedge XXXX.'), []);
  assert.deepEqual(found('XXXX deformity.'), []);
});

test('the vocabulary extends from the configuration, compiled once per configuration object', () => {
  const config = {
    vocabulary: {
      findings: [{ id: 'pneumatocele', terms: ['pneumatocele'], significant: true }],
      critical: [{ id: 'tension pneumothorax', terms: ['tension pneumo'] }],
    },
  };
  const vocabulary = vocabularyFor(config.vocabulary);
  assert.equal(vocabularyFor(config.vocabulary), vocabulary);
  assert.notEqual(vocabularyFor(), vocabulary);
  assert.equal(vocabulary.findings.findAll(tokenize('A pneumatocele.'))[0]?.value.id, 'pneumatocele');
  assert.equal(vocabulary.critical.findAll(tokenize('tension pneumo'))[0]?.value.id, 'tension pneumothorax');
  assert.equal(vocabularyFor().findings.findAll(tokenize('A pneumatocele.')).length, 0);
});

test('a bad vocabulary setting is named, and the rest is kept', () => {
  const { data, problems } = readVocabulary({
    findings: [
      { id: 'ok', terms: ['fine'], acute: true },
      { terms: ['no id'] },
      { id: 'bad', patterns: ['('] },
      { id: 'unsure', terms: ['unsure'], acute: 'yes' },
    ],
    anatomy: [{ id: 'x', terms: ['x'], sex: 'robot' }],
    cues: { negationBefore: ['sans'], nonsense: ['x'] },
    units: { inch: -1 },
    colour: 'blue',
  });
  assert.deepEqual(
    data.findings?.map((f) => f.id),
    ['ok'],
  );
  assert.equal(data.findings?.[0]?.acute, true);
  assert.deepEqual(data.cues, { negationBefore: ['sans'] });
  assert.deepEqual(
    problems.map((p) => p.path),
    [
      'vocabulary.anatomy[0].sex',
      'vocabulary.findings[1]',
      'vocabulary.findings[2].patterns',
      'vocabulary.findings[3].acute',
      'vocabulary.cues.nonsense',
      'vocabulary.units',
      'vocabulary.colour',
    ],
  );
});

test('an `acute` finding of the configuration is denied by a global negation of acute disease', () => {
  const conflicts = (config: { vocabulary: VocabularyExtension }) => {
    const vocabulary = vocabularyFor(config.vocabulary);
    const analysis = analyzeReport(
      parseReport('## Findings\nSegmental arterial mediolysis of the splenic artery.\n\n## Impression\nNo acute abnormality.\n'),
      vocabulary,
    );
    return globalNegationConflicts(analysis.findings, analysis.conclusion, vocabulary).length;
  };
  assert.equal(conflicts({ vocabulary: { findings: [{ id: 'segmental arterial mediolysis', terms: ['segmental arterial mediolysis'], acute: true }] } }), 1);
  assert.equal(conflicts({ vocabulary: { findings: [{ id: 'segmental arterial mediolysis', terms: ['segmental arterial mediolysis'] }] } }), 0);
});
