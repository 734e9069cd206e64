import { EngineError } from './engine.ts';

/**
 * Why the department server could not serve a request:
 * - `unreachable`: no connection (refused, unknown host, network down, connection reset before an answer)
 * - `timeout`: connected (or trying to) but nothing arrived within the timeout
 * - `tls`: the server's certificate is not trusted or does not match its name
 * - `auth`: the server refused the API key (401, 403)
 * - `model`: the server does not serve the model asked for
 * - `busy`: the server kept answering 429 or 503 after every retry
 * - `interrupted`: the connection broke while the conclusion was streaming
 * - `http`: any other error status
 * - `protocol`: the answer is not what an OpenAI-compatible server sends
 */
export type EndpointErrorKind = 'unreachable' | 'timeout' | 'tls' | 'auth' | 'model' | 'busy' | 'interrupted' | 'http' | 'protocol';

/** Kinds that mean the server is down or overloaded, when the local model may stand in; the others need the user. */
const SERVER_DOWN: ReadonlySet<EndpointErrorKind> = new Set(['unreachable', 'timeout', 'busy', 'interrupted', 'http']);

export class EndpointError extends EngineError {
  override readonly name = 'EndpointError';
  constructor(
    readonly kind: EndpointErrorKind,
    /** The server as the status bar names it (host and port). */
    readonly server: string,
    message: string,
    readonly details: {
      status?: number;
      /** Text streamed before the connection broke (`interrupted`). */
      partialText?: string;
      /** The models the server lists (`model`). */
      models?: string[];
    } = {},
  ) {
    super(message);
  }

  /** The server is down or overloaded (not misconfigured): the local model may stand in when the settings say so. */
  get serverDown(): boolean {
    return SERVER_DOWN.has(this.kind) && (this.kind !== 'http' || (this.details.status ?? 0) >= 500);
  }
}
