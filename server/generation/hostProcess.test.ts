import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build, type BuildOptions } from 'esbuild';
import { ensureTestModels } from '../../test/models/testModels.ts';
import { defaultHostPath, hostModuleBeside } from './hostProcess.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');

describe('locating the inference host module', () => {
  test('beside the engine when running from source, beside the bundle otherwise', () => {
    assert.equal(defaultHostPath(), join(here, 'engineHost.ts'));
    assert.equal(hostModuleBeside('/ext/server/generation/llamaEngine.ts'), '/ext/server/generation/engineHost.ts');
    assert.equal(hostModuleBeside('/ext/dist/server.mjs'), '/ext/dist/engineHost.mjs');
    assert.equal(hostModuleBeside('/ext/dist/server.cjs'), '/ext/dist/engineHost.mjs');
  });
});

describe('the bundled layout (esbuild, node-llama-cpp external)', () => {
  const out = mkdtempSync(join(tmpdir(), 'radreport-bundle-'));
  // The bundles resolve node-llama-cpp the way an installed extension does: from a node_modules beside them.
  symlinkSync(join(repoRoot, 'node_modules'), join(out, 'node_modules'), 'dir');
  after(() => rmSync(out, { recursive: true, force: true }));

  const serverSource = `
    import { createLlamaEngine } from './server/generation/llamaEngine.ts';
    (async () => {
      const engine = createLlamaEngine({ modelPath: process.argv[2], gpu: false });
      const result = await engine.generate({ system: 'You are a radiologist.', user: 'Findings: simple renal cyst.' }, { maxTokens: 5 });
      process.stdout.write(JSON.stringify({ result, state: engine.state }));
      // No dispose(): an idle inference host must not keep the process alive.
    })();
  `;

  for (const format of ['esm', 'cjs'] as const) {
    test(`a ${format} server bundle finds dist/engineHost.mjs, generates, and exits without dispose()`, async () => {
      const models = await ensureTestModels();
      const dist = join(out, `dist-${format}`);
      const server = join(dist, format === 'esm' ? 'server.mjs' : 'server.cjs');
      const common: BuildOptions = { bundle: true, platform: 'node', target: 'node20', external: ['node-llama-cpp'], logLevel: 'silent' };
      await build({ ...common, format, stdin: { contents: serverSource, resolveDir: repoRoot, loader: 'ts' }, outfile: server });
      await build({ ...common, format: 'esm', entryPoints: [join(here, 'engineHost.ts')], outfile: join(dist, 'engineHost.mjs') });
      const { stdout } = await promisify(execFile)(process.execPath, [server, models.model], { cwd: tmpdir(), timeout: 30_000 });
      const { result, state } = JSON.parse(stdout);
      assert.equal(result.completionTokens, 5);
      assert.equal(state.state, 'ready');
      assert.equal(state.device, 'CPU');
    });
  }
});
