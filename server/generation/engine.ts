import type { ConclusionPrompt } from './conclusionPrompt.ts';

/**
 * The engine seam: everything above it (LSP features, CLI, evaluation) talks to this interface; the node-llama-cpp
 * implementation lives behind it, and unit tests of orchestration pass an in-memory fake.
 */

export type GpuSetting = 'auto' | 'cuda' | 'vulkan' | 'metal' | false;

export interface LoraAdapterSetting {
  /** Path of a LoRA adapter GGUF (llama.cpp's `convert_lora_to_gguf.py` output). */
  path: string;
  /** Scale applied to the adapter; 1 by default. */
  scale: number;
}

export interface EngineSettings {
  /** Path of the base model GGUF. */
  modelPath: string;
  /** LoRA adapters applied on top of the base model, in order. */
  loras: LoraAdapterSetting[];
  /** Which GPU backend to use: `auto` picks CUDA, Vulkan or Metal when present, CPU otherwise; `false` forces CPU. */
  gpu: GpuSetting;
  /** Layers to offload to the GPU: `auto` lets node-llama-cpp decide, a number sets it, `max` offloads all. */
  gpuLayers: number | 'auto' | 'max';
  /** Context size in tokens. */
  contextSize: number;
  /** CPU threads for inference. 1 by default: on small machines more threads can be much slower. */
  threads: number;
  /** Sampling temperature; 0 (greedy, deterministic) by default. */
  temperature: number;
  /** Most tokens to generate for one conclusion. */
  maxTokens: number;
  /** Seed for sampling when temperature > 0. */
  seed: number;
  /**
   * Prompt lookup decoding: the next tokens are guessed by finding the last generated tokens in the findings and
   * checked in one batch with the next token, so phrases copied from the findings cost one evaluation instead of one
   * each. The output is the model's own; only its speed changes. `DEFAULT_ENGINE_SETTINGS.promptLookup` when left out.
   */
  promptLookup?: boolean;
  /**
   * The inference watchdog: most milliseconds the local model may go without producing a token (or any other sign of
   * life) during a generation; then the request fails and the inference process is killed and started again. While
   * the model loads, the allowance is `loadAllowanceMs(inferenceTimeoutMs)`. `DEFAULT_ENGINE_SETTINGS.inferenceTimeoutMs`
   * when left out.
   */
  inferenceTimeoutMs?: number;
  /** An OpenAI-compatible server that writes the conclusions instead of the local model (`endpointEngine.ts`). */
  endpoint?: EndpointSettings;
}

export interface EndpointSettings {
  /** The server's URL: `http://host:8080`, `…/v1` or `…/v1/chat/completions`. */
  url: string;
  /** The model to ask for; empty: the first model the server lists. */
  model: string;
  /** Most milliseconds without a byte from the server before the request fails. */
  timeoutMs: number;
  /** `local`: when the server is down, the local model writes the conclusion instead; `none`: the request fails. */
  fallback: 'local' | 'none';
}

export const DEFAULT_ENGINE_SETTINGS: Omit<EngineSettings, 'modelPath'> & { promptLookup: boolean; inferenceTimeoutMs: number } = {
  loras: [],
  gpu: 'auto',
  gpuLayers: 'auto',
  contextSize: 2048,
  threads: 1,
  temperature: 0,
  maxTokens: 256,
  seed: 42,
  promptLookup: false,
  inferenceTimeoutMs: 20_000,
};

/** How long a model may load without a sign of progress: 120 s, or six times the token watchdog when that is longer. */
export function loadAllowanceMs(inferenceTimeoutMs: number): number {
  return Math.max(120_000, 6 * inferenceTimeoutMs);
}

export interface GenerateOptions {
  /** Aborting stops generation within 100 ms; the promise then resolves with `stopReason: 'aborted'` and the text so far. */
  signal?: AbortSignal;
  /** Called with each new piece of text as it is generated. */
  onToken?: (text: string) => void;
  /** Overrides the engine's `maxTokens` for this request. */
  maxTokens?: number;
  /**
   * Text the answer must start with (what the user already typed): generation continues from it. The result's `text`
   * and the streamed pieces are what comes after it.
   */
  responsePrefix?: string;
}

export interface GenerationResult {
  text: string;
  promptTokens: number;
  completionTokens: number;
  /** Prompt tokens whose KV state was reused from the previous request (a shared prefix is not evaluated again). */
  reusedPromptTokens: number;
  /** Wall-clock milliseconds from the call to its result, including a first-use model load. */
  ms: number;
  stopReason: 'eos' | 'maxTokens' | 'aborted';
  /**
   * With prompt lookup: tokens guessed from the findings that the model confirmed (`accepted`) or not (`rejected`)
   * during this request.
   */
  lookup?: { accepted: number; rejected: number };
}

export type EngineState =
  | { state: 'unloaded' }
  /** `progress`: percent loaded, 0–100. */
  | { state: 'loading'; progress: number }
  /**
   * `device`: `CPU`, or the GPU's name with the backend and offloaded layers; `chatWrapper`: how prompts are rendered;
   * `server`: the department server's name (host and port) when an OpenAI-compatible server writes the conclusions.
   */
  /** `notice`: something the user should know about the model's recent past (it was restarted by the watchdog). */
  | { state: 'ready'; device: string; model: string; chatWrapper?: string; server?: string; notice?: string }
  | { state: 'error'; message: string };

/** The settings a request samples with: changing them needs no reload. */
export type SamplingSettings = Pick<EngineSettings, 'temperature' | 'maxTokens' | 'seed'>;

/** The engine settings without the sampling ones: a change here needs a new engine (another model, adapter, server). */
export function engineLoadKey(settings: EngineSettings): string {
  const { temperature: _temperature, maxTokens: _maxTokens, seed: _seed, ...load } = settings;
  return JSON.stringify(load);
}

export interface ConclusionEngine {
  /** Loads the model on first use (once), then generates. Rejects with a `ModelFileError` for a bad model file. */
  generate(prompt: ConclusionPrompt, options?: GenerateOptions): Promise<GenerationResult>;
  /**
   * Applies new sampling settings to the next request, keeping the loaded model (and its KV cache). An engine without
   * it is replaced when they change.
   */
  updateSampling?(sampling: SamplingSettings): void;
  /** Loads the model now (e.g. to warm up), reporting progress through `onState`. */
  load(): Promise<void>;
  readonly state: EngineState;
  onState(listener: (state: EngineState) => void): { dispose(): void };
  /** Unloads the model; the next `generate` loads it again. Idempotent. */
  unload(): Promise<void>;
  /** Releases everything; idempotent. */
  dispose(): Promise<void>;
}

/** The engine cannot serve a request for a reason other than a bad file (a missing GPU backend, a crash, disposal). */
export class EngineError extends Error {
  override readonly name: string = 'EngineError';
}

/** A model or adapter file that cannot be used, with what the user should know to fix it. */
export class ModelFileError extends Error {
  override readonly name = 'ModelFileError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`Cannot use model file ${path}: ${reason}`);
  }
}
