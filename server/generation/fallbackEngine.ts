import type { ConclusionPrompt } from './conclusionPrompt.ts';
import type { ConclusionEngine, EngineState, GenerateOptions, GenerationResult, SamplingSettings } from './engine.ts';
import { EndpointError } from './endpointError.ts';
import type { EndpointEngine } from './endpointEngine.ts';

/**
 * The department server first, the local model when the server is down (`radiologyReport.endpointFallback: "local"`).
 *
 * - Only a server that is down or overloaded hands over (unreachable, timed out, still busy after the retries, a 5xx, a
 *   connection that broke mid-stream); a refused API key, a wrong model name or an untrusted certificate are the
 *   user's to fix and are reported as they are.
 * - A conclusion cut off mid-stream is finished by the local model from where the server stopped (the streamed text is
 *   its response prefix), so the text already shown is never taken back.
 * - After a failure the local model serves for `retryServerAfterMs` before the server is tried again, so a dead server
 *   does not cost a connection timeout on every keystroke.
 * - The state is that of the engine serving now: the status bar says when the local model has taken over.
 * The local engine is created on first need only (it may load a model of several hundred megabytes).
 */
export interface FallbackEngineOptions {
  log?: (level: 'error' | 'warn' | 'info' | 'debug', message: string) => void;
  /** How long the local model serves after a server failure before the server is tried again (default 30 s). */
  retryServerAfterMs?: number;
  /** The clock, for tests. */
  now?: () => number;
}

export function createFallbackEngine(server: EndpointEngine, createLocal: () => ConclusionEngine, options: FallbackEngineOptions = {}): ConclusionEngine {
  const log = options.log ?? (() => {});
  const retryAfter = options.retryServerAfterMs ?? 30_000;
  const now = options.now ?? Date.now;
  let local: ConclusionEngine | undefined;
  let active: 'server' | 'local' = 'server';
  /** Until then, requests go straight to the local model. */
  let localUntil = 0;
  const listeners = new Set<(state: EngineState) => void>();

  const emit = (state: EngineState) => {
    for (const listener of [...listeners]) {
      try {
        listener(state);
      } catch (error) {
        log('error', `engine state listener failed: ${(error as Error).message}`);
      }
    }
  };
  server.onState((state) => {
    if (active === 'server') emit(state);
  });
  const localEngine = (): ConclusionEngine => {
    if (!local) {
      const created = createLocal();
      if (sampling) created.updateSampling?.(sampling);
      created.onState((state) => {
        if (active === 'local') emit(state);
      });
      local = created;
    }
    return local;
  };
  const activate = (which: 'server' | 'local') => {
    if (active === which) return;
    active = which;
    emit(which === 'server' ? server.state : localEngine().state);
  };
  const handOver = (error: EndpointError) => {
    localUntil = now() + retryAfter;
    log('warn', `${error.message}; the local model writes conclusions for the next ${Math.round(retryAfter / 1000)} s`);
    activate('local');
  };

  /** The sampling settings given since the engines were made: a local engine made later starts with them. */
  let sampling: SamplingSettings | undefined;
  const engine: ConclusionEngine = {
    updateSampling(next) {
      sampling = next;
      server.updateSampling?.(next);
      local?.updateSampling?.(next);
    },

    get state() {
      return active === 'local' && local ? local.state : server.state;
    },

    onState(listener) {
      listeners.add(listener);
      return { dispose: () => void listeners.delete(listener) };
    },

    async load() {
      if (now() < localUntil) return localEngine().load();
      try {
        await server.load();
        activate('server');
      } catch (error) {
        if (!(error instanceof EndpointError) || !error.serverDown) throw error;
        handOver(error);
        await localEngine().load();
      }
    },

    async generate(prompt: ConclusionPrompt, generateOptions: GenerateOptions = {}): Promise<GenerationResult> {
      if (now() < localUntil) return localEngine().generate(prompt, generateOptions);
      const startedAt = performance.now();
      let streamed = '';
      /** Streamed pieces: one token each from llama-server and vLLM, the best count of a cut-off answer. */
      let streamedPieces = 0;
      try {
        const result = await server.generate(prompt, {
          ...generateOptions,
          onToken: (piece) => {
            streamed += piece;
            streamedPieces++;
            generateOptions.onToken?.(piece);
          },
        });
        activate('server');
        return result;
      } catch (error) {
        if (!(error instanceof EndpointError) || !error.serverDown) throw error;
        handOver(error);
        const prefix = (generateOptions.responsePrefix ?? '') + streamed;
        const continued = await localEngine().generate(prompt, { ...generateOptions, ...(prefix ? { responsePrefix: prefix } : {}) });
        return {
          ...continued,
          text: streamed + continued.text,
          completionTokens: continued.completionTokens + streamedPieces,
          ms: performance.now() - startedAt,
        };
      }
    },

    async unload() {
      await Promise.all([server.unload(), local?.unload()]);
    },

    async dispose() {
      listeners.clear();
      await Promise.all([server.dispose(), local?.dispose()]);
    },
  };
  return engine;
}
