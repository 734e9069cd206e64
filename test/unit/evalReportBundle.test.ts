import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * The bundled CLI as the .vsix ships it (dist/cli.mjs without node_modules/uplot): `radreport eval` writes a
 * report.html with uPlot inlined from the bundle itself. The run is watched: reading anything under node_modules/uplot
 * fails it.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const bundle = join(root, 'dist', 'cli.mjs');
/** The `radreport` command: runs the bundle's main(). */
const radreport = join(root, 'bin', 'radreport.mjs');
const FIXTURE = join(root, 'server', 'cli', 'commands', 'fixtures', 'split-pairs.jsonl');
const GUARD = `import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
for (const name of ['readFileSync', 'readFile', 'openSync', 'createReadStream']) {
  const original = fs[name];
  fs[name] = function (path, ...rest) {
    if (String(path).includes('node_modules/uplot')) throw new Error('read at run time: ' + path);
    return original.call(this, path, ...rest);
  };
}
syncBuiltinESMExports();`;

test('dist/cli.mjs carries uPlot: eval writes the charts without reading node_modules/uplot', () => {
  assert.ok(existsSync(bundle), 'dist/cli.mjs is missing: run `npm run build` first');
  const out = mkdtempSync(join(tmpdir(), 'radreport-bundle-'));
  try {
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        `data:text/javascript,${encodeURIComponent(GUARD)}`,
        radreport,
        'eval',
        '--data',
        FIXTURE,
        '--baseline',
        'most-frequent',
        '--out',
        join(out, 'results'),
      ],
      { cwd: out, encoding: 'utf8', timeout: 120_000 },
    );
    assert.equal(run.status, 0, run.stderr);
    const html = readFileSync(join(out, 'results', 'report.html'), 'utf8');
    const library = readFileSync(join(root, 'node_modules', 'uplot', 'dist', 'uPlot.iife.min.js'), 'utf8').replace(/^\/\*![^*]*\*\/\s*/, '');
    assert.ok(html.includes(library), 'uPlot.iife.min.js inlined, from the bundle');
    assert.match(html, /<script type="application\/json" id="chart-data">\{"metrics":\[\{"key":"rouge1"/);
    assert.doesNotMatch(html, /https?:\/\//);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
