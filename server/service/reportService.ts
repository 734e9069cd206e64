import type { ConfigProblem, ReportConfig } from '../config/reportConfig.ts';
import { mergeReportConfigs } from '../config/reportConfig.ts';
import { compileReportGlob } from '../config/reportGlob.ts';
import { conclusionPromptInput } from '../generation/conclusionPrompt.ts';
import { engineLoadKey, type ConclusionEngine, type EngineSettings, type EngineState, type RequestSettings } from '../generation/engine.ts';
import { conclusionRequest, groundedConclusion, type ConclusionSource } from '../generation/groundedConclusion.ts';
import { vocabularyFor } from '../clinical/vocabulary.ts';
import { checkConclusion } from '../plan/checkConclusion.ts';
import { buildConclusionPlan } from '../plan/conclusionPlan.ts';
import { planMarkdown } from '../plan/planText.ts';
import type { ConclusionPlanResult, GenerateConclusionResult } from '../protocol.ts';
import { parseReport, sectionOf } from '../report/parseReport.ts';
import { createSectionClassifier, type SectionClassifier } from '../report/sectionSynonyms.ts';
import type { Report, Span } from '../report/types.ts';
import { lintReport } from '../rules/lintReport.ts';
import { ALL_RULES } from '../rules/registry.ts';
import type { Problem } from '../rules/rule.ts';
import { createConfigResolver, CONFIG_FILE_NAME } from './configResolver.ts';
import { writeConclusion, type DocumentEditor } from './conclusionWriter.ts';
import { RefusedFileError, type ReportWorkspace } from './reportWorkspace.ts';
import { DEFAULT_SERVER_SETTINGS, validateServerSettings, type ServerSettings } from './serverSettings.ts';
import { withoutRestrictedSettings } from './workspaceTrust.ts';
import type { PlacementMode } from '../generation/conclusionPlacement.ts';

export interface ReportDocument {
  uri: string;
  /** File system path when the document is a file; used for `.radreportrc.json` lookup and the `files` globs. */
  path?: string;
  text: string;
  version: number;
}

export interface Logger {
  log(level: 'error' | 'warn' | 'info' | 'debug', message: string): void;
}

export interface EmbeddedModel {
  modelPath: string;
  loras: EngineSettings['loras'];
}

export interface ReportServiceDeps {
  workspace: ReportWorkspace;
  createEngine(settings: EngineSettings): ConclusionEngine;
  /** The embedded default model, used when the `model` setting is empty. */
  embeddedModel(): EmbeddedModel | undefined;
  logger: Logger;
  /** Workspace folders: the search for `.radreportrc.json` stops at the one holding the document. */
  workspaceRoots?: () => readonly string[];
}

/** The result of checking one document version. */
export interface Analysis {
  uri: string;
  version: number;
  report?: Report;
  problems: Problem[];
  /** Why the document was not analysed, when it was not. */
  skipped?: string;
  config: ReportConfig;
  configPath?: string;
  configProblems: ConfigProblem[];
}

export interface InlineConclusion {
  /** Text to show as ghost text at the cursor. */
  insertText: string;
  /** Where it goes (empty span at the cursor). */
  span: Span;
}

const BINARY = /[\u0000-\u0008\u000E-\u001F]/g;

const requestSettingsOf = ({ temperature, maxTokens, seed, inferenceTimeoutMs }: EngineSettings): RequestSettings => ({
  temperature,
  maxTokens,
  seed,
  ...(inferenceTimeoutMs !== undefined ? { inferenceTimeoutMs } : {}),
});

/**
 * The language features as plain functions over documents: no protocol types. The LSP layer (`server/lsp/`) and tests
 * call it; it owns the settings, the configuration lookup, the engine's lifetime and the caches.
 */
export function createReportService(deps: ReportServiceDeps) {
  const configs = createConfigResolver(deps.workspace, deps.workspaceRoots ? { roots: deps.workspaceRoots } : {});
  let settings: ServerSettings = structuredClone(DEFAULT_SERVER_SETTINGS);
  let rawSettings: unknown;
  /** Untrusted workspace: no `.radreportrc.json`, restricted settings at their defaults (see workspaceTrust.ts). */
  let workspaceConfigIgnored = false;
  let engine: ConclusionEngine | undefined;
  /** What the current engine was made for: a change of the load settings replaces it, of the sampling only updates it. */
  let engineKey = '';
  let requestKey = '';
  const stateListeners = new Set<(state: EngineState, model: string) => void>();
  const analyses = new Map<string, Promise<Analysis>>();
  const classifiers = new Map<string, SectionClassifier>();

  // One generation at a time: the engine keeps one context sequence (for KV reuse).
  let inlineRun: { key: string; controller: AbortController; result: Promise<string | undefined> } | undefined;
  let commandRunning = false;
  /** Generated conclusions by prompt (and typed start); checked against the current configuration when offered. */
  const inlineCache = new Map<string, string>();
  /** The last conclusion written into each document, and where its text came from (for the hover on the heading). */
  const lastWritten = new Map<string, { text: string; source: ConclusionSource; corrections: string[] }>();

  function engineSettings(): EngineSettings {
    const embedded = settings.model ? undefined : deps.embeddedModel();
    return {
      modelPath: settings.model || embedded?.modelPath || '',
      loras: settings.model ? settings.loras : [...(embedded?.loras ?? []), ...settings.loras],
      gpu: settings.gpu,
      gpuLayers: settings.gpuLayers,
      contextSize: settings.contextSize,
      threads: settings.threads,
      temperature: settings.temperature,
      maxTokens: settings.maxTokens,
      seed: settings.seed,
      promptLookup: settings.promptLookup,
      inferenceTimeoutMs: settings.inferenceTimeoutMs,
      ...(settings.endpoint
        ? { endpoint: { url: settings.endpoint, model: settings.endpointModel, timeoutMs: settings.endpointTimeoutMs, fallback: settings.endpointFallback } }
        : {}),
    };
  }

  function currentEngine(): ConclusionEngine {
    if (!engine) {
      const engineConfig = engineSettings();
      engine = deps.createEngine(engineConfig);
      engineKey = engineLoadKey(engineConfig);
      requestKey = JSON.stringify(requestSettingsOf(engineConfig));
      const model = engineConfig.modelPath;
      engine.onState((state) => {
        for (const listener of stateListeners) listener(state, model);
      });
    }
    return engine;
  }

  function classifierFor(config: ReportConfig): SectionClassifier {
    const key = JSON.stringify(config.sections ?? {});
    let classifier = classifiers.get(key);
    if (!classifier) {
      classifier = createSectionClassifier(config.sections);
      if (classifiers.size > 20) classifiers.clear();
      classifiers.set(key, classifier);
    }
    return classifier;
  }

  function documentPath(doc: Pick<ReportDocument, 'uri' | 'path'>): string {
    return (doc.path ?? decodeURIComponent(doc.uri.replace(/^[a-z]+:\/*/i, '/'))).replace(/\\/g, '/');
  }

  async function configFor(doc: ReportDocument): Promise<{ config: ReportConfig; path?: string; problems: ConfigProblem[] }> {
    if (!doc.path || workspaceConfigIgnored) return { config: settings.config, problems: [] };
    const project = await configs.forDocument(doc.path);
    return { config: mergeReportConfigs(settings.config, project.config), ...(project.path ? { path: project.path } : {}), problems: project.problems };
  }

  async function computeAnalysis(doc: ReportDocument): Promise<Analysis> {
    const { config, path, problems: configProblems } = await configFor(doc);
    const base = { uri: doc.uri, version: doc.version, config, configProblems, ...(path ? { configPath: path } : {}) };
    if (doc.text.length > settings.maxDocumentSize) {
      const size = (doc.text.length / 1_000_000).toFixed(1);
      return { ...base, problems: [], skipped: `The report is too large to check (${size} million characters; the limit is radiologyReport.maxDocumentSize = ${settings.maxDocumentSize}).` };
    }
    const controls = doc.text.slice(0, 65_536).match(BINARY)?.length ?? 0;
    if (controls > 8 || doc.text.includes('\u0000')) {
      return { ...base, problems: [], skipped: 'This file holds binary data, not report text; it was not checked.' };
    }
    const report = parseReport(doc.text, { classifier: classifierFor(config) });
    const mode = isInTemplateFolder(doc) ? { template: true } : {};
    return { ...base, report, problems: lintReport(report, config, ALL_RULES, mode) };
  }

  /** A markdown file in one of the department's template folders (`radiologyReport.templates`) is a template. */
  function isInTemplateFolder(doc: Pick<ReportDocument, 'uri' | 'path'>): boolean {
    if (!settings.templates.length) return false;
    const path = documentPath(doc);
    if (!/\.md$/i.test(path)) return false;
    const roots = deps.workspaceRoots?.() ?? [];
    const folders = settings.templates.flatMap((folder) => (/^([a-z]:)?[\\/]/i.test(folder) ? [folder] : roots.map((root) => `${root}/${folder}`)));
    return folders.some((folder) => {
      const prefix = folder.replace(/\\/g, '/').replace(/\/+$/, '') + '/';
      return path.startsWith(prefix);
    });
  }

  /** The checks a generated conclusion fails against the plan of its report and the findings (empty: it may be shown). */
  function guardConclusion(report: Report, config: ReportConfig, conclusion: string): string[] {
    const vocabulary = vocabularyFor(config.vocabulary);
    const check = checkConclusion(report, buildConclusionPlan(report, vocabulary), conclusion, config, vocabulary);
    return [...new Set(check.problems.map((p) => p.ruleId ?? p.kind))];
  }

  const service = {
    get settings(): ServerSettings {
      return settings;
    },

    /**
     * Applies new editor settings; returns the problems found in them. Unloads the model when its load settings
     * changed; a change of temperature, seed, token limit or inference timeout keeps the loaded model and applies to the next request.
     */
    async updateSettings(raw: unknown): Promise<ConfigProblem[]> {
      rawSettings = raw;
      const validated = validateServerSettings(workspaceConfigIgnored ? withoutRestrictedSettings(raw) : raw);
      settings = validated.settings;
      analyses.clear();
      const next = engineSettings();
      const key = engineLoadKey(next);
      const sampling = requestSettingsOf(next);
      const nextRequestKey = JSON.stringify(sampling);
      if (!engine || (key === engineKey && nextRequestKey === requestKey)) return validated.problems;
      if (key === engineKey && engine.updateRequestSettings) {
        requestKey = nextRequestKey;
        engine.updateRequestSettings(sampling);
        inlineCache.clear();
        return validated.problems;
      }
      const old = engine;
      engine = undefined;
      inlineCache.clear();
      inlineRun?.controller.abort();
      inlineRun = undefined;
      await old.dispose();
      return validated.problems;
    },

    /** Whether repository configuration is ignored (an untrusted workspace). */
    get workspaceConfigIgnored(): boolean {
      return workspaceConfigIgnored;
    },

    /**
     * Ignores (or again honours) repository configuration: `.radreportrc.json` files and the settings that load a file,
     * a pattern or an endpoint. Returns the problems of the settings as they now apply.
     */
    async ignoreWorkspaceConfig(ignore: boolean): Promise<ConfigProblem[]> {
      workspaceConfigIgnored = ignore;
      configs.invalidate();
      return service.updateSettings(rawSettings);
    },

    /**
     * Whether a document is a report: it matches `radiologyReport.files`, or its front matter says
     * `type: radiology-report` (or `type: radiology-report-template`: a template, linted in template mode).
     */
    isReport(doc: Pick<ReportDocument, 'uri' | 'path' | 'text'>): boolean {
      const path = documentPath(doc);
      if (isInTemplateFolder(doc)) return true;
      // Globs run in linear time (see reportGlob.ts); ones not accepted were reported when the settings were read.
      if (settings.files.some((glob) => {
        const compiled = compileReportGlob(glob);
        return typeof compiled !== 'string' && compiled.matches(path);
      })) return true;
      return /^---\r?\n(?:[^\n]*\r?\n)*?type:\s*["']?radiology-report(?:-template)?["']?\s*\r?\n/.test(doc.text.slice(0, 4096));
    },

    /** Checks a document version (cached by uri and version). */
    analyse(doc: ReportDocument): Promise<Analysis> {
      const key = `${doc.uri}@${doc.version}`;
      let pending = analyses.get(key);
      if (!pending) {
        for (const k of analyses.keys()) if (k.startsWith(`${doc.uri}@`)) analyses.delete(k);
        pending = computeAnalysis(doc);
        analyses.set(key, pending);
      }
      return pending;
    },

    forget(uri: string): void {
      for (const k of analyses.keys()) if (k.startsWith(`${uri}@`)) analyses.delete(k);
    },

    /** A `.radreportrc.json` changed somewhere: drop cached configuration and analyses. */
    configFilesChanged(): void {
      configs.invalidate();
      analyses.clear();
    },

    onModelState(listener: (state: EngineState, model: string) => void): { dispose(): void } {
      stateListeners.add(listener);
      return { dispose: () => stateListeners.delete(listener) };
    },

    modelPath(): string {
      return engineSettings().modelPath;
    },

    get engineState(): EngineState {
      return engine?.state ?? { state: 'unloaded' };
    },

    async loadModel(): Promise<void> {
      await currentEngine().load();
    },

    async unloadModel(): Promise<void> {
      await engine?.unload();
    },

    /** Generates the conclusion and streams it into the document through `editor`. */
    async generateConclusion(
      doc: ReportDocument,
      editor: DocumentEditor,
      hooks: { chooseMode(existing: string): Promise<PlacementMode | undefined>; signal?: AbortSignal; onProgress?(message: string): void },
    ): Promise<GenerateConclusionResult> {
      const { config } = await configFor(doc);
      inlineRun?.controller.abort();
      if (commandRunning) return { status: 'failed', text: '', flagged: [], message: 'A conclusion is already being generated.' };
      commandRunning = true;
      try {
        const classifier = classifierFor(config);
        const result = await writeConclusion({
          uri: doc.uri,
          editor,
          parse: (text) => parseReport(text, { classifier }),
          conclude: (report, signal, onProgress) => groundedConclusion(report, { engine: currentEngine(), config, signal, onProgress, maxTokens: settings.maxTokens }),
          chooseMode: hooks.chooseMode,
          ...(hooks.signal ? { signal: hooks.signal } : {}),
          ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
        });
        if (result.status === 'written' && result.source) {
          lastWritten.set(doc.uri, { text: result.text, source: result.source, corrections: result.corrections ?? [] });
        }
        return result;
      } finally {
        commandRunning = false;
      }
    },

    /** The content plan of a document's conclusion, as markdown, with where its last generated conclusion came from. */
    async conclusionPlan(doc: ReportDocument): Promise<ConclusionPlanResult> {
      const analysis = await service.analyse(doc);
      if (!analysis.report) return { markdown: analysis.skipped ?? 'This document is not a report.', statements: [] };
      if (!conclusionPromptInput(analysis.report).findings.trim()) return { markdown: 'The report has no findings to plan a conclusion from.', statements: [] };
      const plan = buildConclusionPlan(analysis.report, vocabularyFor(analysis.config.vocabulary));
      let markdown = planMarkdown(plan);
      const last = lastWritten.get(doc.uri);
      if (last && analysis.report && sectionOf(analysis.report, 'conclusion')?.text.includes(last.text.split('\n')[0]!.replace(/^\d+\.\s*/, ''))) {
        markdown += `\n\n---\nThe conclusion was generated (source: **${last.source}**)${last.corrections.length ? `; the model's text ${last.corrections.join('; ')}` : ''}.`;
      }
      return { markdown, statements: plan.statements };
    },

    /**
     * Ghost text for the conclusion section: the generated conclusion continued from what is already typed there.
     * Debounced; cached by the prompt (so by the findings it came from); undefined outside the conclusion section, when
     * the typed text departs from the generated one, or when the generated conclusion fails a check (`onWithheld`).
     */
    async inlineConclusion(
      doc: ReportDocument,
      offset: number,
      signal: AbortSignal,
      onWithheld?: (ruleIds: string[]) => void,
    ): Promise<InlineConclusion | undefined> {
      if (!settings.inlineCompletion.enabled || commandRunning) return undefined;
      const analysis = await service.analyse(doc);
      const report = analysis.report;
      if (!report) return undefined;
      const section = sectionOf(report, 'conclusion');
      if (!section || offset < section.bodySpan.start || offset > section.span.end) return undefined;
      // Only at the end of what is written in the section: never in the middle of the user's text.
      if (doc.text.slice(offset, section.span.end).trim() !== '') return undefined;
      if (!conclusionPromptInput(report).findings.trim()) return undefined;
      const { prompt } = conclusionRequest(report, vocabularyFor(analysis.config.vocabulary));
      const key = JSON.stringify(prompt);

      const typed = doc.text.slice(section.bodySpan.start, offset).replace(/^\s+/, '');
      const cachedWhole = inlineCache.get(key);
      if (cachedWhole !== undefined && typed) {
        // The user typed the start of the generated conclusion: offer the rest.
        const rest = continuation(cachedWhole, typed);
        if (rest) return offer(cachedWhole, rest);
      }
      // Nothing cached for these findings, or the user departed from it: generate, continuing from what was typed.
      const cacheKey = typed && cachedWhole !== undefined ? `${key}\u0000${typed}` : key;
      let whole = inlineCache.get(cacheKey);
      if (whole === undefined) {
        await sleep(settings.inlineCompletion.debounceMs, signal);
        if (signal.aborted) return undefined;
        const prefix = cacheKey === key ? '' : typed;
        // The whole conclusion is the grounded one (checked, corrected or composed); a continuation of what the user
        // typed is the model's alone, and is offered only if it passes the check below.
        const text = await inlineGeneration(cacheKey, signal, (runSignal) =>
          prefix
            ? currentEngine().generate(prompt, { signal: runSignal, responsePrefix: prefix }).then((r) => (r.stopReason === 'aborted' ? undefined : r.text.replace(/\s+$/, '')))
            : groundedConclusion(report, { engine: currentEngine(), config: analysis.config, signal: runSignal, maxTokens: settings.maxTokens }).then((r) => r.text),
        );
        if (text === undefined) return undefined;
        whole = prefix ? joinContinuation(prefix, text) : text.trim();
        inlineCache.set(cacheKey, whole);
        if (inlineCache.size > 64) inlineCache.delete(inlineCache.keys().next().value!);
      }
      const rest = typed ? continuation(whole, typed) : whole;
      return rest ? offer(whole, rest) : undefined;

      /** Offers the rest of a generated conclusion, unless the whole conclusion fails a check. */
      function offer(conclusion: string, insertText: string): InlineConclusion | undefined {
        const flagged = guardConclusion(report!, analysis.config, conclusion);
        if (flagged.length) {
          onWithheld?.(flagged);
          return undefined;
        }
        const afterSpace = /\s$/.test(doc.text.slice(Math.max(0, offset - 1), offset));
        const text = afterSpace ? insertText.replace(/^\s+/, '') : insertText;
        return text ? { insertText: text, span: { start: offset, end: offset } } : undefined;
      }
    },

    /** Turns a rule off in the nearest `.radreportrc.json` (created beside the report when there is none). */
    async disableRule(doc: ReportDocument, ruleId: string, fallbackDirectory?: string): Promise<string> {
      if (workspaceConfigIgnored) throw new Error('Repository configuration is ignored in this workspace (it is not trusted), so no rule is turned off in a .radreportrc.json.');
      const existing = doc.path ? await configs.forDocument(doc.path) : undefined;
      const directory = fallbackDirectory ?? (doc.path ? doc.path.replace(/[\\/][^\\/]*$/, '') : undefined);
      const path = existing?.path ?? (directory ? `${directory}/${CONFIG_FILE_NAME}` : undefined);
      if (!path) throw new Error('This document is not a file, so there is no folder for a .radreportrc.json.');
      const text = await deps.workspace.readFile(path).catch((error: Error) => {
        throw new Error(`${path} ${error.message}`);
      });
      let json: Record<string, unknown> = {};
      if (text !== undefined) {
        try {
          const parsed: unknown = JSON.parse(text);
          if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
          else throw new Error('not an object');
        } catch (error) {
          throw new Error(`${path} is not a valid JSON object (${(error as Error).message}); fix it before disabling rules from the editor.`);
        }
      }
      const rules = (json.rules && typeof json.rules === 'object' && !Array.isArray(json.rules) ? json.rules : {}) as Record<string, unknown>;
      json.rules = { ...rules, [ruleId]: 'off' };
      await deps.workspace.writeFile(path, JSON.stringify(json, null, 2) + '\n').catch((error: Error) => {
        throw new Error(error instanceof RefusedFileError ? error.message : `${path} cannot be written: ${error.message}`);
      });
      service.configFilesChanged();
      return path;
    },

    async dispose(): Promise<void> {
      inlineRun?.controller.abort();
      const old = engine;
      engine = undefined;
      if (old) await old.dispose();
    },
  };

  /** Runs (or joins) the inline generation for a key; a newer key aborts an older one. */
  async function inlineGeneration(key: string, signal: AbortSignal, run: (signal: AbortSignal) => Promise<string | undefined>): Promise<string | undefined> {
    if (inlineRun && inlineRun.key !== key) {
      inlineRun.controller.abort();
      await inlineRun.result.catch(() => undefined);
      inlineRun = undefined;
    }
    if (!inlineRun) {
      const controller = new AbortController();
      const result = run(controller.signal);
      const current = { key, controller, result };
      inlineRun = current;
      void result.finally(() => {
        if (inlineRun === current) inlineRun = undefined;
      }).catch(() => undefined);
    }
    const current = inlineRun;
    // The request may be cancelled by the next keystroke; the generation goes on for the next request to use, as long
    // as the findings (the prompt) stay the same.
    const outcome = await Promise.race([
      current.result.then((r) => r, (error: Error) => error),
      new Promise<null>((resolve) => signal.addEventListener('abort', () => resolve(null), { once: true })),
    ]);
    if (outcome === null || outcome === undefined) return undefined;
    if (outcome instanceof Error) {
      if (outcome.name !== 'AbortError') deps.logger.log('error', `Inline conclusion failed: ${outcome.message}`);
      return undefined;
    }
    return outcome;
  }

  return Object.freeze(service);
}

export type ReportService = ReturnType<typeof createReportService>;

/**
 * The part of `generated` that follows what the user typed, comparing case- and white-space-insensitively;
 * undefined when the typed text is not a start of the generated one.
 */
export function continuation(generated: string, typed: string): string | undefined {
  const t = typed.replace(/^\s+/, '');
  let i = 0;
  let j = 0;
  while (j < t.length) {
    if (i >= generated.length) return undefined;
    const g = generated[i]!;
    const c = t[j]!;
    if (/\s/.test(c) && /\s/.test(g)) {
      while (i < generated.length && /\s/.test(generated[i]!)) i++;
      while (j < t.length && /\s/.test(t[j]!)) j++;
      continue;
    }
    if (/\s/.test(c)) {
      j++;
      continue;
    }
    if (g.toLowerCase() !== c.toLowerCase()) return undefined;
    i++;
    j++;
  }
  let rest = generated.slice(i);
  // After a typed space, do not offer another.
  if (/\s$/.test(typed)) rest = rest.replace(/^\s+/, '');
  return rest || undefined;
}

/** The typed start and the model's continuation of it, as one conclusion. */
function joinContinuation(prefix: string, continued: string): string {
  return (prefix + continued).replace(/\s+$/, '');
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
