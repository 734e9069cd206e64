#!/usr/bin/env node
// Sizes of the files in a carry folder, and of everything a device call would send with it: the repository's tracked
// and untracked-not-ignored files plus that folder (the device tool's limit is 64 MiB).
//   node scripts/gpu/carrySize.mjs .gpu
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const LIMIT = 64 * 1024 * 1024;
const folder = process.argv[2] ?? '.gpu';
const files = Object.fromEntries(
  readdirSync(folder)
    .filter((name) => name !== 'manifest.json')
    .sort()
    .map((name) => [name, statSync(join(folder, name)).size]),
);
const carried = Object.values(files).reduce((sum, size) => sum + size, 0);
const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' });
const tree = listed
  .split('\0')
  .filter((path) => path !== '' && existsSync(path) && statSync(path).isFile())
  .reduce((sum, path) => sum + statSync(path).size, 0);
const mib = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10;
console.log(
  JSON.stringify(
    {
      files,
      carriedMiB: mib(carried),
      workingTreeMiB: mib(tree),
      totalMiB: mib(carried + tree),
      limitMiB: 64,
      fits: carried + tree <= LIMIT,
    },
    null,
    2,
  ),
);
if (carried + tree > LIMIT) process.exitCode = 1;
