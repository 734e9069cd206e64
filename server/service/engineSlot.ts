import { engineLoadKey, type ConclusionEngine, type EngineSettings, type EngineState, type RequestSettings } from '../generation/engine.ts';

/**
 * The service's one conclusion engine: made on first use for the current settings, kept across settings changes that
 * touch only what each request runs with (temperature, seed, token limit, watchdog), replaced (the old one disposed)
 * when the model, an adapter, the backend, the context, the threads or the server change.
 */
export interface EngineSlot {
  /** The engine for the current settings, made now if there is none. */
  engine(): ConclusionEngine;
  /**
   * What the settings change did to the engine: nothing, new request settings given to it, or a new engine to come
   * (`beforeReplace` runs first, so work on the old engine is stopped before it is disposed).
   */
  update(beforeReplace?: () => void): Promise<'unchanged' | 'updated' | 'replaced'>;
  readonly state: EngineState;
  /** Model state changes of whichever engine is current, with the model path it loads. */
  onState(listener: (state: EngineState, model: string) => void): { dispose(): void };
  load(): Promise<void>;
  unload(): Promise<void>;
  dispose(): Promise<void>;
}

export function requestSettingsOf({ temperature, maxTokens, seed, inferenceTimeoutMs }: EngineSettings): RequestSettings {
  return { temperature, maxTokens, seed, ...(inferenceTimeoutMs !== undefined ? { inferenceTimeoutMs } : {}) };
}

/** `settings()` gives the engine settings as they are now; `update()` is called after they change. */
export function createEngineSlot(createEngine: (settings: EngineSettings) => ConclusionEngine, settings: () => EngineSettings): EngineSlot {
  let engine: ConclusionEngine | undefined;
  /** What the current engine was made for. */
  let loadKey = '';
  let requestKey = '';
  const listeners = new Set<(state: EngineState, model: string) => void>();

  const slot: EngineSlot = {
    engine() {
      if (!engine) {
        const current = settings();
        engine = createEngine(current);
        loadKey = engineLoadKey(current);
        requestKey = JSON.stringify(requestSettingsOf(current));
        const model = current.modelPath;
        engine.onState((state) => {
          for (const listener of listeners) listener(state, model);
        });
      }
      return engine;
    },

    async update(beforeReplace) {
      if (!engine) return 'unchanged';
      const next = settings();
      const key = engineLoadKey(next);
      const request = requestSettingsOf(next);
      const nextRequestKey = JSON.stringify(request);
      if (key === loadKey && nextRequestKey === requestKey) return 'unchanged';
      if (key === loadKey && engine.updateRequestSettings) {
        requestKey = nextRequestKey;
        engine.updateRequestSettings(request);
        return 'updated';
      }
      beforeReplace?.();
      const old = engine;
      engine = undefined;
      await old.dispose();
      return 'replaced';
    },

    get state() {
      return engine?.state ?? { state: 'unloaded' };
    },

    onState(listener) {
      listeners.add(listener);
      return { dispose: () => void listeners.delete(listener) };
    },

    async load() {
      await slot.engine().load();
    },

    async unload() {
      await engine?.unload();
    },

    async dispose() {
      const old = engine;
      engine = undefined;
      await old?.dispose();
    },
  };
  return slot;
}
