import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
const BUNDLE = join(REPO, 'dist', 'server.mjs');

/** The newest modification time of the TypeScript sources the server bundle is built from. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds `dist/server.mjs` (`node esbuild.mjs`) when it is missing or older than the server's sources. */
export async function ensureServerBundle(): Promise<string> {
  const stale = !existsSync(BUNDLE) || statSync(BUNDLE).mtimeMs < newestSource(join(REPO, 'server'));
  if (stale) execFileSync(process.execPath, [join(REPO, 'esbuild.mjs')], { cwd: REPO, stdio: 'inherit' });
  return BUNDLE;
}
