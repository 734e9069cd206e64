import type { ConclusionEngine, EngineSettings } from './engine.ts';
import { createEndpointEngine } from './endpointEngine.ts';
import { createFallbackEngine } from './fallbackEngine.ts';
import { createLlamaEngine } from './llamaEngine.ts';

/**
 * Which engine writes the conclusions: the local model (node-llama-cpp), or the department server when
 * `settings.endpoint` names one, with the local model standing in while the server is down when its `fallback` says
 * `local`. Everything above the engine (prompt, plan, guard, fallback composition) is the same for all three.
 */
export interface EngineSelectionOptions {
  /** The server's API key (SecretStorage in VS Code, RADREPORT_API_KEY for the CLI); never logged. */
  apiKey?: string | undefined;
  log?: (level: 'error' | 'warn' | 'info' | 'debug', message: string) => void;
  /** Creates the local engine; node-llama-cpp's by default (tests pass another). */
  createLocal?: (settings: EngineSettings) => ConclusionEngine;
}

export function createConclusionEngine(settings: EngineSettings, options: EngineSelectionOptions = {}): ConclusionEngine {
  const log = options.log;
  const createLocal = options.createLocal ?? ((local: EngineSettings) => createLlamaEngine(local, log ? { log } : {}));
  const endpoint = settings.endpoint;
  if (!endpoint?.url) return createLocal(settings);
  const server = createEndpointEngine({ ...settings, endpoint }, { apiKey: options.apiKey, ...(log ? { log } : {}) });
  if (endpoint.fallback !== 'local') return server;
  const { endpoint: _server, ...localSettings } = settings;
  return createFallbackEngine(server, () => createLocal(localSettings), log ? { log } : {});
}
