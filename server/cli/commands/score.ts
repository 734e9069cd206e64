import { BERTSCORE_FLAGS, BERTSCORE_USAGE, bertscoreOptions } from '../bertscoreFlags.ts';
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { metricsJson, type PredictionPair, type Scorer } from '../../eval/runner/runEval.ts';
import { parseArgs, stringFlag, UsageError, type CliCommand, type CliIo } from '../command.ts';

export interface ScoreCommandDeps {
  /** The metrics; the real ones (`server/eval/metrics`) by default. */
  scorer?: Scorer | (() => Promise<Scorer>);
}

const USAGE = `Usage: radreport score --data FILE.jsonl [--stem] [--bertscore-model DIR] [--per-pair FILE]

Scores predicted conclusions against reference conclusions. Each line of FILE.jsonl is a JSON object with
\`prediction\` and \`reference\` strings (other fields, such as \`id\`, are kept in --per-pair). Prints one JSON object
{n, rouge1, rouge2, rougeL, rougeLsum, bleu, meteor, bertscore?}, every value in 0–1: ROUGE (rouge-score), METEOR
(NLTK) and BERTScore as the mean of per-pair F1, BLEU as sacrebleu's corpus BLEU / 100.

Options:
  --stem                  Porter stemming in ROUGE (off by default, as in rouge-score)
${BERTSCORE_USAGE}
  --per-pair FILE         write each pair's scores as JSONL (id when the line has one, then the scores)`;

class ScoreDataError extends Error {}

export function createScoreCommand(deps: ScoreCommandDeps = {}): CliCommand {
  return {
    name: 'score',
    summary: 'Score predicted conclusions against references (ROUGE, BLEU, METEOR, BERTScore)',
    usage: USAGE,
    async run(args, io) {
      try {
        return await runScore(args, io, deps);
      } catch (error) {
        if (error instanceof UsageError) {
          io.stderr.write(`radreport score: ${error.message}\n\n${USAGE}\n`);
          return 2;
        }
        io.stderr.write(`radreport score: ${(error as Error).message ?? String(error)}\n`);
        return error instanceof ScoreDataError || (error as Error).name === 'BertScoreModelError' ? 2 : 1;
      }
    },
  };
}

export const scoreCommand: CliCommand = createScoreCommand();

async function runScore(args: string[], io: CliIo, deps: ScoreCommandDeps): Promise<number> {
  const parsed = parseArgs(args, { values: ['data', 'per-pair', ...BERTSCORE_FLAGS.values], booleans: ['stem', ...BERTSCORE_FLAGS.booleans] });
  if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument "${parsed.positionals[0]}"`);
  const data = stringFlag(parsed, 'data');
  if (!data) throw new UsageError('--data is required');
  const bertscore = bertscoreOptions(parsed, io.cwd);
  const perPairPath = stringFlag(parsed, 'per-pair');

  let text: string;
  try {
    text = await readFile(resolve(io.cwd, data), 'utf8');
  } catch {
    throw new ScoreDataError(`${data}: cannot read the file`);
  }
  const { pairs, ids } = parsePairs(text, data);
  const scorer = await resolveScorer(deps.scorer);
  const scored = await scorer.score(pairs, { stem: parsed.flags.get('stem') === true, ...bertscore });
  if (perPairPath) {
    const lines = scored.pairs.map((scores, i) => JSON.stringify(ids[i] !== undefined ? { id: ids[i], ...scores } : { index: i, ...scores }));
    await writeFile(resolve(io.cwd, perPairPath), lines.join('\n') + '\n');
  }
  io.stdout.write(metricsJson(scored.corpus));
  return 0;
}

/** The pairs of a JSONL file: `prediction` and `reference` strings on every line; a clear error with the line otherwise. */
export function parsePairs(text: string, name: string): { pairs: PredictionPair[]; ids: Array<string | undefined> } {
  const pairs: PredictionPair[] = [];
  const ids: Array<string | undefined> = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw new ScoreDataError(`${name}:${i + 1}: not a JSON object`);
    }
    if (!row || typeof row !== 'object' || Array.isArray(row)) throw new ScoreDataError(`${name}:${i + 1}: not a JSON object`);
    const { prediction, reference, id } = row as Record<string, unknown>;
    if (typeof prediction !== 'string') throw new ScoreDataError(`${name}:${i + 1}: \`prediction\` must be a string`);
    if (typeof reference !== 'string') throw new ScoreDataError(`${name}:${i + 1}: \`reference\` must be a string`);
    pairs.push({ prediction, reference });
    ids.push(typeof id === 'string' || typeof id === 'number' ? String(id) : undefined);
  });
  if (pairs.length === 0) throw new ScoreDataError(`${name}: no pairs to score`);
  return { pairs, ids };
}

async function resolveScorer(scorer: ScoreCommandDeps['scorer']): Promise<Scorer> {
  if (typeof scorer === 'function') return scorer();
  if (scorer) return scorer;
  const { createMetricsScorer } = await import('../../eval/runner/scoring.ts');
  return createMetricsScorer();
}
