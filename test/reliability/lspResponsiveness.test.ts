/**
 * Issue 11, item 1: the language server keeps answering while a report is checked. With a pathological report of nearly
 * `maxDocumentSize` characters just opened, completion, code actions and shutdown are answered within a second, and the
 * report still gets its diagnostics. Runs the bundled server (`npm run build` first).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspTestClient } from '../lsp/lspTestClient.ts';
import { ADVERSARIAL_INPUTS, adversarialReport } from './adversarialCorpus.ts';

const ANSWER_MS = 1_000;
const pathological = (kind: string) =>
  adversarialReport(
    ADVERSARIAL_INPUTS.find((i) => i.kind === kind)!,
    990_000,
  );

let client: LspTestClient;
before(async () => {
  client = await LspTestClient.start({ settings: { diagnosticsDelayMs: 0 } });
  // A first report, so the server and its checker are warm.
  await client.diagnosticsFor(client.open('## Findings\nNormal.\n\n## Impression\nNormal.\n'));
});
after(() => client.stop());

/** How long a request took to be answered; a server that does not answer in 10 s counts as 10 s. */
async function timed<T>(request: Promise<T>): Promise<{ ms: number; value: T | undefined }> {
  const start = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const value = await Promise.race([request, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), 10_000)))]);
  clearTimeout(timer);
  return { ms: performance.now() - start, value };
}

for (const kind of ['emphasis', 'labels', 'comment-inline']) {
  test(`while a ${kind} report of 990,000 characters is checked, completion and code actions are answered within ${ANSWER_MS} ms`, async (t) => {
    const uri = client.open(pathological(kind));
    await new Promise((resolve) => setTimeout(resolve, 50)); // the check has started
    const completion = await timed(client.request('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 0 } }));
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const actions = await timed(client.request('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [] } }));
    t.diagnostic(`completion ${Math.round(completion.ms)} ms, code actions ${Math.round(actions.ms)} ms`);
    assert.ok(completion.ms < ANSWER_MS, `completion took ${Math.round(completion.ms)} ms`);
    assert.ok(actions.ms < ANSWER_MS, `code actions took ${Math.round(actions.ms)} ms`);
    const diagnostics: Diagnostic[] = await client.diagnosticsFor(uri, 15_000);
    assert.ok(!diagnostics.some((d) => d.code === 'not-checked'), JSON.stringify(diagnostics.filter((d) => d.code === 'not-checked')));
  });
}

test(`shutdown is answered within ${ANSWER_MS} ms while a report is checked`, async () => {
  client.open(pathological('abbreviation'));
  await new Promise((resolve) => setTimeout(resolve, 50));
  const shutdown = await timed(client.request('shutdown', null));
  assert.ok(shutdown.ms < ANSWER_MS, `shutdown took ${Math.round(shutdown.ms)} ms`);
});
