import * as http from 'node:http';
import * as https from 'node:https';
import { EndpointError } from './endpointError.ts';
import { trustedCertificates } from './systemCertificates.ts';

/**
 * HTTP for the endpoint engine, on Node's own `http`/`https` (no dependency): keep-alive connections, HTTPS that trusts
 * the system's certificate store, an idle timeout from the first connection attempt to the last byte, cancellation
 * that closes the connection (so the server stops generating), and retries with backoff when the server answers 429
 * or 503. Errors are `EndpointError`s that say what the user can do.
 */
export interface EndpointClientOptions {
  /** The server's name in messages (host and port). */
  server: string;
  apiKey?: string | undefined;
  /** Most milliseconds without a byte from the server (connecting, waiting for the answer, between streamed pieces). */
  timeoutMs: number;
  /** Retries after 429 or 503 before giving up (default 4). */
  retries?: number;
  /** Longest wait before a retry, whatever `Retry-After` asks (default 30 s). */
  maxRetryDelayMs?: number;
  log?: (level: 'error' | 'warn' | 'info' | 'debug', message: string) => void;
}

export interface EndpointRequest {
  url: string;
  method: 'GET' | 'POST';
  body?: unknown;
  signal?: AbortSignal | undefined;
}

/** An answer with a 2xx status whose body is still to be read. */
export interface OpenResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body's text pieces as they arrive; an `EndpointError` when the connection breaks or stalls. */
  pieces(): AsyncIterable<string>;
  /** Closes the connection now (the server sees the client go away). */
  close(): void;
}

const RETRY_STATUSES = new Set([429, 503]);
/** How a kept-alive connection that the server closed while it sat idle fails when it is used again. */
const STALE_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

class StaleConnection extends Error {}
const TLS_CODES = /^(?:CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_TLS_|ERR_SSL_|HOSTNAME_MISMATCH)/;

export class EndpointClient {
  private readonly httpAgent = new http.Agent({ keepAlive: true });
  private httpsAgent: https.Agent | undefined;

  constructor(private readonly options: EndpointClientOptions) {}

  /** Sends a request, retrying on 429/503; resolves with a 2xx answer, rejects with an `EndpointError`. */
  async open(request: EndpointRequest): Promise<OpenResponse> {
    const retries = this.options.retries ?? 4;
    for (let attempt = 0; ; attempt++) {
      const response = await this.send(request).catch((error: unknown) => {
        // A kept-alive connection the server had already closed: the request never reached it; once more, afresh.
        if (error instanceof StaleConnection) return this.send(request, false);
        throw error;
      });
      if (response.status >= 200 && response.status < 300) return response;
      const text = await readAll(response).catch(() => '');
      if (RETRY_STATUSES.has(response.status) && attempt < retries) {
        const delay = retryDelay(response.headers['retry-after'], attempt, this.options.maxRetryDelayMs ?? 30_000);
        if (delay !== undefined) {
          this.options.log?.('info', `${this.options.server} answered ${response.status}; retrying in ${Math.round(delay)} ms (${attempt + 1} of ${retries})`);
          await sleep(delay, request.signal);
          if (request.signal?.aborted) throw abortError();
          continue;
        }
      }
      throw statusError(this.options.server, response.status, text, RETRY_STATUSES.has(response.status) ? attempt : undefined);
    }
  }

  /** Sends a request and reads the whole 2xx answer as JSON. */
  async json(request: EndpointRequest): Promise<unknown> {
    const response = await this.open(request);
    const text = await readAll(response);
    try {
      return JSON.parse(text);
    } catch {
      throw new EndpointError(
        'protocol',
        this.options.server,
        `${this.options.server} answered ${request.url} with something that is not JSON: ${text.slice(0, 200)}`,
      );
    }
  }

  /** Closes the kept-alive connections. */
  destroy(): void {
    this.httpAgent.destroy();
    this.httpsAgent?.destroy();
  }

  private agentFor(url: URL): http.Agent {
    if (url.protocol === 'http:') return this.httpAgent;
    this.httpsAgent ??= new https.Agent({ keepAlive: true, ca: trustedCertificates() });
    return this.httpsAgent;
  }

  /** One attempt: resolves when the status line and headers arrived. */
  private send(request: EndpointRequest, mayReuse = true): Promise<OpenResponse> {
    const { server, timeoutMs } = this.options;
    const url = new URL(request.url);
    const body = request.body === undefined ? undefined : Buffer.from(JSON.stringify(request.body));
    const headers: http.OutgoingHttpHeaders = { accept: 'application/json, text/event-stream' };
    if (body) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = body.length;
    }
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise<OpenResponse>((resolve, reject) => {
      if (request.signal?.aborted) {
        reject(abortError());
        return;
      }
      let failure: Error | undefined;
      const agent = mayReuse ? this.agentFor(url) : false;
      const req = transport.request(url, {
        method: request.method,
        headers,
        agent,
        timeout: timeoutMs,
        signal: request.signal,
        ...(agent === false && url.protocol === 'https:' ? { ca: trustedCertificates() } : {}),
      });
      let responded = false;
      req.on('timeout', () => {
        failure = new EndpointError(
          'timeout',
          server,
          `${server} sent nothing for ${Math.round(timeoutMs / 1000)} s; it may be overloaded or stalled (radiologyReport.endpointTimeoutMs)`,
        );
        req.destroy(failure);
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (responded) return;
        if (!failure && req.reusedSocket && STALE_CODES.has(error.code ?? '') && !request.signal?.aborted) {
          reject(new StaleConnection());
          return;
        }
        reject(failure ?? connectionError(server, url, error, request.signal));
      });
      req.on('response', (res) => {
        responded = true;
        res.setEncoding('utf8');
        // A body nobody reads any more (a cancelled request) must not crash the process with an unhandled 'error'.
        res.on('error', () => {});
        const close = () => {
          if (!failure) failure = abortError();
          req.destroy(failure);
        };
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          close,
          pieces: () => pieces(res, () => failure, server, request.signal),
        });
      });
      req.end(body);
    });
  }
}

async function* pieces(res: http.IncomingMessage, failure: () => Error | undefined, server: string, signal: AbortSignal | undefined): AsyncIterable<string> {
  try {
    for await (const chunk of res) yield chunk as string;
  } catch (error) {
    const reason = failure();
    if (reason) throw reason;
    if (signal?.aborted) throw abortError();
    throw new EndpointError('interrupted', server, `the connection to ${server} broke while the conclusion was streaming (${(error as Error).message})`);
  }
  // A connection closed before the body was complete ends the iteration with `aborted` set instead of throwing.
  if (res.aborted || !res.complete) {
    const reason = failure();
    if (reason) throw reason;
    if (signal?.aborted) throw abortError();
    throw new EndpointError('interrupted', server, `the connection to ${server} closed while the conclusion was streaming`);
  }
}

async function readAll(response: OpenResponse): Promise<string> {
  let text = '';
  for await (const piece of response.pieces()) text += piece;
  return text;
}

function connectionError(server: string, url: URL, error: NodeJS.ErrnoException, signal: AbortSignal | undefined): Error {
  if (signal?.aborted || error.name === 'AbortError') return abortError();
  const code = error.code ?? '';
  if (TLS_CODES.test(code)) {
    return new EndpointError(
      'tls',
      server,
      `the certificate of ${server} is not trusted (${code}: ${error.message}); install the hospital's CA certificate in the system store, or point NODE_EXTRA_CA_CERTS at it`,
    );
  }
  const why: Record<string, string> = {
    ECONNREFUSED: 'nothing is listening there',
    ENOTFOUND: 'the host name is unknown',
    EAI_AGAIN: 'the host name could not be looked up',
    EHOSTUNREACH: 'the host cannot be reached',
    ENETUNREACH: 'the network cannot be reached',
    ECONNRESET: 'the connection was reset',
    EPIPE: 'the connection was closed',
  };
  return new EndpointError(
    'unreachable',
    server,
    `cannot reach the conclusion server at ${url.origin}: ${why[code] ?? error.message}${code ? ` (${code})` : ''}`,
  );
}

/** An error status as an `EndpointError`, with the server's own message when it sent one. */
export function statusError(server: string, status: number, body: string, retriedTimes?: number): EndpointError {
  const message = serverMessage(body);
  const said = message ? `: ${message}` : '';
  if (status === 401 || status === 403) {
    return new EndpointError(
      'auth',
      server,
      `${server} refused the API key (${status}${said}); set it with "Radiology Report: Set server API key" (CLI: RADREPORT_API_KEY)`,
      { status },
    );
  }
  if (RETRY_STATUSES.has(status)) {
    const tries = retriedTimes === undefined ? '' : ` after ${retriedTimes + 1} attempt${retriedTimes === 0 ? '' : 's'}`;
    return new EndpointError('busy', server, `${server} is busy or starting (${status}${said})${tries}; try again shortly`, { status });
  }
  if (status === 404 && /model/i.test(message)) {
    return new EndpointError('model', server, `${server} does not serve that model (${message}); check radiologyReport.endpointModel`, { status });
  }
  return new EndpointError('http', server, `${server} answered ${status}${said}`, { status });
}

/** `{"error": {"message": …}}` (OpenAI, llama-server, vLLM), `{"error": "…"}` (Ollama, TGI), `{"message": …}`, or the text. */
function serverMessage(body: string): string {
  try {
    const json = JSON.parse(body) as { error?: unknown; message?: unknown; detail?: unknown };
    const error = json.error;
    if (typeof error === 'string') return error;
    if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') return (error as { message: string }).message;
    if (typeof json.message === 'string') return json.message;
    if (typeof json.detail === 'string') return json.detail;
  } catch {
    // Not JSON: the text itself.
  }
  return body.trim().slice(0, 300);
}

/**
 * How long to wait before retry number `attempt + 1`: the server's `Retry-After` (seconds or an HTTP date) when it sent
 * one, else 0.5 s doubling each time with ±20 % jitter, at most `maxMs`. Undefined when the server asks for longer
 * than `maxMs`: waiting that long is worse than saying so.
 */
export function retryDelay(retryAfter: string | string[] | undefined, attempt: number, maxMs: number, random = Math.random): number | undefined {
  const header = Array.isArray(retryAfter) ? retryAfter[0] : retryAfter;
  if (header !== undefined && header.trim() !== '') {
    const seconds = Number(header);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
    if (Number.isFinite(ms)) return ms > maxMs ? undefined : Math.max(0, ms);
  }
  const base = Math.min(maxMs, 500 * 2 ** attempt);
  return base * (0.8 + 0.4 * random());
}

function abortError(): Error {
  return new DOMException('The request was cancelled', 'AbortError');
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
