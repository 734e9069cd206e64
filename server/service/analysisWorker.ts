/**
 * The worker thread that checks reports for the language server (`reportAnalyser.ts`), so parsing and the rules never
 * hold up the protocol loop. It receives the text and the merged configuration, and answers with the report (without
 * its position index, which holds functions: the caller rebuilds it) and the problems.
 */
import { parentPort } from 'node:worker_threads';
import type { ReportConfig } from '../config/reportConfig.ts';
import { parseReport } from '../report/parseReport.ts';
import { createSectionClassifier, type SectionClassifier } from '../report/sectionSynonyms.ts';
import type { Report } from '../report/types.ts';
import { lintReport, type LintMode } from '../rules/lintReport.ts';
import { ALL_RULES } from '../rules/registry.ts';
import type { Problem } from '../rules/rule.ts';

export interface AnalysisJob {
  id: number;
  text: string;
  config: ReportConfig;
  /** Template mode (a department's template folder, `radreport lint --template`). */
  mode?: LintMode;
}

export type AnalysisAnswer = { id: number; report: Omit<Report, 'positions'>; problems: Problem[] } | { id: number; error: string };

const classifiers = new Map<string, SectionClassifier>();
function classifierFor(config: ReportConfig): SectionClassifier {
  const key = JSON.stringify(config.sections ?? {});
  let classifier = classifiers.get(key);
  if (!classifier) {
    if (classifiers.size > 20) classifiers.clear();
    classifier = createSectionClassifier(config.sections);
    classifiers.set(key, classifier);
  }
  return classifier;
}

const port = parentPort!;
port.on('message', (job: AnalysisJob) => {
  let answer: AnalysisAnswer;
  try {
    const report = parseReport(job.text, { classifier: classifierFor(job.config) });
    const problems = lintReport(report, job.config, ALL_RULES, job.mode ?? {});
    const { positions: _positions, ...plain } = report;
    answer = { id: job.id, report: plain, problems };
  } catch (error) {
    answer = { id: job.id, error: (error as Error).stack ?? String(error) };
  }
  port.postMessage(answer);
});
port.postMessage({ ready: true });
