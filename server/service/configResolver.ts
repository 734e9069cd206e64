import { dirname, join } from 'node:path/posix';
import type { ConfigProblem, ReportConfig } from '../config/reportConfig.ts';
import { locateConfigPath, locateJsonError } from '../config/configLocation.ts';
import { validateReportConfig } from '../config/reportConfig.ts';
import { checkRuleSettings } from '../rules/ruleSettings.ts';
import { RefusedFileError, type ReportWorkspace } from './reportWorkspace.ts';

export const CONFIG_FILE_NAME = '.radreportrc.json';

export interface ProjectConfig {
  /** The nearest `.radreportrc.json` above the document, if any. */
  path?: string;
  config: ReportConfig;
  problems: ConfigProblem[];
}

export interface ConfigResolverOptions {
  /** Workspace folders: the search upwards from a document inside one stops at it, so no file above the workspace applies. */
  roots?: () => readonly string[];
}

/**
 * Finds and reads the nearest `.radreportrc.json` above a document (the nearest one wins, like markdownlint's), caching
 * by directory. `invalidate()` drops the cache when a config file changes. A file the workspace refuses to read (a
 * link out of the workspace, a FIFO, too large) is reported as a problem and no configuration applies.
 */
export function createConfigResolver(workspace: ReportWorkspace, options: ConfigResolverOptions = {}) {
  const byDirectory = new Map<string, Promise<ProjectConfig>>();

  async function forDirectory(directory: string): Promise<ProjectConfig> {
    const cached = byDirectory.get(directory);
    if (cached) return cached;
    const pending = (async (): Promise<ProjectConfig> => {
      const path = join(directory, CONFIG_FILE_NAME);
      let text: string | undefined;
      try {
        text = await workspace.readFile(path);
      } catch (error) {
        const message = error instanceof RefusedFileError ? error.message : `cannot be read: ${(error as Error).message}`;
        return { path, config: {}, problems: [{ source: path, path: '', message }] };
      }
      if (text !== undefined) return readConfigText(path, text);
      const parent = dirname(directory);
      const atRoot = (options.roots?.() ?? []).some((root) => toPosix(root).replace(/\/+$/, '') === directory);
      return parent === directory || atRoot ? { config: {}, problems: [] } : forDirectory(parent);
    })();
    byDirectory.set(directory, pending);
    return pending;
  }

  return {
    /** The project configuration for a document at `documentPath` (a file system path). */
    forDocument(documentPath: string): Promise<ProjectConfig> {
      return forDirectory(dirname(toPosix(documentPath)));
    },
    invalidate(): void {
      byDirectory.clear();
    },
  };
}

export type ConfigResolver = ReturnType<typeof createConfigResolver>;

export function readConfigText(path: string, text: string): ProjectConfig {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const message = (error as Error).message;
    const range = locateJsonError(text);
    return { path, config: {}, problems: [{ source: path, path: '', message: `is not valid JSON: ${message}`, ...(range ? { range } : {}) }] };
  }
  const { config, problems } = checkRuleSettings(validateReportConfig(json, path), path);
  return {
    path,
    config,
    problems: problems.map((problem) => {
      const range = locateConfigPath(text, problem.path);
      return range ? { ...problem, range } : problem;
    }),
  };
}

function toPosix(path: string): string {
  return path.replace(/\\/g, '/');
}
