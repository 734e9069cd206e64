#!/usr/bin/env node
// Builds node-llama-cpp's native addon from the llama.cpp source in node_modules/node-llama-cpp/llama/llama.cpp, with
// CMake and Ninja directly (no npm, no cmake-js, nothing fetched), in ONE compile that also gives llama-bench,
// llama-quantize and llama-server from the same ggml libraries. The result goes where node-llama-cpp keeps its own source builds
// (llama/localBuilds/<folder>/Release, with its build metadata and buildDone.status), named the way
// node-llama-cpp 3.21.1 names them, so the product's `getLlama({ gpu, build: 'never' })` loads it as a local build.
//
//   node scripts/gpu/buildBackend.mjs --gpu cuda|false --node-headers DIR [--jobs N] [--cuda-arch 90-real]
//                                     [--report FILE]
//
// The options cmake-js and node-llama-cpp's compileLlamaCpp would pass are passed here (CMAKE_JS_INC, NLC_VARIANT,
// GGML_NATIVE, LLAMA_CURL=OFF, ...), plus LLAMA_BUILD_TOOLS=ON and only the four targets built. CUDA is built for
// one architecture (90-real: the H100/H200's sm_90, no PTX), without the all-quants flash attention kernels
// (GGML_CUDA_FA_ALL_QUANTS stays OFF, llama.cpp's default) and without NCCL (one GPU).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
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
    'configure-only': { type: 'boolean', default: false },
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
  // llama-server too (the department-server load test serves the same GGUF with the same ggml build), without its web
  // UI (not in the pruned source; OpenSSL is off above: the load test talks plain HTTP on the loopback).
  LLAMA_BUILD_SERVER: 'ON',
  LLAMA_BUILD_UI: 'OFF',
  LLAMA_USE_PREBUILT_UI: 'OFF',
  LLAMA_BUILD_EXAMPLES: 'OFF',
  LLAMA_BUILD_TESTS: 'OFF',
  LLAMA_BUILD_APP: 'OFF',
  // CMake 4 refuses projects that ask for a minimum below 3.5 (some vendored ones may); older CMake ignores this.
  CMAKE_POLICY_VERSION_MINIMUM: '3.5',
  ...(gpu === 'cuda' ? { GGML_CUDA: '1', CMAKE_CUDA_ARCHITECTURES: values['cuda-arch'], GGML_CUDA_NCCL: 'OFF', GGML_CUDA_FA_ALL_QUANTS: 'OFF' } : {}),
};
const targets = ['llama-addon', 'llama-bench', 'llama-quantize', 'llama-server'];

/** The first existing file among the candidates, or of the files in `dir` whose name starts with `prefix`. */
function firstFile(candidates) {
  return candidates.find((path) => path && existsSync(path) && statSync(path).isFile());
}
function filesIn(dir, prefix) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.startsWith(prefix))
    .sort()
    .map((name) => join(dir, name));
}

/**
 * cuBLAS and the driver library when CMake's FindCUDAToolkit would miss them: a toolkit assembled from NVIDIA's
 * Python wheels (as on the GPU machine's image) has nvcc and the runtime under the toolkit folder but cuBLAS in the
 * Python environment (site-packages/nvidia/cu13/lib/libcublas.so.13, no unversioned name) and no stub libcuda.so.
 * Returns the CMake cache entries to set and the library folders the linker and the addon must search.
 */
function cudaLibraries() {
  // nvcc on the PATH can be a wrapper script: ask it where it really is.
  const probe = join(tmpdir(), `probe-${process.pid}.cu`);
  writeFileSync(probe, '');
  const dryRun = spawnSync('nvcc', ['--dryrun', '-c', probe, '-o', `${probe}.o`], { encoding: 'utf8' });
  rmSync(probe, { force: true });
  const here = /_HERE_=(.+)/.exec(`${dryRun.stderr}${dryRun.stdout}`)?.[1]?.trim();
  if (!here) throw new Error(`cannot run nvcc: ${dryRun.error?.message ?? dryRun.stderr}`);
  const toolkit = dirname(realpathSync(here));
  const toolkitLibs = [join(toolkit, 'lib64'), join(toolkit, 'targets', 'x86_64-linux', 'lib'), join(toolkit, 'lib')];
  const cache = { CMAKE_CUDA_COMPILER: join(toolkit, 'bin', 'nvcc'), CUDAToolkit_ROOT: toolkit };
  const libraryDirs = [];
  const includeDirs = [];
  const hasToolkitCublas = toolkitLibs.some((dir) => filesIn(dir, 'libcublas.so').length > 0);
  if (!hasToolkitCublas) {
    let nvidiaDirs = [];
    try {
      nvidiaDirs = execFileSync(
        'python3',
        ['-c', "import importlib.util as u; s = u.find_spec('nvidia'); print('\\n'.join(s.submodule_search_locations if s else []))"],
        { encoding: 'utf8' },
      )
        .split('\n')
        .filter(Boolean);
    } catch {
      // no Python, or no NVIDIA wheels
    }
    const packages = nvidiaDirs.flatMap((dir) => readdirSync(dir).map((name) => join(dir, name)));
    const cublas = packages.flatMap((dir) => filesIn(join(dir, 'lib'), 'libcublas.so'))[0];
    const cublasLt = packages.flatMap((dir) => filesIn(join(dir, 'lib'), 'libcublasLt.so'))[0];
    const header = packages.map((dir) => join(dir, 'include')).find((dir) => existsSync(join(dir, 'cublas_v2.h')));
    if (!cublas || !cublasLt || !header) throw new Error(`no cuBLAS in the CUDA toolkit (${toolkit}) nor in Python's nvidia packages`);
    cache.CUDA_cublas_LIBRARY = cublas;
    cache.CUDA_cublasLt_LIBRARY = cublasLt;
    libraryDirs.push(dirname(cublas), dirname(cublasLt));
    includeDirs.push(header);
  }
  const hasDriverStub = toolkitLibs.some((dir) => existsSync(join(dir, 'stubs', 'libcuda.so')));
  if (!hasDriverStub) {
    const driver = firstFile([
      '/usr/local/nvidia/lib64/libcuda.so',
      '/usr/local/nvidia/lib64/libcuda.so.1',
      '/usr/lib/x86_64-linux-gnu/libcuda.so',
      '/usr/lib/x86_64-linux-gnu/libcuda.so.1',
      '/usr/lib64/libcuda.so.1',
    ]);
    if (driver) {
      cache.CUDA_cuda_driver_LIBRARY = driver;
      libraryDirs.push(dirname(driver));
    } else {
      // Without the driver library ggml cannot link CUDA's virtual memory management; its legacy pool is used instead.
      cache.GGML_CUDA_NO_VMM = 'ON';
    }
  }
  if (includeDirs.length > 0) {
    const flags = includeDirs.map((dir) => `-I${dir}`).join(' ');
    cache.CMAKE_CUDA_FLAGS = flags;
    cache.CMAKE_CXX_FLAGS = `${options.CMAKE_CXX_FLAGS} ${flags}`;
  }
  return { toolkit, cache, libraryDirs: [...new Set(libraryDirs)] };
}

const cuda = gpu === 'cuda' ? cudaLibraries() : undefined;
if (cuda) {
  Object.assign(options, cuda.cache);
  // The linker follows libcublas.so.13 to libcublasLt.so.13 through LD_LIBRARY_PATH; the addon finds them the same way.
  process.env.LD_LIBRARY_PATH = [...cuda.libraryDirs, process.env.LD_LIBRARY_PATH].filter(Boolean).join(delimiter);
  process.stdout.write(`CUDA toolkit ${cuda.toolkit}; ${JSON.stringify(cuda.cache)}\n`);
}

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
// Ninja when there is one (as cmake-js prefers it), else Makefiles.
const generator = spawnSync('ninja', ['--version']).status === 0 ? 'Ninja' : 'Unix Makefiles';
const configureSeconds = await run(
  'cmake',
  ['-S', llamaDir, '-B', buildDir, '-G', generator, '--no-warn-unused-cli', ...Object.entries(options).map(([k, v]) => `-D${k}=${v}`)],
  'cmake configure',
);
if (values['configure-only']) {
  process.stdout.write(`configured in ${configureSeconds.toFixed(1)} s (--configure-only: not built)\n`);
  process.exit(0);
}
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
  cuda: cuda ?? null,
  folder: folder.withCustomCmakeOptions,
  variant: folder.binVariant,
  releaseDir,
  cudaArchitectures: gpu === 'cuda' ? values['cuda-arch'] : null,
  generator,
  jobs: Number(values.jobs),
  configureSeconds,
  buildSeconds,
  targets,
  files,
};
writeFileSync(join(buildDir, 'recipe-report.json'), JSON.stringify(report, null, 2));
if (values.report) writeFileSync(values.report, JSON.stringify(report, null, 2));
process.stdout.write(`built ${targets.join(', ')} into ${releaseDir} in ${buildSeconds.toFixed(1)} s (configure ${configureSeconds.toFixed(1)} s)\n`);
