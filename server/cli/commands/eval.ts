import { ENDPOINT_FLAGS, ENDPOINT_USAGE, endpointFlags, gpuFlag, loraFlags } from '../engineFlags.ts';
import { BERTSCORE_FLAGS, BERTSCORE_USAGE, bertscoreOptions } from '../bertscoreFlags.ts';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { DEFAULT_ENGINE_SETTINGS, ModelFileError, type ConclusionEngine, type EngineSettings, type LoraAdapterSetting } from '../../generation/engine.ts';
import { baselineNeedsTraining, BASELINE_NAMES, fitBaseline, isBaselineName } from '../../eval/baselines/index.ts';
import type { ClinicalJudge } from '../../eval/clinical/clinicalResult.ts';
import { clinicalTable, sourcesLine } from '../../eval/clinical/clinicalTable.ts';
import { ctRateLabelJudge } from '../../eval/clinical/ctRateLabels.ts';
import { readIuLabels } from '../../eval/clinical/iuLabels.ts';
import { iuProblemJudge } from '../../eval/clinical/iuProblems.ts';
import { medpixDiagnosisJudge } from '../../eval/clinical/medpixDiagnosis.ts';
import { createExampleLibrary, DEFAULT_EXAMPLE_COUNT, type ExampleLibrary } from '../../generation/exampleLibrary.ts';
import { DataFileError, type EvalCase, type EvalData, type TrainingPair } from '../../eval/runner/evalCase.ts';
import { createProgress, formatDuration } from '../../eval/runner/progress.ts';
import { readEvalData } from '../../eval/runner/readEvalData.ts';
import { renderEvalReport } from '../../eval/runner/reportHtml.ts';
import {
  baselinePredictor,
  enginePredictor,
  metricsJson,
  metricsTable,
  predictionRecords,
  runEval,
  type Predictor,
  type Scorer,
} from '../../eval/runner/runEval.ts';
import { intFlag, listFlag, parseArgs, stringFlag, UsageError, type CliCommand, type CliIo } from '../command.ts';

export interface EvalCommandDeps {
  /** Creates the conclusion engine for `--model` (the node-llama-cpp engine in the product, a fake in tests). */
  createEngine(settings: EngineSettings): ConclusionEngine | Promise<ConclusionEngine>;
  /** The metrics; the real ones (`server/eval/metrics`) by default. */
  scorer?: Scorer | (() => Promise<Scorer>);
  /** The embedded default model, used when neither --model nor --baseline is given. */
  embeddedModel?: () => { modelPath: string; loras: LoraAdapterSetting[] } | undefined;
}

const USAGE = `Usage: radreport eval --data FILE|DIR [--model PATH [--lora PATH[:SCALE]]... | --baseline NAME] [options]

Writes a conclusion for every report of an evaluation set with the model (or a baseline), judges it clinically
where the data has labels, scores it against the radiologist's own conclusion, prints the measures and writes
metrics.json, predictions.jsonl and report.html.

--data takes:
  IU pairs JSONL       one {id, split, exam, indication, comparison, findings, impression} a line; clinical measures
                       against the IU indexers' labels (indiana_reports.csv beside the file, or --labels)
  CT-RATE JSONL        one {id, split, exam, modality, findings, impression, labels} a line; label recall/precision
  MedPix JSONL         one {id, split, modality, region, history, findings, diagnosis, ...} a line; no impression,
                       so no ROUGE: the measure is whether the conclusion states the diagnosis
  MTSamples JSONL      one {id, split, modality, text} a line; text is split into sections by the report parser
  a folder of *.md     reports with findings and conclusion sections (searched recursively); no split

Options:
  --split NAME            rows to evaluate when the data has a split field (default: test)
  --limit N               only the first N of those rows
  --model PATH            base model GGUF to generate with (greedy decoding); default: the embedded model
  --lora PATH[:SCALE]     LoRA adapter GGUF on top of the model, scale 1 by default; repeatable
  --threads N             CPU threads for inference (default ${DEFAULT_ENGINE_SETTINGS.threads})
  --gpu auto|cuda|vulkan|metal|cpu   GPU backend (default auto)
  --seed N                sampling seed (default ${DEFAULT_ENGINE_SETTINGS.seed})
${ENDPOINT_USAGE}
  --baseline NAME         ${BASELINE_NAMES.join(' | ')} instead of a model; fitted on the
                          \`train\` rows of --data only
  --train FILE            training data for a baseline, in any format above (its \`train\` rows when it has a split);
                          required with a folder of reports (no split) and with MedPix (no conclusions)
  --labels FILE           the IU reports table (uid, MeSH, Problems, ...) for IU pairs; default: indiana_reports.csv
                          beside --data
  --examples DIR|FILE     the user's own reports (a folder of *.md reports, or JSONL in any format above, its
                          \`train\` rows when it has a split): the nearest of them (TF-IDF over the findings) go
                          before each report in the prompt as examples of the wording, as radiologyReport.examples does
  --example-count N       how many examples a prompt gets (default ${DEFAULT_EXAMPLE_COUNT})
  --unguarded             the model's text as it is, unchecked (source "unchecked"): to measure the model alone;
                          by default every conclusion is grounded like in the editor (plan, check, correction,
                          composition) and counted by source (model, model-corrected, composed)
  --stem                  Porter stemming in ROUGE (off by default, as in rouge-score)
${BERTSCORE_USAGE}
  --out DIR               where to write the results (default: eval-results)

Same model, data and seed give an identical metrics.json.`;

export function createEvalCommand(deps: EvalCommandDeps): CliCommand {
  return {
    name: 'eval',
    summary: 'Evaluate generated conclusions (or a baseline) against the reports’ own conclusions',
    usage: USAGE,
    async run(args, io) {
      try {
        return await runEvalCommand(args, io, deps);
      } catch (error) {
        if (error instanceof UsageError) {
          io.stderr.write(`radreport eval: ${error.message}\n\n${USAGE}\n`);
          return 2;
        }
        if (error instanceof DataFileError || error instanceof ModelFileError || (error instanceof Error && error.name === 'BertScoreModelError')) {
          io.stderr.write(`radreport eval: ${error.message}\n`);
          return 2;
        }
        if (io.signal.aborted) {
          io.stderr.write('radreport eval: cancelled; nothing written.\n');
          return 1;
        }
        io.stderr.write(`radreport eval: ${(error as Error).message ?? String(error)}\n`);
        return 1;
      }
    },
  };
}

async function runEvalCommand(args: string[], io: CliIo, deps: EvalCommandDeps): Promise<number> {
  const parsed = parseArgs(args, {
    values: [
      'data',
      'split',
      'limit',
      'model',
      'threads',
      'gpu',
      'seed',
      'baseline',
      'train',
      'labels',
      'out',
      'examples',
      'example-count',
      ...ENDPOINT_FLAGS,
      ...BERTSCORE_FLAGS.values,
    ],
    booleans: ['stem', 'unguarded', ...BERTSCORE_FLAGS.booleans],
    repeatable: ['lora'],
  });
  if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument "${parsed.positionals[0]}"`);
  const dataPath = stringFlag(parsed, 'data');
  if (!dataPath) throw new UsageError('--data is required');
  const baselineName = stringFlag(parsed, 'baseline');
  const endpoint = endpointFlags(parsed);
  if (endpoint && (baselineName || parsed.flags.has('model'))) throw new UsageError('--endpoint replaces --model and --baseline');
  let modelPath = stringFlag(parsed, 'model');
  const embedded = !modelPath && !baselineName && !endpoint ? deps.embeddedModel?.() : undefined;
  if (embedded) modelPath = embedded.modelPath;
  if (!endpoint && !modelPath === !baselineName) throw new UsageError('give either --model or --baseline (no embedded default model was found)');
  if (baselineName !== undefined && !isBaselineName(baselineName)) {
    throw new UsageError(`unknown baseline "${baselineName}"; choose ${BASELINE_NAMES.join(', ')}`);
  }
  if (baselineName && (listFlag(parsed, 'lora').length || parsed.flags.has('threads') || parsed.flags.has('gpu'))) {
    throw new UsageError('--lora, --threads and --gpu go with --model, not --baseline');
  }
  if (baselineName && (parsed.flags.has('examples') || parsed.flags.has('example-count'))) throw new UsageError('--examples goes with a model, not --baseline');
  const exampleCount = intFlag(parsed, 'example-count', 0) ?? DEFAULT_EXAMPLE_COUNT;
  const limit = intFlag(parsed, 'limit', 1);
  const outDir = resolve(io.cwd, stringFlag(parsed, 'out') ?? 'eval-results');
  const scoreOptions = { stem: parsed.flags.get('stem') === true, ...bertscoreOptions(parsed, io.cwd) };

  const data = await readEvalData(resolve(io.cwd, dataPath));
  const labelsFlag = stringFlag(parsed, 'labels');
  if (labelsFlag !== undefined && data.format !== 'iu-pairs') throw new UsageError('--labels goes with IU pairs data (the IU reports table)');
  const clinical = await clinicalJudgeFor(data, resolve(io.cwd, dataPath), labelsFlag === undefined ? undefined : resolve(io.cwd, labelsFlag));
  const split = chooseSplit(data, stringFlag(parsed, 'split'));
  let cases = split ? data.cases.filter((c) => c.split === split) : data.cases;
  if (limit !== undefined) cases = cases.slice(0, limit);
  if (cases.length === 0) throw new UsageError(`no cases to evaluate in ${dataPath}${split ? ` with split ${split}` : ''}`);
  if (data.skipped.length > 0) {
    io.stderr.write(
      `Skipped ${data.skipped.length} report(s) without findings or conclusion: ${data.skipped
        .slice(0, 5)
        .map((s) => `${s.id} (${s.reason})`)
        .join(', ')}${data.skipped.length > 5 ? ', …' : ''}\n`,
    );
  }

  let predictor: Predictor;
  let engine: ConclusionEngine | undefined;
  /** Where the model runs (`CPU`, or the GPU's name, backend and offloaded layers), for the timing line. */
  let device: string | undefined;
  if (baselineName && isBaselineName(baselineName)) {
    const train = baselineNeedsTraining(baselineName) ? await trainingPairs(io, data, dataPath, stringFlag(parsed, 'train')) : [];
    if (train.length > 0) io.stderr.write(`Fitted ${baselineName} on ${train.length} training pairs.\n`);
    predictor = baselinePredictor(fitBaseline(baselineName, train));
  } else {
    const settings: EngineSettings = {
      ...DEFAULT_ENGINE_SETTINGS,
      modelPath: modelPath ? resolve(io.cwd, modelPath) : '',
      loras: [...(embedded?.loras ?? []), ...loraFlags(parsed, io.cwd)],
      threads: intFlag(parsed, 'threads', 1) ?? DEFAULT_ENGINE_SETTINGS.threads,
      gpu: gpuFlag(parsed),
      seed: intFlag(parsed, 'seed', 0) ?? DEFAULT_ENGINE_SETTINGS.seed,
      ...(endpoint ? { endpoint } : {}),
    };
    engine = await deps.createEngine(settings);
    io.stderr.write(`Loading ${endpoint ? endpoint.url : settings.modelPath} …\n`);
    const loadStarted = performance.now();
    await engine.load();
    const state = engine.state;
    if (state.state === 'ready') device = state.device;
    io.stderr.write(`Model ready${state.state === 'ready' ? ` on ${state.device}` : ''} in ${formatDuration((performance.now() - loadStarted) / 1000)}.\n`);
    const adapters = settings.loras.map((l) => ` + ${basename(l.path)}${l.scale !== 1 ? `×${l.scale}` : ''}`).join('');
    const served = state.state === 'ready' && state.server ? `${state.model} on ${state.server}` : undefined;
    const unguarded = parsed.flags.get('unguarded') === true;
    const examplesPath = stringFlag(parsed, 'examples');
    const library = examplesPath ? await exampleLibraryFrom(io, examplesPath) : undefined;
    const withExamples = library && exampleCount > 0 ? `, ${exampleCount} examples from ${examplesPath}` : '';
    predictor = enginePredictor(
      engine,
      `model ${served ?? `${basename(settings.modelPath)}${adapters}`} (seed ${settings.seed})${unguarded ? ', unguarded' : ''}${withExamples}`,
      {
        unguarded,
        ...(library ? { examples: (evalCase: EvalCase) => library.nearest(evalCase.findings, exampleCount, evalCase.id) } : {}),
      },
    );
  }

  const scorer = await resolveScorer(deps.scorer);
  let result;
  // Stopped here too when the run fails or is interrupted, so the terminal gets its cursor back and no redraw is left.
  const progress = createProgress(io.stderr, cases.length, 'Predicting');
  try {
    result = await runEval({
      cases,
      predictor,
      scorer,
      scoreOptions,
      progress,
      signal: io.signal,
      clinical: 'judge' in clinical ? clinical : undefined,
    });
  } finally {
    progress.done();
    await engine?.dispose();
  }

  await mkdir(outDir, { recursive: true });
  const records = predictionRecords(result);
  await writeFile(join(outDir, 'metrics.json'), metricsJson(result.corpus ?? { n: result.n }, { sources: result.sources, clinical: result.clinical?.summary }));
  await writeFile(join(outDir, 'predictions.jsonl'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const clinicalMissing = 'missing' in clinical ? clinical.missing : undefined;
  const html = renderEvalReport(result, {
    predictor: predictor.description,
    data: dataPath,
    split,
    scoreOptions,
    corpusBleu: (pairs) => scorer.corpusBleu(pairs),
    clinicalMissing,
  });
  await writeFile(join(outDir, 'report.html'), html);

  io.stdout.write(`${predictor.description} on ${dataPath}${split ? ` (${split})` : ''}\n`);
  if (result.sources) io.stdout.write(sourcesLine(result.sources));
  if (result.clinical) io.stdout.write(`\n${clinicalTable(result.clinical.description, result.clinical.summary)}\n`);
  else io.stdout.write(`\nClinical: ${clinicalMissing}\n\n`);
  io.stdout.write(result.corpus ? metricsTable(result.corpus) : `cases  ${result.n}\nNo reference conclusions in this data: no ROUGE, BLEU or METEOR.\n`);
  const { predict, score } = result.seconds;
  io.stderr.write(
    `${cases.length} cases: predicted${device ? ` on ${device}` : ''} in ${formatSeconds(predict)} (${((predict * 1000) / cases.length).toFixed(1)} ms a case), scored in ${formatSeconds(score)}.\n`,
  );
  io.stderr.write(`Wrote ${join(outDir, 'metrics.json')}, predictions.jsonl and report.html.\n`);
  return 0;
}

function formatSeconds(seconds: number): string {
  return seconds < 10 ? `${seconds.toFixed(2)} s` : formatDuration(seconds);
}

/** The split to evaluate: `--split`, else `test` when the data has splits, else everything. */
function chooseSplit(data: EvalData, requested: string | undefined): string | undefined {
  const hasSplit = data.cases.some((c) => c.split !== undefined);
  if (!hasSplit) {
    if (requested) throw new UsageError(`--split ${requested}: this data has no split field`);
    return undefined;
  }
  return requested ?? 'test';
}

/** Training pairs for a baseline: `train` rows of --train (or of --data); never the evaluation rows. */
async function trainingPairs(io: CliIo, data: EvalData, dataPath: string, trainPath: string | undefined): Promise<TrainingPair[]> {
  let source: EvalData = data;
  let from = dataPath;
  if (trainPath) {
    source = await readEvalData(resolve(io.cwd, trainPath));
    from = trainPath;
  } else if (data.format === 'markdown-folder') {
    throw new UsageError('a folder of reports has no train split: give --train FILE for this baseline');
  }
  const hasSplit = source.cases.some((c) => c.split !== undefined);
  const rows: EvalCase[] = (hasSplit ? source.cases.filter((c) => c.split === 'train') : source.cases).filter((c) => c.reference !== '');
  if (rows.length === 0 && source.format === 'medpix')
    throw new UsageError(`MedPix cases have no written conclusions to learn from: give --train FILE for this baseline`);
  if (rows.length === 0) throw new UsageError(`no training pairs in ${from}`);
  return rows.map((c) => ({ findings: c.findings, reference: c.reference }));
}

/** The user's own reports as an example library: a folder of reports, or the `train` rows of a JSONL file (all rows without a split). */
async function exampleLibraryFrom(io: CliIo, path: string): Promise<ExampleLibrary> {
  const source = await readEvalData(resolve(io.cwd, path));
  const hasSplit = source.cases.some((c) => c.split !== undefined);
  const library = createExampleLibrary();
  for (const c of hasSplit ? source.cases.filter((c) => c.split === 'train') : source.cases) {
    library.setPair(c.id, { findings: c.findings, conclusion: c.reference });
  }
  const stats = library.stats();
  if (stats.pairs === 0) throw new UsageError(`no findings → conclusion pairs to use as examples in ${path}`);
  io.stderr.write(
    `Examples: ${stats.pairs} findings → conclusion pairs from ${path}${stats.refused ? ` (${stats.refused} refused: the library is full)` : ''}.\n`,
  );
  return library;
}

/**
 * The clinical measures for the data: IU labels (given, or `indiana_reports.csv` beside the data), CT-RATE labels,
 * MedPix diagnoses; otherwise why there are none.
 */
async function clinicalJudgeFor(data: EvalData, dataPath: string, labelsPath: string | undefined): Promise<ClinicalJudge | { missing: string }> {
  switch (data.format) {
    case 'iu-pairs': {
      const beside = join(dataPath, '..', 'indiana_reports.csv');
      const path = labelsPath ?? ((await exists(beside)) ? beside : undefined);
      if (!path) {
        return { missing: `no IU labels found (no indiana_reports.csv beside ${basename(dataPath)}; give --labels FILE): no clinical measures.` };
      }
      const labels = await readIuLabels(path);
      return iuProblemJudge(labels, `IU labelled problems (${labelsPath ? basename(path) : 'indiana_reports.csv beside the data'})`);
    }
    case 'ct-rate':
      return ctRateLabelJudge();
    case 'medpix':
      return medpixDiagnosisJudge();
    case 'mtsamples':
      return { missing: 'MTSamples reports carry no labels: no clinical measures.' };
    case 'markdown-folder':
      return { missing: 'a folder of reports carries no labels: no clinical measures.' };
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

async function resolveScorer(scorer: EvalCommandDeps['scorer']): Promise<Scorer> {
  if (typeof scorer === 'function') return scorer();
  if (scorer) return scorer;
  const { createMetricsScorer } = await import('../../eval/runner/scoring.ts');
  return createMetricsScorer();
}

/** `radreport eval` with the node-llama-cpp engine (or the `--endpoint` server), loaded only when a model is asked for. */
export const evalCommand: CliCommand = createEvalCommand({
  async createEngine(settings) {
    const { createConclusionEngine } = await import('../../generation/engineSelection.ts');
    return createConclusionEngine(settings, { apiKey: process.env.RADREPORT_API_KEY });
  },
});
