import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A thin proxy in front of a real llama-server that answers the first `rejections` chat requests with 429 Too Many
 * Requests, as a rate-limiting gateway in front of a department server does, and passes everything else through
 * unchanged (streaming included). It exists because llama-server itself never answers 429: it queues requests beyond
 * its slots instead. It generates nothing; every conclusion still comes from llama-server.
 */
export class RateLimitProxy {
  /** Chat requests seen, rejected or passed on. */
  chatRequests = 0;
  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(options: { upstream: string; rejections: number; retryAfter?: string }): Promise<RateLimitProxy> {
    const upstream = new URL(options.upstream);
    let proxy: RateLimitProxy | undefined;
    const server = http.createServer((req, res) => {
      const isChat = req.url?.endsWith('/chat/completions') ?? false;
      if (isChat) {
        proxy!.chatRequests++;
        if (proxy!.chatRequests <= options.rejections) {
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
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    proxy = new RateLimitProxy(server, `http://127.0.0.1:${port}`);
    return proxy;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
