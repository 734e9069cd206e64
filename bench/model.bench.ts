/**
 * The shipped default model on the CPU: how long a whole conclusion takes for a typical chest radiograph report, and
 * how much memory the loaded model holds. Plain script: `node --import tsx bench/model.bench.ts` (or `npm run bench`).
 *
 * Targets (one thread): a whole conclusion of up to 64 tokens in under 1 s including prompt processing; peak memory
 * of the process holding the loaded model under 300 MB.
 *
 * - Product path: the engine (inference host process, ChatML, KV prefix reuse) on the five reports of
 *   models/expected-outputs.json, each concluded cold (nothing of the prompt in the KV cache) and warm (the system
 *   prompt and chat template reused, as in the editor), stopping where the model ends its conclusion.
 * - Worst case: node-llama-cpp in this process, the same rendered prompt evaluated and then exactly 64 tokens
 *   decoded greedily whatever the model would have said, with the adapter and (the baseline, same process) without it.
 * - Memory: the inference host's peak resident set (VmHWM) after loading and generating.
 * `BENCH_THREADS` sets the threads (default 1).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getLlama, LlamaLogLevel, resolveChatWrapper, type ChatHistoryItem, type LlamaModel } from 'node-llama-cpp';
import { defaultVocabulary } from '../server/clinical/vocabulary.ts';
import type { ConclusionPrompt } from '../server/generation/conclusionPrompt.ts';
import { conclusionRequest } from '../server/generation/groundedConclusion.ts';
import { readEmbeddedModel } from '../server/generation/embeddedModel.ts';
import { createLlamaEngine } from '../server/generation/llamaEngine.ts';
import { parseReport } from '../server/report/parseReport.ts';

const RUNS = 5;
const WORST_CASE_TOKENS = 64;
const threads = Number(process.env.BENCH_THREADS ?? 1);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const embedded = readEmbeddedModel(root);
if (!embedded) throw new Error('models/default-model.json is missing: no embedded model to measure');
const fixture = JSON.parse(readFileSync(join(root, 'models', 'expected-outputs.json'), 'utf8')) as {
  cases: Array<{ id: string; source: string; report: string }>;
};
const reports = fixture.cases.map((c) => ({ id: c.id, prompt: conclusionRequest(parseReport(c.report), defaultVocabulary()).prompt }));
const chestReports = reports.filter((r) => r.id.startsWith('iu-'));

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const row = (label: string, value: string) => console.log(`  ${label.padEnd(52)} ${value}`);

// --- product path: the engine -------------------------------------------------------------------------------------
const engine = createLlamaEngine({
  modelPath: embedded.modelPath,
  loras: embedded.loras,
  gpu: false,
  threads,
  contextSize: 2048,
  maxTokens: WORST_CASE_TOKENS,
});
const loadStart = performance.now();
await engine.load();
const loadMs = performance.now() - loadStart;
const cold: number[] = [];
const warm: number[] = [];
const tokens: number[] = [];
let promptTokens = 0;
for (let run = 0; run < RUNS; run++) {
  for (const report of chestReports) {
    // A different first word of the system prompt: only the template's first tokens are shared, as for a first request.
    const coldPrompt: ConclusionPrompt = { system: `Run ${run}. ${report.prompt.system}`, user: report.prompt.user };
    let t0 = performance.now();
    const first = await engine.generate(coldPrompt);
    cold.push(performance.now() - t0);
    // Next, the same system prompt with this report, after another report: the editor's steady state.
    await engine.generate(chestReports[(chestReports.indexOf(report) + 1) % chestReports.length]!.prompt, { maxTokens: 1 });
    t0 = performance.now();
    const second = await engine.generate(report.prompt);
    warm.push(performance.now() - t0);
    tokens.push(second.completionTokens);
    promptTokens = Math.max(promptTokens, first.promptTokens);
  }
}
const hostPid = engine.hostPid;
const status = hostPid ? readFileSync(`/proc/${hostPid}/status`, 'utf8') : '';
const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
const peakMb = kb('VmHWM') / 1024;
const rssMb = kb('VmRSS') / 1024;
await engine.dispose();

// --- worst case: exactly 64 decoded tokens, in this process, with and without the adapter --------------------------
const llama = await getLlama({ gpu: false, build: 'never', skipDownload: true, progressLogs: false, logLevel: LlamaLogLevel.error });
const model = await llama.loadModel({ modelPath: embedded.modelPath, gpuLayers: 0 });

async function worstCase(model: LlamaModel, withAdapter: boolean): Promise<number[]> {
  const context = await model.createContext({
    contextSize: 2048,
    threads,
    ...(withAdapter ? { lora: { adapters: embedded!.loras.map((l) => ({ filePath: l.path, scale: l.scale })) } } : {}),
  });
  const sequence = context.getSequence();
  const chatWrapper = resolveChatWrapper(model);
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    for (const report of chestReports) {
      const history: ChatHistoryItem[] = [
        { type: 'system', text: `Run ${run}. ${report.prompt.system}` },
        { type: 'user', text: report.prompt.user },
        { type: 'model', response: [] },
      ];
      const prompt = chatWrapper.generateContextState({ chatHistory: history }).contextText.tokenize(model.tokenizer);
      await sequence.clearHistory();
      const t0 = performance.now();
      let n = 0;
      for await (const _token of sequence.evaluate(prompt, { temperature: 0, yieldEogToken: true })) {
        if (++n >= WORST_CASE_TOKENS) break;
      }
      times.push(performance.now() - t0);
      if (n < WORST_CASE_TOKENS) throw new Error(`decoding stopped after ${n} tokens`);
    }
  }
  await context.dispose();
  return times;
}
const withAdapter = await worstCase(model, true);
const baseOnly = await worstCase(model, false);
await model.dispose();
await llama.dispose();

const verdict = (ok: boolean) => (ok ? 'meets the target' : 'MISSES the target');
console.log(
  `shipped model (${embedded.modelPath.split('/').pop()} + ${embedded.loras.map((l) => l.path.split('/').pop()).join(', ')}), CPU, ${threads} thread(s), median of ${cold.length}`,
);
row('load (fork host, backend, model, adapter, context)', `${loadMs.toFixed(0)} ms`);
row(
  'whole conclusion, cold prompt (engine)',
  `${median(cold).toFixed(0)} ms (max ${Math.max(...cold).toFixed(0)}; up to ${promptTokens} prompt tokens, median ${median(tokens)} generated)`,
);
row('whole conclusion, warm (system prompt reused)', `${median(warm).toFixed(0)} ms (max ${Math.max(...warm).toFixed(0)})`);
row(
  `prompt + exactly ${WORST_CASE_TOKENS} tokens, with adapter`,
  `${median(withAdapter).toFixed(0)} ms (max ${Math.max(...withAdapter).toFixed(0)}): ${verdict(median(withAdapter) < 1000)} of 1000 ms`,
);
row(`prompt + exactly ${WORST_CASE_TOKENS} tokens, base alone (baseline)`, `${median(baseOnly).toFixed(0)} ms`);
row('ratio with adapter / base alone', (median(withAdapter) / median(baseOnly)).toFixed(3));
row('inference host peak memory (VmHWM)', `${peakMb.toFixed(0)} MB (resident now ${rssMb.toFixed(0)} MB): ${verdict(peakMb < 300)} of 300 MB`);
