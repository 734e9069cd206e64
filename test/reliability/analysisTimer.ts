/**
 * A worker thread that checks reports (parseReport + lintReport, all rules) and says how long each took, so a test can
 * give up on a document that takes too long (terminate the worker) instead of hanging with it.
 */
import { parentPort } from 'node:worker_threads';
import { parseReport } from '../../server/report/parseReport.ts';
import { lintReport } from '../../server/rules/lintReport.ts';
import { ALL_RULES } from '../../server/rules/registry.ts';

export interface TimedAnalysis {
  ms: number;
  problems: number;
  reader: string;
  error?: string;
}

lintReport(parseReport('# Findings\n\nNormal.\n'), {}, ALL_RULES); // loads the vocabulary outside the timing
parentPort!.on('message', (text: string) => {
  const start = performance.now();
  let result: TimedAnalysis;
  try {
    const report = parseReport(text);
    const problems = lintReport(report, {}, ALL_RULES).length;
    result = { ms: performance.now() - start, problems, reader: report.reader ?? 'markdown' };
  } catch (error) {
    result = { ms: performance.now() - start, problems: 0, reader: '', error: `${(error as Error).name}: ${(error as Error).message}` };
  }
  parentPort!.postMessage(result);
});
parentPort!.postMessage('ready');
