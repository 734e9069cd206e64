import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { packagesFor, TIER_PACKAGES } from '../../scripts/system-packages.mjs';

const script = fileURLToPath(new URL('../../scripts/system-packages.mjs', import.meta.url));

/** A PATH whose dpkg-query says `missing` are not installed, and whose apt-get and sudo record their arguments. */
function fakeSystem(missing: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'radreport-apt-'));
  const log = join(dir, 'calls.log');
  const write = (name: string, body: string) => {
    writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  };
  write(
    'dpkg-query',
    `[ "$1" = "--version" ] && exit 0\ncase "$3" in ${missing.length ? missing.join('|') : '__none__'}) exit 1;; esac\nprintf 'install ok installed'`,
  );
  write('apt-get', `echo "apt-get $*" >> ${log}`);
  write('sudo', `[ "$1" = "-n" ] && [ "$2" = "true" ] && exit 1\necho "sudo $*" >> ${log}`);
  const run = (args: string[]) =>
    spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', env: { ...process.env, PATH: `${dir}:${process.env.PATH}` } });
  const calls = () => {
    try {
      return readFileSync(log, 'utf8').trim().split('\n');
    } catch {
      return [];
    }
  };
  return { run, calls, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

test('each tier that needs a system package says which; the tiers without one need none', () => {
  assert.deepEqual(packagesFor(['unit', 'lsp']), []);
  assert.deepEqual(packagesFor(['nvim']), ['neovim']);
  assert.ok(packagesFor([]).includes('chromium') && packagesFor([]).includes('cmake'), 'no tier named: every tier');
  for (const packages of Object.values(TIER_PACKAGES)) assert.ok(packages.length > 0);
});

test('with everything installed nothing is run', () => {
  const system = fakeSystem([]);
  try {
    const result = system.run([]);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(system.calls(), []);
  } finally {
    system.dispose();
  }
});

test('--check names what is missing and the one apt-get line, installing nothing', () => {
  const system = fakeSystem(['neovim', 'cmake']);
  try {
    const result = system.run(['--check']);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /Missing system packages: cmake, neovim|Missing system packages: neovim, cmake/);
    assert.match(result.stderr, /sudo apt-get install -y --no-install-recommends (neovim cmake|cmake neovim)/);
    assert.deepEqual(system.calls(), []);
  } finally {
    system.dispose();
  }
});

test('missing packages are installed with apt-get by root, or the run stops at once with the line to run', () => {
  const system = fakeSystem(['neovim']);
  try {
    const started = Date.now();
    const result = system.run(['nvim', 'unit']);
    if (process.getuid?.() === 0) {
      assert.equal(result.status, 0, result.stderr);
      assert.deepEqual(system.calls(), ['apt-get update -q', 'apt-get install -y -q --no-install-recommends neovim']);
    } else {
      // The fake sudo asks for a password (sudo -n true fails): nothing is installed.
      assert.equal(result.status, 1);
      assert.match(result.stderr, /sudo apt-get install -y --no-install-recommends neovim/);
      assert.deepEqual(system.calls(), []);
    }
    assert.ok(Date.now() - started < 5000, 'in the first seconds');
  } finally {
    system.dispose();
  }
});
