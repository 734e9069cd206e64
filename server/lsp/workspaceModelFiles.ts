import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import type { ConfigProblem } from '../config/reportConfig.ts';
import { WORKSPACE_SCOPED_SETTINGS_KEY } from '../protocol.ts';
import { parseLoras } from '../service/serverSettings.ts';

/**
 * Model files a workspace names must lie inside it: `.vscode/settings.json` in a cloned repository may not point
 * `radiologyReport.model` (or a LoRA adapter) at any file on the machine. The user's own settings may; so may an
 * editor that does not say where a setting came from (the client marks workspace values, see
 * `WORKSPACE_SCOPED_SETTINGS_KEY`). A file outside is dropped (the default applies) with a problem naming it.
 */
export async function confineWorkspaceModelFiles(raw: unknown, roots: readonly string[]): Promise<{ raw: unknown; problems: ConfigProblem[] }> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { raw, problems: [] };
  const settings = { ...(raw as Record<string, unknown>) };
  const scoped = settings[WORKSPACE_SCOPED_SETTINGS_KEY];
  delete settings[WORKSPACE_SCOPED_SETTINGS_KEY];
  if (!Array.isArray(scoped)) return { raw: settings, problems: [] };
  const problems: ConfigProblem[] = [];
  const outside = (name: string, path: string) =>
    problems.push({
      source: 'settings',
      path: `radiologyReport.${name}`,
      message: `is set by the workspace to ${path}, outside the workspace; only your user settings may name a file elsewhere. Using the default.`,
    });

  if (scoped.includes('model') && typeof settings.model === 'string' && settings.model.trim() !== '') {
    if (!(await insideWorkspace(settings.model, roots))) {
      outside('model', settings.model);
      delete settings.model;
    }
  }
  if (scoped.includes('loras')) {
    const loras = parseLoras(settings.loras);
    if (loras) {
      const kept = [];
      for (const lora of loras) {
        if (await insideWorkspace(lora.path, roots)) kept.push(lora);
        else outside('loras', lora.path);
      }
      settings.loras = kept;
    }
  }
  return { raw: settings, problems };
}

/** Whether a path (relative ones from the first workspace folder), links resolved, lies inside a workspace folder. */
async function insideWorkspace(path: string, roots: readonly string[]): Promise<boolean> {
  if (roots.length === 0) return false;
  const absolute = resolve(roots[0]!, path);
  const real = await realpath(absolute).catch(() => absolute);
  for (const root of roots) {
    const realRoot = await realpath(root).catch(() => root);
    const rel = relative(realRoot, real);
    if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) return true;
  }
  return false;
}
