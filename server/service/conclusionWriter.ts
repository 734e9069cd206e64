import { placeConclusion, type PlacementMode } from '../generation/conclusionPlacement.ts';
import { conclusionPromptInput } from '../generation/conclusionPrompt.ts';
import { ConclusionCancelled, type GroundedConclusion } from '../generation/groundedConclusion.ts';
import type { GenerateConclusionResult } from '../protocol.ts';
import type { Report, Span } from '../report/types.ts';

/** The editor as the writer sees it: the current text and version of a document, and versioned edits. */
export interface DocumentEditor {
  document(uri: string): { text: string; version: number } | undefined;
  /** Applies one replacement to exactly this version of the document; false when the editor refused it. */
  applyEdit(uri: string, version: number, edit: { span: Span; newText: string }): Promise<boolean>;
  /** Resolves once the document's version is no longer `version`, or after `timeoutMs`. */
  changedSince(uri: string, version: number, timeoutMs: number): Promise<void>;
}

export interface WriteConclusionOptions {
  uri: string;
  editor: DocumentEditor;
  parse(text: string): Report;
  /** Plans, generates and checks the conclusion of a report (`groundedConclusion` with the service's engine). */
  conclude(report: Report, signal: AbortSignal, onProgress: (message: string) => void): Promise<GroundedConclusion>;
  /** Asked when the conclusion already has text; undefined declines. */
  chooseMode(existing: string): Promise<PlacementMode | undefined>;
  signal?: AbortSignal;
  onProgress?(message: string): void;
}

/**
 * Writes a grounded conclusion into the document's conclusion section. Nothing is written before the conclusion has
 * been checked against the plan and the findings: the text goes in as one edit, naming the document version it was
 * computed for. When the document changed meanwhile, the conclusion is placed again in the new text if its findings
 * and conclusion section are as they were, and is not written otherwise: no edit ever lands on a version of the
 * document the writer has not seen, and no conclusion lands below findings it was not written from.
 */
export async function writeConclusion(options: WriteConclusionOptions): Promise<GenerateConclusionResult> {
  const { uri, editor, parse } = options;
  const start = editor.document(uri);
  if (!start) return { status: 'failed', text: '', flagged: [], message: 'The document is not open.' };
  const report = parse(start.text);
  const findings = conclusionPromptInput(report).findings;
  if (!findings.trim()) {
    return { status: 'failed', text: '', flagged: [], message: 'The report has no findings to write a conclusion from.' };
  }
  let mode: PlacementMode = 'replace';
  let placement = placeConclusion(report, mode);
  if (placement.existing) {
    const chosen = await options.chooseMode(placement.existing);
    if (!chosen) return { status: 'declined', text: '', flagged: [], message: 'The existing conclusion was kept.' };
    mode = chosen;
    placement = placeConclusion(report, mode);
  }

  const stop = new AbortController();
  const abortFromCaller = () => stop.abort();
  if (options.signal?.aborted) stop.abort();
  options.signal?.addEventListener('abort', abortFromCaller, { once: true });
  let result: GroundedConclusion;
  try {
    result = await options.conclude(report, stop.signal, (message) => options.onProgress?.(message));
  } catch (error) {
    if (error instanceof ConclusionCancelled || stop.signal.aborted) {
      return { status: 'cancelled', text: '', flagged: [], message: 'Generation cancelled; nothing was written.' };
    }
    return { status: 'failed', text: '', flagged: [], message: (error as Error).message };
  } finally {
    options.signal?.removeEventListener('abort', abortFromCaller);
  }
  const outcome = {
    text: result.text,
    flagged: [...new Set(result.check.problems.map((p) => p.ruleId ?? p.kind))],
    source: result.source,
    corrections: result.corrections,
  };

  let version = start.version;
  for (let attempt = 0; attempt < 3; attempt++) {
    const doc = editor.document(uri);
    if (!doc) return { status: 'failed', ...outcome, message: 'The document was closed while the conclusion was being written.' };
    if (doc.version !== version) {
      // Someone typed meanwhile: place the conclusion again, if what it was written from and where it goes are unchanged.
      const again = parse(doc.text);
      const placedAgain = placeConclusion(again, mode);
      if (conclusionPromptInput(again).findings !== findings) {
        return { status: 'document-changed', ...outcome, message: 'The findings changed while the conclusion was being written; nothing was written.' };
      }
      if (placedAgain.existing !== placement.existing) {
        return {
          status: 'document-changed',
          ...outcome,
          message: 'The conclusion section changed while the conclusion was being written; nothing was written.',
        };
      }
      placement = placedAgain;
      version = doc.version;
    }
    const applied = await editor.applyEdit(uri, version, { span: placement.span, newText: placement.prefix + result.text + placement.suffix });
    if (applied) return { status: 'written', ...outcome };
    await editor.changedSince(uri, version, 200);
    version = -1;
  }
  return { status: 'failed', ...outcome, message: 'The editor refused the edit three times; nothing was written.' };
}
