import { RE2JS } from 're2js';

/**
 * The `files` setting's globs (`**\/*.report.md`), matched in linear time. A glob is translated to an RE2 pattern
 * and run by re2js: a backtracking glob matcher freezes on `**\/*a*a*a*a*a*a*a*a*a*a*a*a*b` against a long file name
 * (a workspace setting could stop the server that way). Supported: `*`, `**` (any folders), `?`, `[abc]`, `[!abc]`,
 * `{a,b}` (nested), `\` escapes; case-insensitive; dot files match. A glob without `/` matches the file name alone.
 * Extended globs (`+(a|b)` and the like) are not supported.
 */
export interface ReportGlob {
  readonly glob: string;
  matches(path: string): boolean;
}

const compiled = new Map<string, ReportGlob | string>();

/** Why a glob is not accepted, in words for the user; undefined when it is. */
export function reportGlobProblem(glob: string): string | undefined {
  const result = compileReportGlob(glob);
  return typeof result === 'string' ? result : undefined;
}

/** The compiled glob, or why it is not accepted. */
export function compileReportGlob(glob: string): ReportGlob | string {
  let result = compiled.get(glob);
  if (result === undefined) {
    result = compile(glob);
    if (compiled.size > 200) compiled.clear();
    compiled.set(glob, result);
  }
  return result;
}

function compile(glob: string): ReportGlob | string {
  if (/[+@!?*]\(/.test(glob)) return 'extended glob patterns such as +(a|b) or !(a) are not supported';
  let source: string;
  try {
    source = translate(glob);
  } catch (error) {
    return (error as Error).message;
  }
  let program: RE2JS;
  try {
    program = RE2JS.compile(`^${source}$`, RE2JS.CASE_INSENSITIVE | RE2JS.DOTALL);
  } catch (error) {
    return `it is not a valid glob (${(error as Error).message.replace(/^error parsing regexp: /, '')})`;
  }
  const baseName = !glob.includes('/');
  return {
    glob,
    matches(path: string): boolean {
      const normal = path.replace(/\\/g, '/');
      return program.testExact(baseName ? normal.slice(normal.lastIndexOf('/') + 1) : normal);
    },
  };
}

/** The glob as an RE2 pattern (without anchors). */
function translate(glob: string): string {
  let out = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      let end = i;
      while (glob[end] === '*') end++;
      const segmentStart = i === 0 || glob[i - 1] === '/';
      const segmentEnd = end === glob.length || glob[end] === '/';
      if (segmentStart && segmentEnd) {
        // `**/` any folders (none included); `**` at the end anything below.
        if (glob[end] === '/') {
          out += '(?:[^/]*(?:/[^/]*)*/)?';
          i = end; // the slash is part of the group
        } else {
          out += '.*';
          i = end - 1;
        }
      } else {
        out += '[^/]*';
        i = end - 1;
      }
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close === -1) out += '\\[';
      else {
        let body = glob.slice(i + 1, close);
        const negated = body.startsWith('!') || body.startsWith('^');
        if (negated) body = body.slice(1);
        out += `[${negated ? '^/' : ''}${body.replace(/\\/g, '\\\\').replace(/\[/g, '\\[')}]`;
        i = close;
      }
    } else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === ',' && braces > 0) out += '|';
    else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (c === '\\' && i + 1 < glob.length) {
      out += RE2JS.quote(glob[i + 1]!);
      i++;
    } else out += RE2JS.quote(c);
  }
  if (braces > 0) throw new Error('a { has no closing }');
  return out;
}
