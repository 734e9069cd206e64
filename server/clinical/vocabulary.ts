import { compileReportPattern, isTextPattern, userPatternProblem, type TextPattern } from '../config/userPattern.ts';
import { DEFAULT_VOCABULARY } from './defaultVocabulary.ts';
import { PhraseIndex } from './phraseIndex.ts';

/** A structure of the body. */
export interface AnatomyTerm {
  id: string;
  terms: string[];
  /** A structure that has a side (a lung lobe, a kidney, a knee). */
  paired?: boolean;
  /** The organ the structure belongs to, for comparing sides at a coarser level ("lower lobe" → "lung"); defaults to `id`. */
  organ?: string;
  /** The body region an exam title names ("MR LEFT KNEE" → `knee`), to check the exam side. */
  region?: string;
  /** The organ belongs to one sex only. */
  sex?: 'female' | 'male';
  /** The structure exists on one side only and names it: the lingula is left, the middle lobe right. */
  side?: 'left' | 'right';
  /** Ids of structures this one overlaps (the lung apex and the upper lobe), so a finding in one may be named in the other. */
  overlaps?: string[];
}

/** A finding (an observation or a diagnosis). */
export interface FindingTerm {
  id: string;
  terms: string[];
  /** Regular expressions (JavaScript source, case-insensitive) for phrasings that plain terms cannot say. */
  patterns?: string[];
  /** Findings of one group support each other: a conclusion of pneumonia is supported by an opacity. Defaults to `id`. */
  group?: string;
  /** Further groups, or finding ids, whose mention in the findings supports this finding in the conclusion. */
  supportedBy?: string[];
  /** Words in the findings that support the finding without naming it ("blunting" for an effusion). */
  evidence?: string[];
  evidencePatterns?: string[];
  /** The organ a side refers to when no structure is named ("left effusion" → pleura). */
  organ?: string;
  /** Worth a mention in the conclusion when the findings state it (`omitted-finding`). */
  significant?: boolean;
  /**
   * An acute-type finding (consolidation, effusion, pneumothorax, fracture, haemorrhage, infarct, free air, ...): a global
   * negation of acute disease ("No acute cardiopulmonary process") is contradicted by it (`contradiction`).
   */
  acute?: boolean;
  /** Not significant, but usually named in a conclusion when present (hyperinflation, atelectasis): the plan suggests it. */
  noteworthy?: boolean;
  /** Words that, right before a term, give it another sense: "endometrial cavity" is no lung cavity. */
  notAfter?: string[];
}

/** A finding that must be communicated to the referrer directly (ACR actionable findings, category 1). */
export interface CriticalTerm {
  id: string;
  terms: string[];
}

export interface CueLists {
  negationBefore: string[];
  negationAfter: string[];
  hedgeBefore: string[];
  hedgeAfter: string[];
  hypotheticalBefore: string[];
  historicalBefore: string[];
  /** Phrases that look like a cue and are none ("no change in the effusion"). */
  pseudo: string[];
  /** Words that end the scope of a cue ("but", "however", ";"). */
  terminators: string[];
}

export interface QualifierLists {
  /** A negation qualified by these negates only part of the finding: "no large effusion" allows a small one. */
  partial: string[];
  /** A finding described with these is not new ("stable", "healed"). */
  chronic: string[];
  /** A finding described with these is in the past ("healed fracture"), not a current one. */
  remote: string[];
  /** A nodule described with these needs no follow-up ("calcified"). */
  benign: string[];
  /** Qualifiers right after a negation that narrow every item of its list: "no other infiltrates or masses". */
  partialListWide: string[];
  /** Words after a negated finding that make the negation partial: "no nodules are definitely seen". */
  partialAfter: string[];
  /** Words that may stand between a negation and its finding without qualifying it ("no evidence of", "no visible"). */
  neutral: string[];
  /** A finding described with these is too slight to demand a place in the conclusion ("trace effusion"). */
  minor: string[];
  /** A measurement with these is approximate ("about 2 cm"). */
  approximate: string[];
}

export interface VocabularyData {
  anatomy: AnatomyTerm[];
  findings: FindingTerm[];
  critical: CriticalTerm[];
  cues: CueLists;
  qualifiers: QualifierLists;
  /** Phrases that say a result was communicated ("discussed with", "notified"). */
  communication: string[];
  /** Phrases that make a sentence a recommendation ("recommend", "follow-up"). */
  recommendation: string[];
  /** Length units and their size in millimetres. */
  units: Record<string, number>;
  /** Exam-title words and the body region they name. */
  examRegions: Record<string, string>;
}

export type CueKind = 'negation' | 'hedge' | 'hypothetical' | 'historical' | 'pseudo' | 'terminator';

export interface Cue {
  kind: CueKind;
  /** Scope runs forward from the cue ("no pneumothorax"). */
  before: boolean;
  /** Scope runs backward from the cue ("pneumothorax has resolved"). */
  after: boolean;
}

/** A vocabulary ready to use: phrase indexes built once and shared by every rule and every report. */
export interface Vocabulary {
  data: VocabularyData;
  anatomy: PhraseIndex<AnatomyTerm>;
  findings: PhraseIndex<FindingTerm>;
  findingPatterns: ReadonlyArray<{ regex: TextPattern; finding: FindingTerm }>;
  /** Support evidence for a finding id: phrases and patterns. */
  evidence: ReadonlyMap<string, { phrases: PhraseIndex<true>; patterns: TextPattern[] }>;
  critical: PhraseIndex<CriticalTerm>;
  cues: PhraseIndex<Cue>;
  partial: PhraseIndex<true>;
  chronic: PhraseIndex<true>;
  benign: PhraseIndex<true>;
  remote: PhraseIndex<true>;
  approximate: PhraseIndex<true>;
  minor: PhraseIndex<true>;
  partialAfter: PhraseIndex<true>;
  partialListWide: PhraseIndex<true>;
  neutral: ReadonlySet<string>;
  communication: PhraseIndex<true>;
  recommendation: PhraseIndex<true>;
  units: ReadonlyMap<string, number>;
  examRegions: PhraseIndex<string>;
  /** The groups (and finding ids) whose mention supports a finding: its own group and `supportedBy`. */
  supportGroups(finding: FindingTerm): ReadonlySet<string>;
  /** Whether a finding stated in the findings is evidence for a finding stated in the conclusion. */
  supports(evidence: FindingTerm, claim: FindingTerm): boolean;
  groupOf(finding: FindingTerm): string;
}

const compiled = new WeakMap<object, Vocabulary>();
let defaultCompiled: Vocabulary | undefined;

/** The vocabulary for a configuration: the built-in data plus `config.vocabulary`, compiled once per configuration object. */
/** The default vocabulary extended by a configuration's `vocabulary` data, compiled once per data object. */
export function vocabularyFor(extra?: VocabularyExtension): Vocabulary {
  if (!extra || Object.keys(extra).length === 0) return (defaultCompiled ??= compileVocabulary(DEFAULT_VOCABULARY));
  let vocabulary = compiled.get(extra);
  if (!vocabulary) {
    vocabulary = compileVocabulary(extendVocabulary(DEFAULT_VOCABULARY, readVocabulary(extra).data));
    compiled.set(extra, vocabulary);
  }
  return vocabulary;
}

export function defaultVocabulary(): Vocabulary {
  return vocabularyFor();
}

/** American and British spellings of the same word parts: each term is known in both. */
const SPELLINGS: ReadonlyArray<[RegExp, string, RegExp, string]> = [
  [/\bhem(?=[aot])/g, 'haem', /\bhaem(?=[aot])/g, 'hem'],
  [/edema/g, 'oedema', /oedema/g, 'edema'],
  [/ischemi/g, 'ischaemi', /ischaemi/g, 'ischemi'],
  [/esophag/g, 'oesophag', /oesophag/g, 'esophag'],
  [/tumor/g, 'tumour', /tumour/g, 'tumor'],
  [/([^a])emi(a|c)\b/g, '$1aemi$2', /aemi(a|c)\b/g, 'emi$1'],
  [/orthoped/g, 'orthopaed', /orthopaed/g, 'orthoped'],
  [/pediatric/g, 'paediatric', /paediatric/g, 'pediatric'],
  [/\bfetal/g, 'foetal', /\bfoetal/g, 'fetal'],
  [/center/g, 'centre', /centre/g, 'center'],
  [/\bgray/g, 'grey', /\bgrey/g, 'gray'],
  [/fiber/g, 'fibre', /fibre/g, 'fiber'],
  [/iz(e|ed|ation)\b/g, 'is$1', /is(e|ed|ation)\b/g, 'iz$1'],
  [/celiac/g, 'coeliac', /coeliac/g, 'celiac'],
  [/hyperemi/g, 'hyperaemi', /hyperaemi/g, 'hyperemi'],
];

/** A term and its other spellings ("hemorrhage", "haemorrhage"; "oedema", "edema"). */
export function spellings(term: string): string[] {
  const out = new Set([term]);
  const lower = term.toLowerCase();
  for (const [american, british, britishPattern, americanPart] of SPELLINGS) {
    american.lastIndex = 0;
    britishPattern.lastIndex = 0;
    if (american.test(lower)) out.add(lower.replace(american, british));
    american.lastIndex = 0;
    if (britishPattern.test(lower)) out.add(lower.replace(britishPattern, americanPart));
    britishPattern.lastIndex = 0;
  }
  return [...out];
}

export function compileVocabulary(data: VocabularyData): Vocabulary {
  const anatomy = new PhraseIndex<AnatomyTerm>();
  for (const entry of data.anatomy) for (const term of entry.terms) for (const spelling of spellings(term)) anatomy.add(spelling, entry, { plural: true });

  const findings = new PhraseIndex<FindingTerm>();
  const findingPatterns: Array<{ regex: TextPattern; finding: FindingTerm }> = [];
  const evidence = new Map<string, { phrases: PhraseIndex<true>; patterns: TextPattern[] }>();
  for (const entry of data.findings) {
    for (const term of entry.terms) for (const spelling of spellings(term)) findings.add(spelling, entry, { plural: true });
    for (const source of entry.patterns ?? []) {
      const regex = safeRegExp(source);
      if (regex) findingPatterns.push({ regex, finding: entry });
    }
    const phrases = new PhraseIndex<true>();
    for (const term of entry.evidence ?? []) for (const spelling of spellings(term)) phrases.add(spelling, true, { plural: true });
    const patterns = (entry.evidencePatterns ?? []).map(safeRegExp).filter((r): r is TextPattern => r !== undefined);
    if (phrases.phraseCount > 0 || patterns.length > 0) evidence.set(entry.id, { phrases, patterns });
  }

  const critical = new PhraseIndex<CriticalTerm>();
  for (const entry of data.critical) for (const term of entry.terms) for (const spelling of spellings(term)) critical.add(spelling, entry, { plural: true });

  const cueTable = new Map<string, Cue>();
  const addCues = (phrases: readonly string[], kind: CueKind, before: boolean, after: boolean) => {
    for (const phrase of phrases) {
      const key = phrase.toLowerCase().trim();
      const existing = cueTable.get(key);
      if (!existing) cueTable.set(key, { kind, before, after });
      else if (existing.kind === kind) cueTable.set(key, { kind, before: existing.before || before, after: existing.after || after });
    }
  };
  // Order matters where a phrase is in two lists: a pseudo-cue beats everything, then terminators, hedges before negations.
  addCues(data.cues.pseudo, 'pseudo', false, false);
  addCues(data.cues.terminators, 'terminator', false, false);
  addCues(data.cues.hedgeBefore, 'hedge', true, false);
  addCues(data.cues.hedgeAfter, 'hedge', false, true);
  addCues(data.cues.negationBefore, 'negation', true, false);
  addCues(data.cues.negationAfter, 'negation', false, true);
  addCues(data.cues.hypotheticalBefore, 'hypothetical', true, false);
  addCues(data.cues.historicalBefore, 'historical', true, false);
  const cues = new PhraseIndex<Cue>();
  for (const [phrase, cue] of cueTable) cues.add(phrase, cue);

  const list = (phrases: readonly string[]) => {
    const index = new PhraseIndex<true>();
    for (const phrase of phrases) index.add(phrase, true);
    return index;
  };
  const examRegions = new PhraseIndex<string>();
  for (const [word, region] of Object.entries(data.examRegions)) examRegions.add(word, region);

  const groupOf = (finding: FindingTerm) => finding.group ?? finding.id;
  const supportCache = new Map<FindingTerm, ReadonlySet<string>>();
  const supportGroups = (finding: FindingTerm) => {
    let groups = supportCache.get(finding);
    if (!groups) {
      groups = new Set([groupOf(finding), ...(finding.supportedBy ?? [])]);
      supportCache.set(finding, groups);
    }
    return groups;
  };

  return Object.freeze({
    data,
    anatomy,
    findings,
    findingPatterns,
    evidence,
    critical,
    cues,
    partial: list(data.qualifiers.partial),
    chronic: list(data.qualifiers.chronic),
    benign: list(data.qualifiers.benign),
    remote: list(data.qualifiers.remote),
    approximate: list(data.qualifiers.approximate),
    minor: list(data.qualifiers.minor),
    partialAfter: list(data.qualifiers.partialAfter),
    partialListWide: list(data.qualifiers.partialListWide),
    neutral: new Set(data.qualifiers.neutral.map((w) => w.toLowerCase())),
    communication: list(data.communication),
    recommendation: list(data.recommendation),
    units: new Map(Object.entries(data.units).map(([unit, mm]) => [unit.toLowerCase(), mm])),
    examRegions,
    supportGroups,
    supports: (evidence: FindingTerm, claim: FindingTerm) => {
      const groups = supportGroups(claim);
      return groups.has(groupOf(evidence)) || groups.has(evidence.id);
    },
    groupOf,
  });
}

/** The built-in vocabulary's patterns run on JavaScript's engine; a workspace's own on the linear-time one. */
let builtInPatterns: ReadonlySet<string> | undefined;

function safeRegExp(source: string): TextPattern | undefined {
  builtInPatterns ??= new Set(DEFAULT_VOCABULARY.findings.flatMap((f) => [...(f.patterns ?? []), ...(f.evidencePatterns ?? [])]));
  const pattern = compileReportPattern(source, builtInPatterns);
  return isTextPattern(pattern) ? pattern : undefined;
}

// ---------------------------------------------------------------------------------------------------------------------
// `.radreportrc.json` `vocabulary`: read it defensively, then add it to the built-in data.

export type VocabularyExtension = Partial<{
  anatomy: Array<Partial<AnatomyTerm> & { id: string }>;
  findings: Array<Partial<FindingTerm> & { id: string }>;
  critical: Array<Partial<CriticalTerm> & { id: string }>;
  cues: Partial<CueLists>;
  qualifiers: Partial<QualifierLists>;
  communication: string[];
  recommendation: string[];
  units: Record<string, number>;
  examRegions: Record<string, string>;
}>;

/**
 * Reads a `vocabulary` setting; keeps what is valid and names what is not (`vocabulary.findings[2].terms: ...`).
 * Never throws: the configuration layer reports the problems.
 */
export function readVocabulary(value: unknown): { data: VocabularyExtension; problems: Array<{ path: string; message: string }> } {
  const problems: Array<{ path: string; message: string }> = [];
  const data: VocabularyExtension = {};
  if (!isObject(value)) {
    if (value !== undefined) problems.push({ path: 'vocabulary', message: 'must be an object' });
    return { data, problems };
  }
  const entries = <T extends { id: string }>(
    key: 'anatomy' | 'findings' | 'critical',
    check: (entry: Record<string, unknown>, path: string) => boolean,
  ): T[] | undefined => {
    const list = value[key];
    if (list === undefined) return undefined;
    if (!Array.isArray(list)) {
      problems.push({ path: `vocabulary.${key}`, message: 'must be a list of entries' });
      return undefined;
    }
    const out: T[] = [];
    list.forEach((entry, i) => {
      const path = `vocabulary.${key}[${i}]`;
      if (!isObject(entry) || typeof entry.id !== 'string' || entry.id.trim() === '') {
        problems.push({ path, message: 'must be an object with a string "id"' });
        return;
      }
      if (entry.terms !== undefined && !isStringArray(entry.terms)) {
        problems.push({ path: `${path}.terms`, message: 'must be a list of strings' });
        return;
      }
      if (check(entry, path)) out.push(entry as unknown as T);
    });
    return out;
  };
  const optionalStrings = (entry: Record<string, unknown>, path: string, keys: string[]) =>
    keys.every((key) => {
      if (entry[key] === undefined || isStringArray(entry[key])) return true;
      problems.push({ path: `${path}.${key}`, message: 'must be a list of strings' });
      return false;
    });
  const anatomy = entries<AnatomyTerm>('anatomy', (entry, path) => {
    if (entry.sex !== undefined && entry.sex !== 'female' && entry.sex !== 'male') {
      problems.push({ path: `${path}.sex`, message: 'must be "female" or "male"' });
      return false;
    }
    if (entry.side !== undefined && entry.side !== 'left' && entry.side !== 'right') {
      problems.push({ path: `${path}.side`, message: 'must be "left" or "right"' });
      return false;
    }
    return true;
  });
  if (anatomy) data.anatomy = anatomy;
  const findings = entries<FindingTerm>('findings', (entry, path) => {
    if (!optionalStrings(entry, path, ['patterns', 'supportedBy', 'evidence', 'evidencePatterns', 'notAfter'])) return false;
    if (entry.acute !== undefined && typeof entry.acute !== 'boolean') {
      problems.push({ path: `${path}.acute`, message: 'must be true or false' });
      return false;
    }
    for (const [key, sources] of [
      ['patterns', entry.patterns],
      ['evidencePatterns', entry.evidencePatterns],
    ] as const) {
      for (const source of (sources as string[] | undefined) ?? []) {
        const why = safeRegExp(source) ? undefined : (userPatternProblem(source) ?? 'it is not a valid regular expression');
        if (why) {
          problems.push({ path: `${path}.${key}`, message: `"${source.length > 60 ? source.slice(0, 60) + '…' : source}" is not accepted: ${why}` });
          return false;
        }
      }
    }
    return true;
  });
  if (findings) data.findings = findings;
  const critical = entries<CriticalTerm>('critical', () => true);
  if (critical) data.critical = critical;

  for (const key of ['cues', 'qualifiers'] as const) {
    const lists = value[key];
    if (lists === undefined) continue;
    if (!isObject(lists)) {
      problems.push({ path: `vocabulary.${key}`, message: 'must be an object of lists' });
      continue;
    }
    const known = key === 'cues' ? Object.keys(DEFAULT_VOCABULARY.cues) : Object.keys(DEFAULT_VOCABULARY.qualifiers);
    const out: Record<string, string[]> = {};
    for (const [name, list] of Object.entries(lists)) {
      if (!known.includes(name)) problems.push({ path: `vocabulary.${key}.${name}`, message: `unknown list; expected one of ${known.join(', ')}` });
      else if (!isStringArray(list)) problems.push({ path: `vocabulary.${key}.${name}`, message: 'must be a list of strings' });
      else out[name] = list;
    }
    (data as Record<string, unknown>)[key] = out;
  }
  for (const key of ['communication', 'recommendation'] as const) {
    if (value[key] === undefined) continue;
    if (isStringArray(value[key])) data[key] = value[key];
    else problems.push({ path: `vocabulary.${key}`, message: 'must be a list of strings' });
  }
  if (value.units !== undefined) {
    if (isObject(value.units) && Object.values(value.units).every((v) => typeof v === 'number' && v > 0)) data.units = value.units as Record<string, number>;
    else problems.push({ path: 'vocabulary.units', message: 'must map unit names to their size in millimetres (positive numbers)' });
  }
  if (value.examRegions !== undefined) {
    if (isObject(value.examRegions) && Object.values(value.examRegions).every((v) => typeof v === 'string'))
      data.examRegions = value.examRegions as Record<string, string>;
    else problems.push({ path: 'vocabulary.examRegions', message: 'must map exam-title words to region names' });
  }
  const knownKeys = ['anatomy', 'findings', 'critical', 'cues', 'qualifiers', 'communication', 'recommendation', 'units', 'examRegions'];
  for (const key of Object.keys(value)) if (!knownKeys.includes(key)) problems.push({ path: `vocabulary.${key}`, message: 'unknown vocabulary section' });
  return { data, problems };
}

/** The built-in data plus an extension: an entry with a known id adds its terms and overrides the fields it sets. */
export function extendVocabulary(base: VocabularyData, extra: VocabularyExtension): VocabularyData {
  const mergeEntries = <T extends { id: string; terms: string[] }>(entries: T[], additions: Array<Partial<T> & { id: string }> | undefined): T[] => {
    if (!additions) return entries;
    const out = entries.map((entry) => ({ ...entry }));
    for (const addition of additions) {
      const existing = out.find((entry) => entry.id === addition.id);
      if (existing) Object.assign(existing, { ...addition, terms: [...existing.terms, ...(addition.terms ?? [])] });
      else if (addition.terms && addition.terms.length > 0) out.push({ ...addition, terms: [...addition.terms] } as T);
    }
    return out;
  };
  const mergeLists = <K extends string>(lists: Record<K, string[]>, additions: Partial<Record<K, string[]>> | undefined) => {
    const out = { ...lists };
    for (const [key, list] of Object.entries(additions ?? {}) as Array<[K, string[]]>) out[key] = [...(out[key] ?? []), ...list];
    return out;
  };
  return {
    anatomy: mergeEntries(base.anatomy, extra.anatomy),
    findings: mergeEntries(base.findings, extra.findings),
    critical: mergeEntries(base.critical, extra.critical),
    cues: mergeLists(base.cues as unknown as Record<string, string[]>, extra.cues as Record<string, string[]>) as unknown as CueLists,
    qualifiers: mergeLists(base.qualifiers as unknown as Record<string, string[]>, extra.qualifiers as Record<string, string[]>) as unknown as QualifierLists,
    communication: [...base.communication, ...(extra.communication ?? [])],
    recommendation: [...base.recommendation, ...(extra.recommendation ?? [])],
    units: { ...base.units, ...(extra.units ?? {}) },
    examRegions: { ...base.examRegions, ...(extra.examRegions ?? {}) },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
