#!/usr/bin/env node
// Prints the folders (relative to the repository root) of the named packages and of everything they depend on at run
// time, as Node would resolve them from node_modules: what the GPU recipe carries instead of the whole node_modules.
//   node scripts/gpu/runtimeModules.mjs node-llama-cpp better-sqlite3
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = process.cwd();
const found = new Set();

function packageDir(name, from) {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

function visit(dir) {
  if (found.has(dir)) return;
  found.add(dir);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  // Optional dependencies are left out: node-llama-cpp's are its prebuilt binaries, which the recipe builds instead.
  for (const name of Object.keys(manifest.dependencies ?? {})) {
    const dependency = packageDir(name, dir);
    if (!dependency) throw new Error(`${name} (needed by ${relative(root, dir)}) is not installed`);
    visit(dependency);
  }
}

for (const name of process.argv.slice(2)) {
  const dir = packageDir(name, root);
  if (!dir) throw new Error(`${name} is not installed`);
  visit(dir);
}
for (const dir of [...found].sort()) console.log(relative(root, dir));
