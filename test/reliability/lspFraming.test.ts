/**
 * Broken LSP framing (issue 11, item 8): the bundled server (`dist/server.mjs --stdio`, as the editors start it) must
 * exit non-zero with a message on stderr, so that the client restarts it, instead of staying alive but deaf. A
 * well-framed message with bad JSON is still survived.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { describe, test } from 'node:test';
import { REPO, SERVER } from '../lsp/lspTestClient.ts';

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  ms: number;
}

const EXIT_WITHIN_MS = 5000;
const frame = (message: object) => {
  const body = JSON.stringify(message);
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
};
const INITIALIZE = frame({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });

function startServer(): { server: ChildProcess; stdout: () => string; exit: Promise<Exit | undefined> } {
  const server = spawn(process.execPath, [SERVER, '--stdio'], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  server.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  server.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const started = Date.now();
  const exit = new Promise<Exit | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), EXIT_WITHIN_MS + 5000);
    server.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr, ms: Date.now() - started });
    });
  });
  return { server, stdout: () => stdout, exit };
}

async function exitAfter(...writes: Array<string | Buffer>): Promise<Exit> {
  const { server, exit } = startServer();
  for (const data of writes) {
    server.stdin!.write(data);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const result = await exit;
  if (!result) server.kill('SIGKILL');
  assert.ok(result, `the server was still running ${EXIT_WITHIN_MS + 5000} ms after broken framing (alive but deaf)`);
  return result;
}

function assertExitedSaying(exit: Exit, reason: RegExp): void {
  assert.notEqual(exit.code, 0, `exit code ${exit.code}`);
  assert.equal(exit.signal, null);
  assert.match(exit.stderr, /radreport server: the input is not framed as the Language Server Protocol requires/);
  assert.match(exit.stderr, reason);
  assert.ok(exit.ms < EXIT_WITHIN_MS, `exited after ${exit.ms} ms`);
}

describe('broken LSP framing', () => {
  test('"Content-Length: abc": the server exits non-zero and says why on stderr', async () => {
    const exit = await exitAfter('Content-Length: abc\r\n\r\n{}');
    assertExitedSaying(exit, /Content-Length "abc" is not a length/);
    console.log(`Content-Length: abc -> exit ${exit.code} after ${exit.ms} ms (including start-up)`);
  });

  test('garbage bytes, and a text line, instead of a header', async () => {
    assertExitedSaying(await exitAfter(Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0a])), /byte 0x00 in a message header/);
    assertExitedSaying(await exitAfter('hello server\r\n\r\n'), /not "Name: value": "hello server"/);
  });

  test('garbage after a working session', async () => {
    const exit = await exitAfter(INITIALIZE, frame({ jsonrpc: '2.0', method: 'initialized', params: {} }), 'Content-Length: 10\r\nX\r\n\r\n');
    assertExitedSaying(exit, /not "Name: value": "X"/);
  });

  test('a well-framed message with bad JSON is survived: the server answers the next one', async () => {
    const { server, stdout, exit } = startServer();
    try {
      server.stdin!.write('Content-Length: 9\r\n\r\n{not json');
      server.stdin!.write(INITIALIZE);
      const deadline = Date.now() + 10_000;
      while (!/"id":1,"result":\{"capabilities"/.test(stdout()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.match(stdout(), /"id":1,"result":\{"capabilities"/, 'initialize answered after the bad JSON');
      assert.equal(server.exitCode, null, 'still running');
    } finally {
      server.kill('SIGKILL');
      await exit;
    }
  });
});
