/**
 * Metrics benchmark: ROUGE (1/2/L/Lsum, with and without stemming), sentence and corpus BLEU and METEOR over all
 * 3,331 IU X-ray pairs (first findings sentence as the prediction, the impression as the reference), on one core
 * (Node runs this on its main thread). Target from issue 4: under 3 s for ROUGE + BLEU + METEOR.
 * Ratios are against a tokenize-only pass over the same texts in the same process.
 * Plain script: `node --import tsx bench/metrics.bench.ts` (reads ../shared/data).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bleuTokens, corpusBleu, sentenceBleu } from '../server/eval/metrics/bleu.ts';
import { meteor } from '../server/eval/metrics/meteor.ts';
import type { IuRow } from '../server/eval/runner/iuReport.ts';
import { meteorTokens } from '../server/eval/metrics/meteorTokens.ts';
import { rouge, rougeTokens } from '../server/eval/metrics/rouge.ts';
import { loadWordNet } from '../server/eval/metrics/wordnet.ts';

const DATA = fileURLToPath(new URL('../../shared/data/iu-xray/pairs.jsonl', import.meta.url));
const RUNS = 3;

const iu = readFileSync(DATA, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as IuRow);
const pairs = iu.map((p) => ({ prediction: p.findings.split(/(?<=[.!?])\s+/)[0]!, reference: p.impression }));

function time(run: () => void): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

function tokenizeOnly(): void {
  for (const { prediction, reference } of pairs) {
    rougeTokens(prediction);
    rougeTokens(reference);
    bleuTokens(prediction);
    bleuTokens(reference);
    meteorTokens(prediction);
    meteorTokens(reference);
  }
}

let sink = 0;
function scoreAll(): void {
  for (const { prediction, reference } of pairs) {
    const r = rouge(prediction, reference);
    const rs = rouge(prediction, reference, { stem: true });
    sink += r.rougeLsum.fmeasure + rs.rouge1.fmeasure + sentenceBleu(prediction, reference).score + meteor(prediction, reference);
  }
  sink += corpusBleu(
    pairs.map((p) => p.prediction),
    pairs.map((p) => p.reference),
  ).score;
}

const wordnetMs = time(() => loadWordNet());
const firstMs = time(scoreAll); // cold: empty stemmer and synonym caches
const baseline: number[] = [];
const full: number[] = [];
for (let i = 0; i < RUNS; i++) {
  baseline.push(time(tokenizeOnly));
  full.push(time(scoreAll));
}
const best = (xs: number[]) => Math.min(...xs);
const perPairUs = (ms: number) => ((ms * 1000) / pairs.length).toFixed(1);

console.log(`metrics over ${pairs.length} IU pairs (lead sentence vs impression), ${RUNS} runs, best of runs`);
console.log(`  WordNet synonym file load           ${wordnetMs.toFixed(0).padStart(6)} ms (once per process)`);
console.log(`  tokenize only (baseline)            ${best(baseline).toFixed(0).padStart(6)} ms  ${perPairUs(best(baseline)).padStart(7)} us/pair`);
console.log(`  ROUGE x2 + BLEU + METEOR, first run ${firstMs.toFixed(0).padStart(6)} ms  ${perPairUs(firstMs).padStart(7)} us/pair  (cold caches)`);
console.log(
  `  ROUGE x2 + BLEU + METEOR            ${best(full).toFixed(0).padStart(6)} ms  ${perPairUs(best(full)).padStart(7)} us/pair  ${(best(full) / best(baseline)).toFixed(1)}x the baseline`,
);
const coldTotal = (wordnetMs + firstMs) / 1000;
console.log(`  all of it from a cold start: ${coldTotal.toFixed(2)} s (target < 3 s): ${coldTotal < 3 ? 'met' : 'NOT met'}`);
if (!Number.isFinite(sink)) throw new Error('a score was not finite');
