import type { EngineSettings } from './engine.ts';

/**
 * Messages between the language server (parent) and the inference host process (`engineHost.ts`), over Node's IPC
 * channel. Plain JSON data only.
 */

/** What the host needs to load a model: the model-affecting part of `EngineSettings`. */
export type HostLoadSettings = Pick<EngineSettings, 'modelPath' | 'loras' | 'gpu' | 'gpuLayers' | 'contextSize' | 'threads'> & {
  promptLookup: boolean;
  /** Check the GGUF headers of the model and adapters (`modelFileCheck.ts`) before llama.cpp reads them. */
  checkFiles: boolean;
};

export interface HostGenerateRequest {
  id: number;
  system: string;
  user: string;
  maxTokens: number;
  /** The start of the answer, already written; generation continues from it. */
  responsePrefix?: string;
  temperature: number;
  seed: number;
}

export type ParentMessage =
  { type: 'load'; settings: HostLoadSettings } | { type: 'generate'; request: HostGenerateRequest } | { type: 'abort'; id: number } | { type: 'shutdown' };

/** A failure the parent turns into an error: a bad model/adapter file, or anything else. */
export type HostError = { kind: 'modelFile'; path: string; reason: string } | { kind: 'engine'; message: string };

/** Which part of loading is under way, so that a crash can be blamed on the right file. */
export type LoadStage =
  | { stage: 'start' }
  /** Checking a GGUF header (the model's or an adapter's), under the engine's time limit. */
  | { stage: 'check'; path: string }
  | { stage: 'backend' }
  | { stage: 'model'; path: string }
  | { stage: 'lora'; path: string }
  | { stage: 'context' };

export type HostMessage =
  | { type: 'progress'; loading: LoadStage; progress: number }
  | { type: 'loaded'; device: string; model: string; chatWrapper: string; contextSize: number }
  | { type: 'loadFailed'; error: HostError }
  | { type: 'started'; id: number; promptTokens: number; reusedPromptTokens: number }
  | { type: 'token'; id: number; text: string; completionTokens: number }
  /** The host's heartbeat while it works on a request (evaluating a long prompt sends nothing else for a while). */
  | { type: 'alive'; id: number }
  | {
      type: 'done';
      id: number;
      text: string;
      completionTokens: number;
      stopReason: 'eos' | 'maxTokens' | 'aborted';
      /** Prompt lookup's guesses in this request, when it is on. */
      lookup?: { accepted: number; rejected: number };
    }
  | { type: 'failed'; id: number; error: HostError }
  | { type: 'log'; level: 'error' | 'warn' | 'info' | 'debug'; message: string };
