#!/usr/bin/env node
// Runs Node's test runner (with tsx for TypeScript) over glob patterns, which `node --test` on Node 20 does not
// expand itself. Arguments starting with `--` go to the test runner (e.g. --test-reporter=tap).
//   node test/node-test.mjs "server/**/*.test.ts" "test/unit/**/*.test.ts" [--test-concurrency=1]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { minimatch } from 'minimatch';

const root = fileURLToPath(new URL('..', import.meta.url));
const patterns = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const options = process.argv.slice(2).filter((arg) => arg.startsWith('--'));

function walk(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.') || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else out.push(relative(root, path));
  }
  return out;
}

const all = walk(root);
const files = [...new Set(patterns.flatMap((pattern) => all.filter((file) => minimatch(file, pattern))))].sort();
if (files.length === 0) {
  console.error(`no test files match ${patterns.join(' ')}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...options, ...files], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
