import { readVocabulary } from '../clinical/vocabulary.ts';
import { DEFAULT_PLACEHOLDER_PATTERNS } from './placeholderPatterns.ts';
import { didYouMean } from './nearestName.ts';
import { userPatternProblem } from './userPattern.ts';
import type { Range, SectionKind } from '../report/types.ts';
import { SECTION_KINDS } from '../report/types.ts';
import { SEVERITIES, type Severity } from './severity.ts';

/**
 * Project configuration: what `.radreportrc.json` holds and what the editor's `radiologyReport.*` settings can set.
 * Everything is optional; layers merge with `mergeReportConfigs` (later layers win).
 */
export interface ReportConfig {
  /** Extra section synonyms, e.g. `{ "conclusion": ["Beurteilung"] }`. They add to the built-in ones. */
  sections?: Partial<Record<SectionKind, string[]>>;
  /**
   * Regular expressions (source only) for unfilled template fields; replace the defaults when set. They run on a
   * linear-time engine (RE2 syntax: no backreferences, no lookahead).
   */
  placeholders?: string[];
  /** Per-rule setting: `"off"`, a severity, or an object with `severity` and the rule's options. */
  rules?: Record<string, RuleSetting>;
  /** Additions to the clinical vocabulary (see `server/clinical/`). */
  vocabulary?: Record<string, unknown>;
}

export type RuleSetting = 'off' | Severity | ({ severity?: 'off' | Severity } & Record<string, unknown>);

export interface ConfigProblem {
  /** Where the setting came from: a file path or `settings`. */
  source: string;
  /** JSON path of the bad value, e.g. `rules.placeholder`. */
  path: string;
  message: string;
  /** Where the bad setting's key lies in the configuration file's text, when it came from a file. */
  range?: Range;
}

export interface ValidatedConfig {
  config: ReportConfig;
  problems: ConfigProblem[];
}

/**
 * Checks an untrusted value (parsed JSON, editor settings) and keeps only the valid parts: a setting of the wrong type
 * is dropped with a problem naming it, never thrown.
 */
export function validateReportConfig(value: unknown, source: string): ValidatedConfig {
  const problems: ConfigProblem[] = [];
  const config: ReportConfig = {};
  const problem = (path: string, message: string) => problems.push({ source, path, message });
  if (value === undefined || value === null) return { config, problems };
  if (!isObject(value)) {
    problem('', `must be an object, got ${describe(value)}`);
    return { config, problems };
  }

  if (value.sections != null) {
    if (!isObject(value.sections)) problem('sections', `must be an object of section kind to a list of names, got ${describe(value.sections)}`);
    else {
      const sections: Partial<Record<SectionKind, string[]>> = {};
      for (const [kind, names] of Object.entries(value.sections)) {
        if (!(SECTION_KINDS as readonly string[]).includes(kind)) {
          problem(`sections.${kind}`, `unknown section kind; expected one of ${SECTION_KINDS.join(', ')}`);
        } else if (!isStringArray(names)) problem(`sections.${kind}`, `must be a list of strings, got ${describe(names)}`);
        else sections[kind as SectionKind] = names;
      }
      config.sections = sections;
    }
  }

  if (value.placeholders != null) {
    if (!isStringArray(value.placeholders)) problem('placeholders', `must be a list of regular expressions, got ${describe(value.placeholders)}`);
    else {
      config.placeholders = value.placeholders.filter((source, i) => {
        if (DEFAULT_PLACEHOLDER_PATTERNS.includes(source)) return true;
        const why = userPatternProblem(source);
        if (why) problem(`placeholders[${i}]`, `"${clip(source)}" is not accepted: ${why}`);
        return why === undefined;
      });
    }
  }

  if (value.rules != null) {
    if (!isObject(value.rules)) problem('rules', `must be an object of rule id to setting, got ${describe(value.rules)}`);
    else {
      const rules: Record<string, RuleSetting> = {};
      for (const [id, setting] of Object.entries(value.rules)) {
        if (typeof setting === 'string') {
          if (setting === 'off' || (SEVERITIES as readonly string[]).includes(setting)) rules[id] = setting as RuleSetting;
          else problem(`rules.${id}`, `must be "off", ${SEVERITIES.map((s) => `"${s}"`).join(', ')} or an object, got "${setting}"`);
        } else if (typeof setting === 'boolean') {
          // markdownlint style: false turns a rule off, true keeps its default.
          if (!setting) rules[id] = 'off';
        } else if (isObject(setting)) {
          const severity = setting.severity;
          if (severity !== undefined && severity !== 'off' && !(SEVERITIES as readonly unknown[]).includes(severity)) {
            problem(`rules.${id}.severity`, `must be "off" or a severity, got ${describe(severity)}`);
            const { severity: _dropped, ...rest } = setting;
            rules[id] = rest;
          } else rules[id] = setting as RuleSetting;
        } else problem(`rules.${id}`, `must be "off", a severity or an object, got ${describe(setting)}`);
      }
      config.rules = rules;
    }
  }

  if (value.vocabulary != null) {
    if (!isObject(value.vocabulary)) problem('vocabulary', `must be an object, got ${describe(value.vocabulary)}`);
    else {
      // Bad entries are reported by their path and left out; the rest extends the vocabulary.
      const { data, problems: vocabularyProblems } = readVocabulary(value.vocabulary);
      for (const p of vocabularyProblems) problem(p.path, p.message);
      config.vocabulary = data as Record<string, unknown>;
    }
  }

  const settings = ['sections', 'placeholders', 'rules', 'vocabulary', '$schema'];
  for (const key of Object.keys(value)) {
    if (!settings.includes(key)) problem(key, `unknown setting${didYouMean(key, settings)}`);
  }
  return { config, problems };
}

/** Merges configuration layers; later layers win. Section synonyms and vocabulary lists add up; rules merge by id. */
export function mergeReportConfigs(...layers: ReportConfig[]): ReportConfig {
  const merged: ReportConfig = {};
  for (const layer of layers) {
    if (layer.sections) {
      const sections = { ...(merged.sections ?? {}) };
      for (const [kind, names] of Object.entries(layer.sections) as Array<[SectionKind, string[]]>) {
        sections[kind] = [...(sections[kind] ?? []), ...names];
      }
      merged.sections = sections;
    }
    if (layer.placeholders) merged.placeholders = [...layer.placeholders];
    if (layer.rules) {
      const rules = { ...(merged.rules ?? {}) };
      for (const [id, setting] of Object.entries(layer.rules)) {
        const previous = rules[id];
        rules[id] = typeof setting === 'object' && typeof previous === 'object' ? { ...previous, ...setting } : setting;
      }
      merged.rules = rules;
    }
    if (layer.vocabulary) merged.vocabulary = mergeVocabulary(merged.vocabulary ?? {}, layer.vocabulary);
  }
  return merged;
}

function mergeVocabulary(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const previous = out[key];
    if (Array.isArray(previous) && Array.isArray(value)) out[key] = [...previous, ...value];
    else if (isObject(previous) && isObject(value)) out[key] = mergeVocabulary(previous, value);
    else out[key] = value;
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function clip(text: string): string {
  return text.length > 60 ? text.slice(0, 60) + '…' : text;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the string "${value.length > 40 ? value.slice(0, 40) + '…' : value}"`;
  return `${typeof value === 'object' ? 'an object' : `the ${typeof value} ${String(value)}`}`;
}
