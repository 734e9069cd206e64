import { resolve } from 'node:path';
import { DEFAULT_ENGINE_SETTINGS, type EndpointSettings, type GpuSetting, type LoraAdapterSetting } from '../generation/engine.ts';
import { endpointUrls } from '../generation/endpointUrl.ts';
import { parseLoraSpec } from '../service/serverSettings.ts';
import { listFlag, stringFlag, UsageError, type ParsedArgs } from './command.ts';

/** `PATH[:SCALE]`, the path resolved against `cwd`; a usage error when there is no path. */
export function parseLora(spec: string, cwd: string): LoraAdapterSetting {
  const lora = parseLoraSpec(spec);
  if (!lora) throw new UsageError(`--lora must be PATH or PATH:SCALE, got "${spec}"`);
  return { path: resolve(cwd, lora.path), scale: lora.scale };
}

/** Every `--lora PATH[:SCALE]` of a command line, in order. */
export function loraFlags(parsed: ParsedArgs, cwd: string): LoraAdapterSetting[] {
  return listFlag(parsed, 'lora').map((spec) => parseLora(spec, cwd));
}

/** `--gpu auto|cuda|vulkan|metal|cpu|false`; `cpu` and `false` force the CPU. */
export function gpuFlag(parsed: ParsedArgs): GpuSetting {
  const value = stringFlag(parsed, 'gpu');
  if (value === undefined) return DEFAULT_ENGINE_SETTINGS.gpu;
  if (value === 'cpu' || value === 'false') return false;
  if (value === 'auto' || value === 'cuda' || value === 'vulkan' || value === 'metal') return value;
  throw new UsageError(`--gpu must be auto, cuda, vulkan, metal or cpu, got "${value}"`);
}

/** The flags that send generation to an OpenAI-compatible server; add them to a command's `values`. */
export const ENDPOINT_FLAGS = ['endpoint', 'endpoint-model'] as const;

export const ENDPOINT_USAGE = `  --endpoint URL          an OpenAI-compatible server (llama-server, vLLM, SGLang, Ollama, TGI) writes the
                          conclusions instead of the local model; its API key, if any, from RADREPORT_API_KEY
  --endpoint-model NAME   the model to ask that server for (default: the first one it lists)`;

/** `--endpoint URL [--endpoint-model NAME]`; undefined without `--endpoint`. The server's failures are not covered up. */
export function endpointFlags(parsed: ParsedArgs): EndpointSettings | undefined {
  const url = stringFlag(parsed, 'endpoint');
  const model = stringFlag(parsed, 'endpoint-model');
  if (url === undefined) {
    if (model !== undefined) throw new UsageError('--endpoint-model goes with --endpoint');
    return undefined;
  }
  try {
    endpointUrls(url);
  } catch (error) {
    throw new UsageError(`--endpoint: ${(error as Error).message}`);
  }
  return { url, model: model ?? '', timeoutMs: 60_000, fallback: 'none' };
}
