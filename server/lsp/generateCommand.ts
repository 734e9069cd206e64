import type { CancellationToken, Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentEditor } from '../service/conclusionWriter.ts';
import { CONCLUSION_WRITTEN_NOTIFICATION, type ConclusionWrittenPayload, type GenerateConclusionArgs, type GenerateConclusionResult } from '../protocol.ts';
import type { ReportDocument, ReportService } from '../service/reportService.ts';
import { tellUser } from './userMessage.ts';

export interface GenerateCommandContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  service: ReportService;
  args: GenerateConclusionArgs;
  token: CancellationToken;
  workDoneProgress: boolean;
  toReportDocument(document: TextDocument): ReportDocument;
  isReport(uri: string): boolean;
}

/**
 * `radiologyReport.generateConclusion`: plans, generates and checks the conclusion under a cancellable `$/progress`
 * (each step a progress message), then writes it into the document with one versioned `workspace/applyEdit`, and says
 * where the text came from.
 */
export async function runGenerateConclusion(ctx: GenerateCommandContext): Promise<GenerateConclusionResult> {
  const { connection, documents, service, args } = ctx;
  const document = typeof args.uri === 'string' ? documents.get(args.uri) : undefined;
  if (!document || !ctx.isReport(document.uri)) {
    const message = 'Open a radiology report to generate its conclusion.';
    tellUser(connection, 'error', message);
    return { status: 'failed', text: '', flagged: [], message };
  }

  const controller = new AbortController();
  ctx.token.onCancellationRequested(() => controller.abort());
  const progress = ctx.workDoneProgress ? await connection.window.createWorkDoneProgress() : undefined;
  progress?.begin('Radiology report', undefined, 'Generating the conclusion…', true);
  progress?.token.onCancellationRequested(() => controller.abort());
  const stateListener = service.onModelState((state) => {
    if (state.state === 'loading') progress?.report(Math.round(state.progress), `Loading the model ${Math.round(state.progress)}%`);
    if (state.state === 'ready') progress?.report('Model ready');
  });

  // Name the edit once: some editors print the label of every edit, and a streamed conclusion is many edits.
  let labelled = false;
  const editor: DocumentEditor = {
    document(uri) {
      const doc = documents.get(uri);
      return doc ? { text: doc.getText(), version: doc.version } : undefined;
    },
    async applyEdit(uri, version, edit) {
      const doc = documents.get(uri);
      if (!doc || doc.version !== version) return false;
      const range = { start: doc.positionAt(edit.span.start), end: doc.positionAt(edit.span.end) };
      const result = await connection.workspace.applyEdit({
        ...(labelled ? {} : { label: 'Generate conclusion' }),
        edit: { documentChanges: [{ textDocument: { uri, version }, edits: [{ range, newText: edit.newText }] }] },
      });
      labelled ||= result.applied;
      return result.applied;
    },
    changedSince(uri, version, timeoutMs) {
      if (documents.get(uri)?.version !== version) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(done, timeoutMs);
        const subscription = documents.onDidChangeContent((event) => {
          if (event.document.uri === uri && event.document.version !== version) done();
        });
        function done() {
          clearTimeout(timer);
          subscription.dispose();
          resolve();
        }
      });
    },
  };

  try {
    const result = await service.generateConclusion(ctx.toReportDocument(document), editor, {
      signal: controller.signal,
      onProgress: (message) => progress?.report(message),
      async chooseMode(existing) {
        if (args.mode === 'replace' || args.mode === 'append') return args.mode;
        const preview = existing.length > 80 ? `${existing.slice(0, 80)}…` : existing;
        const choice = await connection.window.showInformationMessage(
          `The conclusion already says "${preview}". Replace it with a generated one, or add the generated one below it?`,
          { title: 'Replace' },
          { title: 'Add below' },
          { title: 'Cancel' },
        );
        return choice?.title === 'Replace' ? 'replace' : choice?.title === 'Add below' ? 'append' : undefined;
      },
    });
    if (result.status === 'written' && result.source) {
      const payload: ConclusionWrittenPayload = { uri: document.uri, source: result.source, corrections: result.corrections ?? [], flagged: result.flagged };
      void connection.sendNotification(CONCLUSION_WRITTEN_NOTIFICATION, payload);
    }
    if (result.status === 'written' && result.flagged.length) {
      tellUser(connection, 'warning', `Review the generated conclusion: it fails ${result.flagged.join(', ')} (see the Problems panel).`);
    } else if (result.status === 'written' && result.source && result.source !== 'model') {
      const what = result.source === 'composed' ? 'composed from the plan of the findings' : "the model's, corrected";
      tellUser(connection, 'info', `Conclusion written (${result.source}: ${what}). The model's text ${result.corrections?.join('; ') || 'failed the check'}.`);
    } else if (result.status === 'failed' || result.status === 'document-changed') {
      tellUser(connection, 'error', result.message ?? 'Generating the conclusion failed.');
    }
    return result;
  } finally {
    stateListener.dispose();
    progress?.done();
  }
}
