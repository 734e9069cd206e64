import type { Report } from '../../report/types.ts';
import type { ConclusionPromptInput } from '../../generation/conclusionPrompt.ts';

/** One report of an evaluation set: the findings to conclude from and the radiologist's own conclusion. */
export interface EvalCase {
  /** Stable id from the data (`iu-123`, `mts-36`, or a markdown file's path relative to the folder). */
  id: string;
  /** `train`, `valid` or `test` where the data says; undefined for a folder of markdown reports. */
  split?: string | undefined;
  exam?: string | undefined;
  /** Modality for grouping results (`XR`, `CT`, ...); the data's own field where it has one. */
  modality?: string | undefined;
  /** The findings as plain text. */
  findings: string;
  /** The radiologist's conclusion (impression): what a prediction is scored against; empty where the data has none (MedPix). */
  reference: string;
  /** The case diagnosis (MedPix): what the clinical measure checks the conclusion states. */
  diagnosis?: string | undefined;
  /** Abnormality labels of the whole report, 1 present and 0 absent (CT-RATE). */
  labels?: Readonly<Record<string, number>> | undefined;
  /** The parsed report, for data that comes as reports (MTSamples, a folder of markdown); see `caseReport`. */
  report?: Report | undefined;
  /** What the model is asked, built the same way as for a report in the editor. */
  prompt: ConclusionPromptInput;
}

/** A findings → conclusion pair that a baseline learns from. */
export interface TrainingPair {
  findings: string;
  reference: string;
}

export type DataFormat = 'iu-pairs' | 'ct-rate' | 'medpix' | 'mtsamples' | 'markdown-folder';

export interface EvalData {
  format: DataFormat;
  /** Every usable case, in file order (folder: sorted by path). */
  cases: EvalCase[];
  /** Reports left out because they lack findings or a conclusion, with the reason. */
  skipped: Array<{ id: string; reason: string }>;
}

/** A data file that cannot be read: a clear message with the file and line. */
export class DataFileError extends Error {
  override readonly name = 'DataFileError';
  constructor(
    readonly path: string,
    readonly reason: string,
    readonly line?: number,
  ) {
    super(`${path}${line !== undefined ? `:${line}` : ''}: ${reason}`);
  }
}
