import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { conclusionPromptInput, type ConclusionPromptInput } from '../../generation/conclusionPrompt.ts';
import { parseReport, sectionsOf } from '../../report/parseReport.ts';
import { modalityFromExam, parseModality } from '../../report/reportMeta.ts';
import type { Report, SectionKind } from '../../report/types.ts';
import { DataFileError, type DataFormat, type EvalCase, type EvalData } from './evalCase.ts';
import type { IuRow } from './iuReport.ts';

/**
 * Reads an evaluation set from one of five shapes:
 * - IU pairs JSONL: `{id, split, exam, indication, comparison, findings, impression}` a line;
 * - CT-RATE JSONL: `{id, split, exam, modality, findings, impression, labels}` a line, `labels` 0/1 by abnormality;
 * - MedPix JSONL: `{id, split, modality, region, history, findings, diagnosis, differential}` a line (no impression);
 * - MTSamples imaging JSONL: `{id, split, modality, text}` a line, `text` parsed by `parseReport`;
 * - a folder of `*.md` reports (searched recursively, sorted by path), each parsed by `parseReport`.
 * The format of a JSONL file is told by its first object: `impression` with `labels` means CT-RATE, `impression`
 * alone IU pairs, `diagnosis` MedPix, `text` MTSamples.
 */
export async function readEvalData(path: string): Promise<EvalData> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new DataFileError(path, 'no such file or folder');
  }
  if (info.isDirectory()) return readMarkdownFolder(path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new DataFileError(path, `cannot read: ${(error as Error).message}`);
  }
  return parseEvalJsonl(text, path);
}

/** Parses JSONL text of either supported row shape. Pure; `path` only names the file in errors. */
export function parseEvalJsonl(text: string, path: string): EvalData {
  const rows: Array<{ line: number; row: Record<string, unknown> }> = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw new DataFileError(path, 'not a JSON object (expected one JSON object a line)', i + 1);
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      throw new DataFileError(path, 'not a JSON object (expected one JSON object a line)', i + 1);
    }
    rows.push({ line: i + 1, row: value as Record<string, unknown> });
  }
  if (rows.length === 0) throw new DataFileError(path, 'no rows');
  const first = rows[0]!.row;
  const format = formatOf(first);
  if (!format) {
    throw new DataFileError(
      path,
      'unknown row shape: expected `findings` and `impression` (IU pairs; with `labels`, CT-RATE), `findings` and `diagnosis` (MedPix) or `text` (MTSamples imaging reports)',
      rows[0]!.line,
    );
  }
  const data: EvalData = { format, cases: [], skipped: [] };
  for (const { line, row } of rows) {
    const id = optionalString(row, 'id', path, line) ?? `line-${line}`;
    if (format === 'iu-pairs' || format === 'ct-rate') {
      const findings = requiredString(row, 'findings', path, line);
      const impression = requiredString(row, 'impression', path, line);
      const evalCase = iuPairCase({
        id,
        split: optionalString(row, 'split', path, line),
        exam: optionalString(row, 'exam', path, line),
        indication: optionalString(row, 'indication', path, line),
        comparison: optionalString(row, 'comparison', path, line),
        findings,
        impression,
      });
      if (format === 'ct-rate') {
        evalCase.modality = optionalString(row, 'modality', path, line) ?? evalCase.modality;
        evalCase.labels = labelsOf(row, path, line);
      }
      if (!evalCase.findings) data.skipped.push({ id, reason: 'no findings' });
      else if (!evalCase.reference) data.skipped.push({ id, reason: 'no impression' });
      else data.cases.push(evalCase);
    } else if (format === 'medpix') {
      const evalCase = medpixCase({
        id,
        split: optionalString(row, 'split', path, line),
        modality: optionalString(row, 'modality', path, line),
        region: optionalString(row, 'region', path, line),
        history: optionalString(row, 'history', path, line),
        findings: requiredString(row, 'findings', path, line),
        diagnosis: requiredString(row, 'diagnosis', path, line),
      });
      if (!evalCase.findings) data.skipped.push({ id, reason: 'no findings' });
      else data.cases.push(evalCase);
    } else {
      const reportText = requiredString(row, 'text', path, line);
      const outcome = reportCase(id, parseReport(reportText), optionalString(row, 'split', path, line), optionalString(row, 'modality', path, line));
      if ('reason' in outcome) data.skipped.push(outcome);
      else data.cases.push(outcome);
    }
  }
  return data;
}

function formatOf(row: Record<string, unknown>): DataFormat | undefined {
  if ('impression' in row) return 'labels' in row ? 'ct-rate' : 'iu-pairs';
  if ('diagnosis' in row && 'findings' in row) return 'medpix';
  if ('text' in row) return 'mtsamples';
  return undefined;
}

/** CT-RATE `labels`: an object of abnormality name → 0 or 1. */
function labelsOf(row: Record<string, unknown>, path: string, line: number): Record<string, number> {
  const value = row.labels;
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new DataFileError(path, '`labels` must be an object of label → 0 or 1', line);
  const labels: Record<string, number> = {};
  for (const [name, flag] of Object.entries(value)) {
    if (flag !== 0 && flag !== 1) throw new DataFileError(path, `label "${name}" must be 0 or 1, got ${JSON.stringify(flag)}`, line);
    labels[name] = flag;
  }
  return labels;
}

export interface MedpixRow {
  id: string;
  split?: string | undefined;
  modality?: string | undefined;
  region?: string | undefined;
  history?: string | undefined;
  findings: string;
  diagnosis: string;
}

/** MedPix regions as exam-title words. */
const MEDPIX_REGIONS: Readonly<Record<string, string>> = {
  head: 'head',
  thorax: 'chest',
  abdomen: 'abdomen',
  'spine and muscles': 'spine and musculoskeletal',
  'reproductive and urinary system': 'genitourinary',
};

/**
 * A MedPix teaching case as an evaluation case: the history as clinical information, the findings as findings, the
 * exam from modality and region ("CT chest", "CT and MR head"). There is no written impression: the reference is
 * empty (no ROUGE) and the diagnosis is what the clinical measure checks.
 */
export function medpixCase(row: MedpixRow): EvalCase {
  const modalities = (row.modality ?? '')
    .split('+')
    .map((m) => m.trim().toUpperCase())
    .filter(Boolean);
  const regionKey = clean(row.region).toLowerCase();
  const region = MEDPIX_REGIONS[regionKey] ?? regionKey;
  const exam = [modalities.join(' and '), region].filter(Boolean).join(' ') || undefined;
  const modality = modalities.length === 1 ? parseModality(modalities[0]) : undefined;
  const findings = clean(row.findings);
  const prompt: ConclusionPromptInput = { exam, modality, clinical: clean(row.history) || undefined, findings };
  return { id: row.id, split: row.split, exam, modality: row.modality ?? modality, findings, reference: '', prompt, diagnosis: clean(row.diagnosis) };
}

/**
 * An IU row as an evaluation case. The prompt input is what `conclusionPromptInput` would read from the same row
 * written as a report (exam title, indication as clinical information, comparison, findings; the modality told by
 * the exam title as `readReportMeta` does, and the stray leading commas of dictation exports dropped as the parser
 * drops them), so the model is asked the same question here as in the editor, and as of the row rendered by
 * `iuReportMarkdown` (a test holds them to the same prompt on every IU row).
 */
export function iuPairCase(row: IuRow): EvalCase {
  const exam = clean(row.exam) || undefined;
  const modality = exam ? modalityFromExam(exam) : undefined;
  const findings = clean(row.findings);
  const prompt: ConclusionPromptInput = {
    exam,
    modality,
    clinical: clean(row.indication) || undefined,
    comparison: clean(row.comparison) || undefined,
    findings,
  };
  return { id: row.id, split: row.split, exam, modality, findings, reference: clean(row.impression), prompt };
}

/** A field as the report parser would read it: leading commas and white space (dictation artefacts) dropped. */
function clean(text: string | undefined): string {
  return (text ?? '').replace(/^[\s,]+/, '').trim();
}

/** A parsed report as an evaluation case: findings sections' text, conclusion sections' text as the reference. */
export function reportCase(id: string, report: Report, split?: string, modality?: string): EvalCase | { id: string; reason: string } {
  const textOf = (kind: SectionKind) =>
    sectionsOf(report, kind)
      .map((section) => section.text.trim())
      .filter((text) => text !== '')
      .join('\n');
  const findings = textOf('findings');
  const reference = textOf('conclusion');
  if (!findings) return { id, reason: 'no findings section' };
  if (!reference) return { id, reason: 'no conclusion (impression) section' };
  const prompt = conclusionPromptInput(report);
  return { id, split, exam: report.meta.exam, modality: modality ?? report.meta.modality, findings, reference, prompt, report };
}

async function readMarkdownFolder(folder: string): Promise<EvalData> {
  const files = (await markdownFiles(folder)).sort();
  if (files.length === 0) throw new DataFileError(folder, 'no *.md reports in this folder');
  const data: EvalData = { format: 'markdown-folder', cases: [], skipped: [] };
  for (const file of files) {
    const id = relative(folder, file).split(sep).join('/');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      data.skipped.push({ id, reason: `cannot read: ${(error as Error).message}` });
      continue;
    }
    const outcome = reportCase(id, parseReport(text));
    if ('reason' in outcome) data.skipped.push(outcome);
    else data.cases.push(outcome);
  }
  return data;
}

async function markdownFiles(folder: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = join(folder, entry.name);
    if (entry.isDirectory()) out.push(...(await markdownFiles(full)));
    else if (entry.isFile() && entry.name.toLowerCase().endsWith('.md')) out.push(full);
  }
  return out;
}

function requiredString(row: Record<string, unknown>, key: string, path: string, line: number): string {
  const value = row[key];
  if (typeof value !== 'string') throw new DataFileError(path, `\`${key}\` must be a string, got ${value === undefined ? 'nothing' : typeof value}`, line);
  return value;
}

function optionalString(row: Record<string, unknown>, key: string, path: string, line: number): string | undefined {
  const value = row[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') throw new DataFileError(path, `\`${key}\` must be a string, got ${typeof value}`, line);
  return value;
}
