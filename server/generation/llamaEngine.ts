import type { ConclusionPrompt } from './conclusionPrompt.ts';
import {
  DEFAULT_ENGINE_SETTINGS,
  EngineError,
  loadAllowanceMs,
  ModelFileError,
  type ConclusionEngine,
  type EngineSettings,
  type EngineState,
  type GenerateOptions,
  type GenerationResult,
} from './engine.ts';
import type { HostError, HostLoadSettings, HostMessage, LoadStage } from './engineProtocol.ts';
import { defaultHostPath, HOST_HEAP_LIMIT_MB, InferenceHost, type HostExit } from './hostProcess.ts';
import { checkGgufFile } from './modelFileCheck.ts';

/** Most milliseconds the inference host may take to check one GGUF header (it reads it after bounding it). */
const HEADER_CHECK_MS = 15_000;

/**
 * The node-llama-cpp conclusion engine. Inference runs in a child process (`engineHost.ts`) so that a model file that
 * makes llama.cpp abort takes down only that process: the language server reports a `ModelFileError` and starts a
 * fresh host on the next request.
 *
 * - Loads lazily on the first `generate` (or `load()`), once; concurrent callers share the load.
 * - Streams text to `onToken`; an abort settles the call at once with the text so far (the host stops at its next
 *   token), so a keystroke never waits for a token to finish.
 * - Keeps one context sequence between requests: a repeated or extended prompt reuses the KV state of its shared prefix.
 * - A watchdog: when the host sends no token for `inferenceTimeoutMs` during a generation (before the first token, while
 *   the prompt is evaluated: no heartbeat for that long, or no token for the loading allowance), or no progress for
 *   `loadAllowanceMs(inferenceTimeoutMs)` while loading, the host is taken as hung (stopped, deadlocked, swapping):
 *   the request fails with a clear error, the host is killed, and after a generation a fresh one loads the model again
 *   at once, so the next request is served.
 */
export interface LlamaEngineOptions {
  /**
   * The host module to fork. Defaults to `engineHost.ts` beside this module when running from source (forked with
   * `--import tsx`), and `engineHost.mjs` beside the bundle otherwise (`dist/engineHost.mjs`).
   */
  hostPath?: string;
  /** Where engine and llama.cpp messages go (the LSP log); never stdout. */
  log?: (level: 'error' | 'warn' | 'info' | 'debug', message: string) => void;
  /**
   * Check GGUF headers before llama.cpp reads them (default true). Turning it off leaves only the process boundary
   * between a malformed file and the language server; tests do so to check that boundary.
   */
  checkModelFiles?: boolean;
  /**
   * Milliseconds the inference host may take to check one GGUF header (default 15 s) and, while loading, between
   * signs of progress (default `loadAllowanceMs(inferenceTimeoutMs)`); tests shorten them.
   */
  limits?: { headerCheckMs?: number; loadMs?: number };
}

/** The engine with its settings, which can change while it lives. */
export interface LlamaEngine extends ConclusionEngine {
  readonly settings: EngineSettings;
  /**
   * Applies new settings. A change to the model, adapters, backend, offloading, context size, threads or prompt lookup
   * unloads the model (the next request loads it with the new settings); sampling settings apply to the next request
   * as they are.
   */
  updateSettings(settings: EngineSettings): Promise<void>;
  /** The inference host's process id while one runs (for diagnostics). */
  readonly hostPid: number | undefined;
}

export type LlamaEngineSettings = Partial<EngineSettings> & Pick<EngineSettings, 'modelPath'>;

interface PendingGeneration {
  text: string;
  promptTokens: number;
  reusedPromptTokens: number;
  completionTokens: number;
  startedAt: number;
  settled: boolean;
  onToken: ((text: string) => void) | undefined;
  resolve(result: GenerationResult): void;
  reject(error: Error): void;
  detach(): void;
}

interface PendingLoad {
  resolve(): void;
  reject(error: Error): void;
}

export function createLlamaEngine(settings: LlamaEngineSettings, options: LlamaEngineOptions = {}): LlamaEngine {
  const hostPath = options.hostPath ?? defaultHostPath();
  const log = options.log ?? (() => {});
  const checkFiles = options.checkModelFiles ?? true;
  const headerCheckMs = options.limits?.headerCheckMs ?? HEADER_CHECK_MS;
  let current: EngineSettings = { ...DEFAULT_ENGINE_SETTINGS, ...settings };
  let state: EngineState = { state: 'unloaded' };
  const listeners = new Set<(state: EngineState) => void>();
  let host: InferenceHost | undefined;
  let loading: Promise<void> | undefined;
  let pendingLoad: PendingLoad | undefined;
  let loadStage: LoadStage = { stage: 'start' };
  let lastPercent = -1;
  const generations = new Map<number, PendingGeneration>();
  let nextId = 1;
  let disposed = false;
  /** Bumped by unload and dispose: a load begun before then is void. */
  let epoch = 0;
  let watchdog: NodeJS.Timeout | undefined;
  /** When the host last sent anything (its heartbeat included), and anything but its heartbeat. */
  let lastSign = 0;
  let lastProgress = 0;
  let checkStartedAt = 0;
  /** Why the host was last restarted by the watchdog; shown with the ready state until a generation succeeds. */
  let restartNotice: string | undefined;

  const setState = (next: EngineState) => {
    state = next;
    for (const listener of [...listeners]) {
      try {
        listener(next);
      } catch (error) {
        log('error', `engine state listener failed: ${(error as Error).message}`);
      }
    }
  };

  const onMessage = (from: InferenceHost, message: HostMessage) => {
    if (from !== host) return;
    // Any message is a sign of life; anything but the heartbeat is progress.
    lastSign = performance.now();
    if (message.type !== 'alive') lastProgress = lastSign;
    watch();
    switch (message.type) {
      case 'alive':
        return;
      case 'progress': {
        if (message.loading.stage === 'check' && (loadStage.stage !== 'check' || loadStage.path !== message.loading.path)) checkStartedAt = lastSign;
        loadStage = message.loading;
        watch();
        const percent = Math.floor(message.progress * 100);
        if (percent > lastPercent && state.state === 'loading') {
          lastPercent = percent;
          setState({ state: 'loading', progress: percent });
        }
        return;
      }
      case 'loaded':
        log('info', `model ${message.model} ready on ${message.device} (chat template: ${message.chatWrapper}, context ${message.contextSize} tokens)`);
        setState({
          state: 'ready',
          device: message.device,
          model: message.model,
          chatWrapper: message.chatWrapper,
          ...(restartNotice ? { notice: restartNotice } : {}),
        });
        pendingLoad?.resolve();
        pendingLoad = undefined;
        return;
      case 'loadFailed':
        pendingLoad?.reject(toError(message.error));
        pendingLoad = undefined;
        return;
      case 'started': {
        const generation = generations.get(message.id);
        if (generation) {
          generation.promptTokens = message.promptTokens;
          generation.reusedPromptTokens = message.reusedPromptTokens;
        }
        return;
      }
      case 'token': {
        const generation = generations.get(message.id);
        if (!generation || generation.settled) return;
        generation.text += message.text;
        generation.completionTokens = message.completionTokens;
        try {
          generation.onToken?.(message.text);
        } catch (error) {
          log('error', `onToken listener failed: ${(error as Error).message}`);
        }
        return;
      }
      case 'done': {
        const generation = generations.get(message.id);
        generations.delete(message.id);
        if (!generation || generation.settled) return;
        if (restartNotice && message.stopReason !== 'aborted' && state.state === 'ready') {
          restartNotice = undefined;
          const { notice: _notice, ...ready } = state;
          setState(ready);
        }
        settle(generation, {
          text: message.text,
          promptTokens: generation.promptTokens,
          completionTokens: message.completionTokens,
          reusedPromptTokens: generation.reusedPromptTokens,
          ms: performance.now() - generation.startedAt,
          stopReason: message.stopReason,
          ...(message.lookup ? { lookup: message.lookup } : {}),
        });
        return;
      }
      case 'failed': {
        const generation = generations.get(message.id);
        generations.delete(message.id);
        if (!generation || generation.settled) return;
        generation.settled = true;
        generation.detach();
        generation.reject(toError(message.error));
        updateActivity();
        return;
      }
      case 'log':
        log(message.level, `llama.cpp: ${message.message}`);
        return;
    }
  };

  const onExit = (from: InferenceHost, exit: HostExit) => {
    if (from !== host) return;
    host = undefined;
    if (exit.expected) return;
    const how = exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
    // The last stderr line, without the build machine's source directory (`/home/runner/…/llama-model-loader.cpp:1321: …`).
    const reason = (
      exit.stderrTail.some((line) => /heap out of memory/.test(line)) ? `it ran out of its ${HOST_HEAP_LIMIT_MB} MiB JavaScript heap` : exit.stderrTail.at(-1)
    )
      ?.trim()
      .replace(/^\/\S*\/(?=[^/\s]+:\d+:)/, '');
    const detail = `the inference process stopped (${how})${reason ? `: ${reason}` : ''}`;
    log('error', `inference host: ${detail}`);
    if (pendingLoad) {
      pendingLoad.reject(crashWhileLoading(loadStage, current, detail));
      pendingLoad = undefined;
    } else {
      setState({ state: 'error', message: `The model stopped working (${detail}); it is reloaded on the next request` });
    }
    for (const [id, generation] of generations) {
      generations.delete(id);
      if (generation.settled) continue;
      generation.settled = true;
      generation.detach();
      generation.reject(new EngineError(`Generation failed: ${detail}; the model is reloaded on the next request`));
    }
  };

  const startHost = (): InferenceHost => {
    const started: InferenceHost = new InferenceHost({
      hostPath,
      log,
      onMessage: (message) => onMessage(started, message),
      onExit: (exit) => onExit(started, exit),
    });
    return started;
  };

  const doLoad = async (): Promise<void> => {
    const loadEpoch = epoch;
    const settings = current;
    lastPercent = 0;
    loadStage = { stage: 'start' };
    setState({ state: 'loading', progress: 0 });
    if (checkFiles) {
      // Before any process is started: a missing file, one that is not a GGUF or one whose header claims more entries
      // than it can hold is reported in milliseconds. The inference host reads the rest of the header.
      try {
        await checkGgufFile(settings.modelPath, 'model');
        for (const lora of settings.loras) await checkGgufFile(lora.path, 'LoRA adapter');
      } catch (error) {
        if (loadEpoch === epoch) setState({ state: 'error', message: (error as Error).message });
        throw error;
      }
      if (loadEpoch !== epoch) throw new EngineError('The model was unloaded before it finished loading');
    }
    const started = startHost();
    host = started;
    const loadSettings: HostLoadSettings = {
      modelPath: settings.modelPath,
      loras: settings.loras,
      gpu: settings.gpu,
      gpuLayers: settings.gpuLayers,
      contextSize: settings.contextSize,
      threads: settings.threads,
      promptLookup: settings.promptLookup ?? DEFAULT_ENGINE_SETTINGS.promptLookup,
      checkFiles,
    };
    try {
      await new Promise<void>((resolve, reject) => {
        pendingLoad = { resolve, reject };
        lastSign = lastProgress = performance.now();
        started.send({ type: 'load', settings: loadSettings });
        updateActivity();
      });
    } catch (error) {
      if (host === started) host = undefined;
      void started.stop();
      if (loadEpoch === epoch) setState({ state: 'error', message: (error as Error).message });
      throw error;
    } finally {
      updateActivity();
    }
  };

  const generating = () => [...generations.values()].some((generation) => !generation.settled);

  /** An idle host does not keep this process alive (a CLI run that forgets `dispose()` still exits). */
  const updateActivity = () => {
    host?.setActive(pendingLoad !== undefined || generating());
    watch();
  };

  /** (Re)arms the watchdog while the host has work, with the allowance of that work; disarms it otherwise. */
  const watch = () => {
    clearTimeout(watchdog);
    watchdog = undefined;
    const watched = host;
    if (!watched || disposed) return;
    const tokenMs = current.inferenceTimeoutMs ?? DEFAULT_ENGINE_SETTINGS.inferenceTimeoutMs;
    const loadMs = options.limits?.loadMs ?? loadAllowanceMs(tokenMs);
    const at = (time: number, fire: () => Promise<void>) => {
      watchdog = setTimeout(() => void fire(), Math.max(0, time - performance.now()));
    };
    if (pendingLoad && loadStage.stage === 'check') {
      const checked = loadStage.path;
      at(checkStartedAt + headerCheckMs, () => headerCheckTooLong(watched, checked));
      return;
    }
    if (pendingLoad) {
      at(lastProgress + loadMs, () => hungWhileLoading(watched, loadMs));
      return;
    }
    // The host serves requests in order: the oldest unsettled one is the one it works on (or is about to).
    const oldest = [...generations.values()].find((generation) => !generation.settled);
    if (!oldest) return;
    if (oldest.completionTokens > 0 || oldest.text !== '') {
      at(lastProgress + tokenMs, () => hungWhileGenerating(watched, tokenMs));
      return;
    }
    // Before the first token the prompt is evaluated, which on a large model and a slow CPU can take longer than the
    // gap between tokens: the host's heartbeat shows it is alive meanwhile; the loading allowance bounds the wait.
    if (lastSign + tokenMs <= lastProgress + loadMs) at(lastSign + tokenMs, () => hungWhileGenerating(watched, tokenMs));
    else at(lastProgress + loadMs, () => hungWhileGenerating(watched, loadMs));
  };

  const headerCheckTooLong = async (hung: InferenceHost, path: string) => {
    if (hung !== host || !pendingLoad) return;
    host = undefined;
    log('error', `watchdog: checking the GGUF header of ${path} took more than ${seconds(headerCheckMs)} s; the inference process was stopped`);
    pendingLoad.reject(new ModelFileError(path, `reading its GGUF header took more than ${seconds(headerCheckMs)} s (a crafted or corrupt header?)`));
    pendingLoad = undefined;
    await hung.kill();
  };

  const hungWhileLoading = async (hung: InferenceHost, ms: number) => {
    if (hung !== host || !pendingLoad) return;
    host = undefined;
    const detail = `the inference process showed no progress for ${seconds(ms)} s while loading the model and was stopped`;
    log('error', `watchdog: ${detail}`);
    pendingLoad.reject(
      new EngineError(`The model did not load: ${detail}. Try again, or check the model file and the radiologyReport.inferenceTimeoutMs setting.`),
    );
    pendingLoad = undefined;
    await hung.kill();
  };

  const hungWhileGenerating = async (hung: InferenceHost, ms: number) => {
    if (hung !== host) return;
    host = undefined;
    const message = `The model produced nothing for ${seconds(ms)} s; the inference process was restarted.`;
    log('error', `watchdog: ${message} (radiologyReport.inferenceTimeoutMs = ${ms})`);
    restartNotice = `${message} (${new Date().toLocaleTimeString()})`;
    setState({ state: 'error', message });
    for (const [id, generation] of generations) {
      generations.delete(id);
      if (generation.settled) continue;
      generation.settled = true;
      generation.detach();
      generation.reject(new EngineError(message));
    }
    await hung.kill();
    // Start a fresh host with the model now, so that the next request finds it ready.
    if (!disposed && !host) {
      engine.load().catch((error: Error) => log('error', `restarting the inference process failed: ${error.message}`));
    }
  };

  const settle = (generation: PendingGeneration, result: GenerationResult) => {
    generation.settled = true;
    generation.detach();
    generation.resolve(result);
    updateActivity();
  };

  const stopHost = async (reason: string) => {
    epoch++;
    clearTimeout(watchdog);
    watchdog = undefined;
    loading = undefined;
    const stopping = host;
    host = undefined;
    if (pendingLoad) {
      pendingLoad.reject(new EngineError(reason));
      pendingLoad = undefined;
    }
    for (const [id, generation] of generations) {
      generations.delete(id);
      if (!generation.settled) settle(generation, abortedResult(generation));
    }
    await stopping?.stop();
  };

  const engine: LlamaEngine = {
    get settings() {
      return current;
    },

    get state() {
      return state;
    },

    get hostPid() {
      return host?.pid;
    },

    onState(listener) {
      listeners.add(listener);
      return { dispose: () => void listeners.delete(listener) };
    },

    load() {
      if (disposed) return Promise.reject(new EngineError('The engine has been disposed'));
      if (state.state === 'ready' && host?.alive) return Promise.resolve();
      if (loading) return loading;
      const started: Promise<void> = doLoad().finally(() => {
        if (loading === started) loading = undefined;
      });
      loading = started;
      return started;
    },

    async generate(prompt: ConclusionPrompt, generateOptions: GenerateOptions = {}): Promise<GenerationResult> {
      const startedAt = performance.now();
      const { signal, onToken } = generateOptions;
      const emptyAbort = (): GenerationResult => ({
        text: '',
        promptTokens: 0,
        completionTokens: 0,
        reusedPromptTokens: 0,
        ms: performance.now() - startedAt,
        stopReason: 'aborted',
      });
      if (signal?.aborted) return emptyAbort();
      if (signal) {
        // Loading is not cancelled by an abort (the next request needs the model too), but the caller need not wait.
        let onAbort: () => void = () => {};
        const aborted = new Promise<'aborted'>((resolve) => {
          onAbort = () => resolve('aborted');
          signal.addEventListener('abort', onAbort, { once: true });
        });
        const outcome = await Promise.race([engine.load().then(() => 'loaded' as const), aborted]).finally(() => signal.removeEventListener('abort', onAbort));
        if (outcome === 'aborted') return emptyAbort();
      } else {
        await engine.load();
      }
      const running = host;
      if (!running) throw new EngineError('The model was unloaded before the request started');
      const id = nextId++;
      const maxTokens = generateOptions.maxTokens ?? current.maxTokens;
      return new Promise<GenerationResult>((resolve, reject) => {
        const onAbort = () => {
          const generation = generations.get(id);
          if (!generation || generation.settled) return;
          running.send({ type: 'abort', id });
          settle(generation, abortedResult(generation));
        };
        const generation: PendingGeneration = {
          text: '',
          promptTokens: 0,
          reusedPromptTokens: 0,
          completionTokens: 0,
          startedAt,
          settled: false,
          onToken,
          resolve,
          reject,
          detach: () => signal?.removeEventListener('abort', onAbort),
        };
        generations.set(id, generation);
        signal?.addEventListener('abort', onAbort, { once: true });
        // The watchdog counts from the request.
        lastSign = lastProgress = performance.now();
        updateActivity();
        running.send({
          type: 'generate',
          request: {
            id,
            system: prompt.system,
            user: prompt.user,
            maxTokens,
            ...(generateOptions.responsePrefix ? { responsePrefix: generateOptions.responsePrefix } : {}),
            temperature: current.temperature,
            seed: current.seed,
          },
        });
      });
    },

    updateRequestSettings(sampling) {
      current = { ...current, temperature: sampling.temperature, maxTokens: sampling.maxTokens, seed: sampling.seed };
      if (sampling.inferenceTimeoutMs !== undefined) current.inferenceTimeoutMs = sampling.inferenceTimeoutMs;
      watch();
    },

    async updateSettings(next: EngineSettings) {
      const previous = current;
      current = { ...DEFAULT_ENGINE_SETTINGS, ...next };
      if (modelSettingsKey(previous) !== modelSettingsKey(current)) await engine.unload();
    },

    async unload() {
      if (disposed) return;
      await stopHost('The model was unloaded before it finished loading');
      if (!disposed) setState({ state: 'unloaded' });
    },

    async dispose() {
      if (disposed) return;
      disposed = true;
      await stopHost('The engine was disposed before the model finished loading');
      setState({ state: 'unloaded' });
      listeners.clear();
    },
  };

  function abortedResult(generation: PendingGeneration): GenerationResult {
    return {
      text: generation.text,
      promptTokens: generation.promptTokens,
      completionTokens: generation.completionTokens,
      reusedPromptTokens: generation.reusedPromptTokens,
      ms: performance.now() - generation.startedAt,
      stopReason: 'aborted',
    };
  }

  return engine;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? String(ms / 1000) : (ms / 1000).toFixed(1);
}

/** The settings that need a reload when they change (prompt lookup is part of the context sequence). */
function modelSettingsKey(settings: EngineSettings): string {
  const { modelPath, loras, gpu, gpuLayers, contextSize, threads } = settings;
  const promptLookup = settings.promptLookup ?? DEFAULT_ENGINE_SETTINGS.promptLookup;
  return JSON.stringify({ modelPath, loras, gpu, gpuLayers, contextSize, threads, promptLookup });
}

function toError(error: HostError): Error {
  return error.kind === 'modelFile' ? new ModelFileError(error.path, error.reason) : new EngineError(error.message);
}

/** A crash while loading is blamed on the file being read at the time. */
function crashWhileLoading(stage: LoadStage, settings: EngineSettings, detail: string): Error {
  switch (stage.stage) {
    case 'check':
      return new ModelFileError(stage.path, `reading its GGUF header, ${detail}`);
    case 'model':
      return new ModelFileError(stage.path, `llama.cpp could not read it and ${detail}`);
    case 'lora':
      return new ModelFileError(stage.path, `llama.cpp could not apply the adapter and ${detail}`);
    case 'start':
      return new EngineError(`The inference process failed to start: ${detail}`);
    case 'backend':
      return new EngineError(`The inference backend (${settings.gpu === false ? 'CPU' : settings.gpu}) failed to start: ${detail}`);
    case 'context':
      return new EngineError(`Creating the model context failed: ${detail}`);
  }
}
