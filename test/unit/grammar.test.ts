import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import oniguruma from 'vscode-oniguruma';
import textmate from 'vscode-textmate';

const require = createRequire(import.meta.url);
const root = new URL('../../', import.meta.url);

/** Tokenizes lines with the injection grammar applied to a minimal markdown host grammar, as VS Code does. */
async function tokenize(lines: string[]): Promise<Array<Array<{ text: string; scopes: string[] }>>> {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const injection = JSON.parse(readFileSync(new URL('syntaxes/radiology-report.injection.tmLanguage.json', root), 'utf8'));
  const markdown = { scopeName: 'text.html.markdown', patterns: [{ match: '^#{1,6} .*$', name: 'markup.heading.markdown' }] };
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (p: string[]) => new oniguruma.OnigScanner(p),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope: string) => (scope === 'text.html.markdown' ? markdown : scope === injection.scopeName ? injection : null) as never,
    getInjections: (scope: string) => (scope === 'text.html.markdown' ? [injection.scopeName] : undefined),
  });
  const grammar = (await registry.loadGrammar('text.html.markdown'))!;
  let state = textmate.INITIAL;
  return lines.map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}

const scopeOf = (tokens: Array<{ text: string; scopes: string[] }>, text: string) =>
  tokens.find((t) => t.text === text)?.scopes.find((s) => s.endsWith('.radreport'));

test('grammar: section labels, laterality, measurements, negations, hedges and placeholders get their scopes', async () => {
  const [labels, finding, impression] = await tokenize([
    'FINDINGS: No pneumothorax.',
    'A 1.4 cm nodule in the left lower lobe, RUL clear, size ___ mm.',
    'Impression: possible right effusion, free of consolidation.',
  ]);
  assert.equal(scopeOf(labels!, 'FINDINGS'), 'keyword.other.section.radreport');
  assert.equal(scopeOf(labels!, 'No'), 'keyword.operator.negation.radreport');
  assert.equal(scopeOf(finding!, '1.4 cm'), 'constant.numeric.measurement.radreport');
  assert.equal(scopeOf(finding!, 'left'), 'constant.language.laterality.radreport');
  assert.equal(scopeOf(finding!, 'RUL'), 'constant.language.laterality.radreport');
  assert.equal(scopeOf(finding!, '___'), 'invalid.illegal.placeholder.radreport');
  assert.equal(scopeOf(impression!, 'Impression'), 'keyword.other.section.radreport');
  assert.equal(scopeOf(impression!, 'possible'), 'keyword.operator.hedge.radreport');
  assert.equal(scopeOf(impression!, 'right'), 'constant.language.laterality.radreport');
  assert.equal(scopeOf(impression!, 'free of'), 'keyword.operator.negation.radreport');
  // Words that merely contain a cue are left alone.
  assert.equal(scopeOf(finding!, 'nodule'), undefined);
});
