import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import {
  COMMANDS,
  CONCLUSION_WRITTEN_NOTIFICATION,
  MODEL_STATE_NOTIFICATION,
  WORKSPACE_CONFIG_NOTIFICATION,
  WORKSPACE_SCOPED_SETTINGS_KEY,
  type CompareConclusionResult,
  type ConclusionPlanResult,
  type ConclusionWrittenPayload,
  type GenerateConclusionArgs,
  type ModelStatePayload,
  type ServerInitializationOptions,
  type WorkspaceConfigParams,
} from '../server/protocol.ts';
import { openExampleReport } from './exampleReport.ts';
import { newReportFromTemplate } from './newReportFromTemplate.ts';
import { openStudy } from './studyView.ts';

/**
 * The VS Code side: starts the language server, fills in command arguments from the active editor, shows the model
 * state in the status bar. No domain logic lives here.
 */
let client: LanguageClient | undefined;

/** Where the department server's API key is kept (VS Code's SecretStorage) and how the language server receives it. */
const API_KEY_SECRET = 'radiologyReport.endpointApiKey';
const API_KEY_VARIABLE = 'RADREPORT_API_KEY';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath('dist/server.mjs');
  // The department server's API key reaches the language server in its environment: not in settings, and not in the
  // protocol messages (which `radiologyReport.trace.server` would write to the log).
  const serverEnv: Record<string, string> = {};
  const apiKey = await context.secrets.get(API_KEY_SECRET);
  if (apiKey) serverEnv[API_KEY_VARIABLE] = apiKey;
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.stdio, options: { env: serverEnv } },
    debug: { module: serverModule, transport: TransportKind.stdio, options: { execArgv: ['--inspect=6010'], env: serverEnv } },
  };
  const output = vscode.window.createOutputChannel('Radiology Report', { log: true });
  const clientOptions: LanguageClientOptions = {
    // The server decides which markdown files are reports (radiologyReport.files, or front matter type).
    documentSelector: [
      { language: 'markdown', scheme: 'file' },
      { language: 'markdown', scheme: 'untitled' },
    ],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/.radreportrc.json') },
    // Restricted Mode: the server ignores the repository's .radreportrc.json and restricted settings (package.json
    // `capabilities.untrustedWorkspaces`); built-in rules still run. Read again at each (re)start.
    initializationOptions: (): ServerInitializationOptions => ({ ignoreWorkspaceConfig: !vscode.workspace.isTrusted }),
    outputChannel: output,
    middleware: {
      // Tell the server which file settings the workspace (not the user) chose: those must name files inside it.
      workspace: {
        async configuration(params, token, next) {
          const result = await next(params, token);
          if (!Array.isArray(result)) return result;
          return result.map((value: unknown, i) =>
            params.items[i]?.section === 'radiologyReport' && value && typeof value === 'object'
              ? { ...(value as object), [WORKSPACE_SCOPED_SETTINGS_KEY]: workspaceScopedFileSettings() }
              : value,
          );
        },
      },
      // Palette and keybinding invocations come without arguments: use the active editor's report.
      executeCommand(command, args, next) {
        if (command === COMMANDS.generateConclusion && !args[0]) {
          const editor = vscode.window.activeTextEditor;
          if (!editor) {
            void vscode.window.showErrorMessage('Open a radiology report to generate its conclusion.');
            return undefined;
          }
          const generateArgs: GenerateConclusionArgs = { uri: editor.document.uri.toString(), version: editor.document.version };
          return next(command, [generateArgs]);
        }
        if (command === COMMANDS.conclusionPlan) {
          // From the CodeLens or the palette: show the plan beside the report.
          const uri = (args[0] as { uri?: string } | undefined)?.uri ?? vscode.window.activeTextEditor?.document.uri.toString();
          if (!uri) {
            void vscode.window.showErrorMessage('Open a radiology report to see its conclusion plan.');
            return undefined;
          }
          return Promise.resolve(next(command, [{ uri }])).then(async (result) => {
            const plan = result as ConclusionPlanResult | undefined;
            if (!plan?.markdown) return result;
            const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: `${plan.markdown}\n` });
            await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
            return result;
          });
        }
        if (command === COMMANDS.compareConclusion) {
          // The resident's conclusion beside the generated one and the plan, as a markdown document beside the report.
          const uri = (args[0] as { uri?: string } | undefined)?.uri ?? vscode.window.activeTextEditor?.document.uri.toString();
          if (!uri) {
            void vscode.window.showErrorMessage('Open a radiology report to compare its conclusion with the generated one.');
            return undefined;
          }
          return vscode.window.withProgress(
            { location: vscode.ProgressLocation.Notification, title: 'Comparing with the generated conclusion…', cancellable: false },
            async () => {
              const result = (await next(command, [{ uri }])) as CompareConclusionResult | undefined;
              if (!result?.markdown) return result;
              if (result.status !== 'compared') {
                void vscode.window.showWarningMessage(result.markdown);
                return result;
              }
              const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: result.markdown });
              await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
              return result;
            },
          );
        }
        return next(command, args);
      },
    },
  };
  client = new LanguageClient('radiologyReport', 'Radiology Report', serverOptions, clientOptions);

  const status = vscode.window.createStatusBarItem('radiologyReport.model', vscode.StatusBarAlignment.Right, 100);
  status.name = 'Radiology report model';
  status.command = COMMANDS.loadModel;
  showModelState(status, { state: 'unloaded', model: '' });
  status.show();

  // Where the last generated conclusion of the active report came from: the model, the model corrected, or the plan.
  const source = vscode.window.createStatusBarItem('radiologyReport.conclusionSource', vscode.StatusBarAlignment.Right, 99);
  source.name = 'Radiology report conclusion source';
  source.command = { title: 'Show conclusion plan', command: COMMANDS.conclusionPlan, arguments: [] };
  const sources = new Map<string, ConclusionWrittenPayload>();
  const showSource = () => {
    const payload = sources.get(vscode.window.activeTextEditor?.document.uri.toString() ?? '');
    if (!payload) return source.hide();
    const icon = payload.flagged.length
      ? '$(warning)'
      : payload.source === 'model'
        ? '$(sparkle)'
        : payload.source === 'model-corrected'
          ? '$(wrench)'
          : '$(list-ordered)';
    source.text = `${icon} Conclusion: ${payload.source}`;
    source.tooltip = [
      payload.source === 'model'
        ? "The model's text passed the check against the plan and the findings."
        : payload.source === 'model-corrected'
          ? "The model's text, corrected."
          : "Composed from the plan: the model's text failed the check.",
      ...payload.corrections.map((c) => `The model's text ${c}.`),
      ...(payload.flagged.length ? [`Still fails: ${payload.flagged.join(', ')}.`] : []),
      'Click to show the conclusion plan.',
    ].join('\n');
    source.show();
  };

  /** Hands a new key to the server: restarts it with the key in its environment. */
  const applyApiKey = async (key: string | undefined) => {
    if ((key || undefined) === serverEnv[API_KEY_VARIABLE]) return;
    if (key) serverEnv[API_KEY_VARIABLE] = key;
    else delete serverEnv[API_KEY_VARIABLE];
    if (client?.isRunning()) await client.restart();
  };

  context.subscriptions.push(
    output,
    status,
    source,
    vscode.window.onDidChangeActiveTextEditor(showSource),
    vscode.commands.registerCommand('radiologyReport.setServerApiKey', async () => {
      const key = await vscode.window.showInputBox({
        title: 'Radiology Report: conclusion server API key',
        prompt:
          "The API key of the server in radiologyReport.endpoint. It is kept in the editor's secret storage, never in settings. Leave empty to remove it.",
        password: true,
        ignoreFocusOut: true,
      });
      if (key === undefined) return;
      if (key.trim()) await context.secrets.store(API_KEY_SECRET, key.trim());
      else await context.secrets.delete(API_KEY_SECRET);
      await applyApiKey(key.trim() || undefined);
      void vscode.window.showInformationMessage(key.trim() ? 'The server API key is stored.' : 'The server API key is removed.');
    }),
    context.secrets.onDidChange(async (event) => {
      if (event.key === API_KEY_SECRET) await applyApiKey(await context.secrets.get(API_KEY_SECRET));
    }),
    vscode.commands.registerCommand('radiologyReport.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('radiologyReport.openStudy', (folder?: vscode.Uri) => openStudy(context, folder)),
    vscode.commands.registerCommand('radiologyReport.openExampleReport', (name?: unknown) => openExampleReport(context, name)),
    vscode.commands.registerCommand('radiologyReport.newReportFromTemplate', () => newReportFromTemplate(client)),
  );

  // A test-only command for the end-to-end tests: dumps the active document and its diagnostics to a file.
  const dumpPath = process.env.RADREPORT_E2E_DUMP;
  if (dumpPath) {
    context.subscriptions.push(
      vscode.commands.registerCommand('radiologyReport.test.dumpState', () => {
        const editor = vscode.window.activeTextEditor;
        const uri = editor?.document.uri;
        const diagnostics = uri ? vscode.languages.getDiagnostics(uri) : [];
        writeFileSync(
          dumpPath,
          JSON.stringify(
            {
              uri: uri?.toString(),
              text: editor?.document.getText(),
              version: editor?.document.version,
              diagnostics: diagnostics.map((d) => ({
                code: typeof d.code === 'object' ? d.code.value : d.code,
                message: d.message,
                severity: d.severity,
                line: d.range.start.line,
              })),
              status: status.text,
              conclusionSource: source.text,
            },
            null,
            2,
          ),
        );
      }),
    );
  }

  await client.start();
  // Trusting the workspace applies its configuration without a restart.
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      const params: WorkspaceConfigParams = { ignoreWorkspaceConfig: false };
      void client?.sendNotification(WORKSPACE_CONFIG_NOTIFICATION, params);
    }),
  );
  context.subscriptions.push(
    client.onNotification(MODEL_STATE_NOTIFICATION, (payload: ModelStatePayload) => showModelState(status, payload)),
    client.onNotification(CONCLUSION_WRITTEN_NOTIFICATION, (payload: ConclusionWrittenPayload) => {
      sources.set(payload.uri, payload);
      showSource();
    }),
  );
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

/** The file settings whose value comes from the workspace or a workspace folder rather than the user's settings. */
function workspaceScopedFileSettings(): string[] {
  const configuration = vscode.workspace.getConfiguration('radiologyReport');
  return ['model', 'loras'].filter((name) => {
    const inspected = configuration.inspect(name);
    return inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined;
  });
}

function showModelState(item: vscode.StatusBarItem, payload: ModelStatePayload): void {
  const model = payload.model ? payload.model.split(/[\\/]/).pop() : 'embedded default model';
  switch (payload.state) {
    case 'unloaded':
      if (payload.server) {
        item.text = `$(server) server: ${payload.server}`;
        item.tooltip = `Conclusions are written by the department server ${payload.server}; it is asked on first use. Click to connect now.`;
        item.backgroundColor = undefined;
        break;
      }
      item.text = '$(circle-outline) Report model: not loaded';
      item.tooltip = `${model} loads on first use. Click to load it now.`;
      item.backgroundColor = undefined;
      break;
    case 'loading':
      item.text = `$(sync~spin) Report model: loading ${Math.round(payload.progress)}%`;
      item.tooltip = `Loading ${model}`;
      item.backgroundColor = undefined;
      break;
    case 'ready':
      if (payload.server) {
        item.text = `$(server) server: ${payload.server}`;
        item.tooltip = `Conclusions are written by ${model} on the department server ${payload.server}.`;
        item.backgroundColor = undefined;
        break;
      }
      if (payload.notice) {
        item.text = `$(warning) Report model: restarted, ready on ${payload.device}`;
        item.tooltip = `${payload.notice} ${model} is loaded again on ${payload.device}.`;
        item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        break;
      }
      item.text = `$(check) Report model: ready on ${payload.device}`;
      item.tooltip = `${model} is loaded on ${payload.device}.`;
      item.backgroundColor = undefined;
      break;
    case 'error':
      item.text = '$(error) Report model: error';
      item.tooltip = payload.message;
      item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
      break;
  }
}
