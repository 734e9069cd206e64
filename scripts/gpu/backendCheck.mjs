#!/usr/bin/env node
// Loads node-llama-cpp's backend the way the product's inference host does (getLlama with `build: 'never'`, nothing
// downloaded) and prints, as JSON, which build it found, its GPU and memory, and what the `auto` setting (the VS Code
// default) picks on this machine.   node scripts/gpu/backendCheck.mjs --gpu cuda|false
import { parseArgs } from 'node:util';
import { getLlama, LlamaLogLevel } from 'node-llama-cpp';

const { values } = parseArgs({ options: { gpu: { type: 'string', default: 'cuda' } } });
const gpu = values.gpu === 'false' || values.gpu === 'cpu' ? false : values.gpu;
const options = { build: 'never', skipDownload: true, progressLogs: false, logLevel: LlamaLogLevel.warn };

const llama = await getLlama({ ...options, gpu });
const result = {
  asked: gpu,
  buildType: llama.buildType,
  gpu: llama.gpu,
  gpuNames: await llama.getGpuDeviceNames(),
  vram: await llama.getVramState(),
  cpuMathCores: llama.cpuMathCores,
  llamaCppRelease: llama.llamaCppRelease,
};
await llama.dispose();
const auto = await getLlama({ ...options, gpu: 'auto' }).catch((error) => ({ error: String(error) }));
result.autoPicks = 'gpu' in auto ? auto.gpu : auto.error;
if ('dispose' in auto) await auto.dispose();
console.log(JSON.stringify(result, null, 2));
