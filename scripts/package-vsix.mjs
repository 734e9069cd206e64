#!/usr/bin/env node
// Packages the VS Code extension as a platform-specific .vsix with everything it needs at run time:
// the bundles, the embedded model, docs, snippets and grammar, and node-llama-cpp with the native binaries for the
// target (node-llama-cpp is external to the bundles: native addon, ESM-only).
//
//   node scripts/package-vsix.mjs [--target linux-x64] [--gpu vulkan,cuda] [--out FILE]
//
// The default target is this machine's platform; --gpu adds the GPU builds of llama.cpp (large: CUDA adds ~500 MB).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : args[i + 1];
};
const target = option('target', `${process.platform === 'win32' ? 'win32' : process.platform}-${process.arch}`);
const gpus = (option('gpu', '') || '').split(',').filter(Boolean);
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = resolve(option('out', join(root, `${manifest.name}-${target}-${manifest.version}.vsix`)));

const llamaPlatform = {
  'linux-x64': 'linux-x64',
  'linux-arm64': 'linux-arm64',
  'darwin-arm64': 'mac-arm64-metal',
  'darwin-x64': 'mac-x64',
  'win32-x64': 'win-x64',
  'win32-arm64': 'win-arm64',
}[target];
if (!llamaPlatform) throw new Error(`unsupported target ${target}`);

execFileSync(process.execPath, [join(root, 'esbuild.mjs'), '--production'], { cwd: root, stdio: 'inherit' });
// The RSNA RadReport template library, converted from ../shared/data when it is there (never committed).
if (existsSync(join(root, '..', 'shared', 'data', 'radreport-templates', 'mrrt'))) {
  execFileSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'build-templates.ts')], { cwd: root, stdio: 'inherit' });
}

const stage = join(root, 'dist', 'vsix');
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
const copy = (from, to = from) => {
  if (!existsSync(join(root, from))) throw new Error(`missing ${from}; build or create it first`);
  cpSync(join(root, from), join(stage, to), { recursive: true, filter: (src) => !src.endsWith('.map') && !src.endsWith('.test.ts') });
};
// Every bundle esbuild writes (client, server, inference host, analysis worker, CLI): a new entry point ships without
// a second list to keep in step.
for (const file of readdirSync(join(root, 'dist')).filter((name) => /\.(?:mjs|cjs)$/.test(name))) copy(`dist/${file}`);
for (const path of ['README.md', 'LICENSE', 'docs', 'snippets', 'syntaxes', 'models', 'bin', 'server/eval/data', 'walkthrough', 'examples', 'dist/templates'])
  if (existsSync(join(root, path))) copy(path);

// node-llama-cpp and everything it requires at run time, plus the prebuilt binaries for the target.
const packages = new Map();
const findPackage = (name, fromDir) => {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === root || dirname(dir) === dir) return undefined;
  }
};
const addPackage = (name, fromDir, optional = false) => {
  const dir = findPackage(name, fromDir);
  if (!dir) {
    if (optional) return;
    throw new Error(`cannot find ${name} from ${fromDir}`);
  }
  if (packages.has(dir)) return;
  packages.set(dir, name);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  for (const dep of Object.keys(pkg.dependencies ?? {})) addPackage(dep, dir);
};
addPackage('node-llama-cpp', root);
for (const binary of [llamaPlatform, ...gpus.map((gpu) => `${llamaPlatform}-${gpu}`)])
  addPackage(`@node-llama-cpp/${binary}`, root, gpus.length > 0 && binary !== llamaPlatform);
addPackage('better-sqlite3', root);
// dist/cli.mjs (bin/radreport.mjs) imports it at load time (BERTScore's tokenizer); pure JS, 0.6 MB.
addPackage('@huggingface/tokenizers', root);
for (const [dir] of packages) {
  const relativeDir = dir.slice(root.length + 1);
  cpSync(dir, join(stage, relativeDir), {
    recursive: true,
    // llama.cpp's source bundle is only for building from source, which an installed extension never does.
    filter: (src) => !src.endsWith('gitRelease.bundle') && !src.includes(`${dir}/node_modules`),
  });
}

const { scripts: _scripts, devDependencies: _devDependencies, dependencies, allowScripts: _allowScripts, ...rest } = manifest;
// Only what the staged node_modules hold, so vsce's dependency listing packs exactly those.
const runtime = {
  'node-llama-cpp': dependencies['node-llama-cpp'],
  'better-sqlite3': dependencies['better-sqlite3'],
  '@huggingface/tokenizers': dependencies['@huggingface/tokenizers'],
};
writeFileSync(join(stage, 'package.json'), JSON.stringify({ ...rest, main: './dist/client.cjs', dependencies: runtime }, null, 2));
writeFileSync(join(stage, '.vscodeignore'), '**/*.map\n**/*.ts\n!**/*.d.ts\n');

const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
execFileSync(
  process.execPath,
  [vsce, 'package', '--target', target, '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links', '-o', out],
  { cwd: stage, stdio: 'inherit' },
);
console.log(`packaged ${out}`);
