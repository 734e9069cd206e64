import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { LoraAdapterSetting } from './engine.ts';

/**
 * The embedded default model: `models/default-model.json` names the base GGUF and its adapters, relative to `models/`.
 * `{ "base": "radreport-base.Q8_0.gguf", "loras": [{ "path": "radreport-conclusion-lora.gguf", "scale": 1 }] }`
 */
export interface EmbeddedModelManifest {
  base: string;
  loras?: Array<{ path: string; scale?: number }>;
}

export function readEmbeddedModel(packageRoot: string): { modelPath: string; loras: LoraAdapterSetting[] } | undefined {
  const dir = join(packageRoot, 'models');
  const manifestPath = join(dir, 'default-model.json');
  if (!existsSync(manifestPath)) return undefined;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as EmbeddedModelManifest;
  const resolve = (path: string) => (isAbsolute(path) ? path : join(dir, path));
  return {
    modelPath: resolve(manifest.base),
    loras: (manifest.loras ?? []).map((lora) => ({ path: resolve(lora.path), scale: lora.scale ?? 1 })),
  };
}
