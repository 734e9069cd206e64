import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createConclusionEngine } from '../generation/engineSelection.ts';
import { endpointUrls } from '../generation/endpointUrl.ts';
import { readEmbeddedModel } from '../generation/embeddedModel.ts';
import {
  COMMANDS,
  MODEL_STATE_NOTIFICATION,
  REPORT_FROM_TEMPLATE_REQUEST,
  SERVER_COMMANDS,
  TEMPLATE_LIST_REQUEST,
  WORKSPACE_CONFIG_NOTIFICATION,
  type CompareConclusionParams,
  type ConclusionPlanParams,
  type DisableRuleArgs,
  type GenerateConclusionArgs,
  type ModelStatePayload,
  type ReportFromTemplateParams,
  type ReportFromTemplateResult,
  type ServerInitializationOptions,
  type TemplateListResult,
  type WorkspaceConfigParams,
} from '../protocol.ts';
import { sectionOf } from '../report/parseReport.ts';
import { analysisWorkerFactory, createWorkerAnalyser } from '../service/reportAnalyser.ts';
import { nodeWorkspace } from '../service/reportWorkspace.ts';
import { createReportService, type Analysis, type ReportDocument, type ReportService } from '../service/reportService.ts';
import { codeActions, FIX_ALL_KIND } from './codeActions.ts';
import { codeLenses } from './codeLens.ts';
import { completions } from './completion.ts';
import { configFileDiagnostics, toDiagnostics } from './diagnostics.ts';
import { runGenerateConclusion } from './generateCommand.ts';
import { tellUser } from './userMessage.ts';
import { confineWorkspaceModelFiles } from './workspaceModelFiles.ts';
import { packageRoot as findPackageRoot } from '../packageRoot.ts';
import { LspFraming } from './lspFraming.ts';
import { isAbsolute, resolve } from 'node:path';
import { createTemplateLibraryStore } from '../service/templateLibraryStore.ts';

/** Most time one report's check may take in the worker before it is stopped (every known input takes well under 2 s). */
const ANALYSIS_BUDGET_MS = 5_000;
/** How long completion and code actions wait for the current version's check (then answer from the previous one, or with nothing). */
const COMPLETION_WAIT_MS = 300;
/** A document this short is a report (the longest IU or MTSamples report is under 15,000 characters). */
const REPORT_SIZED = 20_000;

/**
 * Starts the language server on stdio (or the transport named on the command line). `framedInput`: the stream the
 * protocol arrives on (stdin with `--stdio`); when its framing breaks, the server exits (`exitOnBrokenFraming`).
 */
export async function startServer(connection: Connection = createConnection(ProposedFeatures.all), framedInput?: NodeJS.ReadableStream): Promise<void> {
  const root = findPackageRoot();
  const documents = new TextDocuments(TextDocument);
  const logger = {
    log(level: 'error' | 'warn' | 'info' | 'debug', message: string) {
      // Logs go to the client's output channel, never to stdout (which carries the protocol).
      if (level === 'error') connection.console.error(message);
      else if (level === 'warn') connection.console.warn(message);
      else if (level === 'info') connection.console.info(message);
      else connection.console.log(message);
    },
  };
  // The department server's API key: handed over by the client in the environment (never in settings, never traced),
  // kept in memory only, and not passed on to the processes this server starts.
  const apiKey = process.env.RADREPORT_API_KEY || undefined;
  delete process.env.RADREPORT_API_KEY;
  // Workspace folders: a `.radreportrc.json` may not lead out of them, and none above them applies.
  let workspaceRoots: string[] = [];
  const roots = () => workspaceRoots;
  const service = createReportService({
    workspace: await nodeWorkspace({ roots }),
    workspaceRoots: roots,
    createEngine: (settings) => createConclusionEngine(settings, { apiKey, log: (level, message) => logger.log(level, message) }),
    embeddedModel: () => readEmbeddedModel(root),
    logger,
    // Parse and rules in a worker thread with a deadline, so requests are answered while a report is checked.
    analyser: createWorkerAnalyser({
      createWorker: analysisWorkerFactory(),
      budgetMs: ANALYSIS_BUDGET_MS,
      log: (level, message) => logger.log(level, message),
    }),
  });

  // Report templates: the shipped RSNA RadReport library and the department's folders (relative ones in each workspace folder).
  const templateLibrary = createTemplateLibraryStore({
    packageRoot: root,
    departmentFolders: () => service.settings.templates.flatMap((folder) => (isAbsolute(folder) ? [folder] : workspaceRoots.map((r) => resolve(r, folder)))),
  });

  let canConfigure = false;
  let canWatch = false;
  let workDoneProgress = false;

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    canConfigure = params.capabilities.workspace?.configuration === true;
    canWatch = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    workDoneProgress = params.capabilities.window?.workDoneProgress === true;
    workspaceRoots = (params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri }] : []))
      .filter((folder) => folder.uri.startsWith('file:'))
      .map((folder) => fileURLToPath(folder.uri));
    const options = (params.initializationOptions ?? {}) as ServerInitializationOptions;
    if (options.ignoreWorkspaceConfig === true) {
      void service.ignoreWorkspaceConfig(true);
      logger.log('info', 'Repository configuration is ignored (untrusted workspace): built-in rules on built-in defaults.');
    }
    if (options.settings !== undefined) void applySettings(options.settings);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
        codeLensProvider: { resolveProvider: false },
        completionProvider: { triggerCharacters: ['#'], resolveProvider: false },
        executeCommandProvider: { commands: [...SERVER_COMMANDS] },
        inlineCompletionProvider: true,
        hoverProvider: true,
      },
      serverInfo: { name: 'radiology-report-language-server', version: '0.1.0' },
    };
  });

  connection.onInitialized(async () => {
    if (canConfigure) {
      await connection.client.register(DidChangeConfigurationNotification.type, { section: 'radiologyReport' });
      await refreshSettings();
    }
    if (canWatch) {
      await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/.radreportrc.json' }] });
    }
  });

  async function applySettings(raw: unknown): Promise<void> {
    const confined = await confineWorkspaceModelFiles(raw, workspaceRoots);
    const problems = [...confined.problems, ...(await service.updateSettings(confined.raw))];
    if (problems.length) {
      const lines = problems.map((p) => `${p.path} ${p.message}`);
      tellUser(connection, 'error', `Radiology Report settings: ${lines.join('; ')}`);
      logger.log('error', `Invalid settings: ${lines.join('; ')}`);
    }
    publishModelState();
    await publishAll();
  }

  async function refreshSettings(): Promise<void> {
    try {
      const [raw] = (await connection.workspace.getConfiguration([{ section: 'radiologyReport' }])) as unknown[];
      await applySettings(raw ?? {});
    } catch (error) {
      logger.log('warn', `Could not read settings: ${(error as Error).message}`);
    }
  }

  connection.onDidChangeConfiguration(async (change) => {
    if (canConfigure) await refreshSettings();
    else await applySettings((change.settings as { radiologyReport?: unknown } | undefined)?.radiologyReport ?? change.settings);
  });

  // The workspace became trusted (or an editor turns the switch): apply repository configuration, or stop applying it.
  connection.onNotification(WORKSPACE_CONFIG_NOTIFICATION, async (params: WorkspaceConfigParams) => {
    if (typeof params?.ignoreWorkspaceConfig !== 'boolean') return;
    await service.ignoreWorkspaceConfig(params.ignoreWorkspaceConfig);
    if (canConfigure) await refreshSettings();
    else await publishAll();
  });

  connection.onDidChangeWatchedFiles(async () => {
    service.configFilesChanged();
    // A configuration file no open report uses any more (deleted, renamed, or a nearer one added) loses its problems.
    configTouched.clear();
    await publishAll();
    for (const uri of [...configPublished.keys()]) {
      if (configTouched.has(uri)) continue;
      configPublished.delete(uri);
      await connection.sendDiagnostics({ uri, diagnostics: [] });
    }
  });

  // ---- documents and diagnostics ------------------------------------------------------------------------------------

  const toReportDocument = (document: TextDocument): ReportDocument => {
    const doc: ReportDocument = { uri: document.uri, text: document.getText(), version: document.version };
    if (document.uri.startsWith('file:')) doc.path = fileURLToPath(document.uri);
    return doc;
  };
  const reportOf = (uri: string): ReportDocument | undefined => {
    const document = documents.get(uri);
    if (!document) return undefined;
    const doc = toReportDocument(document);
    return service.isReport(doc) ? doc : undefined;
  };

  const timers = new Map<string, NodeJS.Timeout>();
  // What was last published on each .radreportrc.json, so it is sent again only when it changes.
  const configPublished = new Map<string, string>();
  const configTouched = new Set<string>();
  async function publishConfigFile(path: string, problems: Analysis['configProblems']): Promise<void> {
    const { uri, diagnostics } = configFileDiagnostics(path, problems);
    configTouched.add(uri);
    const key = JSON.stringify(diagnostics);
    if (configPublished.get(uri) === key) return;
    configPublished.set(uri, key);
    await connection.sendDiagnostics({ uri, diagnostics });
  }
  async function publish(uri: string): Promise<void> {
    const doc = reportOf(uri);
    if (!doc) {
      // A .radreportrc.json open in the editor keeps the problems found in it.
      if (!configPublished.has(uri)) await connection.sendDiagnostics({ uri, diagnostics: [] });
      return;
    }
    try {
      const analysis = await service.analyse(doc);
      if (analysis.configPath) await publishConfigFile(analysis.configPath, analysis.configProblems);
      // Publish only for the version still open: a newer one gets its own.
      if (documents.get(uri)?.version !== doc.version) return;
      await connection.sendDiagnostics({ uri, version: doc.version, diagnostics: toDiagnostics(analysis, root) });
    } catch (error) {
      logger.log('error', `Checking ${uri} failed: ${(error as Error).stack ?? error}`);
    }
  }
  function schedule(uri: string, delay: number): void {
    clearTimeout(timers.get(uri));
    timers.set(
      uri,
      setTimeout(() => {
        timers.delete(uri);
        void publish(uri);
      }, delay),
    );
  }
  async function publishAll(): Promise<void> {
    await Promise.all(documents.all().map((d) => publish(d.uri)));
  }

  documents.onDidOpen((event) => schedule(event.document.uri, 0));
  // Wait for a pause in typing, so the sentence being typed is not flagged.
  documents.onDidChangeContent((event) => schedule(event.document.uri, service.settings.diagnosticsDelayMs));
  documents.onDidClose((event) => {
    clearTimeout(timers.get(event.document.uri));
    service.forget(event.document.uri);
    void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });

  // ---- features -----------------------------------------------------------------------------------------------------

  connection.onCodeLens(async (params) => {
    const doc = reportOf(params.textDocument.uri);
    return doc ? codeLenses(await service.analyse(doc)) : [];
  });

  connection.onCodeAction(async (params) => {
    const document = documents.get(params.textDocument.uri);
    const doc = reportOf(params.textDocument.uri);
    if (!document || !doc) return [];
    // Fixes are edits of this version: none until its check is done (the client asks again when diagnostics change).
    const analysis = await service.analyseWithin(doc, COMPLETION_WAIT_MS);
    return analysis?.version === doc.version ? codeActions(params, document, analysis) : [];
  });

  connection.onCompletion(async (params) => {
    const document = documents.get(params.textDocument.uri);
    const doc = reportOf(params.textDocument.uri);
    if (!document || !doc) return [];
    // A document just opened has no analysis yet: one of report size is checked in well under a second, so wait for it
    // (an empty report is offered the templates); a huge one answers at once rather than hold completion.
    const analysis = (await service.analyseWithin(doc, COMPLETION_WAIT_MS)) ?? (doc.text.length <= REPORT_SIZED ? await service.analyse(doc) : undefined);
    if (!analysis) return [];
    // An empty report is offered the library's templates too.
    const empty = analysis.report !== undefined && !analysis.report.sections.some((s) => s.kind !== 'other');
    return completions(document, params.position, analysis, root, empty ? await templateLibrary.templates() : []);
  });

  connection.onRequest(TEMPLATE_LIST_REQUEST, async (): Promise<TemplateListResult> => ({
    templates: (await templateLibrary.templates()).map(({ report: _report, ...entry }) => entry),
  }));

  connection.onRequest(REPORT_FROM_TEMPLATE_REQUEST, async (params: ReportFromTemplateParams): Promise<ReportFromTemplateResult | null> => {
    const template = (await templateLibrary.templates()).find((t) => t.source === params?.source && t.id === params?.id);
    return template ? { text: template.report } : null;
  });

  // The conclusion plan on the conclusion heading (or on the findings heading of a report with no conclusion yet).
  connection.onHover(async (params) => {
    const document = documents.get(params.textDocument.uri);
    const doc = reportOf(params.textDocument.uri);
    if (!document || !doc) return null;
    const analysis = await service.analyse(doc);
    const report = analysis.report;
    if (!report) return null;
    const heading = (sectionOf(report, 'conclusion') ?? sectionOf(report, 'findings'))?.headingRange;
    if (!heading || params.position.line !== heading.start.line) return null;
    const plan = await service.conclusionPlan(doc);
    return { contents: { kind: 'markdown', value: plan.markdown }, range: heading };
  });

  const withheldNotified = new Set<string>();
  connection.languages.inlineCompletion.on(async (params, token) => {
    const document = documents.get(params.textDocument.uri);
    const doc = reportOf(params.textDocument.uri);
    if (!document || !doc) return null;
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    const offset = document.offsetAt(params.position);
    const suggestion = await service.inlineConclusion(doc, offset, controller.signal, (ruleIds) => {
      const key = `${doc.uri}:${ruleIds.join(',')}`;
      if (withheldNotified.has(key)) return;
      withheldNotified.add(key);
      tellUser(
        connection,
        'warning',
        `The generated conclusion was not offered: it fails ${ruleIds.join(', ')}. Use "Generate conclusion" to see it with its problems marked.`,
      );
    });
    if (!suggestion || token.isCancellationRequested) return null;
    const position = document.positionAt(suggestion.span.start);
    return { items: [{ insertText: suggestion.insertText, range: { start: position, end: position } }] };
  });

  connection.onExecuteCommand(async (params, token) => {
    try {
      switch (params.command) {
        case COMMANDS.generateConclusion: {
          const args = (params.arguments?.[0] ?? {}) as GenerateConclusionArgs;
          return await runGenerateConclusion({
            connection,
            documents,
            service,
            args,
            token,
            workDoneProgress,
            toReportDocument,
            isReport: (uri) => reportOf(uri) !== undefined,
          });
        }
        case COMMANDS.disableRule: {
          const args = (params.arguments?.[0] ?? {}) as DisableRuleArgs;
          const doc = reportOf(args.uri);
          if (!doc || typeof args.ruleId !== 'string') throw new Error('disableRule needs the uri of an open report and a rule id');
          const path = await service.disableRule(doc, args.ruleId);
          await publishAll();
          tellUser(connection, 'info', `Rule ${args.ruleId} is off in ${path}.`);
          return { path };
        }
        case COMMANDS.conclusionPlan: {
          const args = (params.arguments?.[0] ?? {}) as ConclusionPlanParams;
          const doc = typeof args.uri === 'string' ? reportOf(args.uri) : undefined;
          if (!doc) throw new Error('Open a radiology report to see its conclusion plan.');
          return await service.conclusionPlan(doc);
        }
        case COMMANDS.compareConclusion: {
          const args = (params.arguments?.[0] ?? {}) as CompareConclusionParams;
          const doc = typeof args.uri === 'string' ? reportOf(args.uri) : undefined;
          if (!doc) throw new Error('Open a radiology report to compare its conclusion with the generated one.');
          const controller = new AbortController();
          token.onCancellationRequested(() => controller.abort());
          return await service.compareConclusion(doc, controller.signal);
        }
        case COMMANDS.loadModel:
          await service.loadModel();
          return service.engineState;
        case COMMANDS.unloadModel:
          await service.unloadModel();
          return service.engineState;
        default:
          throw new Error(`unknown command ${params.command}`);
      }
    } catch (error) {
      const message = (error as Error).message;
      logger.log('error', `${params.command} failed: ${(error as Error).stack ?? message}`);
      tellUser(connection, 'error', message);
      return { status: 'failed', text: '', flagged: [], message };
    }
  });

  // ---- model state ---------------------------------------------------------------------------------------------------

  function publishModelState(): void {
    const state = service.engineState;
    const model = service.modelPath();
    const payload: ModelStatePayload =
      state.state === 'loading'
        ? { state: 'loading', model, progress: state.progress }
        : state.state === 'ready'
          ? {
              state: 'ready',
              model: state.server ? state.model : model,
              device: state.device,
              ...(state.server ? { server: state.server } : {}),
              ...(state.notice ? { notice: state.notice } : {}),
            }
          : state.state === 'error'
            ? { state: 'error', model, message: state.message }
            : { state: 'unloaded', model, ...configuredServer() };
    void connection.sendNotification(MODEL_STATE_NOTIFICATION, payload);
  }
  service.onModelState(() => publishModelState());
  /** The department server the settings name (validated there), for the status bar before it is first used. */
  function configuredServer(): { server?: string } {
    return service.settings.endpoint ? { server: endpointUrls(service.settings.endpoint).displayName } : {};
  }

  connection.onShutdown(async () => {
    await service.dispose();
  });

  documents.listen(connection);
  connection.listen();
  // Beside the connection's reader, from its first byte: both listen before the stream starts flowing.
  if (framedInput) exitOnBrokenFraming(framedInput);
}

/**
 * Broken framing (a `Content-Length: abc` header, garbage bytes) leaves the message reader out of step for good: the
 * server would stay alive and deaf, and the editor would never restart it. Exit non-zero, saying why on stderr (the
 * editor's log), so that the client starts a fresh server.
 */
function exitOnBrokenFraming(input: NodeJS.ReadableStream): void {
  const framing = new LspFraming();
  const onData = (chunk: Buffer | string) => {
    const broken = framing.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    if (broken === undefined) return;
    input.removeListener('data', onData);
    process.stderr.write(
      `radreport server: the input is not framed as the Language Server Protocol requires (${broken}); exiting so that the editor starts the server again.\n`,
    );
    process.exit(1);
  };
  input.on('data', onData);
}

export type { ReportService };
