/**
 * One conclusion through the endpoint engine, in a process of its own so that it reads the certificate stores fresh
 * from its environment (SSL_CERT_FILE, NODE_EXTRA_CA_CERTS): `node --import tsx tlsClient.ts URL`. Prints one JSON
 * line: `{"text": …}` or `{"kind": …, "message": …}`.
 */
import { EndpointError } from '../../server/generation/endpointError.ts';
import { createEndpointEngine } from '../../server/generation/endpointEngine.ts';

const engine = createEndpointEngine({
  temperature: 0,
  maxTokens: 4,
  seed: 42,
  endpoint: { url: process.argv[2]!, model: '', timeoutMs: 10_000, fallback: 'none' },
});
try {
  const result = await engine.generate({ system: 'You are a radiologist.', user: 'Findings: No acute abnormality.' });
  console.log(JSON.stringify({ text: result.text, completionTokens: result.completionTokens }));
} catch (error) {
  console.log(JSON.stringify({ kind: error instanceof EndpointError ? error.kind : 'other', message: (error as Error).message }));
} finally {
  await engine.dispose();
}
