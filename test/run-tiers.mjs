#!/usr/bin/env node
// `npm test`: checks the types and lints (architecture imports and cycles: .oxlintrc.json), builds the bundles and the tiny test models, then runs every test tier in turn and prints a summary
// with the test count and time of each tier. A tier that needs a system package (neovim, chromium) installs what the
// project can install itself, or fails saying exactly what is missing: no tier is skipped silently.
//
//   npm test                      all tiers
//   npm test -- unit lsp          some tiers
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSystemPackages } from '../scripts/system-packages.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const ALL = ['unit', 'lsp', 'models', 'quality', 'reliability', 'study', 'nvim', 'endpoint', 'e2e'].filter((tier) => manifest.scripts[`test:${tier}`]);
const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const unknown = wanted.filter((tier) => !ALL.includes(tier));
if (unknown.length) {
  console.error(`unknown test tier(s): ${unknown.join(', ')}; the tiers are ${ALL.join(', ')}`);
  process.exit(2);
}
const tiers = wanted.length ? wanted : ALL;

const step = (title, command, args) => {
  console.log(`\n=== ${title}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`${title} failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
};
// The Debian packages the chosen tiers need (chromium, neovim, cmake, …): installed when this user can (root, or sudo
// without a password), else the run stops here with the one apt-get line to run.
if (!ensureSystemPackages(tiers)) process.exit(1);
// A type error, a lint error, a forbidden import, an import cycle or unformatted code fails the run before any test
// starts (seconds).
step('typecheck', 'npm', ['run', '-s', 'typecheck']);
step('lint', 'npm', ['run', '-s', 'lint']);
step('format', 'npm', ['run', '-s', 'format:check']);
step('build', process.execPath, ['esbuild.mjs']);
step('test models', 'npm', ['run', '-s', 'models:test']);

const results = [];
const reports = join(root, 'test-results');
mkdirSync(reports, { recursive: true });
for (const tier of tiers) {
  console.log(`\n=== tier ${tier}: ${manifest.scripts[`test:${tier}`]}`);
  const tap = join(reports, `${tier}.tap`);
  const started = Date.now();
  const result = spawnSync(
    'npm',
    [
      'run',
      '-s',
      `test:${tier}`,
      '--',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
    ],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '0' },
    },
  );
  const seconds = (Date.now() - started) / 1000;
  let counts = { tests: 0, pass: 0, fail: 0, skipped: 0, todo: 0 };
  try {
    const text = readFileSync(tap, 'utf8');
    // The last summary block of the TAP output counts every test of the tier.
    for (const key of Object.keys(counts)) {
      const all = [...text.matchAll(new RegExp(`^# ${key} (\\d+)$`, 'gm'))];
      counts[key] = all.length ? Number(all.at(-1)[1]) : 0;
    }
  } catch {
    // no report: the tier did not start; its exit status tells
  }
  results.push({ tier, status: result.status, seconds, ...counts });
}

console.log('\n=== summary');
console.log('tier      tests  pass  fail  skipped  seconds');
for (const r of results) {
  console.log(
    `${r.tier.padEnd(9)} ${String(r.tests).padStart(5)} ${String(r.pass).padStart(5)} ${String(r.fail).padStart(5)} ${String(r.skipped + r.todo).padStart(8)} ${r.seconds.toFixed(1).padStart(8)}${r.status === 0 ? '' : '  FAILED'}`,
  );
}
const failed = results.filter((r) => r.status !== 0 || r.fail > 0 || r.skipped + r.todo > 0);
if (failed.length) {
  console.error(`\nfailed or skipped: ${failed.map((r) => r.tier).join(', ')}`);
  process.exit(1);
}
