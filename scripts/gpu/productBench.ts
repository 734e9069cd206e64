/**
 * The product path measured on a GPU (or, in the recipe's smoke run, on the CPU): the node-llama-cpp engine of the
 * product (`createLlamaEngine`, its forked inference host `dist/engineHost.mjs`, LlamaChat with the model's chat
 * template), timed from this process the way the language server and the CLI call it. Bundled by scripts/gpu/pack.sh
 * into .gpu/productBench.mjs, because the GPU machine has Node but no TypeScript loader.
 *
 *   speed   --model GGUF [--lora GGUF]... : load time, GPU memory, prompt and generation tokens/s, the whole conclusion
 *           for a 400-token prompt plus 60 generated tokens; with no --model, the embedded model and its adapter
 *   lookup  --data IU.jsonl [--limit N]   : prompt lookup on and off on the embedded model (bench/lookupComparison.ts)
 *   breakdown --model GGUF [--threads-list 1,16] : where a generated token's time goes, in this process with
 *           node-llama-cpp directly (no inference host): decode alone (no output layer, no sampling), decode with
 *           greedy sampling (sequence.evaluate), and LlamaChat with and without its repeat-penalty bookkeeping; each
 *           128 tokens (end-of-generation tokens banned), median of --repeats
 *
 * Common: --gpu cuda|false (default cuda), --threads N (1), --host dist/engineHost.mjs, --out FILE.json.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { compareLookup, productPrompts } from '../../bench/lookupComparison.ts';
import { buildConclusionPrompt, CONCLUSION_SYSTEM_PROMPT, type ConclusionPrompt } from '../../server/generation/conclusionPrompt.ts';
import { readEmbeddedModel } from '../../server/generation/embeddedModel.ts';
import type { GpuSetting, LoraAdapterSetting } from '../../server/generation/engine.ts';
import { createLlamaEngine, type LlamaEngine } from '../../server/generation/llamaEngine.ts';
import { readEvalData } from '../../server/eval/runner/readEvalData.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    model: { type: 'string' },
    lora: { type: 'string', multiple: true },
    gpu: { type: 'string', default: 'cuda' },
    threads: { type: 'string', default: '1' },
    host: { type: 'string', default: 'dist/engineHost.mjs' },
    data: { type: 'string' },
    limit: { type: 'string' },
    repeats: { type: 'string', default: '5' },
    out: { type: 'string' },
    'threads-list': { type: 'string' },
  },
});
const mode = positionals[0];
const gpu: GpuSetting = values.gpu === 'false' || values.gpu === 'cpu' ? false : (values.gpu as GpuSetting);
const threads = Number(values.threads);
const hostPath = resolve(values.host!);
const repeats = Math.max(1, Number(values.repeats));

function modelSettings(): { modelPath: string; loras: LoraAdapterSetting[] } {
  if (values.model) return { modelPath: resolve(values.model), loras: (values.lora ?? []).map((path) => ({ path: resolve(path), scale: 1 })) };
  const embedded = readEmbeddedModel(process.cwd());
  if (!embedded) throw new Error('no --model and no embedded model in ./models');
  return embedded;
}

/** Used and total GPU memory in MiB and the GPU's name, from nvidia-smi; null without one. */
function gpuMemory(): { name: string; usedMiB: number; totalMiB: number } | null {
  const smi = spawnSync('nvidia-smi', ['--query-gpu=name,memory.used,memory.total', '--format=csv,noheader,nounits'], { encoding: 'utf8' });
  if (smi.status !== 0 || !smi.stdout) return null;
  const [name, used, total] = smi.stdout
    .split('\n')[0]!
    .split(',')
    .map((part) => part.trim());
  return { name: name!, usedMiB: Number(used), totalMiB: Number(total) };
}

function median(numbers: number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

// Findings-like filler, cycled word by word to make prompts of a given length.
const FILLER = (
  'The heart is normal in size. The mediastinum is unremarkable. There is a 6 mm solid nodule in the right upper lobe, ' +
  'unchanged from the prior study. Mild centrilobular emphysema in both upper lobes. No consolidation, no pleural ' +
  'effusion and no pneumothorax. Degenerative changes of the thoracic spine. A simple cyst in the left kidney.'
).split(' ');

/** A fresh prompt (its first line differs per run, so only the chat template's first tokens are shared) of `words` words. */
function promptOf(run: number, words: number): ConclusionPrompt {
  const findings = Array.from({ length: words }, (_, i) => FILLER[i % FILLER.length]).join(' ');
  const prompt = buildConclusionPrompt({ exam: 'CT chest', modality: 'CT', findings });
  return { system: `Run ${run}. ${CONCLUSION_SYSTEM_PROMPT}`, user: prompt.user };
}

interface Timed {
  ttftMs: number;
  totalMs: number;
  promptTokens: number;
  evaluatedPromptTokens: number;
  completionTokens: number;
  stopReason: string;
}

async function timed(engine: LlamaEngine, prompt: ConclusionPrompt, maxTokens: number): Promise<Timed> {
  const started = performance.now();
  let first = 0;
  const result = await engine.generate(prompt, {
    maxTokens,
    onToken: () => {
      if (first === 0) first = performance.now();
    },
  });
  const totalMs = performance.now() - started;
  return {
    ttftMs: (first || performance.now()) - started,
    totalMs,
    promptTokens: result.promptTokens,
    evaluatedPromptTokens: result.promptTokens - result.reusedPromptTokens,
    completionTokens: result.completionTokens,
    stopReason: result.stopReason,
  };
}

let nextRun = 1000;

/**
 * The number of filler words whose fresh prompt has `target` tokens (or the fewest above it), found by asking the
 * engine: all of the prompt's tokens, or only those evaluated (less the chat template's first tokens, reused).
 */
async function wordsFor(engine: LlamaEngine, target: number, count: 'prompt' | 'evaluated'): Promise<{ words: number; tokens: number }> {
  const tokensOf = async (words: number) => {
    const run = await timed(engine, promptOf(nextRun++, words), 1);
    return count === 'prompt' ? run.promptTokens : run.evaluatedPromptTokens;
  };
  const base = await tokensOf(1);
  const probe = 100;
  const perWord = ((await tokensOf(probe)) - base) / (probe - 1);
  let words = Math.max(1, 1 + Math.round((target - base) / perWord));
  let tokens = await tokensOf(words);
  // Each word adds at least one token: step down while above, up while below.
  while (tokens > target && words > 1) tokens = await tokensOf(--words);
  while (tokens < target) tokens = await tokensOf(++words);
  return { words, tokens };
}

async function speed(): Promise<Record<string, unknown>> {
  const { modelPath, loras } = modelSettings();
  const engine = createLlamaEngine(
    { modelPath, loras, gpu, gpuLayers: 'auto', contextSize: 2048, threads, maxTokens: 256, promptLookup: false },
    { hostPath, log: (level, message) => level === 'error' && process.stderr.write(`${message}\n`) },
  );
  try {
    const memoryBefore = gpuMemory();
    const loadStarted = performance.now();
    await engine.load();
    const loadMs = performance.now() - loadStarted;
    const memoryLoaded = gpuMemory();
    const state = engine.state;
    const device = state.state === 'ready' ? state.device : state.state;
    await timed(engine, promptOf(nextRun++, 50), 16); // warm-up: kernels, graphs, allocations

    const pp = await wordsFor(engine, 512, 'evaluated');
    const prompt: Timed[] = [];
    for (let i = 0; i < repeats; i++) prompt.push(await timed(engine, promptOf(nextRun++, pp.words), 1));
    const generation: Timed[] = [];
    for (let i = 0; i < repeats; i++) generation.push(await timed(engine, promptOf(nextRun++, 40), 128));
    const conclusionPrompt = await wordsFor(engine, 400, 'prompt');
    const conclusion: Timed[] = [];
    for (let i = 0; i < repeats; i++) conclusion.push(await timed(engine, promptOf(nextRun++, conclusionPrompt.words), 60));
    const memoryAfter = gpuMemory();

    const decodeRates = generation.map((run) => (run.completionTokens - 1) / ((run.totalMs - run.ttftMs) / 1000));
    const decodeMsPerToken = 1000 / median(decodeRates);
    const promptRates = prompt.map((run) => run.evaluatedPromptTokens / (run.ttftMs / 1000));
    // The first token's time also holds one sampling and the message to this process, about one decode step.
    const promptRatesLessOneStep = prompt.map((run) => run.evaluatedPromptTokens / ((run.ttftMs - decodeMsPerToken) / 1000));
    return {
      model: modelPath,
      loras: loras.map((lora) => lora.path),
      device,
      statusBar: `Report model: ready on ${device}`,
      loadMs,
      gpuMemory: { before: memoryBefore, loaded: memoryLoaded, after: memoryAfter },
      prompt: {
        tokens: median(prompt.map((run) => run.evaluatedPromptTokens)),
        tokensPerSecond: median(promptRates),
        tokensPerSecondLessOneDecodeStep: median(promptRatesLessOneStep),
        ttftMs: prompt.map((run) => run.ttftMs),
      },
      generation: {
        tokens: median(generation.map((run) => run.completionTokens)),
        tokensPerSecond: median(decodeRates),
        runs: generation.map((run) => ({ completionTokens: run.completionTokens, stopReason: run.stopReason, totalMs: run.totalMs, ttftMs: run.ttftMs })),
      },
      conclusion: {
        promptTokens: conclusionPrompt.tokens,
        maxTokens: 60,
        medianMs: median(conclusion.map((run) => run.totalMs)),
        runs: conclusion.map((run) => ({ totalMs: run.totalMs, ttftMs: run.ttftMs, completionTokens: run.completionTokens, stopReason: run.stopReason })),
      },
    };
  } finally {
    await engine.dispose();
  }
}

async function lookup(): Promise<Record<string, unknown>> {
  if (!values.data) throw new Error('lookup needs --data IU.jsonl');
  const data = await readEvalData(resolve(values.data));
  const limit = values.limit ? Number(values.limit) : Infinity;
  const cases = productPrompts(data.cases.filter((c) => c.split === undefined || c.split === 'valid').slice(0, limit));
  const { modelPath, loras } = modelSettings();
  const settings = { modelPath, loras, gpu, threads, contextSize: 2048, maxTokens: 256 };
  const plain = createLlamaEngine({ ...settings, promptLookup: false }, { hostPath });
  const withLookup = createLlamaEngine({ ...settings, promptLookup: true }, { hostPath });
  try {
    const comparison = await compareLookup(plain, withLookup, cases, { maxTokens: 256 });
    const state = plain.state;
    return {
      model: modelPath,
      loras: loras.map((lora) => lora.path),
      device: state.state === 'ready' ? state.device : state.state,
      ...comparison,
      differing: comparison.differing.slice(0, 20),
    };
  } finally {
    await Promise.all([plain.dispose(), withLookup.dispose()]);
  }
}

/** Milliseconds a generated token for each way of generating, in this process, for each thread count. */
async function breakdown(): Promise<Record<string, unknown>> {
  const { getLlama, LlamaChat, resolveChatWrapper, TokenBias } = await import('node-llama-cpp');
  const { modelPath, loras } = modelSettings();
  const llama = await getLlama({ gpu, build: 'never', skipDownload: true, progressLogs: false });
  const model = await llama.loadModel({ modelPath, gpuLayers: gpu === false ? 0 : 'max' });
  const threadCounts = (values['threads-list'] ?? String(threads)).split(',').map(Number);
  const tokensPerRun = 128;
  const results: Record<string, unknown>[] = [];
  for (const threadCount of threadCounts) {
    const context = await model.createContext({
      contextSize: 2048,
      threads: threadCount,
      flashAttention: gpu === false ? false : 'auto',
      ...(loras.length > 0 ? { lora: { adapters: loras.map(({ path, scale }) => ({ filePath: path, scale })) } } : {}),
    });
    const sequence = context.getSequence();
    const chatWrapper = resolveChatWrapper(model);
    const chat = new LlamaChat({ contextSequence: sequence, chatWrapper });
    const bias = new TokenBias(model.tokenizer);
    for (const token of [model.tokens.eos, model.tokens.eot, ...model.tokenize('<|im_end|>', true)]) if (token != null) bias.set(token, 'never');
    let run = 0;
    const history = () => {
      const prompt = promptOf(run++, 40);
      return [
        { type: 'system' as const, text: prompt.system },
        { type: 'user' as const, text: prompt.user },
        { type: 'model' as const, response: [] },
      ];
    };
    const promptTokens = () => chatWrapper.generateContextState({ chatHistory: history() }).contextText.tokenize(model.tokenizer);
    const ways: Record<string, () => Promise<number>> = {
      decodeOnly: async () => {
        await sequence.clearHistory();
        const tokens = promptTokens();
        await sequence.evaluateWithoutGeneratingNewTokens(tokens);
        const started = performance.now();
        for (let i = 0; i < tokensPerRun; i++) await sequence.evaluateWithoutGeneratingNewTokens([tokens[i % tokens.length]!]);
        return (performance.now() - started) / tokensPerRun;
      },
      evaluateGreedy: async () => {
        await sequence.clearHistory();
        let count = 0;
        let first = 0;
        for await (const token of sequence.evaluate(promptTokens(), { temperature: 0, tokenBias: bias })) {
          void token;
          if (count++ === 0) first = performance.now();
          if (count >= tokensPerRun) break;
        }
        return (performance.now() - first) / (count - 1);
      },
      ...Object.fromEntries(
        (['default', false] as const).map((repeatPenalty) => [
          repeatPenalty === false ? 'llamaChatNoRepeatPenalty' : 'llamaChat',
          async () => {
            await sequence.clearHistory();
            let count = 0;
            let first = 0;
            await chat.generateResponse(history(), {
              maxTokens: tokensPerRun,
              temperature: 0,
              tokenBias: bias,
              ...(repeatPenalty === false ? { repeatPenalty: false as const } : {}),
              onToken: (tokens) => {
                if (count === 0) first = performance.now();
                count += tokens.length;
              },
            });
            return (performance.now() - first) / (count - 1);
          },
        ]),
      ),
    };
    const msPerToken: Record<string, number> = {};
    for (const [name, way] of Object.entries(ways)) {
      await way(); // warm-up
      const times: number[] = [];
      for (let i = 0; i < repeats; i++) times.push(await way());
      msPerToken[name] = median(times);
    }
    results.push({ threads: threadCount, msPerToken, tokensPerSecond: Object.fromEntries(Object.entries(msPerToken).map(([k, v]) => [k, 1000 / v])) });
    chat.dispose();
    await context.dispose();
  }
  const device = llama.gpu === false ? 'CPU' : `${(await llama.getGpuDeviceNames())[0] ?? 'GPU'} (${llama.gpu})`;
  await model.dispose();
  await llama.dispose();
  return { model: modelPath, device, tokensPerRun, repeats, results };
}

if (mode !== 'speed' && mode !== 'lookup' && mode !== 'breakdown') {
  process.stderr.write('usage: productBench speed|lookup|breakdown [options] (see scripts/gpu/productBench.ts)\n');
  process.exit(2);
}
const result = mode === 'speed' ? await speed() : mode === 'lookup' ? await lookup() : await breakdown();
const text = JSON.stringify(result, null, 2);
if (values.out) writeFileSync(values.out, text);
process.stdout.write(`${text}\n`);
