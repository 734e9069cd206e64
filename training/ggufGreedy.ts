/**
 * Greedy conclusions from a GGUF base (+ LoRA adapters) through node-llama-cpp on the CPU, rendered by the chat wrapper
 * node-llama-cpp resolves from the GGUF (ChatML) exactly as the engine host does, with the generated token ids.
 *
 *   npx tsx training/ggufGreedy.ts --model models/radreport-base.Q8_0.gguf --lora models/radreport-conclusion-lora.gguf \
 *     --split valid [--source iu] [--limit 20] [--examples] [--max-tokens 256] [--threads 1] --out predictions.jsonl
 *   npx tsx training/ggufGreedy.ts --model base.gguf --tokens-only --split train --out prompt-tokens.jsonl
 *
 * `--tokens-only` writes the prompt token ids only (to check that training renders the same sequence).
 * Reads `training/data/pairs.jsonl` (`npx tsx training/exportPairs.ts`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getLlama, LlamaChat, LlamaLogLevel, resolveChatWrapper, type ChatHistoryItem } from 'node-llama-cpp';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const option = (name: string, fallback?: string) => {
  const at = argv.indexOf(name);
  return at >= 0 && argv[at + 1] !== undefined ? argv[at + 1]! : fallback;
};
const options = (name: string) => argv.flatMap((value, i) => (argv[i - 1] === name ? [value] : []));

const modelPath = option('--model');
const out = option('--out');
if (!modelPath || !out) {
  console.error('usage: ggufGreedy.ts --model BASE.gguf [--lora ADAPTER.gguf] --split SPLIT --out FILE.jsonl');
  process.exit(2);
}
const split = option('--split', 'valid')!;
const source = option('--source');
const limit = Number(option('--limit', '0'));
const maxTokens = Number(option('--max-tokens', '256'));
const threads = Number(option('--threads', '1'));
const withExamples = flag('--examples');
const tokensOnly = flag('--tokens-only');

interface Pair {
  id: string;
  split: string;
  source: string;
  system: string;
  user: string;
  userWithExamples: string;
  conclusion: string;
}
let pairs = readFileSync(option('--pairs', join(here, 'data', 'pairs.jsonl'))!, 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line) as Pair)
  .filter((pair) => (split === 'all' || pair.split === split) && (!source || pair.source === source));
if (limit > 0) pairs = pairs.slice(0, limit);

const llama = await getLlama({ gpu: false, build: 'never', skipDownload: true, progressLogs: false, logLevel: LlamaLogLevel.error });
const model = await llama.loadModel({ modelPath, gpuLayers: 0 });
const loras = options('--lora');
const context = await model.createContext({
  contextSize: Number(option('--context', '2048')),
  threads,
  ...(loras.length > 0 ? { lora: { adapters: loras.map((filePath) => ({ filePath, scale: 1 })) } } : {}),
});
const sequence = context.getSequence();
const chatWrapper = resolveChatWrapper(model);
const chat = new LlamaChat({ contextSequence: sequence, chatWrapper });
console.error(`chat wrapper: ${chatWrapper.wrapperName}; ${pairs.length} prompts`);

const lines: string[] = [];
const started = Date.now();
for (const pair of pairs) {
  const user = withExamples ? pair.userWithExamples : pair.user;
  const history: ChatHistoryItem[] = [
    { type: 'system', text: pair.system },
    { type: 'user', text: user },
    { type: 'model', response: [] },
  ];
  const promptTokens = chatWrapper.generateContextState({ chatHistory: history }).contextText.tokenize(model.tokenizer);
  if (tokensOnly) {
    lines.push(JSON.stringify({ id: pair.id, prompt: Array.from(promptTokens) }));
    continue;
  }
  if (promptTokens.length + 1 >= context.contextSize) {
    lines.push(JSON.stringify({ id: pair.id, skipped: `prompt of ${promptTokens.length} tokens` }));
    continue;
  }
  const tokens: number[] = [];
  const t0 = performance.now();
  const response = await chat.generateResponse(history, {
    maxTokens: Math.min(maxTokens, context.contextSize - promptTokens.length - 1),
    temperature: 0,
    onToken: (chunk) => tokens.push(...chunk),
  });
  const ms = performance.now() - t0;
  lines.push(
    JSON.stringify({
      id: pair.id,
      source: pair.source,
      prediction: response.response.trim(),
      reference: pair.conclusion,
      tokens,
      promptTokens: promptTokens.length,
      stopReason: response.metadata.stopReason,
      ms: Math.round(ms),
    }),
  );
}
writeFileSync(out, lines.join('\n') + '\n');
console.error(`${pairs.length} prompts in ${((Date.now() - started) / 1000).toFixed(1)} s`);
chat.dispose();
await context.dispose();
await model.dispose();
await llama.dispose();
