/**
 * Generation benchmark: decoding speed, time to first token, and what KV prefix reuse saves, measured against a
 * fresh prompt in the same process. Plain script: `node --import tsx bench/generation.bench.ts`.
 *
 * Runs on the tiny test model by default (built if missing). `BENCH_MODEL=/path/model.gguf` measures a real model;
 * `BENCH_THREADS`, `BENCH_GPU` (auto, cuda, vulkan, metal, false) and `BENCH_CONTEXT` set the engine.
 */
import { basename } from 'node:path';
import { ensureTestModels } from '../test/models/testModels.ts';
import { buildConclusionPrompt, type ConclusionPrompt } from '../server/generation/conclusionPrompt.ts';
import type { GpuSetting } from '../server/generation/engine.ts';
import { createLlamaEngine } from '../server/generation/llamaEngine.ts';

const RUNS = 5;
const DECODE_TOKENS = 200;

const modelPath = process.env.BENCH_MODEL || (await ensureTestModels()).model;
const threads = Number(process.env.BENCH_THREADS ?? 1);
const gpuSetting = process.env.BENCH_GPU ?? 'false';
const gpu: GpuSetting = gpuSetting === 'false' ? false : (gpuSetting as GpuSetting);
const contextSize = Number(process.env.BENCH_CONTEXT ?? 4096);

// A long report, as the prompt a radiologist's follow-up CT gives: about 1,500 tokens on the tiny model's vocabulary.
const findings = [
  'Lungs: a 6 mm solid nodule in the right upper lobe, unchanged from the prior study.',
  'Mild centrilobular emphysema in both upper lobes. No consolidation. No pleural effusion.',
  'Mediastinum: no enlarged lymph nodes. The heart is normal in size. No pericardial effusion.',
  'Upper abdomen: a simple cyst in the left kidney. The liver, spleen and adrenal glands are unremarkable.',
  'Bones: degenerative changes of the thoracic spine. No suspicious osseous lesion.',
].join(' ');
const longFindings = Array.from({ length: 3 }, () => findings).join(' ');

function promptFor(run: number, extra = ''): ConclusionPrompt {
  const prompt = buildConclusionPrompt({ exam: 'CT chest', modality: 'CT', findings: `${longFindings}${extra}` });
  // A different first line of the system prompt per run: nothing but the chat template's first tokens is shared.
  return { system: `Run ${run}. ${prompt.system}`, user: prompt.user };
}

interface Timing {
  ttftMs: number;
  totalMs: number;
  completionTokens: number;
  promptTokens: number;
  reusedPromptTokens: number;
}

const engine = createLlamaEngine({ modelPath, gpu, threads, contextSize, maxTokens: DECODE_TOKENS });

async function timed(prompt: ConclusionPrompt, maxTokens: number): Promise<Timing> {
  const start = performance.now();
  let first = 0;
  const result = await engine.generate(prompt, {
    maxTokens,
    onToken: () => {
      if (first === 0) first = performance.now();
    },
  });
  return {
    ttftMs: first - start,
    totalMs: performance.now() - start,
    completionTokens: result.completionTokens,
    promptTokens: result.promptTokens,
    reusedPromptTokens: result.reusedPromptTokens,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const loadStart = performance.now();
await engine.load();
const loadMs = performance.now() - loadStart;
const state = engine.state;

const fresh: Timing[] = [];
const repeated: Timing[] = [];
const extended: Timing[] = [];
const decodeRates: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const first = await timed(promptFor(run), DECODE_TOKENS);
  fresh.push(first);
  decodeRates.push((first.completionTokens - 1) / ((first.totalMs - first.ttftMs) / 1000));
  repeated.push(await timed(promptFor(run), 1));
  extended.push(await timed(promptFor(run, ' Small hiatal hernia.'), 1));
}

// Abort: from abort() to the call settling, and to the next request being served by the host.
const abortSettle: number[] = [];
const abortNext: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const controller = new AbortController();
  let abortedAt = 0;
  let pieces = 0;
  await engine.generate(promptFor(100 + run), {
    maxTokens: 2000,
    signal: controller.signal,
    onToken: () => {
      if (++pieces === 20) {
        abortedAt = performance.now();
        controller.abort();
      }
    },
  });
  abortSettle.push(performance.now() - abortedAt);
  await engine.generate(promptFor(100 + run), { maxTokens: 1 });
  abortNext.push(performance.now() - abortedAt);
}
await engine.dispose();

const freshTtft = median(fresh.map((timing) => timing.ttftMs));
const repeatedTtft = median(repeated.map((timing) => timing.ttftMs));
const extendedTtft = median(extended.map((timing) => timing.ttftMs));
const row = (label: string, value: string) => console.log(`  ${label.padEnd(40)} ${value}`);
console.log(`generation (${basename(modelPath)}, ${state.state === 'ready' ? state.device : state.state}, ${threads} thread(s), median of ${RUNS})`);
row('load (fork host, backend, model, context)', `${loadMs.toFixed(0)} ms`);
row('decode', `${median(decodeRates).toFixed(0)} tokens/s (${DECODE_TOKENS} tokens)`);
row('time to first token, fresh prompt', `${freshTtft.toFixed(1)} ms (${fresh[0]!.promptTokens} prompt tokens, ${fresh[0]!.reusedPromptTokens} reused)`);
row('time to first token, repeated prompt', `${repeatedTtft.toFixed(1)} ms (${repeated[0]!.reusedPromptTokens} reused)`);
row('time to first token, extended prompt', `${extendedTtft.toFixed(1)} ms (${extended[0]!.reusedPromptTokens} of ${extended[0]!.promptTokens} reused)`);
row('ratio repeated / fresh', `${(repeatedTtft / freshTtft).toFixed(3)}`);
row('ratio extended / fresh', `${(extendedTtft / freshTtft).toFixed(3)}`);
row('abort → call settled', `${median(abortSettle).toFixed(2)} ms (max ${Math.max(...abortSettle).toFixed(2)})`);
row('abort → next request served', `${median(abortNext).toFixed(1)} ms (max ${Math.max(...abortNext).toFixed(1)})`);
