import type { ConclusionPrompt } from './conclusionPrompt.ts';
import {
  EngineError,
  type ConclusionEngine,
  type EndpointSettings,
  type EngineSettings,
  type EngineState,
  type GenerateOptions,
  type GenerationResult,
  type RequestSettings,
} from './engine.ts';
import { EndpointError } from './endpointError.ts';
import { EndpointClient, isAbortError, type OpenResponse } from './endpointHttp.ts';
import { endpointUrls, type EndpointUrls } from './endpointUrl.ts';
import { ServerSentEventParser } from './serverSentEvents.ts';

/**
 * The conclusion engine as a client of an OpenAI-compatible server (llama.cpp's llama-server, vLLM, SGLang, Ollama,
 * TGI): the department server of docs/department-server.md. Same interface, same prompt as the local engine.
 *
 * - `load()` asks the server for its models (`GET /v1/models`): it proves the server is reachable, the API key is
 *   accepted and the model exists, and picks the first model when none is named.
 * - `generate()` streams `POST /v1/chat/completions` (server-sent events) with the system and user messages of the
 *   prompt; the server renders them with the model's own chat template, as the local engine does with node-llama-cpp's.
 *   A `responsePrefix` is sent as a final assistant message to be continued (`continue_final_message`, which
 *   llama-server, vLLM and SGLang honour, and Ollama with a template that leaves it open); what streams back is the text
 *   after it.
 * - Aborting closes the connection at once (the server stops generating) and resolves with the text so far.
 * - Sampling follows the engine settings: temperature 0 is greedy, the seed is sent, `maxTokens` is `max_tokens`.
 */
export interface EndpointEngineOptions {
  /** Sent as `Authorization: Bearer …`; never logged. */
  apiKey?: string | undefined;
  log?: (level: 'error' | 'warn' | 'info' | 'debug', message: string) => void;
  /** Retries after 429/503 (default 4) and the longest wait between them (default 30 s). */
  retries?: number;
  maxRetryDelayMs?: number;
}

export interface EndpointEngine extends ConclusionEngine {
  /** The server as the status bar names it: host and port. */
  readonly server: string;
}

export type EndpointEngineSettings = Pick<EngineSettings, 'temperature' | 'maxTokens' | 'seed'> & { endpoint: EndpointSettings };

interface ChatChunk {
  choices?: Array<{ delta?: { content?: string | null }; message?: { content?: string | null }; text?: string; finish_reason?: string | null }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number; prompt_tokens_details?: { cached_tokens?: number } | null } | null;
  /** llama-server: `cache_n` prompt tokens reused from the slot's KV cache, `prompt_n` evaluated. */
  timings?: { cache_n?: number; prompt_n?: number };
  error?: unknown;
}

export function createEndpointEngine(settings: EndpointEngineSettings, options: EndpointEngineOptions = {}): EndpointEngine {
  const { endpoint } = settings;
  let sampling: RequestSettings = { temperature: settings.temperature, maxTokens: settings.maxTokens, seed: settings.seed };
  let urls: EndpointUrls;
  try {
    urls = endpointUrls(endpoint.url);
  } catch (error) {
    throw new EngineError(`The conclusion server URL is not usable: ${(error as Error).message}`);
  }
  const server = urls.displayName;
  const log = options.log ?? (() => {});
  const client = new EndpointClient({
    server,
    apiKey: options.apiKey,
    timeoutMs: endpoint.timeoutMs,
    ...(options.retries !== undefined ? { retries: options.retries } : {}),
    ...(options.maxRetryDelayMs !== undefined ? { maxRetryDelayMs: options.maxRetryDelayMs } : {}),
    log,
  });
  let state: EngineState = { state: 'unloaded' };
  const listeners = new Set<(state: EngineState) => void>();
  /** The model name sent with each request, known once loaded. */
  let model: string | undefined;
  let loading: Promise<void> | undefined;
  /** Every request in flight, so unload and dispose can close them. */
  const inFlight = new Set<AbortController>();
  let disposed = false;

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
  const ready = (): EngineState => ({ state: 'ready', device: `server ${server}`, model: model || '(server default)', server });

  async function doLoad(): Promise<void> {
    setState({ state: 'loading', progress: 0 });
    const controller = new AbortController();
    inFlight.add(controller);
    try {
      const listed = await listModels(controller.signal);
      if (endpoint.model) {
        if (listed && listed.ids.length > 0 && !listed.names.has(endpoint.model)) {
          throw new EndpointError(
            'model',
            server,
            `${server} has no model "${endpoint.model}"; it serves ${listed.ids.map((id) => `"${id}"`).join(', ')}. Set radiologyReport.endpointModel (CLI: --endpoint-model) to one of them`,
            { models: listed.ids },
          );
        }
        model = endpoint.model;
      } else {
        model = listed?.ids[0] ?? '';
      }
      log('info', `conclusion server ${urls.apiBase} ready, model ${model || '(server default)'}`);
      setState(ready());
    } catch (error) {
      const message = isAbortError(error) ? 'The connection to the server was closed' : (error as Error).message;
      setState({ state: 'error', message });
      throw isAbortError(error) ? new EngineError(message) : error;
    } finally {
      inFlight.delete(controller);
    }
  }

  /** The model ids (and llama-server aliases) the server lists; undefined when it has no model list. */
  async function listModels(signal: AbortSignal): Promise<{ ids: string[]; names: Set<string> } | undefined> {
    let json: unknown;
    try {
      json = await client.json({ url: urls.models, method: 'GET', signal });
    } catch (error) {
      // A server without `/v1/models` (some gateways) is not an error: the model is named by the setting.
      if (error instanceof EndpointError && error.kind === 'http' && (error.details.status === 404 || error.details.status === 405)) return undefined;
      throw error;
    }
    const data = (json as { data?: unknown }).data;
    if (!Array.isArray(data))
      throw new EndpointError('protocol', server, `${urls.models} did not list models ({"data": [...]}); is ${server} an OpenAI-compatible server?`);
    const ids: string[] = [];
    const names = new Set<string>();
    for (const entry of data as Array<{ id?: unknown; aliases?: unknown }>) {
      if (typeof entry?.id !== 'string') continue;
      ids.push(entry.id);
      names.add(entry.id);
      if (Array.isArray(entry.aliases)) for (const alias of entry.aliases) if (typeof alias === 'string') names.add(alias);
    }
    return { ids, names };
  }

  const engine: EndpointEngine = {
    updateRequestSettings(next) {
      sampling = { temperature: next.temperature, maxTokens: next.maxTokens, seed: next.seed };
    },

    server,

    get state() {
      return state;
    },

    onState(listener) {
      listeners.add(listener);
      return { dispose: () => void listeners.delete(listener) };
    },

    load() {
      if (disposed) return Promise.reject(new EngineError('The engine has been disposed'));
      if (state.state === 'ready') return Promise.resolve();
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
      let text = '';
      let promptTokens = 0;
      let reusedPromptTokens = 0;
      let completionTokens: number | undefined;
      let pieces = 0;
      const result = (stopReason: GenerationResult['stopReason']): GenerationResult => ({
        text,
        promptTokens,
        completionTokens: completionTokens ?? pieces,
        reusedPromptTokens,
        ms: performance.now() - startedAt,
        stopReason,
      });
      if (signal?.aborted) return result('aborted');
      if (state.state !== 'ready') {
        const loaded = await untilAborted(engine.load(), signal);
        if (loaded === 'aborted') return result('aborted');
      }
      if (disposed) throw new EngineError('The engine has been disposed');

      const controller = new AbortController();
      const onAbort = () => controller.abort();
      signal?.addEventListener('abort', onAbort, { once: true });
      inFlight.add(controller);
      const prefix = generateOptions.responsePrefix ?? '';
      const body = {
        ...(model ? { model } : {}),
        messages: [
          { role: 'system', content: prompt.system },
          { role: 'user', content: prompt.user },
          ...(prefix ? [{ role: 'assistant', content: prefix }] : []),
        ],
        ...(prefix ? { continue_final_message: true, add_generation_prompt: false } : {}),
        stream: true,
        stream_options: { include_usage: true },
        max_tokens: generateOptions.maxTokens ?? sampling.maxTokens,
        temperature: sampling.temperature,
        ...(sampling.temperature > 0 ? { seed: sampling.seed } : {}),
      };
      let finishReason: string | undefined;
      let finished = false;
      const take = (chunk: ChatChunk) => {
        if (chunk.error !== undefined) {
          const message = typeof chunk.error === 'string' ? chunk.error : ((chunk.error as { message?: string })?.message ?? JSON.stringify(chunk.error));
          throw new EndpointError('http', server, `${server} stopped the generation: ${message}`);
        }
        const choice = chunk.choices?.[0];
        const piece = choice?.delta?.content ?? choice?.message?.content ?? choice?.text ?? '';
        if (piece) {
          text += piece;
          pieces++;
          try {
            onToken?.(piece);
          } catch (error) {
            log('error', `onToken listener failed: ${(error as Error).message}`);
          }
        }
        if (choice?.finish_reason) finishReason = choice.finish_reason;
        if (chunk.usage) {
          if (typeof chunk.usage.prompt_tokens === 'number') promptTokens = chunk.usage.prompt_tokens;
          if (typeof chunk.usage.completion_tokens === 'number') completionTokens = chunk.usage.completion_tokens;
          const cached = chunk.usage.prompt_tokens_details?.cached_tokens;
          if (typeof cached === 'number') reusedPromptTokens = cached;
        }
        if (chunk.timings && typeof chunk.timings.cache_n === 'number') {
          reusedPromptTokens = chunk.timings.cache_n;
          if (typeof chunk.timings.prompt_n === 'number') promptTokens = Math.max(promptTokens, chunk.timings.cache_n + chunk.timings.prompt_n);
        }
      };
      let response: OpenResponse | undefined;
      let complete = false;
      try {
        response = await client.open({ url: urls.chatCompletions, method: 'POST', body, signal: controller.signal });
        const streaming = String(response.headers['content-type'] ?? '').includes('text/event-stream');
        if (streaming) {
          const parser = new ServerSentEventParser((event) => {
            if (finished) return;
            if (event.data.trim() === '[DONE]') {
              finished = true;
              return;
            }
            take(parseChunk(event.data));
          });
          // Read to the end even after [DONE], so the connection is kept alive for the next request.
          for await (const piece of response.pieces()) parser.push(piece);
          parser.end();
        } else {
          // A server that ignores `stream` answers with one JSON completion.
          let whole = '';
          for await (const piece of response.pieces()) whole += piece;
          take(parseChunk(whole));
          finished = true;
        }
        if (!finished && finishReason === undefined) {
          throw new EndpointError('interrupted', server, `the answer from ${server} ended before the conclusion was complete`);
        }
        complete = true;
        if (state.state !== 'ready') setState(ready());
        return result(finishReason === 'length' ? 'maxTokens' : 'eos');
      } catch (error) {
        if (controller.signal.aborted || isAbortError(error)) return result('aborted');
        if (error instanceof EndpointError) {
          if (error.serverDown) setState({ state: 'error', message: error.message });
          if (error.kind === 'interrupted') {
            throw new EndpointError(error.kind, server, error.message, { ...error.details, partialText: text });
          }
          throw error;
        }
        throw new EndpointError('protocol', server, `${server} sent an answer that cannot be read: ${(error as Error).message}`);
      } finally {
        if (!complete) response?.close();
        signal?.removeEventListener('abort', onAbort);
        inFlight.delete(controller);
      }
    },

    async unload() {
      if (disposed) return;
      closeAll();
      loading = undefined;
      setState({ state: 'unloaded' });
    },

    async dispose() {
      if (disposed) return;
      disposed = true;
      closeAll();
      client.destroy();
      setState({ state: 'unloaded' });
      listeners.clear();
    },
  };

  function closeAll(): void {
    for (const controller of inFlight) controller.abort();
    inFlight.clear();
  }

  function parseChunk(data: string): ChatChunk {
    try {
      return JSON.parse(data) as ChatChunk;
    } catch {
      throw new EndpointError('protocol', server, `${server} streamed something that is not JSON: ${data.slice(0, 200)}`);
    }
  }

  return engine;
}

/** Waits for `work` unless `signal` aborts first (the work goes on; the caller need not wait for it). */
async function untilAborted(work: Promise<void>, signal: AbortSignal | undefined): Promise<'done' | 'aborted'> {
  if (!signal) {
    await work;
    return 'done';
  }
  let onAbort: () => void = () => {};
  const aborted = new Promise<'aborted'>((resolve) => {
    onAbort = () => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([work.then(() => 'done' as const), aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}
