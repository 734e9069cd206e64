/**
 * Prompt lookup benchmark: the embedded model answers the product's prompts (findings and content plan) for IU `valid`
 * with and without prompt lookup, in the same process (two engines, cases alternating which goes first); prints decoding tokens/s of both, the ratio, the
 * whole-conclusion time and how many of the greedy conclusions are identical. `npm run bench -- lookup`.
 *
 * `BENCH_DATA` (default ../shared/data/iu-xray/pairs.jsonl), `BENCH_SPLIT` (valid), `BENCH_LIMIT` (all),
 * `BENCH_MODEL` (the embedded model and its adapter), `BENCH_GPU` (false), `BENCH_THREADS` (1), `BENCH_MAX_TOKENS` (256).
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readEmbeddedModel } from '../server/generation/embeddedModel.ts';
import type { GpuSetting, LoraAdapterSetting } from '../server/generation/engine.ts';
import { createLlamaEngine } from '../server/generation/llamaEngine.ts';
import { readEvalData } from '../server/eval/runner/readEvalData.ts';
import { compareLookup, productPrompts } from './lookupComparison.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataPath = resolve(process.env.BENCH_DATA ?? join(root, '..', 'shared', 'data', 'iu-xray', 'pairs.jsonl'));
const split = process.env.BENCH_SPLIT ?? 'valid';
const limit = process.env.BENCH_LIMIT ? Number(process.env.BENCH_LIMIT) : Infinity;
const gpuSetting = process.env.BENCH_GPU ?? 'false';
const gpu: GpuSetting = gpuSetting === 'false' ? false : (gpuSetting as GpuSetting);
const threads = Number(process.env.BENCH_THREADS ?? 1);
const maxTokens = Number(process.env.BENCH_MAX_TOKENS ?? 256);

let modelPath: string;
let loras: LoraAdapterSetting[] = [];
if (process.env.BENCH_MODEL) modelPath = resolve(process.env.BENCH_MODEL);
else {
  const embedded = readEmbeddedModel(root);
  if (!embedded) throw new Error(`no embedded model in ${root}/models`);
  ({ modelPath, loras } = embedded);
}

const data = await readEvalData(dataPath);
const cases = productPrompts(data.cases.filter((c) => c.split === split).slice(0, limit));
if (cases.length === 0) throw new Error(`no ${split} cases in ${dataPath}`);

const settings = { modelPath, loras, gpu, threads, contextSize: 2048, maxTokens };
const plain = createLlamaEngine({ ...settings, promptLookup: false });
const lookup = createLlamaEngine({ ...settings, promptLookup: true });
try {
  const comparison = await compareLookup(plain, lookup, cases, {
    maxTokens,
    onCase: (done, total) => {
      if (done % 25 === 0 || done === total) process.stderr.write(`  ${done}/${total} cases\n`);
    },
  });
  const device = plain.state.state === 'ready' ? plain.state.device : plain.state.state;
  const row = (label: string, value: string) => console.log(`  ${label.padEnd(44)} ${value}`);
  console.log(`prompt lookup (${cases.length} ${split} conclusions, ${device}, ${threads} thread(s), greedy)`);
  row('decode without lookup', `${comparison.plain.decodeTokensPerSecond.toFixed(0)} tokens/s (${comparison.plain.completionTokens} tokens)`);
  row('decode with lookup', `${comparison.lookup.decodeTokensPerSecond.toFixed(0)} tokens/s (${comparison.lookup.completionTokens} tokens)`);
  row('ratio with / without (decode)', comparison.decodeSpeedup.toFixed(2));
  row(
    'median conclusion, without / with',
    `${comparison.plain.medianCaseMs.toFixed(1)} ms / ${comparison.lookup.medianCaseMs.toFixed(1)} ms (${comparison.caseSpeedup.toFixed(2)}x)`,
  );
  row('guessed tokens confirmed', `${(comparison.acceptedShare * 100).toFixed(1)} % (${comparison.accepted} of ${comparison.accepted + comparison.rejected})`);
  row('identical conclusions', `${comparison.identical} of ${comparison.cases}`);
  for (const diff of comparison.differing.slice(0, 5)) {
    console.log(`    ${diff.id}:\n      without: ${JSON.stringify(diff.plain)}\n      with:    ${JSON.stringify(diff.lookup)}`);
  }
} finally {
  await Promise.all([plain.dispose(), lookup.dispose()]);
}
