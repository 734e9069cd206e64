import { RE2JS } from 're2js';

/**
 * The part of `RegExp` the domain code uses on a pattern: a global, case-insensitive search with `lastIndex`. Both a
 * built-in `RegExp` and a user's pattern compiled by the linear-time engine below satisfy it.
 */
export interface TextPattern {
  lastIndex: number;
  readonly source: string;
  exec(text: string): RegExpExecArray | null;
  test(text: string): boolean;
}

/**
 * Regular expressions from a workspace (`placeholders`, vocabulary `patterns`, settings) run on RE2 semantics
 * (re2js, pure JavaScript): matching time is linear in the text whatever the pattern, so `(a+)+$` cannot freeze the
 * server or a CI job. The price is what RE2 leaves out: backreferences and lookahead. Lookbehind is kept (re2js runs it
 * in linear time). The sources of built-in patterns are trusted and run on JavaScript's own engine.
 */
const FLAGS = RE2JS.CASE_INSENSITIVE | RE2JS.LOOKBEHINDS;

/** Why the linear-time engine does not accept a pattern, in words for the user; undefined when it does. */
export function userPatternProblem(source: string): string | undefined {
  try {
    RE2JS.compile(RE2JS.translateRegExp(source), FLAGS);
    return undefined;
  } catch (error) {
    return explain(source, (error as Error).message);
  }
}

const compiled = new Map<string, TextPattern | string>();

/**
 * A pattern for searching report text: the built-in ones (named in `builtIn`) as JavaScript `RegExp`s, any other
 * source compiled by the linear-time engine. Returns the reason instead when the pattern is not accepted.
 */
export function compileReportPattern(source: string, builtIn: ReadonlySet<string>): TextPattern | { problem: string } {
  if (builtIn.has(source)) {
    try {
      return new RegExp(source, 'gi');
    } catch (error) {
      return { problem: (error as Error).message };
    }
  }
  let pattern = compiled.get(source);
  if (pattern === undefined) {
    const problem = userPatternProblem(source);
    pattern = problem ?? new LinearPattern(source);
    if (compiled.size > 500) compiled.clear();
    compiled.set(source, pattern);
  }
  // A fresh wrapper each time: `lastIndex` belongs to the caller, the compiled program is shared.
  return typeof pattern === 'string' ? { problem: pattern } : new LinearPattern(source, (pattern as LinearPattern).program);
}

export function isTextPattern(value: TextPattern | { problem: string }): value is TextPattern {
  return !('problem' in value);
}

/** A user's pattern on the linear-time engine, with JavaScript's global-search semantics (`lastIndex`, `exec`). */
class LinearPattern implements TextPattern {
  lastIndex = 0;
  readonly program: RE2JS;
  private matcher: { text: string; matcher: ReturnType<RE2JS['matcher']> } | undefined;

  constructor(
    readonly source: string,
    program?: RE2JS,
  ) {
    this.program = program ?? RE2JS.compile(RE2JS.translateRegExp(source), FLAGS);
  }

  exec(text: string): RegExpExecArray | null {
    if (this.lastIndex > text.length) {
      this.lastIndex = 0;
      return null;
    }
    // One matcher per text: successive searches forward through it stay linear in its length in all.
    if (this.matcher?.text !== text) this.matcher = { text, matcher: this.program.matcher(text) };
    const matcher = this.matcher.matcher;
    if (!matcher.find(this.lastIndex)) {
      this.lastIndex = 0;
      return null;
    }
    const groups: Array<string | undefined> = [];
    for (let i = 0; i <= matcher.groupCount(); i++) groups.push(matcher.group(i) ?? undefined);
    const match = Object.assign(groups, { index: matcher.start(), input: text, groups: undefined }) as unknown as RegExpExecArray;
    this.lastIndex = matcher.end();
    return match;
  }

  /** Whether the pattern occurs anywhere in the text (from the start; `lastIndex` is reset). */
  test(text: string): boolean {
    this.lastIndex = 0;
    return this.program.test(text);
  }
}

function explain(source: string, engineMessage: string): string {
  const why = /\\[1-9]|\\k</.test(source)
    ? 'backreferences (\\1, \\k<name>) are not supported'
    : /\(\?[=!]/.test(source)
      ? 'lookahead ((?= or (?!) is not supported'
      : /\(\?<[=!][^)]*\([^?]/.test(source)
        ? 'a lookbehind may not hold a capturing group; use (?: ) inside it'
        : `it is not a valid pattern (${engineMessage.replace(/^error parsing regexp: /, '')})`;
  return `${why}: workspace patterns run on a linear-time engine (RE2 syntax) so that no pattern can freeze the checker`;
}
