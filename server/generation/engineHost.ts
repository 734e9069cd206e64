/**
 * The inference host: a child process (forked by `llamaEngine.ts`) that owns node-llama-cpp, the model, its context
 * and the one context sequence kept between requests. It checks GGUF headers before llama.cpp reads them, under a
 * memory limit (`hostProcess.ts`) and the parent's time limit; a file that still makes llama.cpp abort takes down only
 * this host, which the language server restarts on its next request.
 *
 * Requests are served one at a time, in order; an abort message stops the running generation at its next token.
 * Bundled as its own entry point (`dist/engineHost.mjs`), with node-llama-cpp external.
 */
import { basename } from 'node:path';
import {
  getLlama,
  InputLookupTokenPredictor,
  LlamaChat,
  LlamaLogLevel,
  resolveChatWrapper,
  type ChatHistoryItem,
  type ChatWrapper,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaModel,
} from 'node-llama-cpp';
import { ModelFileError } from './engine.ts';
import { checkLoraFile, checkModelFile } from './modelFileCheck.ts';
import type { HostError, HostGenerateRequest, HostLoadSettings, HostMessage, LoadStage, ParentMessage } from './engineProtocol.ts';

interface Loaded {
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  sequence: LlamaContextSequence;
  chat: LlamaChat;
  chatWrapper: ChatWrapper;
}

let loaded: Loaded | undefined;
let work: Promise<void> = Promise.resolve();
const aborts = new Map<number, AbortController>();
/** The last llama.cpp errors, to explain a failure that node-llama-cpp only reports as "Failed to load model". */
const recentErrors: string[] = [];
/** Set from llama.cpp's own "loading lora adapter from '…'" line, so an adapter failure names the right file. */
let loraBeingLoaded: string | undefined;

function send(message: HostMessage): void {
  process.send?.(message);
}

function enqueue(task: () => Promise<void>): void {
  work = work.then(task, task);
}

process.on('message', (message: ParentMessage) => {
  switch (message.type) {
    case 'load':
      enqueue(() => load(message.settings));
      return;
    case 'generate': {
      const controller = new AbortController();
      aborts.set(message.request.id, controller);
      enqueue(() => generate(message.request, controller.signal));
      return;
    }
    case 'abort':
      aborts.get(message.id)?.abort();
      return;
    case 'shutdown':
      for (const controller of aborts.values()) controller.abort();
      enqueue(shutdown);
      return;
  }
});
// The language server went away: nothing left to serve.
process.on('disconnect', () => process.exit(0));

async function load(settings: HostLoadSettings): Promise<void> {
  try {
    await unloadModel();
    if (settings.checkFiles) {
      // Here, not in the language server: a crafted header costs this process's time and memory, which are bounded.
      progress({ stage: 'check', path: settings.modelPath }, 0);
      const { architecture } = await checkModelFile(settings.modelPath);
      for (const lora of settings.loras) {
        progress({ stage: 'check', path: lora.path }, 0);
        await checkLoraFile(lora.path, architecture);
      }
    }
    progress({ stage: 'backend' }, 0);
    const llama = await loadBackend(settings);
    if (settings.gpu !== false && settings.gpu !== 'auto' && llama.gpu !== settings.gpu) {
      send({ type: 'log', level: 'warn', message: `the ${settings.gpu} backend is not available here; running on ${llama.gpu || 'the CPU'}` });
    }
    progress({ stage: 'model', path: settings.modelPath }, 0);
    let model: LlamaModel;
    try {
      model = await llama.loadModel({
        modelPath: settings.modelPath,
        gpuLayers: llama.gpu === false ? 0 : settings.gpuLayers,
        onLoadProgress: (fraction) => progress({ stage: 'model', path: settings.modelPath }, fraction * 0.9),
      });
    } catch (error) {
      await logsDrained();
      throw new ModelFileError(settings.modelPath, explain(error));
    }
    progress(settings.loras.length > 0 ? { stage: 'lora', path: settings.loras[0]!.path } : { stage: 'context' }, 0.9);
    let context: LlamaContext;
    try {
      context = await model.createContext({
        contextSize: settings.contextSize,
        threads: settings.threads,
        // On the CPU, llama.cpp's flash attention makes small batches (the few new tokens of an extended prompt)
        // 10-20x slower than without it (bench/generation.bench.ts); on a GPU it is left to llama.cpp.
        flashAttention: model.gpuLayers === 0 ? false : 'auto',
        ...(settings.loras.length > 0 ? { lora: { adapters: settings.loras.map(({ path, scale }) => ({ filePath: path, scale })) } } : {}),
      });
    } catch (error) {
      await logsDrained();
      await model.dispose();
      const lora = loraBeingLoaded ?? (settings.loras.length === 1 ? settings.loras[0]!.path : undefined);
      if (settings.loras.length > 0 && lora !== undefined && /lora|adapter/i.test(`${explain(error)} ${recentErrors.join(' ')}`)) {
        throw new ModelFileError(lora, explain(error));
      }
      throw new Error(`Could not create a context of ${settings.contextSize} tokens: ${explain(error)}`);
    }
    // Prompt lookup: the conclusion often copies phrases of the findings (the last user message, which LlamaChat hands
    // to the predictor); guessed tokens are checked with the next one in one batch, so the text is the model's own.
    const sequence = context.getSequence(settings.promptLookup ? { tokenPredictor: new InputLookupTokenPredictor() } : {});
    const chatWrapper = resolveChatWrapper(model);
    const chat = new LlamaChat({ contextSequence: sequence, chatWrapper });
    loaded = { llama, model, context, sequence, chat, chatWrapper };
    progress({ stage: 'context' }, 1);
    send({
      type: 'loaded',
      device: await deviceName(llama, model),
      model: modelName(model, settings.modelPath),
      chatWrapper: chatWrapper.wrapperName,
      contextSize: context.contextSize,
    });
  } catch (error) {
    send({ type: 'loadFailed', error: hostError(error) });
  }
}

async function loadBackend(settings: HostLoadSettings): Promise<Llama> {
  try {
    return await getLlama({
      gpu: settings.gpu,
      // Never build or download at run time: use the prebuilt binaries that ship with node-llama-cpp.
      build: 'never',
      skipDownload: true,
      progressLogs: false,
      // Info level so that adapter loading can be attributed; only warnings and errors are forwarded.
      logLevel: LlamaLogLevel.info,
      logger: onLlamaLog,
    });
  } catch (error) {
    const backend = settings.gpu === false ? 'CPU' : settings.gpu === 'auto' ? 'any' : settings.gpu;
    throw new Error(`The ${backend} inference backend is not available on this machine: ${explain(error)}`);
  }
}

function onLlamaLog(level: LlamaLogLevel, message: string): void {
  const text = message.trim();
  const lora = /loading lora adapter from '([^']+)'/.exec(text);
  if (lora) loraBeingLoaded = lora[1];
  if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal) {
    recentErrors.push(text);
    if (recentErrors.length > 5) recentErrors.shift();
    send({ type: 'log', level: 'error', message: text });
  } else if (level === LlamaLogLevel.warn) {
    send({ type: 'log', level: 'warn', message: text });
  }
}

/** How often the host says it is alive while it works on a request (the parent's watchdog listens). */
const HEARTBEAT_MS = 250;

async function generate(request: HostGenerateRequest, signal: AbortSignal): Promise<void> {
  const { id } = request;
  // llama.cpp evaluates on a worker thread, so this event loop keeps beating unless the process is stopped or wedged.
  const heartbeat = setInterval(() => send({ type: 'alive', id }), HEARTBEAT_MS);
  try {
    if (signal.aborted) {
      send({ type: 'done', id, text: '', completionTokens: 0, stopReason: 'aborted' });
      return;
    }
    if (loaded === undefined) throw new Error('No model is loaded');
    const { model, context, sequence, chat, chatWrapper } = loaded;
    const history: ChatHistoryItem[] = [
      { type: 'system', text: request.system },
      { type: 'user', text: request.user },
      { type: 'model', response: request.responsePrefix ? [request.responsePrefix] : [] },
    ];
    // The same rendering LlamaChat does, to know the prompt's length and how much of it the sequence already holds.
    const promptTokens = chatWrapper.generateContextState({ chatHistory: history }).contextText.tokenize(model.tokenizer);
    const room = context.contextSize - promptTokens.length;
    if (room < 1) {
      throw new Error(
        `The prompt has ${promptTokens.length} tokens, more than the context size of ${context.contextSize}; raise the context size setting or shorten the findings`,
      );
    }
    // LlamaChat always evaluates at least the prompt's last token again.
    const reusedPromptTokens = Math.min(sequence.compareContextTokens(promptTokens).firstDifferentIndex, promptTokens.length - 1);
    send({ type: 'started', id, promptTokens: promptTokens.length, reusedPromptTokens });
    let completionTokens = 0;
    const predictionsBefore = sequence.tokenPredictor ? sequence.tokenPredictions : undefined;
    const response = await chat.generateResponse(history, {
      signal,
      stopOnAbortSignal: true,
      maxTokens: Math.min(request.maxTokens, room),
      temperature: request.temperature,
      ...(request.temperature > 0 ? { seed: request.seed } : {}),
      // LlamaChat's default penalty factor is 1 (no effect) but it still collects the last 64 tokens on every step;
      // turning it off changes no output and saves that work per token (scripts/gpu/productBench.ts breakdown).
      repeatPenalty: false,
      onToken: (tokens) => {
        completionTokens += tokens.length;
      },
      onTextChunk: (text) => send({ type: 'token', id, text, completionTokens }),
    });
    const reason = response.metadata.stopReason;
    const stopReason = reason === 'abort' ? 'aborted' : reason === 'maxTokens' ? 'maxTokens' : 'eos';
    const predictionsAfter = sequence.tokenPredictions;
    const lookup = predictionsBefore
      ? { accepted: predictionsAfter.validated - predictionsBefore.validated, rejected: predictionsAfter.refuted - predictionsBefore.refuted }
      : undefined;
    send({ type: 'done', id, text: response.response, completionTokens, stopReason, ...(lookup ? { lookup } : {}) });
  } catch (error) {
    send({ type: 'failed', id, error: hostError(error) });
  } finally {
    clearInterval(heartbeat);
    aborts.delete(id);
  }
}

async function unloadModel(): Promise<void> {
  const current = loaded;
  loaded = undefined;
  if (current === undefined) return;
  current.chat.dispose();
  await current.context.dispose();
  await current.model.dispose();
}

async function shutdown(): Promise<void> {
  try {
    const llama = loaded?.llama;
    await unloadModel();
    await llama?.dispose();
  } finally {
    process.exit(0);
  }
}

function progress(loading: LoadStage, fraction: number): void {
  send({ type: 'progress', loading, progress: fraction });
}

async function deviceName(llama: Llama, model: LlamaModel): Promise<string> {
  if (llama.gpu === false || model.gpuLayers === 0) return 'CPU';
  const names = await llama.getGpuDeviceNames().catch(() => []);
  const layers = `${model.gpuLayers}/${model.fileInsights.totalLayers} layers`;
  return `${names[0] ?? 'GPU'} (${llama.gpu}, ${layers})`;
}

function modelName(model: LlamaModel, path: string): string {
  const name = model.fileInfo.metadata.general?.name;
  return typeof name === 'string' && name.trim() !== '' ? name : basename(path);
}

/** llama.cpp's log lines reach JavaScript asynchronously; the one explaining a failure can trail the rejection. */
function logsDrained(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 50));
}

function explain(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // node-llama-cpp says "Failed to load model"; llama.cpp's log said why.
  const cause = recentErrors.filter((line) => !/failed to load model/i.test(line)).at(-1);
  recentErrors.length = 0;
  return cause !== undefined && !message.includes(cause) ? `${message}: ${cause.replace(/^[a-z_]+: /, '')}` : message;
}

function hostError(error: unknown): HostError {
  if (error instanceof ModelFileError) return { kind: 'modelFile', path: error.path, reason: error.reason };
  return { kind: 'engine', message: error instanceof Error ? error.message : String(error) };
}
