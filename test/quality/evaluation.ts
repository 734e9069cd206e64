/**
 * The planted-error evaluation: lints every real report as it is and every planted and benign variant of it, and
 * counts per rule. How it counts (also in docs/rules/README.md):
 * - an original report a rule flags at all is a false positive for that rule (even where the source really is wrong);
 * - on a variant, only problems that the original does not have count ("new" problems, compared by rule, message and
 *   flagged text, with multiplicity; a repeated sentence's copy repeats its flags, which are not new), so a flag the
 *   original already had is neither credit nor blame;
 * - a new problem of rule R on a variant planted with an error of kind R is a true positive; no new problem, a false
 *   negative;
 * - a new problem of R on a variant of another kind is a false positive, unless the generator marked the variant as
 *   legitimately also of kind R (then it is counted apart, as "also");
 * - benign variants (edits that change nothing a rule should see) are negatives for every rule.
 */
import type { ReportConfig } from '../../server/config/reportConfig.ts';
import { parseReport } from '../../server/report/parseReport.ts';
import { lintReport } from '../../server/rules/lintReport.ts';
import { ALL_RULES } from '../../server/rules/registry.ts';
import type { Problem, Rule } from '../../server/rules/rule.ts';
import { iuReportMarkdown } from '../../server/eval/runner/iuReport.ts';
import { iuPairs, mtsamplesImaging } from '../support/sharedData.ts';
import { plantErrors, type PlantedReport, type SourceReport } from './plantErrors.ts';

export interface RuleCounts {
  rule: string;
  truePositives: number;
  falseNegatives: number;
  falsePositives: number;
  trueNegatives: number;
  /** New problems on variants legitimately also of this kind: neither credit nor blame. */
  also: number;
  /** Where the false positives were: originals, variants of other kinds, benign variants. */
  falsePositivesOn: { original: number; otherKind: number; benign: number };
  planted: number;
}

export interface Evaluation {
  counts: RuleCounts[];
  reports: number;
  variants: number;
  byKind: Record<string, number>;
  /** Planted errors a rule missed, and where it raised a false alarm, for reading. */
  misses: Map<string, PlantedReport[]>;
  falseAlarms: Map<string, Array<{ sourceId: string; operation: string; message: string }>>;
}

export function realReports(): SourceReport[] {
  return [
    ...iuPairs().map((p): SourceReport => ({ id: p.id, corpus: 'iu', split: p.split ?? '', text: iuReportMarkdown(p) })),
    ...mtsamplesImaging().map((m): SourceReport => ({ id: m.id, corpus: 'mtsamples', split: m.split, text: m.text })),
  ];
}

/**
 * What makes two problems the same: the rule, the message without its quotations of report text (a variant may
 * renumber or re-case a quoted sentence), and the flagged words, case aside.
 */
const keyOf = (text: string, p: Problem) =>
  `${p.ruleId}|${p.message.replace(/“[^”]*”/g, '“”').toLowerCase()}|${text.slice(p.span.start, p.span.end).toLowerCase()}`;

/**
 * Problems the original does not have. Counted with multiplicity (a second "right" flagged where the original had one
 * is new), except for a repeated sentence, whose copy repeats whatever the original sentence was flagged for.
 */
function newProblems(before: ReadonlyMap<string, number>, text: string, problems: Problem[], repeated: boolean): Problem[] {
  const left = new Map(before);
  return problems.filter((p) => {
    const key = keyOf(text, p);
    const n = left.get(key) ?? 0;
    if (repeated) return n === 0;
    left.set(key, n - 1);
    return n <= 0;
  });
}

export function evaluate(sources: readonly SourceReport[], rules: readonly Rule[] = ALL_RULES, config: ReportConfig = {}): Evaluation {
  const counts = new Map<string, RuleCounts>(
    rules.map((r) => [
      r.id,
      {
        rule: r.id,
        truePositives: 0,
        falseNegatives: 0,
        falsePositives: 0,
        trueNegatives: 0,
        also: 0,
        falsePositivesOn: { original: 0, otherKind: 0, benign: 0 },
        planted: 0,
      },
    ]),
  );
  const misses = new Map<string, PlantedReport[]>();
  const falseAlarms = new Map<string, Array<{ sourceId: string; operation: string; message: string }>>();
  const byKind: Record<string, number> = {};
  let variants = 0;
  const alarm = (rule: string, sourceId: string, operation: string, message: string) => {
    if (!falseAlarms.has(rule)) falseAlarms.set(rule, []);
    falseAlarms.get(rule)!.push({ sourceId, operation, message });
  };
  for (const source of sources) {
    const original = lintReport(parseReport(source.text), config, rules);
    const before = new Map<string, number>();
    for (const p of original) before.set(keyOf(source.text, p), (before.get(keyOf(source.text, p)) ?? 0) + 1);
    for (const c of counts.values()) {
      const flagged = original.find((p) => p.ruleId === c.rule);
      if (flagged) {
        c.falsePositives++;
        c.falsePositivesOn.original++;
        alarm(c.rule, source.id, 'original', flagged.message);
      } else c.trueNegatives++;
    }
    for (const variant of plantErrors(source)) {
      variants++;
      byKind[variant.kind] = (byKind[variant.kind] ?? 0) + 1;
      const fresh = newProblems(before, variant.text, lintReport(parseReport(variant.text), config, rules), variant.kind === 'duplicate-sentence');
      for (const c of counts.values()) {
        const flagged = fresh.find((p) => p.ruleId === c.rule);
        if (variant.kind === c.rule) {
          c.planted++;
          if (flagged) c.truePositives++;
          else {
            c.falseNegatives++;
            if (!misses.has(c.rule)) misses.set(c.rule, []);
            misses.get(c.rule)!.push(variant);
          }
        } else if (flagged && (variant.also as string[]).includes(c.rule)) c.also++;
        else if (flagged) {
          c.falsePositives++;
          if (variant.kind === 'benign') c.falsePositivesOn.benign++;
          else c.falsePositivesOn.otherKind++;
          alarm(c.rule, source.id, `${variant.kind}: ${variant.operation}`, flagged.message);
        } else c.trueNegatives++;
      }
    }
  }
  return { counts: [...counts.values()], reports: sources.length, variants, byKind, misses, falseAlarms };
}

export const precision = (c: RuleCounts) =>
  c.planted === 0 ? NaN : c.truePositives + c.falsePositives === 0 ? 1 : c.truePositives / (c.truePositives + c.falsePositives);
export const recall = (c: RuleCounts) => (c.planted === 0 ? NaN : c.truePositives / c.planted);

/** The confusion table per rule, as printed in the test output. */
export function formatTable(evaluation: Evaluation): string {
  const pct = (x: number) => (Number.isNaN(x) ? '   n/a' : `${(x * 100).toFixed(1).padStart(5)}%`);
  const lines = [
    `${evaluation.reports} real reports, ${evaluation.variants} variants (${Object.entries(evaluation.byKind)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')})`,
    '',
    `${'rule'.padEnd(26)} ${'planted'.padStart(7)} ${'TP'.padStart(6)} ${'FN'.padStart(5)} ${'FP'.padStart(5)} ${'(orig/other/benign)'.padStart(19)} ${'TN'.padStart(7)} ${'also'.padStart(5)} ${'precision'.padStart(9)} ${'recall'.padStart(7)}`,
  ];
  for (const c of evaluation.counts) {
    const on = `${c.falsePositivesOn.original}/${c.falsePositivesOn.otherKind}/${c.falsePositivesOn.benign}`;
    lines.push(
      `${c.rule.padEnd(26)} ${String(c.planted).padStart(7)} ${String(c.truePositives).padStart(6)} ${String(c.falseNegatives).padStart(5)} ${String(c.falsePositives).padStart(5)} ${on.padStart(19)} ${String(c.trueNegatives).padStart(7)} ${String(c.also).padStart(5)} ${pct(precision(c)).padStart(9)} ${pct(recall(c)).padStart(7)}`,
    );
  }
  return lines.join('\n');
}
