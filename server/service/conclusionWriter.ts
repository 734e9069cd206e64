import { placeConclusion, type PlacementMode } from '../generation/conclusionPlacement.ts';
import { buildConclusionPrompt, conclusionPromptInput } from '../generation/conclusionPrompt.ts';
import type { ConclusionEngine } from '../generation/engine.ts';
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
  engine: ConclusionEngine;
  parse(text: string): Report;
  /** Checks a finished conclusion against the report it was generated from; returns the ids of the rules it fails. */
  check(report: Report, conclusion: string): string[];
  /** Asked when the conclusion already has text; undefined declines. */
  chooseMode(existing: string): Promise<PlacementMode | undefined>;
  signal?: AbortSignal;
  onProgress?(message: string): void;
  /** How often streamed text is written into the document. */
  flushMs?: number;
}

/**
 * Generates a conclusion from the findings and streams it into the document's conclusion section. Every edit names the
 * document version it was computed for; when someone else changed the document in between, the writer finds its text
 * again (re-anchors) or stops, so it never edits text it has not seen.
 */
export async function writeConclusion(options: WriteConclusionOptions): Promise<GenerateConclusionResult> {
  const { uri, editor, engine, parse } = options;
  const flushMs = options.flushMs ?? 50;
  const start = editor.document(uri);
  if (!start) return { status: 'failed', text: '', flagged: [], message: 'The document is not open.' };
  const report = parse(start.text);
  const input = conclusionPromptInput(report);
  if (!input.findings.trim()) {
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
  // The user may have typed while we asked: re-read before the first edit.
  let version = start.version;

  const stop = new AbortController();
  const abortFromCaller = () => stop.abort();
  options.signal?.addEventListener('abort', abortFromCaller, { once: true });

  let anchor = placement.span.start;
  let written = '';
  let generated = '';
  let pending = '';
  let first = true;
  let failure: GenerateConclusionResult['status'] | undefined;
  let failureMessage = '';
  let flushing: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const fail = (status: GenerateConclusionResult['status'], message: string) => {
    if (!failure) {
      failure = status;
      failureMessage = message;
    }
    stop.abort();
  };

  /** Finds our text again after someone else's edit; false when it is gone. */
  const reanchor = (): boolean => {
    const doc = editor.document(uri);
    if (!doc) {
      fail('failed', 'The document was closed while the conclusion was being written.');
      return false;
    }
    if (doc.version === version) return true;
    if (first) {
      // Nothing of ours is in the document yet: place the conclusion again in the new text.
      const again = placeConclusion(parse(doc.text), mode);
      if (again.existing !== placement.existing) {
        fail('document-changed', 'The conclusion section changed while the conclusion was being generated; nothing was written.');
        return false;
      }
      placement = again;
      anchor = again.span.start;
      version = doc.version;
      return true;
    }
    const found = closestOccurrence(doc.text, written, anchor);
    if (found === -1) {
      fail('document-changed', 'The generated text was edited while it was being written; generation stopped.');
      return false;
    }
    anchor = found;
    version = doc.version;
    return true;
  };

  const flushNow = async (final: boolean) => {
    if (failure) return;
    if (!pending && !(final && first === false && placement.suffix && !written.endsWith(placement.suffix))) return;
    if (!reanchor()) return;
    const chunk = pending + (final ? placement.suffix : '');
    pending = '';
    const edit = first
      ? { span: placement.span, newText: placement.prefix + chunk }
      : { span: { start: anchor + written.length, end: anchor + written.length }, newText: chunk };
    let applied = false;
    for (let attempt = 0; attempt < 3 && !applied; attempt++) {
      applied = await editor.applyEdit(uri, version, edit);
      if (!applied) {
        await editor.changedSince(uri, version, 200);
        if (!reanchor()) return;
        if (!first) edit.span = { start: anchor + written.length, end: anchor + written.length };
        else edit.span = placement.span;
      }
    }
    if (!applied) {
      fail('failed', 'The editor refused the edit three times; generation stopped.');
      return;
    }
    written += edit.newText;
    first = false;
    await editor.changedSince(uri, version, 1000);
    const doc = editor.document(uri);
    if (doc && doc.text.slice(anchor, anchor + written.length) === written) version = doc.version;
  };

  const flush = (final = false) => {
    flushing = flushing.then(() => flushNow(final));
    return flushing;
  };
  const scheduleFlush = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void flush();
    }, flushMs);
  };

  let stopReason: string = 'eos';
  try {
    options.onProgress?.('Writing the conclusion…');
    const prompt = buildConclusionPrompt(input);
    const result = await engine.generate(prompt, {
      signal: stop.signal,
      onToken(piece) {
        // A model may start with white space; the conclusion starts at its first word.
        const text = generated.trim() ? piece : piece.replace(/^\s+/, '');
        if (!text) return;
        generated += text;
        pending += text;
        scheduleFlush();
      },
    });
    stopReason = result.stopReason;
    if (timer) clearTimeout(timer);
    timer = undefined;
    // Trim the white space a model ends with, keeping what was already written.
    pending = pending.replace(/\s+$/, '');
    await flush(true);
  } catch (error) {
    if (timer) clearTimeout(timer);
    await flushing;
    return { status: 'failed', text: generated, flagged: [], message: (error as Error).message };
  } finally {
    options.signal?.removeEventListener('abort', abortFromCaller);
  }
  await flushing;

  if (failure) return { status: failure, text: generated, flagged: [], message: failureMessage };
  if (!generated.trim() && stopReason !== 'aborted' && !options.signal?.aborted) {
    return { status: 'failed', text: '', flagged: [], message: 'The model produced no text for this report.' };
  }
  if (options.signal?.aborted || stopReason === 'aborted') {
    return { status: 'cancelled', text: generated, flagged: [], message: 'Generation cancelled; the text written so far was kept.' };
  }
  // Checked against the report as it was asked about, so edits made meanwhile elsewhere do not change the verdict.
  const flagged = options.check(report, generated.trim());
  return { status: 'written', text: generated.trim(), flagged };
}

/** The occurrence of `needle` in `text` closest to `near`, or -1. */
function closestOccurrence(text: string, needle: string, near: number): number {
  if (!needle) return near <= text.length ? near : -1;
  let best = -1;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
    if (best === -1 || Math.abs(at - near) < Math.abs(best - near)) best = at;
  }
  return best;
}
