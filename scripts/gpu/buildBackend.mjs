#!/usr/bin/env node
// Builds node-llama-cpp's native addon from the llama.cpp source in node_modules/node-llama-cpp/llama/llama.cpp, with
// CMake and Ninja directly (no npm, no cmake-js, nothing fetched), in ONE compile that also gives llama-bench and
// llama-quantize from the same ggml libraries. The result goes where node-llama-cpp keeps its own source builds
// (llama/localBuilds/<folder>/Release, with its build metadata and buildDone.status), named the way
// node-llama-cpp 3.21.1 names them, so the product's `getLlama({ gpu, build: 'never' })` loads it as a local build.
//
//   node scripts/gpu/buildBackend.mjs --gpu cuda|false --node-headers DIR [--jobs N] [--cuda-arch 90-real]
//                                     [--report FILE]
//
// The options cmake-js and node-llama-cpp's compileLlamaCpp would pass are passed here (CMAKE_JS_INC, NLC_VARIANT,
// GGML_NATIVE, LLAMA_CURL=OFF, ...), plus LLAMA_BUILD_TOOLS=ON and only the three targets built. CUDA is built for
// one architecture (90-real: the H100/H200's sm_90, no PTX), without the all-quants flash attention kernels
// (GGML_CUDA_FA_ALL_QUANTS stays OFF, llama.cpp's default) and without NCCL (one GPU).
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    gpu: { type: 'string', default: 'cuda' },
    'node-headers': { type: 'string' },
    jobs: { type: 'string', default: String(cpus().length) },
    'cuda-arch': { type: 'string', default: '90-real' },
    report: { type: 'string' },
    root: { type: 'string', default: process.cwd() },
  },
});
const gpu = values.gpu === 'false' || values.gpu === 'cpu' ? false : values.gpu;
if (gpu !== false && gpu !== 'cuda') throw new Error(`--gpu must be cuda or false, got ${values.gpu}`);
const root = resolve(values.root);
const nlc = join(root, 'node_modules', 'node-llama-cpp');
const llamaDir = join(nlc, 'llama');
const sourceDir = join(llamaDir, 'llama.cpp');
if (!existsSync(join(sourceDir, 'CMakeLists.txt'))) throw new Error(`no llama.cpp source in ${sourceDir}`);
const nodeHeaders = resolve(values['node-headers'] ?? '/usr/include/node');
if (!existsSync(join(nodeHeaders, 'node_api.h'))) throw new Error(`no node_api.h in ${nodeHeaders} (--node-headers)`);

// node-llama-cpp's own naming of a source build, so that its loader finds this one.
const internal = (path) => import(pathToFileURL(join(nlc, 'dist', path)).href);
const { getBuildFolderNameForBuildOptions } = await internal('bindings/utils/getBuildFolderNameForBuildOptions.js');
const { getPlatformInfo } = await internal('bindings/utils/getPlatformInfo.js');
const { getPlatform } = await internal('bindings/utils/getPlatform.js');
const { builtinLlamaCppRelease } = await internal('bindings/utils/binariesGithubRelease.js');
const { builtinLlamaCppGitHubRepo, llamaLocalBuildBinsDirectory, buildMetadataFileName } = await internal('config.js');
const buildOptions = {
  customCmakeOptions: new Map(),
  progressLogs: false,
  platform: getPlatform(),
  platformInfo: await getPlatformInfo(),
  arch: process.arch,
  gpu,
  llamaCpp: { repo: builtinLlamaCppGitHubRepo, release: builtinLlamaCppRelease },
};
const folder = await getBuildFolderNameForBuildOptions(buildOptions);
const buildDir = join(llamaLocalBuildBinsDirectory, folder.withCustomCmakeOptions);
const releaseDir = join(buildDir, 'Release');

const options = {
  CMAKE_BUILD_TYPE: 'Release',
  CMAKE_LIBRARY_OUTPUT_DIRECTORY: releaseDir,
  CMAKE_JS_INC: nodeHeaders,
  CMAKE_JS_SRC: '',
  CMAKE_JS_LIB: '',
  NODE_RUNTIME: 'node',
  NODE_RUNTIMEVERSION: process.version.slice(1),
  NODE_ARCH: process.arch,
  CMAKE_CXX_FLAGS: '-DBUILDING_NODE_EXTENSION',
  GGML_BUILD_NUMBER: '1',
  CMAKE_CONFIGURATION_TYPES: 'Release',
  NLC_CURRENT_PLATFORM: `${buildOptions.platform}-${process.arch}`,
  NLC_TARGET_PLATFORM: `${buildOptions.platform}-${process.arch}`,
  NLC_VARIANT: folder.binVariant,
  GGML_METAL: 'OFF',
  GGML_CCACHE: 'OFF',
  LLAMA_CURL: 'OFF',
  LLAMA_HTTPLIB: 'OFF',
  LLAMA_BUILD_BORINGSSL: 'OFF',
  LLAMA_OPENSSL: 'OFF',
  GGML_NATIVE: 'ON',
  LLAMA_BUILD_TOOLS: 'ON',
  LLAMA_BUILD_SERVER: 'OFF',
  LLAMA_BUILD_EXAMPLES: 'OFF',
  LLAMA_BUILD_TESTS: 'OFF',
  LLAMA_BUILD_APP: 'OFF',
  ...(gpu === 'cuda'
    ? { GGML_CUDA: '1', CMAKE_CUDA_ARCHITECTURES: values['cuda-arch'], GGML_CUDA_NCCL: 'OFF', GGML_CUDA_FA_ALL_QUANTS: 'OFF' }
    : {}),
};
const targets = ['llama-addon', 'llama-bench', 'llama-quantize'];

function run(command, args, label) {
  const started = performance.now();
  return new Promise((resolvePromise, reject) => {
    process.stdout.write(`$ ${command} ${args.join(' ')}\n`);
    const child = spawn(command, args, { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const seconds = (performance.now() - started) / 1000;
      if (code === 0) resolvePromise(seconds);
      else reject(new Error(`${label} failed (${signal ?? `exit code ${code}`}) after ${seconds.toFixed(1)} s`));
    });
  });
}

rmSync(buildDir, { recursive: true, force: true });
mkdirSync(releaseDir, { recursive: true });
const configureSeconds = await run(
  'cmake',
  ['-S', llamaDir, '-B', buildDir, '-G', 'Ninja', '--no-warn-unused-cli', ...Object.entries(options).map(([k, v]) => `-D${k}=${v}`)],
  'cmake configure',
);
const buildSeconds = await run('cmake', ['--build', buildDir, '--target', ...targets, '--parallel', values.jobs], 'cmake build');

// As node-llama-cpp does after cmake-js: the llama.cpp libraries and tools from bin/ go beside the addon.
const binDir = join(buildDir, 'bin');
for (const name of readdirSync(binDir)) cpSync(join(binDir, name), join(releaseDir, name), { force: false, errorOnExist: false });
writeFileSync(
  join(releaseDir, buildMetadataFileName),
  JSON.stringify({ buildOptions: { ...buildOptions, customCmakeOptions: Object.fromEntries(buildOptions.customCmakeOptions) } }),
);
writeFileSync(join(buildDir, 'buildDone.status'), '');

const files = Object.fromEntries(
  readdirSync(releaseDir)
    .filter((name) => statSync(join(releaseDir, name)).isFile())
    .map((name) => [name, statSync(join(releaseDir, name)).size]),
);
const report = {
  gpu,
  folder: folder.withCustomCmakeOptions,
  variant: folder.binVariant,
  releaseDir,
  cudaArchitectures: gpu === 'cuda' ? values['cuda-arch'] : null,
  jobs: Number(values.jobs),
  configureSeconds,
  buildSeconds,
  targets,
  files,
};
if (values.report) writeFileSync(values.report, JSON.stringify(report, null, 2));
process.stdout.write(`built ${targets.join(', ')} into ${releaseDir} in ${buildSeconds.toFixed(1)} s (configure ${configureSeconds.toFixed(1)} s)\n`);
