import { FLEISCHNER_2017_CITATION, fleischnerCategory, noduleDiameter, type NoduleCategory, type NoduleType } from '../clinical/fleischner.ts';
import { analyzeReport, type FindingMention, type ReportAnalysis } from '../clinical/reportAnalysis.ts';
import { vocabularyFor } from '../clinical/vocabulary.ts';
import { sectionOf, sectionsOf } from '../report/parseReport.ts';
import type { Report } from '../report/types.ts';
import { contentEnd } from '../report/sectionEditing.ts';
import type { Rule, RuleFinding } from './rule.ts';

/**
 * An incidental pulmonary nodule with a size on a chest CT and no recommendation anywhere in the report. The hint
 * gives the Fleischner Society 2017 category; the fix writes its recommendation. Fleischner applies to adults of 35
 * and over without a known cancer or immunosuppression, outside lung cancer screening: a front matter `age` under 35
 * or such a clinical history turns the rule off for the report. Calcified or otherwise benign nodules need no follow-up.
 */
export const followUpRecommendation: Rule = {
  id: 'follow-up-recommendation',
  description: 'An incidental pulmonary nodule on chest CT has no follow-up recommendation (Fleischner Society 2017).',
  defaultSeverity: 'warning',
  scope: 'report',
  fix: { summary: 'insert the recommendation', fixAll: true },
  check({ report, config }) {
    if (!isChestCt(report) || (report.meta.age !== undefined && report.meta.age < 35)) return [];
    if (sectionsOf(report, 'clinical').some((s) => NOT_INCIDENTAL.test(s.text)) || LUNG_RADS.test(report.text)) return [];
    const analysis = analyzeReport(report, vocabularyFor(config.vocabulary));
    const sized = sizedNodules(analysis);
    if (sized.length === 0) return [];
    const recommendationSection = sectionOf(report, 'recommendation');
    if (
      (recommendationSection && /\w/.test(recommendationSection.text)) ||
      [...analysis.findings, ...analysis.conclusion, ...analysis.recommendation].some((s) => s.recommendation)
    )
      return [];

    const largest = sized.reduce((a, b) => (b.size > a.size ? b : a));
    // Nodules in different places of the findings are several nodules; the conclusion may name the same one again.
    const described = sized.filter((n) => n.mention.sentence.section.kind === 'findings');
    const places = new Set((described.length > 0 ? described : sized).map((n) => `${n.mention.side?.side}/${n.mention.anatomy?.anatomy.id}`));
    const multiple = sized.some((n) => n.multiple) || places.size > 1;
    const category = fleischnerCategory(largest.type, multiple, largest.size);
    const where = recommendationSection ?? sectionOf(report, 'conclusion') ?? sectionOf(report, 'findings')!;
    const end = contentEnd(report.text, where.span.end);
    const shown = sized.find((n) => n.mention.sentence.section.kind === 'conclusion') ?? largest;
    return [
      {
        message: `Pulmonary nodule of ${category.sizeMm} mm (${describe(category)}) with no follow-up recommendation. ${FLEISCHNER_2017_CITATION}: ${category.recommendation}.`,
        span: shown.mention.span,
        fixes: [
          {
            title: 'Insert the Fleischner 2017 recommendation',
            edits: [{ span: { start: end, end }, newText: `\n${recommendationText(category)}` }],
            isPreferred: true,
          },
        ],
      } satisfies RuleFinding,
    ];
  },
};

export function recommendationText(category: NoduleCategory): string {
  return `Recommendation: ${category.recommendation} (Fleischner Society 2017 guideline for an incidental ${describe(category)} pulmonary nodule, ${category.band}).`;
}

function describe(category: NoduleCategory): string {
  return `${category.type}, ${category.multiple ? 'multiple' : 'single'}`;
}

const CHEST = /\b(?:chest|thorax|thoracic|lungs?|pulmonary|cta chest|ctpa)\b/i;
const NOT_INCIDENTAL =
  /\b(?:cancer|carcinoma|malignan\w*|metasta\w*|lymphoma|leukemia|leukaemia|sarcoma|melanoma|oncology|chemotherapy|immunosuppress\w*|immunocompromise\w*|transplant\w*|hiv|aids|screening)\b/i;
const LUNG_RADS = /\blung[- ]?rads\b/i;
const GROUND_GLASS = /\b(?:ground[- ]?glass|ggo|ggn|non-?solid|pure ground)\b/i;
const PART_SOLID = /\b(?:part[- ]?solid|partly solid|semi-?solid|mixed (?:solid|attenuation)|subsolid with a solid)\b/i;
const MULTIPLE = /\b(?:multiple|several|numerous|few|two|three|four|bilateral|scattered|additional)\b/i;

function isChestCt(report: Report): boolean {
  const { modality, exam, bodyPart } = report.meta;
  return modality === 'CT' && CHEST.test(`${exam ?? ''} ${bodyPart ?? ''}`);
}

interface SizedNodule {
  mention: FindingMention;
  size: number;
  type: NoduleType;
  multiple: boolean;
}

/** Nodules stated as present, not benign, in the lung, with a size in the same sentence. */
function sizedNodules(analysis: ReportAnalysis): SizedNodule[] {
  const out: SizedNodule[] = [];
  for (const sentence of [...analysis.findings, ...analysis.conclusion]) {
    for (const mention of sentence.findings) {
      if (mention.finding.id !== 'nodule' || (mention.assertion !== 'present' && mention.assertion !== 'possible') || mention.benign) continue;
      if (mention.anatomy && (mention.anatomy.anatomy.organ ?? mention.anatomy.anatomy.id) !== 'lung') continue;
      const own = sentence.measurements.filter((m) => m.finding === mention);
      const measurements = own.length > 0 ? own : sentence.findings.length === 1 ? sentence.measurements : [];
      if (measurements.length === 0) continue;
      const size = Math.max(...measurements.map((m) => noduleDiameter(m.values)));
      const type: NoduleType = PART_SOLID.test(sentence.text) ? 'part-solid' : GROUND_GLASS.test(sentence.text) ? 'ground-glass' : 'solid';
      const word = sentence.tokens[mention.last]!.lower;
      out.push({ mention, size, type, multiple: word.endsWith('s') || MULTIPLE.test(sentence.text) });
    }
  }
  return out;
}
