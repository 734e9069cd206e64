// Bundles the language server, the inference host, the CLI (ESM) and the VS Code client (CommonJS).
// Native and ESM-only packages stay external: node-llama-cpp (native addon, ESM-only), better-sqlite3, onnxruntime-node.
import { build } from 'esbuild';
import { existsSync, mkdirSync } from 'node:fs';

const external = ['node-llama-cpp', 'better-sqlite3', 'onnxruntime-node', '@huggingface/tokenizers', 'vscode'];
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: production ? false : 'linked',
  external,
  logLevel: 'warning',
  legalComments: 'none',
};

// CommonJS dependencies bundled into ESM call require() for Node built-ins; give them one.
const esmBanner = {
  js: "import { createRequire as __radreportCreateRequire } from 'node:module'; const require = __radreportCreateRequire(import.meta.url);",
};

mkdirSync('dist', { recursive: true });
const esmEntries = {
  server: 'server/lsp/main.ts',
  engineHost: 'server/generation/engineHost.ts',
  cli: 'server/cli/main.ts',
  analysisWorker: 'server/service/analysisWorker.ts',
};
const builds = [
  build({
    ...common,
    entryPoints: Object.fromEntries(Object.entries(esmEntries).filter(([, path]) => existsSync(path))),
    outdir: 'dist',
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    banner: esmBanner,
    splitting: false,
  }),
];
if (existsSync('client/extension.ts')) {
  builds.push(build({ ...common, entryPoints: { client: 'client/extension.ts' }, outdir: 'dist', format: 'cjs', outExtension: { '.js': '.cjs' } }));
}
await Promise.all(builds);
