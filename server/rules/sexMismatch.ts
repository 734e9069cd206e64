import { analyzeReport } from '../clinical/reportAnalysis.ts';
import { vocabularyFor } from '../clinical/vocabulary.ts';
import { quote } from './quote.ts';
import type { Rule, RuleFinding } from './rule.ts';

/**
 * An organ of one sex in the findings or conclusion of a patient of the other, by the front matter `sex` (or
 * `patient: { sex }`), else by the clinical information ("61-year-old woman", "45 yo M", "male patient"): a prostate in
 * a female patient, a uterus or ovaries in a male one. An organ said to be absent ("uterus surgically absent") or named
 * in a history is no mismatch. The organs are the anatomy entries with a `sex`.
 */
export const sexMismatch: Rule = {
  id: 'sex-mismatch',
  description: 'An organ of one sex is described in a patient of the other sex (front matter `sex`, or the clinical information).',
  defaultSeverity: 'error',
  scope: 'report',
  generatedConclusion: { failure: 'named an organ of the other sex' },
  check({ report, config }) {
    const sex = report.meta.sex;
    if (sex !== 'female' && sex !== 'male') return [];
    const analysis = analyzeReport(report, vocabularyFor(config.vocabulary));
    const problems: RuleFinding[] = [];
    for (const sentence of [...analysis.findings, ...analysis.conclusion, ...analysis.recommendation]) {
      for (const mention of sentence.anatomy) {
        const organSex = mention.anatomy.sex;
        if (!organSex || organSex === sex) continue;
        const { assertion } = sentence.scope.assert(mention.first, mention.last);
        if (assertion !== 'present' && assertion !== 'possible') continue;
        problems.push({
          message: `${quote(report.text.slice(mention.span.start, mention.span.end))} is a ${organSex} organ, but the patient is ${sex} (${report.meta.sexSource ?? 'front matter'}).`,
          span: mention.span,
        });
      }
    }
    return problems;
  },
};
