import type { ConclusionPrompt } from '../../generation/conclusionPrompt.ts';
import type { ConclusionEngine, EngineState, GenerateOptions, GenerationResult } from '../../generation/engine.ts';

/**
 * An in-memory engine for unit tests of orchestration (never the proof that generation works): it streams scripted
 * pieces with a delay between them and honours abort. The script sees the prompt and the options (a `responsePrefix`
 * asks it to continue a forced start).
 */
export function scriptedEngine(script: (prompt: ConclusionPrompt, options: GenerateOptions) => string[], delayMs = 5) {
  let state: EngineState = { state: 'unloaded' };
  const listeners = new Set<(s: EngineState) => void>();
  const prompts: ConclusionPrompt[] = [];
  const requests: GenerateOptions[] = [];
  const setState = (next: EngineState) => {
    state = next;
    for (const listener of listeners) listener(next);
  };
  const engine: ConclusionEngine & { prompts: ConclusionPrompt[]; requests: GenerateOptions[]; calls: number } = {
    prompts,
    requests,
    calls: 0,
    get state() {
      return state;
    },
    async load() {
      if (state.state !== 'ready') {
        setState({ state: 'loading', progress: 0.5 });
        setState({ state: 'ready', device: 'CPU', model: 'scripted' });
      }
    },
    async generate(prompt: ConclusionPrompt, options: GenerateOptions = {}): Promise<GenerationResult> {
      engine.calls++;
      prompts.push(prompt);
      requests.push(options);
      await engine.load();
      const started = Date.now();
      let text = '';
      let tokens = 0;
      for (const piece of script(prompt, options)) {
        if (options.signal?.aborted) break;
        if (options.maxTokens !== undefined && tokens >= options.maxTokens) {
          return { text, promptTokens: 10, completionTokens: tokens, reusedPromptTokens: 0, ms: Date.now() - started, stopReason: 'maxTokens' };
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delayMs);
          options.signal?.addEventListener(
            'abort',
            () => {
              clearTimeout(timer);
              resolve();
            },
            { once: true },
          );
        });
        if (options.signal?.aborted) break;
        text += piece;
        tokens++;
        options.onToken?.(piece);
      }
      const aborted = options.signal?.aborted ?? false;
      return { text, promptTokens: 10, completionTokens: tokens, reusedPromptTokens: 0, ms: Date.now() - started, stopReason: aborted ? 'aborted' : 'eos' };
    },
    onState(listener) {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
    async unload() {
      setState({ state: 'unloaded' });
    },
    async dispose() {
      listeners.clear();
    },
  };
  return engine;
}
