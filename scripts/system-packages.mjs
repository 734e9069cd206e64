#!/usr/bin/env node
// The Debian packages the test tiers need, installed when missing: by `npm test` (test/run-tiers.mjs) before any tier
// runs and by `.ci/run` before `npm ci`. As root, or with sudo that needs no password, it installs them with apt-get;
// otherwise it stops at once with the one `apt-get install` line to run. No npm dependency: it runs before `npm ci`.
//
//   node scripts/system-packages.mjs                 the packages of every tier
//   node scripts/system-packages.mjs e2e nvim        the packages of some tiers
//   node scripts/system-packages.mjs --check [tier…] report what is missing, install nothing (exit 1 when something is)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Why each tier needs what it needs. */
export const TIER_PACKAGES = {
  // code-server in headless Chromium; code-server's native modules compile with the Kerberos headers, a C++ tool
  // chain and Python; its search uses Debian's ripgrep.
  e2e: ['chromium', 'ripgrep', 'libkrb5-dev', 'build-essential', 'python3'],
  // the reader-study page in headless Chromium
  study: ['chromium'],
  // the second LSP client
  nvim: ['neovim'],
  // llama.cpp's llama-server built from node-llama-cpp's bundled source; a test CA for the HTTPS test
  endpoint: ['git', 'cmake', 'build-essential', 'openssl', 'ca-certificates'],
  // `unshare -n` for the no-network probes (util-linux is essential on Debian; listed so a slim image says so)
  reliability: ['util-linux'],
};

export function packagesFor(tiers) {
  const wanted = tiers.length ? tiers : Object.keys(TIER_PACKAGES);
  return [...new Set(wanted.flatMap((tier) => TIER_PACKAGES[tier] ?? []))];
}

function installed(pkg) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return result.status === 0 && /install ok installed/.test(result.stdout);
}

/**
 * Installs the missing packages of the given tiers, or explains what to run. Returns true when everything is there.
 * Not Debian (no dpkg-query): nothing to check against; each tier says what it misses when it runs.
 */
export function ensureSystemPackages(tiers, { check = false, log = console.log } = {}) {
  const packages = packagesFor(tiers);
  if (packages.length === 0) return true;
  if (spawnSync('dpkg-query', ['--version']).status !== 0) {
    log(`system packages: not a Debian system; the tiers need the equivalents of ${packages.join(', ')}`);
    return true;
  }
  const missing = packages.filter((pkg) => !installed(pkg));
  if (missing.length === 0) return true;
  const line = `sudo apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (check) {
    console.error(`Missing system packages: ${missing.join(', ')}.\nInstall them with:\n  ${line}`);
    return false;
  }
  const root = process.getuid?.() === 0;
  const sudo = !root && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  if (!root && !sudo) {
    console.error(
      `The tests need system packages that are missing: ${missing.join(', ')}.\nThis user cannot install them (not root, and sudo asks for a password). Run:\n  ${line}`,
    );
    return false;
  }
  const prefix = root ? [] : ['sudo', '-n'];
  const run = (args) => {
    const [command, ...rest] = [...prefix, ...args];
    return spawnSync(command, rest, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  };
  log(`installing the system packages the tests need: ${missing.join(', ')}`);
  if (!run(['apt-get', 'update', '-q']) || !run(['apt-get', 'install', '-y', '-q', '--no-install-recommends', ...missing])) {
    console.error(`apt-get could not install ${missing.join(', ')}. Run:\n  ${line}`);
    return false;
  }
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const tiers = args.filter((arg) => !arg.startsWith('--'));
  const unknown = tiers.filter((tier) => !(tier in TIER_PACKAGES));
  if (unknown.length) console.log(`(no system packages for ${unknown.join(', ')})`);
  process.exit(ensureSystemPackages(tiers, { check }) ? 0 : 1);
}
