import type { ConfigProblem, ReportConfig } from '../config/reportConfig.ts';
import { mergeReportConfigs } from '../config/reportConfig.ts';
import { compileReportGlob } from '../config/reportGlob.ts';
import { conclusionPromptInput, type ConclusionExample } from '../generation/conclusionPrompt.ts';
import type { ConclusionEngine, EngineSettings, EngineState } from '../generation/engine.ts';
import { ConclusionCancelled, groundedConclusion, type ConclusionSource } from '../generation/groundedConclusion.ts';
import { compareConclusions, comparisonMarkdown } from '../plan/conclusionComparison.ts';
import { vocabularyFor } from '../clinical/vocabulary.ts';
import { checkConclusion } from '../plan/checkConclusion.ts';
import { buildConclusionPlan } from '../plan/conclusionPlan.ts';
import { planMarkdown } from '../plan/planText.ts';
import type { CompareConclusionResult, ConclusionPlanResult, GenerateConclusionResult } from '../protocol.ts';
import { parseReport, sectionOf } from '../report/parseReport.ts';
import { createSectionClassifier, type SectionClassifier } from '../report/sectionSynonyms.ts';
import type { Report } from '../report/types.ts';
import { lintReport } from '../rules/lintReport.ts';
import { ALL_RULES } from '../rules/registry.ts';
import type { Problem } from '../rules/rule.ts';
import { disableRuleInConfig } from './configEditor.ts';
import { createConfigResolver } from './configResolver.ts';
import { writeConclusion, type DocumentEditor } from './conclusionWriter.ts';
import type { ReportAnalyser } from './reportAnalyser.ts';
import { createEngineSlot } from './engineSlot.ts';
import { createInlineConclusions, type InlineConclusion } from './inlineConclusion.ts';
import type { ReportWorkspace } from './reportWorkspace.ts';
import { DEFAULT_SERVER_SETTINGS, validateServerSettings, type ServerSettings } from './serverSettings.ts';
import { withoutRestrictedSettings } from './workspaceTrust.ts';
import { createExampleFolder } from './exampleFolder.ts';
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
  /** Checks reports off the caller's thread with a time budget (the language server's worker); in-process when absent. */
  analyser?: ReportAnalyser;
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

const BINARY = /[\u0000-\u0008\u000E-\u001F]/g;

/**
 * The longest document a conclusion is planned or generated for. Far above any report (the longest of 3,331 IU and 152
 * MTSamples reports is under 15,000 characters), low enough that reading it on the protocol thread stays well under
 * a second even when it is pathological markdown (the checks run in the analysis worker; generation does not).
 */
export const MAX_CONCLUSION_DOCUMENT = 100_000;
const tooLongToConclude = (doc: ReportDocument) =>
  `This document is too long to write a conclusion for (${doc.text.length.toLocaleString('en')} characters; reports are far shorter, and the limit is ${MAX_CONCLUSION_DOCUMENT.toLocaleString('en')}).`;

/**
 * The language features as plain functions over documents, with no protocol types: the LSP layer (`server/lsp/`),
 * the tests and any other front end call these. Work that can take long takes an `AbortSignal`; an aborted request
 * returns what it has (nothing, or "cancelled") and never writes.
 */
export interface ReportService {
  readonly settings: ServerSettings;
  /**
   * Applies new editor settings; returns the problems found in them. Unloads the model when its load settings change;
   * a change of temperature, seed, token limit or inference timeout keeps the loaded model for the next request.
   */
  updateSettings(raw: unknown): Promise<ConfigProblem[]>;
  /** Whether repository configuration is ignored (an untrusted workspace). */
  readonly workspaceConfigIgnored: boolean;
  /** Ignores (or again honours) `.radreportrc.json` files and the settings that load a file, a pattern or an endpoint. */
  ignoreWorkspaceConfig(ignore: boolean): Promise<ConfigProblem[]>;

  /** Whether a document is a report: it matches `radiologyReport.files`, or its front matter says `type: radiology-report`. */
  isReport(doc: Pick<ReportDocument, 'uri' | 'path' | 'text'>): boolean;
  /** Checks a document version (cached by uri and version; off the caller's thread when an analyser is given). */
  analyse(doc: ReportDocument): Promise<Analysis>;
  /** This version's analysis if ready within `ms`, else the latest finished one of the document, else undefined. */
  analyseWithin(doc: ReportDocument, ms: number): Promise<Analysis | undefined>;
  forget(uri: string): void;
  /** A `.radreportrc.json` changed somewhere: drop cached configuration and analyses. */
  configFilesChanged(): void;

  /** The engine slot: model state, the model path the settings give, loading and unloading. */
  onModelState(listener: (state: EngineState, model: string) => void): { dispose(): void };
  modelPath(): string;
  readonly engineState: EngineState;
  loadModel(): Promise<void>;
  unloadModel(): Promise<void>;

  /** Generates the conclusion and writes it into the document through `editor` (one checked, versioned edit). */
  generateConclusion(
    doc: ReportDocument,
    editor: DocumentEditor,
    hooks: { chooseMode(existing: string): Promise<PlacementMode | undefined>; signal?: AbortSignal; onProgress?(message: string): void },
  ): Promise<GenerateConclusionResult>;
  /** For teaching: the document's own conclusion beside a generated one and the plan. Writes nothing. */
  compareConclusion(doc: ReportDocument, signal?: AbortSignal, onProgress?: (message: string) => void): Promise<CompareConclusionResult>;
  /** The content plan of a document's conclusion, as markdown, with where its last generated conclusion came from. */
  conclusionPlan(doc: ReportDocument): Promise<ConclusionPlanResult>;
  /** Ghost text at `offset` inside the conclusion section (see inlineConclusion.ts). */
  inlineConclusion(doc: ReportDocument, offset: number, signal: AbortSignal, onWithheld?: (ruleIds: string[]) => void): Promise<InlineConclusion | undefined>;
  /** Turns a rule off in the nearest `.radreportrc.json` (created beside the report when there is none); returns its path. */
  disableRule(doc: ReportDocument, ruleId: string, fallbackDirectory?: string): Promise<string>;
  dispose(): Promise<void>;
}

/** The report service: settings and configuration lookup, the analyses, and the features wired to their parts. */
export function createReportService(deps: ReportServiceDeps): ReportService {
  const configs = createConfigResolver(deps.workspace, deps.workspaceRoots ? { roots: deps.workspaceRoots } : {});
  let settings: ServerSettings = structuredClone(DEFAULT_SERVER_SETTINGS);
  let rawSettings: unknown;
  /** Untrusted workspace: no `.radreportrc.json`, restricted settings at their defaults (see workspaceTrust.ts). */
  let workspaceConfigIgnored = false;
  const analyses = new Map<string, Promise<Analysis>>();
  /** The latest finished analysis of each document, for features that must answer before the current one is ready. */
  const finished = new Map<string, Analysis>();
  const classifiers = new Map<string, SectionClassifier>();

  let commandRunning = false;
  const inline = createInlineConclusions();
  /** The last conclusion written into each document, and where its text came from (for the hover on the heading). */
  const lastWritten = new Map<string, { text: string; source: ConclusionSource; corrections: string[] }>();
  /** The user's own reports (`radiologyReport.examples`), indexed incrementally, read with the settings' section names. */
  const exampleFolder = createExampleFolder(deps.workspace, { parse: (text) => parseReport(text, { classifier: classifierFor(settings.config) }) });
  let exampleSummary = '';

  /** The user's reports nearest to this one, to put in its prompt; none when the setting is empty or they cannot be read. */
  async function examplesFor(doc: ReportDocument, report: Report): Promise<ConclusionExample[]> {
    if (!settings.examples || settings.exampleCount === 0) return [];
    try {
      const library = await exampleFolder.refresh(settings.examples, deps.workspaceRoots?.()[0]);
      const { pairs, files, refused, problems } = exampleFolder.state;
      const summary = `Examples: ${pairs} findings → conclusion pairs from ${files} files in ${settings.examples}${refused ? ` (${refused} over the size cap, left out)` : ''}${problems.length ? `; ${problems.join('; ')}` : ''}`;
      if (summary !== exampleSummary) deps.logger.log(problems.length ? 'warn' : 'info', (exampleSummary = summary));
      return library.nearest(conclusionPromptInput(report).findings, settings.exampleCount, doc.path);
    } catch (error) {
      deps.logger.log('warn', `The example reports in ${settings.examples} could not be read: ${(error as Error).message}`);
      return [];
    }
  }

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

  const engines = createEngineSlot(deps.createEngine, engineSettings);
  const currentEngine = () => engines.engine();

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
      return {
        ...base,
        problems: [],
        skipped: `The report is too large to check (${size} million characters; the limit is radiologyReport.maxDocumentSize = ${settings.maxDocumentSize}).`,
      };
    }
    const controls = doc.text.slice(0, 65_536).match(BINARY)?.length ?? 0;
    if (controls > 8 || doc.text.includes('\u0000')) {
      return { ...base, problems: [], skipped: 'This file holds binary data, not report text; it was not checked.' };
    }
    const mode = isInTemplateFolder(doc) ? { template: true } : {};
    if (deps.analyser) {
      const result = await deps.analyser.analyse(doc.uri, doc.version, doc.text, config, mode);
      return 'skipped' in result ? { ...base, problems: [], skipped: result.skipped } : { ...base, report: result.report, problems: result.problems };
    }
    const report = parseReport(doc.text, { classifier: classifierFor(config) });
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

  const service: ReportService = {
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
      // Conclusions generated with the old model or sampling are not offered again.
      if ((await engines.update(() => inline.abort())) !== 'unchanged') inline.clear();
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
      if (
        settings.files.some((glob) => {
          const compiled = compileReportGlob(glob);
          return typeof compiled !== 'string' && compiled.matches(path);
        })
      )
        return true;
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
        void pending.then(
          (analysis) => {
            if (!analysis.skipped && (finished.get(doc.uri)?.version ?? -Infinity) <= analysis.version) finished.set(doc.uri, analysis);
          },
          () => undefined,
        );
      }
      return pending;
    },

    /**
     * The analysis of this version if it is ready within `ms`, else the latest finished one of the document (possibly of
     * an older version), else undefined: for features that answer at once (completion) while a report is checked.
     */
    async analyseWithin(doc: ReportDocument, ms: number): Promise<Analysis | undefined> {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), ms);
      });
      const analysis = await Promise.race([service.analyse(doc), late]);
      clearTimeout(timer);
      return analysis ?? finished.get(doc.uri);
    },

    forget(uri: string): void {
      finished.delete(uri);
      for (const k of analyses.keys()) if (k.startsWith(`${uri}@`)) analyses.delete(k);
    },

    /** A `.radreportrc.json` changed somewhere: drop cached configuration and analyses. */
    configFilesChanged(): void {
      configs.invalidate();
      analyses.clear();
    },

    onModelState(listener: (state: EngineState, model: string) => void): { dispose(): void } {
      return engines.onState(listener);
    },

    modelPath(): string {
      return engineSettings().modelPath;
    },

    get engineState(): EngineState {
      return engines.state;
    },

    async loadModel(): Promise<void> {
      await engines.load();
    },

    async unloadModel(): Promise<void> {
      await engines.unload();
    },

    /** Generates the conclusion and streams it into the document through `editor`. */
    async generateConclusion(
      doc: ReportDocument,
      editor: DocumentEditor,
      hooks: { chooseMode(existing: string): Promise<PlacementMode | undefined>; signal?: AbortSignal; onProgress?(message: string): void },
    ): Promise<GenerateConclusionResult> {
      if (doc.text.length > MAX_CONCLUSION_DOCUMENT) return { status: 'failed', text: '', flagged: [], message: tooLongToConclude(doc) };
      const { config } = await configFor(doc);
      inline.abort();
      if (commandRunning) return { status: 'failed', text: '', flagged: [], message: 'A conclusion is already being generated.' };
      commandRunning = true;
      try {
        const classifier = classifierFor(config);
        const result = await writeConclusion({
          uri: doc.uri,
          editor,
          parse: (text) => parseReport(text, { classifier }),
          conclude: async (report, signal, onProgress) =>
            groundedConclusion(report, {
              engine: currentEngine(),
              config,
              signal,
              onProgress,
              maxTokens: settings.maxTokens,
              examples: await examplesFor(doc, report),
            }),
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

    /**
     * For teaching: the document's own conclusion beside a generated one (grounded, with the user's examples) and the
     * plan, with what each leaves out and what the check finds in each. Writes nothing.
     */
    async compareConclusion(doc: ReportDocument, signal?: AbortSignal, onProgress?: (message: string) => void): Promise<CompareConclusionResult> {
      const failed = (markdown: string): CompareConclusionResult => ({
        status: 'failed',
        markdown,
        resident: '',
        generated: '',
        residentLeftOut: [],
        generatedLeftOut: [],
      });
      if (doc.text.length > MAX_CONCLUSION_DOCUMENT) return failed(tooLongToConclude(doc));
      const analysis = await service.analyse(doc);
      const report = analysis.report;
      if (!report) return failed(analysis.skipped ?? 'This document is not a report.');
      if (!conclusionPromptInput(report).findings.trim()) return failed('The report has no findings to compare conclusions from.');
      const resident = sectionOf(report, 'conclusion')?.text.trim() ?? '';
      if (!resident) return failed('The report has no conclusion of its own yet: write it, then compare it with the generated one.');
      inline.abort();
      if (commandRunning) return failed('A conclusion is already being generated.');
      commandRunning = true;
      try {
        const generated = await groundedConclusion(report, {
          engine: currentEngine(),
          config: analysis.config,
          maxTokens: settings.maxTokens,
          examples: await examplesFor(doc, report),
          ...(signal ? { signal } : {}),
          ...(onProgress ? { onProgress } : {}),
        });
        const comparison = compareConclusions(
          report,
          generated.plan,
          { resident, generated: generated.text },
          analysis.config,
          vocabularyFor(analysis.config.vocabulary),
        );
        return {
          status: 'compared',
          markdown: comparisonMarkdown(comparison, `source: ${generated.source}`),
          resident: comparison.resident.text,
          generated: comparison.generated.text,
          source: generated.source,
          residentLeftOut: comparison.resident.leftOut,
          generatedLeftOut: comparison.generated.leftOut,
        };
      } catch (error) {
        if (error instanceof ConclusionCancelled || signal?.aborted) return { ...failed('Cancelled.'), status: 'cancelled' };
        return failed((error as Error).message);
      } finally {
        commandRunning = false;
      }
    },

    /** The content plan of a document's conclusion, as markdown, with where its last generated conclusion came from. */
    async conclusionPlan(doc: ReportDocument): Promise<ConclusionPlanResult> {
      if (doc.text.length > MAX_CONCLUSION_DOCUMENT) return { markdown: tooLongToConclude(doc), statements: [] };
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
      if (!settings.inlineCompletion.enabled || commandRunning || doc.text.length > MAX_CONCLUSION_DOCUMENT) return undefined;
      return inline.offer(
        doc.text,
        offset,
        {
          analyse: () => service.analyse(doc),
          examples: (report) => examplesFor(doc, report),
          engine: currentEngine,
          guard: guardConclusion,
          debounceMs: settings.inlineCompletion.debounceMs,
          maxTokens: settings.maxTokens,
          log: (message) => deps.logger.log('error', message),
        },
        signal,
        onWithheld,
      );
    },

    /** Turns a rule off in the nearest `.radreportrc.json` (created beside the report when there is none). */
    async disableRule(doc: ReportDocument, ruleId: string, fallbackDirectory?: string): Promise<string> {
      if (workspaceConfigIgnored)
        throw new Error('Repository configuration is ignored in this workspace (it is not trusted), so no rule is turned off in a .radreportrc.json.');
      const path = await disableRuleInConfig(deps.workspace, configs, doc, ruleId, fallbackDirectory);
      service.configFilesChanged();
      return path;
    },

    async dispose(): Promise<void> {
      inline.abort();
      await Promise.all([engines.dispose(), deps.analyser?.dispose()]);
    },
  };

  return Object.freeze(service);
}
