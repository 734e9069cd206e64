/**
 * What a repository may not choose while its workspace is not trusted (VS Code's Restricted Mode, or the
 * `ignoreWorkspaceConfig` initialization option of other editors, or `radreport --no-config`): the settings that load a
 * file, run a pattern, start a program or reach an endpoint. `.radreportrc.json` files are not read either. The
 * built-in rules still run, on built-in defaults. package.json's `capabilities.untrustedWorkspaces.restrictedConfigurations`
 * names the same settings (a test checks both agree).
 */
export const RESTRICTED_SETTINGS = [
  'files',
  'templates',
  'model',
  'loras',
  'endpoint',
  'endpointModel',
  'placeholders',
  'vocabulary',
  'nodePath',
  'examples',
] as const;

/** The `radiologyReport` settings object without the restricted settings (nested or as flat dotted keys). */
export function withoutRestrictedSettings(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const name = key.replace(/^radiologyReport\./, '').split('.')[0]!;
    if (!(RESTRICTED_SETTINGS as readonly string[]).includes(name)) kept[key] = value;
  }
  return kept;
}
