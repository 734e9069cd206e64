import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { readStudyFile, type StudyFile } from './studyFile.ts';
import { studyPageHtml } from './studyPage.ts';
import { AnswerError, openStudyStore, type AnswerChange, type StudyReader, type StudyStore } from './studyStore.ts';

export const STUDY_FILE = 'study.json';
export const STUDY_DATABASE = 'study.sqlite';

export interface StudyServerOptions {
  /** The study folder (`study.json`; answers go to `study.sqlite` beside it). */
  dir: string;
  /** 0 picks a free port. */
  port: number;
  /** Where request errors are reported (stderr in the CLI). */
  log?: (message: string) => void;
}

export interface StudyServer {
  /** `http://127.0.0.1:PORT/` */
  readonly url: string;
  readonly port: number;
  readonly study: StudyFile;
  /** Stops accepting requests, ends open connections and closes the database. Idempotent. */
  close(): Promise<void>;
}

const MAX_BODY = 16 * 1024;
const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?$/i;
const LOOPBACK_ORIGIN = /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?$/i;

/**
 * Serves a reader study on 127.0.0.1 only. Every answer is written to SQLite in its own transaction (WAL,
 * synchronous=FULL) before the response is sent, so a closed tab or a killed server loses nothing that a reader was
 * told is saved; answers are appended, never overwritten. Every API request but the page itself needs a reader's
 * invitation token (a name is only a label); requests whose Host or Origin is not this server are refused (no DNS
 * rebinding, no cross-site writes); the answer key never leaves `study.json`.
 */
export async function startStudyServer(options: StudyServerOptions): Promise<StudyServer> {
  const study = await readStudyFile(join(options.dir, STUDY_FILE));
  const store = openStudyStore(join(options.dir, STUDY_DATABASE), study);
  const log = options.log ?? (() => {});
  const publicCases = study.cases.map((c) => ({ number: c.number, exam: c.exam, findings: c.findings, A: c.A, B: c.B }));
  let port = 0;

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log(`study server: ${request.method} ${request.url}: ${(error as Error).stack ?? String(error)}`);
      if (!response.headersSent) sendJson(response, 500, { error: 'The study server failed to handle this request.' });
      else response.destroy();
    });
  });

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    // Only loopback names, on any port (VS Code's port forwarding may put the page on another local port): a page of
    // another site that resolves its own name to 127.0.0.1 (DNS rebinding) is refused.
    if (!LOOPBACK_HOST.test(request.headers.host ?? '')) {
      sendJson(response, 403, { error: 'This study is served for 127.0.0.1 only.' });
      return;
    }
    const origin = request.headers.origin;
    if (request.method !== 'GET' && origin !== undefined && !LOOPBACK_ORIGIN.test(origin)) {
      sendJson(response, 403, { error: 'Cross-origin requests are refused.' });
      return;
    }
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
    const route = `${request.method} ${url.pathname}`;

    if (route === 'GET /' || route === 'GET /index.html') {
      const nonce = randomBytes(16).toString('base64');
      response.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Content-Security-Policy': [
          "default-src 'none'",
          `script-src 'nonce-${nonce}'`,
          `style-src 'nonce-${nonce}'`,
          "connect-src 'self'",
          "base-uri 'none'",
          "form-action 'none'",
          // VS Code shows the page in an iframe of a webview (desktop: vscode-webview:/vscode-file:; code-server: a
          // local http origin).
          "frame-ancestors 'self' vscode-webview: vscode-file: http://127.0.0.1:* http://localhost:*",
        ].join('; '),
      });
      response.end(studyPageHtml(nonce, study.cases.length));
      return;
    }
    if (route === 'GET /favicon.ico') {
      response.writeHead(204).end();
      return;
    }
    if (route === 'GET /api/cases') {
      if (authenticate(store, request, response)) sendJson(response, 200, { cases: publicCases });
      return;
    }
    if (route === 'GET /api/me') {
      const reader = authenticate(store, request, response);
      if (reader) sendJson(response, 200, readerState(store, reader));
      return;
    }
    if (route === 'PUT /api/me') {
      const reader = authenticate(store, request, response);
      if (!reader) return;
      const body = await readJson(request, response);
      if (body === undefined) return;
      const named = attempt(response, () => store.nameReader(reader.id, (body as { name?: unknown }).name));
      if (named) sendJson(response, 200, readerState(store, named));
      return;
    }
    const answerRoute = /^\/api\/answers\/(\d{1,6})$/.exec(url.pathname);
    if (answerRoute && (request.method === 'PUT' || request.method === 'POST')) {
      const reader = authenticate(store, request, response);
      if (!reader) return;
      const body = await readJson(request, response);
      if (body === undefined) return;
      const { ratingA, ratingB, preference } = body as AnswerChange;
      const answer = attempt(response, () => store.saveAnswer(reader.id, Number(answerRoute[1]), { ratingA, ratingB, preference }));
      if (answer) sendJson(response, 200, { answer });
      return;
    }
    sendJson(response, 404, { error: `No such resource: ${request.method} ${url.pathname}` });
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: NodeJS.ErrnoException) => {
    store.close();
    if (error.code === 'EADDRINUSE') throw new Error(`port ${options.port} on 127.0.0.1 is in use: choose another with --port`);
    throw error;
  });
  port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    study,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => {
          store.close();
          resolve();
        });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** What a reader's page gets: their display name and their last answers. Never a token, never another reader. */
function readerState(store: StudyStore, reader: StudyReader) {
  return { reader: { name: reader.name, named: reader.named }, answers: store.answersOf(reader.id) };
}

/** The reader whose invitation token the request carries (header `X-Reader-Token`); a 401 for anything else. */
function authenticate(store: StudyStore, request: IncomingMessage, response: ServerResponse): StudyReader | undefined {
  const token = request.headers['x-reader-token'];
  const reader = typeof token === 'string' ? store.readerByToken(token) : undefined;
  if (!reader) sendJson(response, 401, { error: 'Open the study with your own invitation link.' });
  return reader;
}

function attempt<T>(response: ServerResponse, action: () => T): T | undefined {
  try {
    return action();
  } catch (error) {
    if (error instanceof AnswerError) {
      sendJson(response, 400, { error: error.message });
      return undefined;
    }
    throw error;
  }
}

async function readJson(request: IncomingMessage, response: ServerResponse): Promise<object | undefined> {
  if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
    sendJson(response, 415, { error: 'Send JSON (Content-Type: application/json).' });
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) {
      sendJson(response, 413, { error: 'Request too large.' });
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value;
  } catch {
    // fall through
  }
  sendJson(response, 400, { error: 'The request body must be a JSON object.' });
  return undefined;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  response.end(text);
}
