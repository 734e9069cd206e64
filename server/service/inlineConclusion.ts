import type { ReportConfig } from '../config/reportConfig.ts';
import { vocabularyFor } from '../clinical/vocabulary.ts';
import { conclusionPromptInput, type ConclusionExample } from '../generation/conclusionPrompt.ts';
import type { ConclusionEngine } from '../generation/engine.ts';
import { conclusionRequest, groundedConclusion } from '../generation/groundedConclusion.ts';
import { sectionOf } from '../report/parseReport.ts';
import type { Report, Span } from '../report/types.ts';

/**
 * Ghost text for the conclusion section: the generated conclusion continued from what is already typed there.
 * Debounced; cached by the prompt (so by the findings it came from); nothing outside the conclusion section, when the
 * typed text departs from the generated one, or when the generated conclusion fails a check (`onWithheld`).
 */
export interface InlineConclusion {
  /** Text to show as ghost text at the cursor. */
  insertText: string;
  /** Where it goes (empty span at the cursor). */
  span: Span;
}

export interface InlineConclusionDeps {
  /** The analysed report of the document version asked about (undefined when it is no report) and its configuration. */
  analyse(): Promise<{ report?: Report; config: ReportConfig }>;
  /** The user's own reports nearest to this one, put in the prompt as examples of their style. */
  examples(report: Report): Promise<ConclusionExample[]>;
  engine(): ConclusionEngine;
  /** The checks a whole conclusion fails (empty: it may be shown). */
  guard(report: Report, config: ReportConfig, conclusion: string): string[];
  debounceMs: number;
  maxTokens: number;
  log(message: string): void;
}

export interface InlineConclusions {
  offer(
    text: string,
    offset: number,
    deps: InlineConclusionDeps,
    signal: AbortSignal,
    onWithheld?: (ruleIds: string[]) => void,
  ): Promise<InlineConclusion | undefined>;
  /** Forgets the generated conclusions (another model, other sampling). */
  clear(): void;
  /** Stops the generation in progress (the command writes now, or the engine is replaced). */
  abort(): void;
}

export function createInlineConclusions(): InlineConclusions {
  // One generation at a time: the engine keeps one context sequence (for KV reuse).
  let running: { key: string; controller: AbortController; result: Promise<string | undefined> } | undefined;
  /** Generated conclusions by prompt (and typed start); checked against the current configuration when offered. */
  const cache = new Map<string, string>();

  /** Runs (or joins) the generation for a key; a newer key aborts an older one. */
  async function generation(
    key: string,
    signal: AbortSignal,
    log: (message: string) => void,
    run: (signal: AbortSignal) => Promise<string | undefined>,
  ): Promise<string | undefined> {
    if (running && running.key !== key) {
      running.controller.abort();
      await running.result.catch(() => undefined);
      running = undefined;
    }
    if (!running) {
      const controller = new AbortController();
      const result = run(controller.signal);
      const current = { key, controller, result };
      running = current;
      void result
        .finally(() => {
          if (running === current) running = undefined;
        })
        .catch(() => undefined);
    }
    const current = running;
    // The request may be cancelled by the next keystroke; the generation goes on for the next request to use, as long
    // as the findings (the prompt) stay the same.
    const outcome = await Promise.race([
      current.result.then(
        (r) => r,
        (error: Error) => error,
      ),
      new Promise<null>((resolve) => signal.addEventListener('abort', () => resolve(null), { once: true })),
    ]);
    if (outcome === null || outcome === undefined) return undefined;
    if (outcome instanceof Error) {
      if (outcome.name !== 'AbortError') log(`Inline conclusion failed: ${outcome.message}`);
      return undefined;
    }
    return outcome;
  }

  return {
    async offer(text, offset, deps, signal, onWithheld) {
      const analysis = await deps.analyse();
      const report = analysis.report;
      if (!report) return undefined;
      const section = sectionOf(report, 'conclusion');
      if (!section || offset < section.bodySpan.start || offset > section.span.end) return undefined;
      // Only at the end of what is written in the section: never in the middle of the user's text.
      if (text.slice(offset, section.span.end).trim() !== '') return undefined;
      if (!conclusionPromptInput(report).findings.trim()) return undefined;
      const examples = await deps.examples(report);
      if (signal.aborted) return undefined;
      const { prompt } = conclusionRequest(report, vocabularyFor(analysis.config.vocabulary), examples);
      const key = JSON.stringify(prompt);

      /** Offers the rest of a generated conclusion, unless the whole conclusion fails a check. */
      const offered = (conclusion: string, insertText: string): InlineConclusion | undefined => {
        const flagged = deps.guard(report, analysis.config, conclusion);
        if (flagged.length) {
          onWithheld?.(flagged);
          return undefined;
        }
        const afterSpace = /\s$/.test(text.slice(Math.max(0, offset - 1), offset));
        const shown = afterSpace ? insertText.replace(/^\s+/, '') : insertText;
        return shown ? { insertText: shown, span: { start: offset, end: offset } } : undefined;
      };

      const typed = text.slice(section.bodySpan.start, offset).replace(/^\s+/, '');
      const cachedWhole = cache.get(key);
      if (cachedWhole !== undefined && typed) {
        // The user typed the start of the generated conclusion: offer the rest.
        const rest = continuation(cachedWhole, typed);
        if (rest) return offered(cachedWhole, rest);
      }
      // Nothing cached for these findings, or the user departed from it: generate, continuing from what was typed.
      const cacheKey = typed && cachedWhole !== undefined ? `${key}\u0000${typed}` : key;
      let whole = cache.get(cacheKey);
      if (whole === undefined) {
        await sleep(deps.debounceMs, signal);
        if (signal.aborted) return undefined;
        const prefix = cacheKey === key ? '' : typed;
        // The whole conclusion is the grounded one (checked, corrected or composed); a continuation of what the user
        // typed is the model's alone, and is offered only if it passes the check.
        const generated = await generation(cacheKey, signal, deps.log, (runSignal) =>
          prefix
            ? deps
                .engine()
                .generate(prompt, { signal: runSignal, responsePrefix: prefix })
                .then((r) => (r.stopReason === 'aborted' ? undefined : r.text.replace(/\s+$/, '')))
            : groundedConclusion(report, { engine: deps.engine(), config: analysis.config, signal: runSignal, maxTokens: deps.maxTokens, examples }).then(
                (r) => r.text,
              ),
        );
        if (generated === undefined) return undefined;
        whole = prefix ? (prefix + generated).replace(/\s+$/, '') : generated.trim();
        cache.set(cacheKey, whole);
        if (cache.size > 64) cache.delete(cache.keys().next().value!);
      }
      const rest = typed ? continuation(whole, typed) : whole;
      return rest ? offered(whole, rest) : undefined;
    },

    clear() {
      cache.clear();
    },

    abort() {
      running?.controller.abort();
      running = undefined;
    },
  };
}

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

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
