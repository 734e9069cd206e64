import type { ConfigProblem, ReportConfig } from '../config/reportConfig.ts';
import { validateReportConfig } from '../config/reportConfig.ts';
import { checkRuleSettings } from '../rules/ruleSettings.ts';
import type { EngineSettings, GpuSetting, LoraAdapterSetting } from '../generation/engine.ts';
import { DEFAULT_ENGINE_SETTINGS } from '../generation/engine.ts';
import { endpointUrls } from '../generation/endpointUrl.ts';
import { reportGlobProblem } from '../config/reportGlob.ts';
import { DEFAULT_EXAMPLE_COUNT } from '../generation/exampleLibrary.ts';

/**
 * The editor settings under `radiologyReport.*`, validated. A value of the wrong type is replaced by its default and
 * reported as a problem naming the setting; it never throws. Kept in step with `contributes.configuration` in
 * package.json (a test checks both agree).
 */
export interface ServerSettings {
  /** Globs of files treated as reports, besides markdown with `type: radiology-report` front matter. */
  files: string[];
  /** Folders of the department's report templates (markdown templates and MRRT files), offered with the RSNA library. */
  templates: string[];
  /** Base model GGUF; empty means the embedded default model. */
  model: string;
  loras: LoraAdapterSetting[];
  gpu: GpuSetting;
  gpuLayers: EngineSettings['gpuLayers'];
  contextSize: number;
  threads: number;
  temperature: number;
  maxTokens: number;
  seed: number;
  /** Prompt lookup decoding (speed only; the text is the model's own). */
  promptLookup: boolean;
  /** An OpenAI-compatible server that writes the conclusions; empty: the local model. */
  endpoint: string;
  /** The model the server is asked for; empty: the first one it lists. */
  endpointModel: string;
  /** `local`: the local model writes conclusions while the server is down; `none`: generation fails instead. */
  endpointFallback: 'none' | 'local';
  /** Most milliseconds without a byte from the server. */
  endpointTimeoutMs: number;
  /** The inference watchdog: most milliseconds without a token from the local model before its process is restarted. */
  inferenceTimeoutMs: number;
  inlineCompletion: { enabled: boolean; debounceMs: number };
  /** Wait this long after the last edit before checking, so the sentence being typed is not flagged. */
  diagnosticsDelayMs: number;
  /** Documents larger than this (in characters) are not analysed. */
  maxDocumentSize: number;
  /** The user's own signed reports, a folder or a glob: the nearest go in the prompt as examples of the wording. Empty: none. */
  examples: string;
  /** How many of them a prompt gets. */
  exampleCount: number;
  /** Report configuration from settings (rules, sections, placeholders, vocabulary); `.radreportrc.json` wins. */
  config: ReportConfig;
}

export const DEFAULT_SERVER_SETTINGS: ServerSettings = {
  files: ['**/*.report.md'],
  templates: [],
  model: '',
  loras: [],
  gpu: DEFAULT_ENGINE_SETTINGS.gpu,
  gpuLayers: DEFAULT_ENGINE_SETTINGS.gpuLayers,
  contextSize: DEFAULT_ENGINE_SETTINGS.contextSize,
  threads: DEFAULT_ENGINE_SETTINGS.threads,
  temperature: DEFAULT_ENGINE_SETTINGS.temperature,
  maxTokens: DEFAULT_ENGINE_SETTINGS.maxTokens,
  seed: DEFAULT_ENGINE_SETTINGS.seed,
  promptLookup: DEFAULT_ENGINE_SETTINGS.promptLookup,
  endpoint: '',
  endpointModel: '',
  endpointFallback: 'none',
  endpointTimeoutMs: 60_000,
  inferenceTimeoutMs: DEFAULT_ENGINE_SETTINGS.inferenceTimeoutMs,
  inlineCompletion: { enabled: true, debounceMs: 250 },
  diagnosticsDelayMs: 400,
  maxDocumentSize: 1_000_000,
  examples: '',
  exampleCount: DEFAULT_EXAMPLE_COUNT,
  config: {},
};

export interface ValidatedSettings {
  settings: ServerSettings;
  problems: ConfigProblem[];
}

/** Validates the raw `radiologyReport` settings object sent by the client. */
export function validateServerSettings(raw: unknown): ValidatedSettings {
  const problems: ConfigProblem[] = [];
  const settings: ServerSettings = structuredClone(DEFAULT_SERVER_SETTINGS);
  if (raw === undefined || raw === null) return { settings, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({ source: 'settings', path: 'radiologyReport', message: 'must be an object' });
    return { settings, problems };
  }
  const value = raw as Record<string, unknown>;
  const bad = (key: string, expected: string) =>
    problems.push({
      source: 'settings',
      path: `radiologyReport.${key}`,
      message: `must be ${expected}, got ${show(value[key] ?? lookup(value, key))}; using the default`,
    });

  const has = (key: string) => lookup(value, key) !== undefined && lookup(value, key) !== null;

  if (has('files')) {
    const files = lookup(value, 'files');
    const globs = Array.isArray(files) && files.every((f) => typeof f === 'string') ? (files as string[]) : typeof files === 'string' ? [files] : undefined;
    if (!globs) bad('files', 'a list of glob patterns');
    else {
      // Matched in linear time; a glob the matcher does not accept is named and left out.
      settings.files = globs.filter((glob, i) => {
        const why = reportGlobProblem(glob);
        if (why) problems.push({ source: 'settings', path: `radiologyReport.files[${i}]`, message: `"${glob}" is not accepted: ${why}` });
        return why === undefined;
      });
    }
  }
  if (has('templates')) {
    const folders = lookup(value, 'templates');
    if (typeof folders === 'string') settings.templates = [folders];
    else if (Array.isArray(folders) && folders.every((f) => typeof f === 'string')) settings.templates = folders as string[];
    else bad('templates', 'a folder or a list of folders');
  }
  if (has('model')) {
    const model = lookup(value, 'model');
    if (typeof model === 'string') settings.model = model;
    else bad('model', 'a file path');
  }
  if (has('loras')) {
    const loras = parseLoras(lookup(value, 'loras'));
    if (loras) settings.loras = loras;
    else bad('loras', 'a list of {"path", "scale"} objects or "path[:scale]" strings');
  }
  if (has('gpu')) {
    const gpu = lookup(value, 'gpu');
    if (gpu === false || gpu === 'false') settings.gpu = false;
    else if (gpu === 'auto' || gpu === 'cuda' || gpu === 'vulkan' || gpu === 'metal') settings.gpu = gpu;
    else bad('gpu', '"auto", "cuda", "vulkan", "metal" or false');
  }
  if (has('gpuLayers')) {
    const layers = lookup(value, 'gpuLayers');
    if (layers === 'auto' || layers === 'max') settings.gpuLayers = layers;
    else if (typeof layers === 'number' && Number.isInteger(layers) && layers >= 0) settings.gpuLayers = layers;
    else bad('gpuLayers', '"auto", "max" or a whole number ≥ 0');
  }
  const integer = (
    key:
      'contextSize' | 'threads' | 'maxTokens' | 'seed' | 'diagnosticsDelayMs' | 'maxDocumentSize' | 'endpointTimeoutMs' | 'inferenceTimeoutMs' | 'exampleCount',
    min: number,
    max: number,
  ) => {
    if (!has(key)) return;
    const n = lookup(value, key);
    if (typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max) settings[key] = n;
    else bad(key, `a whole number from ${min} to ${max}`);
  };
  integer('contextSize', 128, 1_048_576);
  integer('threads', 0, 1024);
  integer('maxTokens', 1, 16_384);
  integer('seed', 0, 2 ** 31 - 1);
  integer('diagnosticsDelayMs', 0, 10_000);
  integer('maxDocumentSize', 1_000, 1_000_000_000);
  integer('endpointTimeoutMs', 1_000, 600_000);
  integer('inferenceTimeoutMs', 1_000, 600_000);
  integer('exampleCount', 0, 10);
  if (has('examples')) {
    const examples = lookup(value, 'examples');
    if (typeof examples === 'string') settings.examples = examples.trim();
    else bad('examples', 'a folder or a glob of report files');
  }
  if (has('endpoint')) {
    const endpoint = lookup(value, 'endpoint');
    if (typeof endpoint !== 'string') bad('endpoint', 'a URL such as "http://llm.radiology.local:8080"');
    else if (endpoint.trim() !== '') {
      try {
        endpointUrls(endpoint);
        settings.endpoint = endpoint.trim();
      } catch (error) {
        problems.push({ source: 'settings', path: 'radiologyReport.endpoint', message: `${(error as Error).message}; using the local model` });
      }
    }
  }
  if (has('endpointModel')) {
    const model = lookup(value, 'endpointModel');
    if (typeof model === 'string') settings.endpointModel = model.trim();
    else bad('endpointModel', 'a model name');
  }
  if (has('endpointFallback')) {
    const fallback = lookup(value, 'endpointFallback');
    if (fallback === 'none' || fallback === 'local') settings.endpointFallback = fallback;
    else bad('endpointFallback', '"none" or "local"');
  }
  if (has('temperature')) {
    const t = lookup(value, 'temperature');
    if (typeof t === 'number' && t >= 0 && t <= 5) settings.temperature = t;
    else bad('temperature', 'a number from 0 to 5');
  }
  if (has('promptLookup')) {
    const lookupSetting = lookup(value, 'promptLookup');
    if (typeof lookupSetting === 'boolean') settings.promptLookup = lookupSetting;
    else bad('promptLookup', 'true or false');
  }
  if (has('inlineCompletion.enabled')) {
    const enabled = lookup(value, 'inlineCompletion.enabled');
    if (typeof enabled === 'boolean') settings.inlineCompletion.enabled = enabled;
    else bad('inlineCompletion.enabled', 'true or false');
  }
  if (has('inlineCompletion.debounceMs')) {
    const ms = lookup(value, 'inlineCompletion.debounceMs');
    if (typeof ms === 'number' && Number.isInteger(ms) && ms >= 0 && ms <= 10_000) settings.inlineCompletion.debounceMs = ms;
    else bad('inlineCompletion.debounceMs', 'a whole number from 0 to 10000');
  }

  const config = checkRuleSettings(
    validateReportConfig(
      {
        rules: lookup(value, 'rules'),
        sections: lookup(value, 'sections'),
        placeholders: lookup(value, 'placeholders'),
        vocabulary: lookup(value, 'vocabulary'),
      },
      'settings',
    ),
    'settings',
  );
  settings.config = config.config;
  problems.push(...config.problems.map((p) => ({ ...p, path: `radiologyReport.${p.path}` })));
  return { settings, problems };
}

/** Reads `a.b` both as a nested object path and as a flat dotted key (clients send either). */
function lookup(value: Record<string, unknown>, key: string): unknown {
  if (key in value) return value[key];
  let current: unknown = value;
  for (const part of key.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** `[{path, scale}]`, `["path:0.5"]` or a mix; undefined when malformed. */
export function parseLoras(raw: unknown): LoraAdapterSetting[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const out: LoraAdapterSetting[] = [];
  for (const item of raw) {
    if (typeof item === 'string') {
      const lora = parseLoraSpec(item);
      if (!lora) return undefined;
      out.push(lora);
    } else if (typeof item === 'object' && item !== null && typeof (item as { path?: unknown }).path === 'string') {
      const { path, scale } = item as { path: string; scale?: unknown };
      if (scale !== undefined && (typeof scale !== 'number' || !Number.isFinite(scale))) return undefined;
      out.push({ path, scale: scale ?? 1 });
    } else return undefined;
  }
  return out;
}

/** `adapter.gguf` or `adapter.gguf:0.5` (a trailing `:number` is the scale; Windows drive letters are kept). */
export function parseLoraSpec(spec: string): LoraAdapterSetting | undefined {
  const match = /^(.*?)(?::(-?(?:\d+(?:\.\d+)?|\.\d+)))?$/.exec(spec.trim());
  if (!match || !match[1]) return undefined;
  return { path: match[1], scale: match[2] === undefined ? 1 : Number(match[2]) };
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return `"${value}"`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
