import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The shared public report data beside the checkout (`../shared/data`); tests that need it fail clearly without it. */
export const SHARED_DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

export interface IuPair {
  id: string;
  split: 'train' | 'valid' | 'test';
  exam: string;
  indication: string;
  comparison: string;
  findings: string;
  impression: string;
}

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

export const iuPairs = () => readJsonl<IuPair>('iu-xray/pairs.jsonl');
export const mtsamplesImaging = () => readJsonl<MtSample>('mtsamples/imaging-reports.jsonl');

/** An IU pair rendered as a markdown report. */
export function iuAsMarkdown(pair: IuPair): string {
  return `# ${pair.exam}\n\n## Indication\n${pair.indication}\n\n## Comparison\n${pair.comparison}\n\n## Findings\n${pair.findings}\n\n## Impression\n${pair.impression}\n`;
}

/** An IU pair rendered as dictation-style text, as radiology information systems export it. */
export function iuAsDictation(pair: IuPair): string {
  return `EXAM: ${pair.exam}\nINDICATION: ${pair.indication}\nCOMPARISON: ${pair.comparison}\nFINDINGS: ${pair.findings}\nIMPRESSION: ${pair.impression}\n`;
}
