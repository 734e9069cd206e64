/**
 * Writes the findings → conclusion training pairs exactly as the product asks for a conclusion at run time.
 *
 *   npx tsx training/exportPairs.ts [--data ../shared/data] [--out training/data]
 *
 * IU rows are written as markdown reports (front matter exam, `## Indication`, `## Comparison`, `## Findings`,
 * `## Impression`) and parsed by `parseReport`, MTSamples imaging rows are parsed as they are; the prompt comes from
 * `conclusionRequest` (the content plan and the prompt that carries it), the same function the editor, the CLI and
 * `radreport eval` use; IU rows go through `caseReport`, as in the evaluation runner.
 * The reference conclusion is what the evaluation runner scores against (`iuPairCase` / `reportCase`).
 *
 * Output (gitignored, never committed: it is derived from the public data):
 * - `pairs.jsonl`: `{id, split, source, system, user, conclusion, findings, userWithExamples, exampleIds}` for every
 *   usable row of every split. `userWithExamples` is the prompt with the nearest `train` pairs (TF-IDF cosine of the
 *   findings, the row itself left out) as in-context examples, the way a hospital's example library would be used.
 * - `iu-reports.jsonl`: `{id, split, text}` the IU rows as markdown reports, for the language-model corpus (`train`)
 *   and its validation loss (`valid`).
 * - `export-summary.json`: counts, skipped rows and how often the markdown route differs from the evaluation runner's.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultVocabulary } from '../server/clinical/vocabulary.ts';
import { buildConclusionPrompt, conclusionPromptInput, type ConclusionExample } from '../server/generation/conclusionPrompt.ts';
import { conclusionRequest } from '../server/generation/groundedConclusion.ts';
import { caseReport } from '../server/eval/runner/caseReport.ts';
import { tfidfTokens } from '../server/eval/baselines/nearestNeighbour.ts';
import { iuReportMarkdown, type IuRow } from '../server/eval/runner/iuReport.ts';
import { iuPairCase, reportCase } from '../server/eval/runner/readEvalData.ts';
import { parseReport } from '../server/report/parseReport.ts';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] ? args[at + 1]! : fallback;
};
const dataDir = resolve(option('--data', join(here, '..', '..', 'shared', 'data')));
const outDir = resolve(option('--out', join(here, 'data')));
const exampleCount = Number(option('--examples', '3'));

interface MtsRow {
  id: string;
  split: string;
  modality?: string;
  text: string;
}
interface Pair {
  id: string;
  split: string;
  source: 'iu' | 'mtsamples';
  system: string;
  user: string;
  conclusion: string;
  findings: string;
  input: ReturnType<typeof conclusionPromptInput>;
  userWithExamples?: string;
  exampleIds?: string[];
}

function readJsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

const skipped: Array<{ id: string; reason: string }> = [];
const pairs: Pair[] = [];
let markdownDiffers = 0;
const differing: string[] = [];
const iuReports: Array<{ id: string; split: string; text: string }> = [];

const vocabulary = defaultVocabulary();

/**
 * A conclusion as a training target: the radiologist's, less the de-identification tokens, which a conclusion must
 * never show ("chest x-XXXX" was "chest x-ray"; any other XXXX is dropped with the space before it).
 */
export function trainingTarget(conclusion: string): string {
  return conclusion
    .replace(/\bx-XXXX\b/gi, 'x-ray')
    .replace(/\s*\bX{2,}\b/g, '')
    .replace(/\s+([,.;:])/g, '$1')
    .replace(/([,;:])(?=[.,;:])/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

for (const row of readJsonl<IuRow>(join(dataDir, 'iu-xray', 'pairs.jsonl'))) {
  const markdown = iuReportMarkdown(row);
  const evalCase = iuPairCase(row);
  // The report exactly as `radreport eval` builds it, so the prompt (and its plan) is the one asked at evaluation.
  const report = caseReport(evalCase);
  const request = conclusionRequest(report, vocabulary);
  const input = { ...conclusionPromptInput(report), plan: request.plan.statements };
  if (!input.findings.trim() || !evalCase.reference) {
    skipped.push({ id: row.id, reason: 'no findings or impression after parsing' });
    continue;
  }
  const prompt = request.prompt;
  const viaMarkdown = conclusionRequest(parseReport(markdown), vocabulary).prompt;
  if (prompt.user !== viaMarkdown.user) {
    markdownDiffers++;
    if (differing.length < 10) differing.push(row.id);
  }
  const split = row.split ?? '';
  iuReports.push({ id: row.id, split, text: markdown });
  pairs.push({ id: row.id, split, source: 'iu', ...prompt, conclusion: trainingTarget(evalCase.reference), findings: input.findings, input });
}

for (const row of readJsonl<MtsRow>(join(dataDir, 'mtsamples', 'imaging-reports.jsonl'))) {
  const report = parseReport(row.text);
  const outcome = reportCase(row.id, report, row.split, row.modality);
  if ('reason' in outcome) {
    skipped.push(outcome);
    continue;
  }
  const request = conclusionRequest(report, vocabulary);
  const input = { ...conclusionPromptInput(report), plan: request.plan.statements };
  pairs.push({
    id: row.id,
    split: row.split,
    source: 'mtsamples',
    ...request.prompt,
    conclusion: trainingTarget(outcome.reference),
    findings: input.findings,
    input,
  });
}

// In-context examples: the nearest `train` pairs by TF-IDF cosine of the findings (the evaluation's tokens).
const library = pairs.filter((pair) => pair.split === 'train');
const documentFrequency = new Map<string, number>();
const libraryCounts = library.map((pair) => counts(pair.findings));
for (const c of libraryCounts) for (const term of c.keys()) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
const idf = (term: string) => {
  const df = documentFrequency.get(term);
  return df === undefined ? undefined : Math.log((1 + library.length) / (1 + df)) + 1;
};
const libraryVectors = libraryCounts.map(unitVector);
for (const pair of pairs) {
  const query = unitVector(counts(pair.findings));
  const scored: Array<[number, number]> = [];
  libraryVectors.forEach((vector, index) => {
    if (library[index]!.id === pair.id) return;
    let dot = 0;
    for (const [term, weight] of query) dot += weight * (vector.get(term) ?? 0);
    scored.push([dot, index]);
  });
  scored.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const nearest = scored.slice(0, exampleCount).map(([, index]) => library[index]!);
  // Most similar last, right before the report, where a small model attends best.
  const examples: ConclusionExample[] = nearest
    .slice()
    .reverse()
    .map((example) => ({ findings: example.findings, conclusion: example.conclusion }));
  pair.userWithExamples = buildConclusionPrompt(pair.input, examples).user;
  pair.exampleIds = nearest.map((example) => example.id);
}

function counts(text: string): Map<string, number> {
  const result = new Map<string, number>();
  for (const token of tfidfTokens(text)) result.set(token, (result.get(token) ?? 0) + 1);
  return result;
}
function unitVector(termCounts: Map<string, number>): Map<string, number> {
  const weighted = new Map<string, number>();
  for (const [term, count] of termCounts) {
    const weight = idf(term);
    if (weight !== undefined) weighted.set(term, (1 + Math.log(count)) * weight);
  }
  const norm = Math.sqrt([...weighted.values()].reduce((sum, w) => sum + w * w, 0));
  if (norm > 0) for (const [term, w] of weighted) weighted.set(term, w / norm);
  return weighted;
}

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'pairs.jsonl'), pairs.map(({ input: _input, ...pair }) => JSON.stringify(pair)).join('\n') + '\n');
writeFileSync(join(outDir, 'iu-reports.jsonl'), iuReports.map((r) => JSON.stringify(r)).join('\n') + '\n');
const bySplit: Record<string, number> = {};
for (const pair of pairs) bySplit[`${pair.source}/${pair.split}`] = (bySplit[`${pair.source}/${pair.split}`] ?? 0) + 1;
const summary = { pairs: pairs.length, bySplit, skipped, markdownRouteDiffersFromEvalRunner: markdownDiffers, differingExamples: differing };
writeFileSync(join(outDir, 'export-summary.json'), JSON.stringify(summary, null, 2) + '\n');
console.log(JSON.stringify({ ...summary, skipped: skipped.length }, null, 2));
