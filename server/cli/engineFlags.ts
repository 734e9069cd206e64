import { resolve } from 'node:path';
import { DEFAULT_ENGINE_SETTINGS, type GpuSetting, type LoraAdapterSetting } from '../generation/engine.ts';
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
