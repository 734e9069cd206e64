import { analyzeReport, type FindingMention, type ReportAnalysis } from '../clinical/reportAnalysis.ts';
import { vocabularyFor, type Vocabulary } from '../clinical/vocabulary.ts';
import { quote } from './quote.ts';
import type { Rule, RuleFinding } from './rule.ts';

/**
 * A positive statement in the conclusion whose finding appears nowhere in the findings: the hallucination guard for a
 * generated conclusion. A finding is supported by any mention of its group in the findings (a pneumonia by an
 * opacity), whatever the mention asserts (a negated one is `contradiction`'s business), or by its evidence words.
 * Recommendations and comparisons are not findings. Option `includeHedged` (default false) also checks hedged
 * statements ("possible pneumonia").
 */
export const unsupportedConclusion: Rule = {
  id: 'unsupported-conclusion',
  description: 'A positive statement in the conclusion names a finding that the findings do not describe.',
  defaultSeverity: 'warning',
  scope: 'conclusion',
  fix: { summary: 'remove the statement', fixAll: false },
  options: {
    includeHedged: { type: 'boolean', default: false, description: 'also flag hedged statements ("possible pneumonia")' },
  },
  generatedConclusion: { failure: 'stated a finding the findings do not describe' },
  check({ report, config, options }) {
    const vocabulary = vocabularyFor(config.vocabulary);
    const analysis = analyzeReport(report, vocabulary);
    if (analysis.findings.length === 0) return [];
    const includeHedged = options.includeHedged === true;
    const supported = supportIn(analysis, vocabulary);
    const problems: RuleFinding[] = [];
    for (const sentence of analysis.conclusion) {
      if (sentence.recommendation || COMPARISON_ONLY.test(sentence.text)) continue;
      const unsupported = sentence.findings.find(
        (m) => !m.modifier && (m.assertion === 'present' || (includeHedged && m.assertion === 'possible')) && !supported(m),
      );
      if (!unsupported) continue;
      problems.push({
        message: `The conclusion states ${unsupported.finding.id} (${quote(sentence.sentence.text)}), which the findings do not describe.`,
        span: unsupported.span,
        fixes: [{ title: 'Remove this statement from the conclusion', edits: [{ span: sentence.sentence.span, newText: '' }] }],
      });
    }
    return problems;
  },
};

/** Comparison statements ("Compared to the prior study …") are about another exam. */
const COMPARISON_ONLY = /^\W*(?:\d+[.)]\s*)?(?:compared (?:to|with)|comparison (?:is made )?(?:to|with)|in comparison)\b[^,]*$/i;

function supportIn(analysis: ReportAnalysis, vocabulary: Vocabulary): (mention: FindingMention) => boolean {
  const stated = [...new Set(analysis.findings.flatMap((s) => s.findings.map((m) => m.finding)))];
  const text = analysis.findings.map((s) => s.text).join('\n');
  const tokens = analysis.findings.map((s) => s.tokens);
  const cache = new Map<string, boolean>();
  return (mention) => {
    const id = mention.finding.id;
    let result = cache.get(id);
    if (result === undefined) {
      result = stated.some((finding) => vocabulary.supports(finding, mention.finding));
      const evidence = vocabulary.evidence.get(id);
      if (!result && evidence) {
        result =
          tokens.some((t) => evidence.phrases.findAll(t).length > 0) ||
          evidence.patterns.some((p) => {
            p.lastIndex = 0;
            return p.test(text);
          });
      }
      cache.set(id, result);
    }
    return result;
  };
}
