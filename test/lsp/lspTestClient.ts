import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type {
  ApplyWorkspaceEditParams,
  Diagnostic,
  PublishDiagnosticsParams,
  ShowMessageParams,
  ShowMessageRequestParams,
  TextDocumentEdit,
  TextEdit,
} from 'vscode-languageserver-protocol';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const SERVER = join(REPO, 'dist', 'server.mjs');

export interface ClientOptions {
  settings?: Record<string, unknown>;
  /** Answer to window/showMessageRequest: the title of the action to pick, or undefined to dismiss. */
  answer?: (params: ShowMessageRequestParams) => string | undefined;
  /** Refuse workspace/applyEdit (as a client that cannot apply it would). */
  refuseEdits?: boolean;
  /** Extra environment for the server process (as the VS Code client passes the server API key). */
  env?: Record<string, string>;
  /** A command the server is started under, e.g. `['unshare', '-n']` (it must exec the server, keeping its pid). */
  wrap?: string[];
}

/**
 * A real LSP client over stdio, talking to the bundled server (`dist/server.mjs`) in its own process. It keeps the
 * documents it opened, applies the server's `workspace/applyEdit` requests to them (refusing an edit for another version,
 * like VS Code), and sends the resulting `didChange`, so tests see what an editor would see.
 */
export class LspTestClient {
  readonly connection: MessageConnection;
  readonly process: ChildProcess;
  readonly documents = new Map<string, TextDocument>();
  readonly diagnostics = new Map<string, PublishDiagnosticsParams[]>();
  readonly messages: ShowMessageParams[] = [];
  /** The messages that came as window/showMessageRequest (a question that holds some editors until answered). */
  readonly messageRequests: ShowMessageRequestParams[] = [];
  readonly progress: unknown[] = [];
  readonly modelStates: unknown[] = [];
  readonly appliedEdits: ApplyWorkspaceEditParams[] = [];
  readonly stderr: string[] = [];
  /** window/logMessage lines: the server's log. */
  readonly logs: string[] = [];
  settings: Record<string, unknown>;
  private readonly listeners = new Set<() => void>();
  private configurationRequests = 0;

  constructor(private readonly options: ClientOptions = {}) {
    this.settings = options.settings ?? {};
    const [command, ...args] = [...(options.wrap ?? []), process.execPath, SERVER, '--stdio'];
    this.process = spawn(command!, args, { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
    this.process.stderr!.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    this.connection = createMessageConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    const c = this.connection;
    c.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      const list = this.diagnostics.get(params.uri) ?? [];
      list.push(params);
      this.diagnostics.set(params.uri, list);
      this.notify();
    });
    c.onNotification('window/showMessage', (params: ShowMessageParams) => {
      this.messages.push(params);
      this.notify();
    });
    c.onNotification('window/logMessage', (params: { message: string }) => {
      this.logs.push(params.message);
    });
    c.onNotification('$/progress', (params: unknown) => {
      this.progress.push(params);
      this.notify();
    });
    c.onNotification('radiologyReport/modelState', (params: unknown) => {
      this.modelStates.push(params);
      this.notify();
    });
    c.onRequest('workspace/configuration', () => {
      this.configurationRequests++;
      this.notify();
      return [this.settings];
    });
    c.onRequest('client/registerCapability', () => null);
    c.onRequest('window/workDoneProgress/create', () => null);
    c.onRequest('window/showMessageRequest', (params: ShowMessageRequestParams) => {
      this.messages.push(params);
      this.messageRequests.push(params);
      const title = this.options.answer?.(params);
      return title ? { title } : null;
    });
    c.onRequest('workspace/applyEdit', (params: ApplyWorkspaceEditParams) => this.applyEdit(params));
    c.listen();
  }

  static async start(options: ClientOptions = {}): Promise<LspTestClient> {
    const client = new LspTestClient(options);
    await client.initialize();
    return client;
  }

  async initialize(): Promise<unknown> {
    const result = await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {
        workspace: { configuration: true, applyEdit: true, workspaceEdit: { documentChanges: true }, didChangeConfiguration: { dynamicRegistration: true } },
        window: { workDoneProgress: true, showMessage: { messageActionItem: { additionalPropertiesSupport: false } } },
        textDocument: {
          publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
          codeAction: { dataSupport: true, codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } },
          inlineCompletion: {},
        },
      },
      initializationOptions: { settings: this.settings },
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /** Writes a report into a fresh temp folder (so `.radreportrc.json` lookup is under the test's control) and opens it. */
  open(text: string, options: { name?: string; dir?: string } = {}): string {
    const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'radreport-lsp-'));
    const path = join(dir, options.name ?? 'case.report.md');
    writeFileSync(path, text);
    const uri = pathToFileURL(path).href;
    this.documents.set(uri, TextDocument.create(uri, 'markdown', 1, text));
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text } });
    return uri;
  }

  text(uri: string): string {
    return this.documents.get(uri)!.getText();
  }

  version(uri: string): number {
    return this.documents.get(uri)!.version;
  }

  /** The user edits the document: replaces [start, end) offsets with text and tells the server. */
  edit(uri: string, start: number, end: number, newText: string): void {
    const doc = this.documents.get(uri)!;
    const range = { start: doc.positionAt(start), end: doc.positionAt(end) };
    this.change(uri, [{ range, newText }]);
  }

  private change(uri: string, edits: TextEdit[]): void {
    const doc = this.documents.get(uri)!;
    const next = TextDocument.create(uri, 'markdown', doc.version + 1, TextDocument.applyEdits(doc, edits));
    this.documents.set(uri, next);
    void this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: next.version },
      contentChanges: edits.map((e) => ({ range: e.range, text: e.newText })),
    });
    this.notify();
  }

  /** Applies a workspace edit as the editor would (e.g. a code action's edit). */
  applyWorkspaceEdit(params: ApplyWorkspaceEditParams): { applied: boolean; failureReason?: string } {
    return this.applyEdit(params, false);
  }

  private applyEdit(params: ApplyWorkspaceEditParams, fromServer = true): { applied: boolean; failureReason?: string } {
    if (fromServer) this.appliedEdits.push(params);
    if (fromServer && this.options.refuseEdits) return { applied: false, failureReason: 'refused by test' };
    for (const change of params.edit.documentChanges ?? []) {
      const edit = change as TextDocumentEdit;
      const doc = this.documents.get(edit.textDocument.uri);
      if (!doc || (edit.textDocument.version !== null && edit.textDocument.version !== doc.version)) {
        return { applied: false, failureReason: `version ${edit.textDocument.version} is not the document's ${doc?.version}` };
      }
      this.change(doc.uri, edit.edits as TextEdit[]);
    }
    return { applied: true };
  }

  /** The latest diagnostics published for the document's current version. */
  async diagnosticsFor(uri: string, timeoutMs = 10_000): Promise<Diagnostic[]> {
    await this.waitFor(
      () => this.diagnostics.get(uri)?.some((d) => d.version === this.version(uri)) ?? false,
      timeoutMs,
      `diagnostics for ${uri}@${this.version(uri)}`,
    );
    return this.diagnostics
      .get(uri)!
      .filter((d) => d.version === this.version(uri))
      .at(-1)!.diagnostics;
  }

  waitFor(predicate: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; server stderr: ${this.stderr.join('').slice(-2000)}`));
      }, timeoutMs);
      const check = () => {
        if (predicate()) {
          clearTimeout(timer);
          this.listeners.delete(check);
          resolve();
        }
      };
      this.listeners.add(check);
    });
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  /** Changes the settings and waits until the server has read them (it pulls them with workspace/configuration). */
  async changeSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    const before = this.configurationRequests;
    await this.connection.sendNotification('workspace/didChangeConfiguration', { settings: { radiologyReport: settings } });
    await this.waitFor(() => this.configurationRequests > before, 10_000, 'the server to read the new settings');
    // Its answer is applied when it arrives; a round trip after that, the new settings are in force.
    await this.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: 'file:///settings-barrier.report.md' } });
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 3000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    this.connection.dispose();
    if (this.process.exitCode === null) {
      await Promise.race([new Promise((r) => this.process.once('exit', r)), new Promise((r) => setTimeout(r, 3000))]);
      this.process.kill('SIGKILL');
    }
  }
}
