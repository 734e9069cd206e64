import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ensureTestModels } from '../models/testModels.ts';
import { GatewayProxy } from './gatewayProxy.ts';
import { buildLlamaServer, LlamaServer, REPO } from './llamaServer.ts';

/**
 * HTTPS to a department server whose certificate the hospital's own CA signed (a test CA made with openssl here),
 * behind a TLS-terminating gateway in front of the real llama-server: refused while the workstation does not trust
 * that CA, accepted once the CA is in the system bundle (SSL_CERT_FILE) or in NODE_EXTRA_CA_CERTS.
 */

let server: LlamaServer;
let gateway: GatewayProxy;
let dir: string;

function openssl(args: string[]): void {
  const result = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  assert.equal(result.status, 0, `openssl ${args.join(' ')} failed (${result.error?.message ?? result.stderr}); install it with: apt-get install -y openssl`);
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'radreport-tls-'));
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Test Hospital Radiology CA']);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=llm.radiology.local']);
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl([
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'san.ext',
  ]);
  const systemBundle = join(dir, 'system-bundle.pem');
  assert.ok(existsSync('/etc/ssl/certs/ca-certificates.crt'), 'the system CA bundle is missing; install it with: apt-get install -y ca-certificates');
  writeFileSync(systemBundle, readFileSync('/etc/ssl/certs/ca-certificates.crt', 'utf8') + readFileSync(join(dir, 'ca.pem'), 'utf8'));

  const executable = buildLlamaServer();
  const models = await ensureTestModels();
  server = await LlamaServer.start({ executable, model: models.model });
  gateway = await GatewayProxy.start({
    upstream: server.url,
    tls: { key: readFileSync(join(dir, 'server.key'), 'utf8'), cert: readFileSync(join(dir, 'server.pem'), 'utf8') },
  });
});
after(async () => {
  await gateway?.close();
  await server?.stop();
});

/** Runs the client in its own process (asynchronously: the gateway lives in this one and must keep answering). */
async function conclude(env: Record<string, string>): Promise<{ text?: string; kind?: string; message?: string }> {
  const clean = { ...process.env };
  delete clean.NODE_EXTRA_CA_CERTS;
  delete clean.SSL_CERT_FILE;
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'test', 'endpoint', 'tlsClient.ts'), gateway.url], {
    cwd: REPO,
    env: { ...clean, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  assert.equal(code, 0, stderr);
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

test('a certificate from a CA the workstation does not trust is refused, saying what to install', async () => {
  const refused = await conclude({});
  assert.equal(refused.kind, 'tls');
  assert.match(refused.message!, /the certificate of 127\.0\.0\.1:\d+ is not trusted \((?:UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN)/);
  assert.match(refused.message!, /install the hospital's CA certificate in the system store/);
});

test('the hospital CA in the system bundle, or in NODE_EXTRA_CA_CERTS, is trusted', async () => {
  const viaSystem = await conclude({ SSL_CERT_FILE: join(dir, 'system-bundle.pem') });
  assert.equal(viaSystem.kind, undefined, viaSystem.message);
  assert.ok(viaSystem.text && viaSystem.text.length > 0);
  const viaExtra = await conclude({ NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') });
  assert.equal(viaExtra.kind, undefined, viaExtra.message);
  assert.equal(viaExtra.text, viaSystem.text);
});
