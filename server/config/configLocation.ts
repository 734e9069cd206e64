import type { Range } from '../report/types.ts';

/**
 * Where a setting lies in the text of a JSON configuration file, so a problem with it is marked on its key: the range of
 * the key of `rules.laterality-mismatch` (or of the item `placeholders[2]`). A path that is not in the text gives its
 * nearest ancestor that is; undefined when not even the first step is (a problem with the whole file). Never throws.
 */
export function locateConfigPath(text: string, path: string): Range | undefined {
  // Editors drop a byte order mark from the text they show.
  text = text.replace(/^\uFEFF/, '');
  const { spans } = scanSettings(text);
  const steps = parsePath(path);
  for (let n = steps.length; n > 0; n--) {
    const span = spans.get(joinPath(steps.slice(0, n)));
    if (span) return toRange(text, span.start, span.end);
  }
  return undefined;
}

/**
 * Where a text that is not valid JSON first goes wrong, as a range of one character (empty at the end of the text);
 * undefined for valid JSON. (`JSON.parse` messages name no position for most errors.)
 */
export function locateJsonError(text: string): Range | undefined {
  text = text.replace(/^\uFEFF/, '');
  const { error } = scanSettings(text);
  return error === undefined ? undefined : toRange(text, error, Math.min(error + 1, text.length));
}

type Step = string | number;

function parsePath(path: string): Step[] {
  const steps: Step[] = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) steps.push(match[2] !== undefined ? Number(match[2]) : match[1]!);
  return steps;
}

function joinPath(steps: readonly Step[]): string {
  return steps.map((step, i) => (typeof step === 'number' ? `[${step}]` : i === 0 ? step : `.${step}`)).join('');
}

/**
 * Every object key (its span, quotes included) and array item (its value's span) in the text, by path. A later
 * duplicate key wins, as in `JSON.parse`. Stops at the first syntax error, and says where it is.
 */
function scanSettings(text: string): { spans: Map<string, { start: number; end: number }>; error?: number } {
  const spans = new Map<string, { start: number; end: number }>();
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const fail = (): never => {
    throw new SyntaxError(`unexpected character at ${Math.min(i, text.length)}`);
  };
  const readString = (): number => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail();
    i++;
    return start;
  };
  const readValue = (steps: Step[]): void => {
    skipSpace();
    const c = text[i];
    if (c === '{') {
      i++;
      skipSpace();
      if (text[i] === '}') return void i++;
      for (;;) {
        skipSpace();
        if (text[i] !== '"') fail();
        const start = readString();
        const key = JSON.parse(text.slice(start, i)) as string;
        const at = [...steps, key];
        spans.set(joinPath(at), { start, end: i });
        skipSpace();
        if (text[i] !== ':') fail();
        i++;
        readValue(at);
        skipSpace();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    }
    if (c === '[') {
      i++;
      skipSpace();
      if (text[i] === ']') return void i++;
      for (let index = 0; ; index++) {
        skipSpace();
        const start = i;
        const at = [...steps, index];
        readValue(at);
        spans.set(joinPath(at), { start, end: i });
        skipSpace();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    }
    if (c === '"') return void readString();
    if (c === undefined) fail();
    const literal = /^[-+0-9.eE]+|^true|^false|^null/.exec(text.slice(i, i + 64));
    if (!literal) fail();
    i += literal![0].length;
  };
  try {
    readValue([]);
    skipSpace();
    if (i < text.length) fail();
  } catch {
    // What was read so far is still useful.
    return { spans, error: Math.min(i, text.length) };
  }
  return { spans };
}

function toRange(text: string, start: number, end: number): Range {
  return { start: positionOf(text, start), end: positionOf(text, end) };
}

function positionOf(text: string, offset: number): Range['start'] {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, character: offset - lineStart };
}
