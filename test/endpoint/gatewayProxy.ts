import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';

/**
 * A thin gateway in front of a real llama-server, doing what the reverse proxy in front of a department server does
 * (docs/department-server.md): terminate TLS with the hospital's certificate, and rate-limit, answering the first
 * `rejections` chat requests with 429 Too Many Requests. Everything else passes through unchanged, streaming included.
 * It exists because the llama-server built here has no TLS (built without OpenSSL) and never answers 429 itself (it
 * queues requests beyond its slots). It generates nothing; every conclusion still comes from llama-server.
 */
export interface GatewayOptions {
  upstream: string;
  /** Chat requests answered 429 before the gateway lets them through (default 0). */
  rejections?: number;
  /** The `Retry-After` header sent with a 429. */
  retryAfter?: string;
  /** Serve HTTPS with this key and certificate (PEM). */
  tls?: { key: string; cert: string };
}

export class GatewayProxy {
  /** Chat requests seen, rejected or passed on. */
  chatRequests = 0;
  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(options: GatewayOptions): Promise<GatewayProxy> {
    const upstream = new URL(options.upstream);
    const rejections = options.rejections ?? 0;
    let gateway: GatewayProxy | undefined;
    const handler: http.RequestListener = (req, res) => {
      if (req.url?.endsWith('/chat/completions')) {
        gateway!.chatRequests++;
        if (gateway!.chatRequests <= rejections) {
          req.resume();
          const body = JSON.stringify({ error: { code: 429, message: 'Too many requests for this department', type: 'rate_limit_error' } });
          res.writeHead(429, { 'content-type': 'application/json', ...(options.retryAfter !== undefined ? { 'retry-after': options.retryAfter } : {}) });
          res.end(body);
          return;
        }
      }
      const forward = http.request(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...req.headers, host: upstream.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      res.on('close', () => forward.destroy());
      req.pipe(forward);
    };
    const server = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, handler) : http.createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    gateway = new GatewayProxy(server, `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`);
    return gateway;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
