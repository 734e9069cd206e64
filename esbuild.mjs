// Bundles the language server, the inference host, the CLI (ESM) and the VS Code client (CommonJS).
// Native and ESM-only packages stay external: node-llama-cpp (native addon, ESM-only), better-sqlite3, onnxruntime-node.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

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

// report.html inlines uPlot (server/eval/runner/uplotAssets.ts): its files go into the bundle as text, since the .vsix
// ships no node_modules/uplot. Keep the list in step with UPLOT_FILES there.
const requireFromHere = createRequire(import.meta.url);
const uplotFiles = Object.fromEntries(
  ['dist/uPlot.iife.min.js', 'dist/uPlot.min.css', 'package.json'].map((path) => [path, readFileSync(requireFromHere.resolve(`uplot/${path}`), 'utf8')]),
);

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
    // A string (JSON text): esbuild inlines a string define where it is used, an object one into every module.
    define: { RADREPORT_UPLOT_FILES: JSON.stringify(JSON.stringify(uplotFiles)) },
  }),
];
if (existsSync('client/extension.ts')) {
  builds.push(build({ ...common, entryPoints: { client: 'client/extension.ts' }, outdir: 'dist', format: 'cjs', outExtension: { '.js': '.cjs' } }));
}
await Promise.all(builds);
