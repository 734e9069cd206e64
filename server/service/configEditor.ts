import type { ConfigResolver } from './configResolver.ts';
import { CONFIG_FILE_NAME } from './configResolver.ts';
import { RefusedFileError, type ReportWorkspace } from './reportWorkspace.ts';

/**
 * Turns a rule off in the nearest `.radreportrc.json` of a report (created beside it when there is none), keeping what
 * the file holds; refuses to overwrite a file that is not a JSON object, and to write through a link (the workspace
 * refuses). Returns the path written.
 */
export async function disableRuleInConfig(
  workspace: ReportWorkspace,
  configs: ConfigResolver,
  doc: { path?: string },
  ruleId: string,
  fallbackDirectory?: string,
): Promise<string> {
  const existing = doc.path ? await configs.forDocument(doc.path) : undefined;
  const directory = fallbackDirectory ?? (doc.path ? doc.path.replace(/[\\/][^\\/]*$/, '') : undefined);
  const path = existing?.path ?? (directory ? `${directory}/${CONFIG_FILE_NAME}` : undefined);
  if (!path) throw new Error('This document is not a file, so there is no folder for a .radreportrc.json.');
  const text = await workspace.readFile(path).catch((error: Error) => {
    throw new Error(`${path} ${error.message}`);
  });
  let json: Record<string, unknown> = {};
  if (text !== undefined) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
      else throw new Error('not an object');
    } catch (error) {
      throw new Error(`${path} is not a valid JSON object (${(error as Error).message}); fix it before disabling rules from the editor.`);
    }
  }
  const rules = (json.rules && typeof json.rules === 'object' && !Array.isArray(json.rules) ? json.rules : {}) as Record<string, unknown>;
  json.rules = { ...rules, [ruleId]: 'off' };
  await workspace.writeFile(path, JSON.stringify(json, null, 2) + '\n').catch((error: Error) => {
    throw new Error(error instanceof RefusedFileError ? error.message : `${path} cannot be written: ${error.message}`);
  });
  return path;
}
