import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { IuRow } from '../../server/eval/runner/iuReport.ts';

/** The shared public report data beside the checkout (`../shared/data`); tests that need it fail clearly without it. */
export const SHARED_DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

export interface MtSample {
  id: string;
  split: 'train' | 'valid' | 'test';
  sample_name: string;
  specialty: string;
  modality: string;
  text: string;
}

export function readJsonl<T>(relative: string): T[] {
  const path = SHARED_DATA + relative;
  assert.ok(existsSync(path), `the shared data file ${path} is missing: the tests expect ../shared/data beside the checkout`);
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

/** The IU chest radiograph rows; as markdown reports they are `iuReportMarkdown(row)` (server/eval/runner/iuReport.ts). */
export const iuPairs = () => readJsonl<IuRow>('iu-xray/pairs.jsonl');
export const mtsamplesImaging = () => readJsonl<MtSample>('mtsamples/imaging-reports.jsonl');

/** An IU pair rendered as dictation-style text, as radiology information systems export it. */
export function iuAsDictation(row: IuRow): string {
  return `EXAM: ${row.exam ?? ''}\nINDICATION: ${row.indication ?? ''}\nCOMPARISON: ${row.comparison ?? ''}\nFINDINGS: ${row.findings}\nIMPRESSION: ${row.impression}\n`;
}
