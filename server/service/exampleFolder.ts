import { compileReportGlob } from '../config/reportGlob.ts';
import { createExampleLibrary, type ExampleLibrary, type ExampleLibraryStats } from '../generation/exampleLibrary.ts';
import type { Report } from '../report/types.ts';
import type { ReportWorkspace } from './reportWorkspace.ts';

/**
 * The user's own signed reports (`radiologyReport.examples`, `radreport conclude --examples`) kept as an example
 * library: a folder (every `*.md` under it) or a glob. Each refresh lists the files and reads only those whose stamp
 * changed since the last one; files gone are dropped. Files are read through the workspace (regular files only, no
 * link out of the workspace, 1 MiB each), at most `maxFiles` of them and `maxBytes` in all.
 */
export interface ExampleFolderOptions {
  maxFiles?: number;
  maxBytes?: number;
  parse?: (text: string) => Report;
  /** A refresh within this many milliseconds of the last one reuses it (default 2,000; 0 always lists again). */
  minIntervalMs?: number;
  now?: () => number;
}

export interface ExampleFolderState extends ExampleLibraryStats {
  /** Files listed that match the setting. */
  files: number;
  /** Why files could not be read (refused, unreadable), a few at most. */
  problems: string[];
}

export const DEFAULT_MAX_EXAMPLE_FILES = 5_000;
export const DEFAULT_MAX_EXAMPLE_BYTES = 20 * 1024 * 1024;

export function createExampleFolder(workspace: ReportWorkspace, options: ExampleFolderOptions = {}) {
  const maxFiles = options.maxFiles ?? DEFAULT_MAX_EXAMPLE_FILES;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_EXAMPLE_BYTES;
  const now = options.now ?? (() => Date.now());
  let library = newLibrary();
  let source = '';
  const stamps = new Map<string, string>();
  let state: ExampleFolderState = { ...library.stats(), files: 0, problems: [] };
  let lastRefresh = -Infinity;
  let running: Promise<void> | undefined;

  function newLibrary(): ExampleLibrary {
    return createExampleLibrary({ maxReports: maxFiles, maxChars: maxBytes, ...(options.parse ? { parse: options.parse } : {}) });
  }

  async function load(setting: string, base: string | undefined): Promise<void> {
    const where = exampleSource(setting, base);
    if (where.key !== source) {
      library = newLibrary();
      stamps.clear();
      source = where.key;
    }
    if (!where.folder) {
      state = { ...library.stats(), files: 0, problems: where.problem ? [where.problem] : [] };
      return;
    }
    const listed = ((await workspace.listFiles(where.folder, maxFiles * 2)) ?? []).filter((file) => where.matches(file.path)).slice(0, maxFiles);
    const problems: string[] = [];
    if (listed.length === 0) problems.push(`no report files found in ${setting}`);
    const present = new Set(listed.map((file) => file.path));
    for (const key of library.keys()) {
      if (!present.has(key)) {
        library.delete(key);
        stamps.delete(key);
      }
    }
    for (const file of listed) {
      if (stamps.get(file.path) === file.stamp) continue;
      let text: string | undefined;
      try {
        text = await workspace.readFile(file.path);
      } catch (error) {
        if (problems.length < 5) problems.push(`${file.path} ${(error as Error).message}`);
      }
      stamps.set(file.path, file.stamp);
      if (text === undefined) library.delete(file.path);
      else if (!library.setReport(file.path, text)) library.delete(file.path);
    }
    state = { ...library.stats(), files: listed.length, problems };
  }

  return {
    /**
     * Brings the library up to date with the setting (a folder or a glob; relative to `base`, the first workspace
     * folder) and returns it. An empty setting empties it.
     */
    async refresh(setting: string, base: string | undefined): Promise<ExampleLibrary> {
      const key = exampleSource(setting, base).key;
      if (key !== source || now() - lastRefresh >= (options.minIntervalMs ?? 2_000)) {
        running ??= load(setting, base).finally(() => {
          running = undefined;
          lastRefresh = now();
        });
        await running;
      }
      return library;
    },
    get state(): ExampleFolderState {
      return state;
    },
  };
}

interface ExampleSource {
  /** Identifies the setting as resolved: a change starts a new library. */
  key: string;
  /** The folder to list, when there is one. */
  folder?: string;
  matches(path: string): boolean;
  problem?: string;
}

const GLOB_CHARACTERS = /[*?[{]/;

/** Where the examples are: a folder (its `*.md` files) or a glob (the folder before its first wildcard, filtered). */
export function exampleSource(setting: string, base: string | undefined): ExampleSource {
  const trimmed = setting.trim();
  if (!trimmed) return { key: '', matches: () => false };
  const absolute = isAbsolutePath(trimmed) ? trimmed : base ? `${base.replace(/[\\/]+$/, '')}/${trimmed.replace(/^\.\//, '')}` : undefined;
  if (!absolute) return { key: trimmed, matches: () => false, problem: `${trimmed} is relative and there is no workspace folder to read it from` };
  const normal = absolute.replace(/\\/g, '/');
  if (!GLOB_CHARACTERS.test(normal)) {
    const folder = normal.replace(/\/+$/, '');
    return { key: folder, folder, matches: (path) => /\.md$/i.test(path) };
  }
  const parts = normal.split('/');
  const firstGlob = parts.findIndex((part) => GLOB_CHARACTERS.test(part));
  const folder = parts.slice(0, firstGlob).join('/') || '/';
  const glob = compileReportGlob(normal);
  if (typeof glob === 'string') return { key: normal, matches: () => false, problem: `${trimmed} is not accepted: ${glob}` };
  return { key: normal, folder, matches: (path) => glob.matches(path.replace(/\\/g, '/')) };
}

function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}
