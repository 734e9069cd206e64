import { readFile } from 'node:fs/promises';
import { DataFileError } from '../runner/evalCase.ts';
import { IU_CONCEPTS, IU_PROBLEM_TERMS, IU_SKIPPED_TERMS } from './iuProblemSynonyms.ts';

/** The IU indexers' labels of one study, as problems of the evaluation's synonym table. */
export interface IuStudyLabels {
  uid: string;
  /** Concept ids of the study's labelled problems, each once, in label order; empty for a normal study. */
  problems: string[];
  /** `MeSH` labels whose `Problems` term the synonym table does not know (shown, never silently dropped). */
  unmapped: string[];
}

/** Labels by report uid (`iu-<uid>` in `pairs.jsonl`). */
export type IuLabelTable = ReadonlyMap<string, IuStudyLabels>;

const CONCEPT_IDS = new Set(IU_CONCEPTS.map((c) => c.id));
const SKIPPED = new Set(IU_SKIPPED_TERMS);

/** `Problems` terms are matched in lower case with single spaces ("Subcutaneous  Emphysema" occurs once). */
export function normalizeTerm(term: string): string {
  return term.toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * The concept of one label: its `Problems` term and the `MeSH` label in the same position (`Lung/hypoinflation/mild`).
 * `null` for a term that carries no problem (`normal`, `No Indexing`, `Technical Quality of Image Unsatisfactory`),
 * `undefined` for a term the table does not know.
 */
export function resolveIuProblem(term: string, mesh: string): string | null | undefined {
  const key = normalizeTerm(term);
  if (key === '' || SKIPPED.has(key)) return null;
  const rule = IU_PROBLEM_TERMS[key];
  if (rule === undefined) return undefined;
  if (typeof rule === 'string') return rule;
  const qualifiers = new Set(mesh.split('/').slice(1).map(normalizeTerm));
  for (const [qualifier, concept] of rule.byQualifier) if (qualifiers.has(qualifier)) return concept;
  return rule.otherwise;
}

/** The labels of one CSV row: `Problems` and `MeSH` are parallel `;`-separated lists. */
export function studyLabels(uid: string, mesh: string, problems: string): IuStudyLabels {
  const terms = problems.split(';');
  const meshLabels = mesh.split(';');
  const out: IuStudyLabels = { uid, problems: [], unmapped: [] };
  terms.forEach((term, i) => {
    const label = meshLabels[i]?.trim() ?? term.trim();
    const concept = resolveIuProblem(term, label);
    if (concept === null) return;
    if (concept === undefined || !CONCEPT_IDS.has(concept)) out.unmapped.push(label);
    else if (!out.problems.includes(concept)) out.problems.push(concept);
  });
  return out;
}

/** Parses `indiana_reports.csv` (RFC 4180: quoted fields may hold commas, quotes and line breaks). Pure. */
export function parseIuReportsCsv(text: string, path: string): Map<string, IuStudyLabels> {
  const rows = parseCsv(text, path);
  const header = rows[0];
  if (!header) throw new DataFileError(path, 'empty CSV file');
  const column = (name: string) => {
    const index = header.findIndex((h) => h.trim().toLowerCase() === name.toLowerCase());
    if (index < 0) throw new DataFileError(path, `no \`${name}\` column (expected the IU reports table: uid, MeSH, Problems, ...)`, 1);
    return index;
  };
  const uidColumn = column('uid');
  const meshColumn = column('MeSH');
  const problemsColumn = column('Problems');
  const table = new Map<string, IuStudyLabels>();
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r]!;
    if (row.length === 1 && row[0]!.trim() === '') continue;
    const uid = row[uidColumn]?.trim();
    if (!uid) throw new DataFileError(path, 'a row without a uid', r + 1);
    table.set(uid, studyLabels(uid, row[meshColumn] ?? '', row[problemsColumn] ?? ''));
  }
  return table;
}

export async function readIuLabels(path: string): Promise<Map<string, IuStudyLabels>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new DataFileError(path, 'cannot read the IU labels file');
  }
  return parseIuReportsCsv(text, path);
}

/** The uid of an IU case id (`iu-123` → `123`); undefined for an id of another shape. */
export function iuUid(caseId: string): string | undefined {
  return /^iu-(\d+)$/.exec(caseId)?.[1];
}

/** One field and what ends it: a comma, a line break, or the end of the text. */
const CSV_FIELD = /("(?:[^"]|"")*"|[^,\r\n"]*)(,|\r?\n|\r|$)/y;

/** Rows of a CSV text (RFC 4180). A field is quoted or plain; a stray quote inside a plain field is an error. */
function parseCsv(text: string, path: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  CSV_FIELD.lastIndex = 0;
  while (CSV_FIELD.lastIndex < text.length) {
    const at = CSV_FIELD.lastIndex;
    const match = CSV_FIELD.exec(text);
    if (!match || (match[0] === '' && at < text.length)) throw new DataFileError(path, `malformed CSV near character ${at}`, rows.length + 1);
    const raw = match[1]!;
    row.push(raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw);
    if (match[2] !== ',') {
      rows.push(row);
      row = [];
    }
  }
  if (row.length > 0) rows.push([...row, '']); // the text ended right after a comma: one more, empty, field
  return rows;
}
