import { buildTfidfIndex, termCounts, type TfidfIndex, type TermCounts } from '../eval/baselines/tfidfIndex.ts';
import { parseReport, sectionsOf } from '../report/parseReport.ts';
import type { Report } from '../report/types.ts';
import { conclusionPromptInput, type ConclusionExample } from './conclusionPrompt.ts';

/**
 * The user's own signed reports as findings → conclusion pairs, and the nearest of them to a report's findings
 * (TF-IDF cosine, `tfidfIndex.ts`), to put before the report in the prompt so the model words the conclusion the way
 * the user does. Pure: the caller reads the files and hands their text in; a changed file is parsed again, the others
 * are not, and the TF-IDF weights are recomputed from the kept term counts on the next query after a change.
 * Examples change the wording only: the plan and the guard still decide what the conclusion says.
 */
export interface ExampleLibraryOptions {
  /** Most reports kept (default 5,000); reports past it are refused, and counted in `stats().refused`. */
  maxReports?: number;
  /** Most characters of report text kept, all reports together (default 20 million). */
  maxChars?: number;
  /** An example longer than this (findings and conclusion, in characters) is never put in a prompt (default 1,500). */
  maxExampleChars?: number;
  /**
   * Most characters of all the examples of one prompt together (default 3,000, about 750 tokens, so the examples and
   * the report fit the model's context): the nearest are taken until the next would pass it.
   */
  maxPromptChars?: number;
  /** How report text is parsed (default `parseReport` with the built-in section names). */
  parse?: (text: string) => Report;
}

export interface ExampleLibraryStats {
  /** Reports indexed (with both findings and a conclusion). */
  pairs: number;
  /** Files given that have no findings or no conclusion. */
  unusable: number;
  /** Files refused because the library was full. */
  refused: number;
  chars: number;
}

export interface ExampleLibrary {
  /** Adds or replaces a report (a file's text, keyed by its path); false when refused (the library is full). */
  setReport(key: string, text: string): boolean;
  /** Adds or replaces a findings → conclusion pair directly (evaluation data); false when refused. */
  setPair(key: string, pair: ConclusionExample): boolean;
  delete(key: string): void;
  has(key: string): boolean;
  keys(): string[];
  /**
   * The `k` pairs nearest to the findings, most similar last (right before the report, where a small model attends
   * best). `exclude` leaves out a key (the report being written, when it lies in the library); a pair with the very
   * same findings is left out too, so a report is never its own example.
   */
  nearest(findings: string, k: number, exclude?: string): ConclusionExample[];
  stats(): ExampleLibraryStats;
}

/** Chosen on IU `valid` (1, 3 and 5 tried; docs/evaluation.md). */
export const DEFAULT_EXAMPLE_COUNT = 5;

interface Entry {
  pair: ConclusionExample | undefined;
  counts: TermCounts;
  chars: number;
}

export function createExampleLibrary(options: ExampleLibraryOptions = {}): ExampleLibrary {
  const maxReports = options.maxReports ?? 5_000;
  const maxChars = options.maxChars ?? 20_000_000;
  const maxExampleChars = options.maxExampleChars ?? 1_500;
  const maxPromptChars = options.maxPromptChars ?? 3_000;
  const parse = options.parse ?? ((text: string) => parseReport(text));
  const entries = new Map<string, Entry>();
  let chars = 0;
  let refused = 0;
  let built: { index: TfidfIndex; keys: string[] } | undefined;

  const put = (key: string, pair: ConclusionExample | undefined, size: number): boolean => {
    const previous = entries.get(key);
    const charsWithout = chars - (previous?.chars ?? 0);
    if ((!previous && entries.size >= maxReports) || charsWithout + size > maxChars) {
      refused++;
      return false;
    }
    entries.set(key, { pair, counts: pair ? termCounts(pair.findings) : new Map(), chars: size });
    chars = charsWithout + size;
    built = undefined;
    return true;
  };

  const index = () => {
    if (!built) {
      const keys = [...entries.keys()].filter((key) => entries.get(key)!.pair !== undefined);
      built = { index: buildTfidfIndex(keys.map((key) => entries.get(key)!.counts)), keys };
    }
    return built;
  };

  return Object.freeze({
    setReport(key: string, text: string) {
      return put(key, pairOf(parse(text)), text.length);
    },
    setPair(key: string, pair: ConclusionExample) {
      const usable = pair.findings.trim() !== '' && pair.conclusion.trim() !== '';
      return put(
        key,
        usable ? { findings: pair.findings.trim(), conclusion: pair.conclusion.trim() } : undefined,
        pair.findings.length + pair.conclusion.length,
      );
    },
    delete(key: string) {
      const entry = entries.get(key);
      if (!entry) return;
      entries.delete(key);
      chars -= entry.chars;
      built = undefined;
    },
    has: (key: string) => entries.has(key),
    keys: () => [...entries.keys()],
    nearest(findings: string, k: number, exclude?: string) {
      if (k <= 0 || !findings.trim()) return [];
      const { index: tfidf, keys } = index();
      const own = fold(findings);
      const skip = (doc: number) => {
        const key = keys[doc]!;
        const pair = entries.get(key)!.pair!;
        return key === exclude || pair.findings.length + pair.conclusion.length > maxExampleChars || fold(pair.findings) === own;
      };
      const chosen: ConclusionExample[] = [];
      let used = 0;
      for (const { doc } of tfidf.nearest(findings, k, skip)) {
        const pair = entries.get(keys[doc]!)!.pair!;
        used += pair.findings.length + pair.conclusion.length;
        if (used > maxPromptChars) break;
        chosen.push(pair);
      }
      return chosen.reverse();
    },
    stats() {
      let pairs = 0;
      for (const entry of entries.values()) if (entry.pair) pairs++;
      return { pairs, unusable: entries.size - pairs, refused, chars };
    },
  });
}

/** A report's findings → conclusion pair, or undefined when it lacks either. */
export function pairOf(report: Report): ConclusionExample | undefined {
  const findings = conclusionPromptInput(report).findings.trim();
  const conclusion = sectionsOf(report, 'conclusion')
    .map((section) => section.text.trim())
    .filter((text) => text !== '')
    .join('\n');
  return findings && conclusion ? { findings, conclusion } : undefined;
}

function fold(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}
