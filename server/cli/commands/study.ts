import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createStudy, readStudyFile, StudyFileError, type StudySourceRow } from '../../eval/study/studyFile.ts';
import { formatStudyResults, studyResults } from '../../eval/study/studyResults.ts';
import { startStudyServer, STUDY_DATABASE, STUDY_FILE } from '../../eval/study/studyServer.ts';
import { openStudyStore } from '../../eval/study/studyStore.ts';
import { intFlag, parseArgs, stringFlag, UsageError, type CliCommand, type CliIo } from '../command.ts';

export const DEFAULT_STUDY_PORT = 8437;

const USAGE = `Usage: radreport study create --from predictions.jsonl --out DIR [--cases N] [--seed S]
       radreport study serve DIR [--port P]
       radreport study results DIR [--json]

A blinded reader study of generated conclusions.

create   Draws N cases (all by default) from the predictions of \`radreport eval\` with a seeded shuffle (seed 1 by
         default) and shows, for each, the findings and the original and generated conclusions as A and B in a seeded
         random order. Writes DIR/${STUDY_FILE}: the cases, and apart from them the answer key.
serve    Serves the study at http://127.0.0.1:P/ (port ${DEFAULT_STUDY_PORT} by default, 0 for any free port), for
         this machine only. Readers enter their name, rate each conclusion 1–5 and choose the better one or
         "equivalent" (keys 1–5, a, b, e, n/Enter). Every answer is saved at once in DIR/${STUDY_DATABASE}; entering
         the same name again resumes. Stop with Ctrl+C.
results  The share of cases where the generated conclusion was preferred, the mean rating of each source with a
         95% confidence interval, per reader and overall, and inter-reader agreement. --json prints them as JSON.`;

export const studyCommand: CliCommand = {
  name: 'study',
  summary: 'Create, serve and analyse a blinded reader study of generated conclusions',
  usage: USAGE,
  async run(args, io) {
    try {
      const [sub, ...rest] = args;
      if (sub === 'create') return await create(rest, io);
      if (sub === 'serve') return await serve(rest, io);
      if (sub === 'results') return await results(rest, io);
      throw new UsageError(sub ? `unknown subcommand "${sub}"` : 'give a subcommand: create, serve or results');
    } catch (error) {
      if (error instanceof UsageError) {
        io.stderr.write(`radreport study: ${error.message}\n\n${USAGE}\n`);
        return 2;
      }
      if (error instanceof StudyFileError) {
        io.stderr.write(`radreport study: ${error.message}\n`);
        return 2;
      }
      io.stderr.write(`radreport study: ${(error as Error).message ?? String(error)}\n`);
      return 1;
    }
  },
};

async function create(args: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args, { values: ['from', 'out', 'cases', 'seed'] });
  if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument "${parsed.positionals[0]}"`);
  const from = stringFlag(parsed, 'from');
  const out = stringFlag(parsed, 'out');
  if (!from || !out) throw new UsageError('create needs --from predictions.jsonl and --out DIR');
  const count = intFlag(parsed, 'cases', 1);
  const seed = intFlag(parsed, 'seed', 0) ?? 1;
  const dir = resolve(io.cwd, out);
  for (const name of [STUDY_FILE, STUDY_DATABASE]) {
    if (existsSync(join(dir, name))) throw new StudyFileError(`${join(dir, name)} already exists: a study is never overwritten; choose another --out`);
  }
  const rows = await readPredictions(resolve(io.cwd, from), from);
  const { study, leftOut } = createStudy(rows, { seed, cases: count, source: from });
  if (study.cases.length === 0) throw new StudyFileError(`${from} has no prediction to put in a study`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, STUDY_FILE), `${JSON.stringify(study, null, 2)}\n`, { flag: 'wx' });
  if (leftOut.length > 0) io.stderr.write(`Left out ${leftOut.length} case(s) with an empty prediction: ${leftOut.slice(0, 5).join(', ')}${leftOut.length > 5 ? ', …' : ''}\n`);
  if (count !== undefined && count > study.cases.length) io.stderr.write(`Only ${study.cases.length} cases were available (asked for ${count}).\n`);
  io.stdout.write(`Created a reader study of ${study.cases.length} cases in ${dir} (seed ${seed}).\nServe it with: radreport study serve ${out}\n`);
  return 0;
}

async function serve(args: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args, { values: ['port'] });
  const [dirArg, ...extra] = parsed.positionals;
  if (!dirArg || extra.length > 0) throw new UsageError('serve needs exactly one study folder');
  const port = intFlag(parsed, 'port', 0) ?? DEFAULT_STUDY_PORT;
  if (port > 65535) throw new UsageError('--port must be at most 65535');
  const dir = resolve(io.cwd, dirArg);
  const server = await startStudyServer({ dir, port, log: (message) => io.stderr.write(`${message}\n`) });
  io.stdout.write(`Reader study: ${server.url} (${server.study.cases.length} cases)\n`);
  io.stderr.write(`Answers are saved in ${join(dir, STUDY_DATABASE)} as they are given. Stop with Ctrl+C.\n`);
  await new Promise<void>((resolveStop) => {
    if (io.signal.aborted) resolveStop();
    else io.signal.addEventListener('abort', () => resolveStop(), { once: true });
  });
  await server.close();
  io.stderr.write('Study server stopped.\n');
  return 0;
}

async function results(args: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args, { booleans: ['json'] });
  const [dirArg, ...extra] = parsed.positionals;
  if (!dirArg || extra.length > 0) throw new UsageError('results needs exactly one study folder');
  const dir = resolve(io.cwd, dirArg);
  const study = await readStudyFile(join(dir, STUDY_FILE));
  const store = openStudyStore(join(dir, STUDY_DATABASE), study);
  try {
    const readers = store.readers().map((reader) => ({ reader: reader.name, answers: store.answersOf(reader.id) }));
    const figures = studyResults(study, readers);
    io.stdout.write(parsed.flags.get('json') === true ? `${JSON.stringify(figures, null, 2)}\n` : formatStudyResults(figures));
  } finally {
    store.close();
  }
  return 0;
}

async function readPredictions(path: string, shown: string): Promise<StudySourceRow[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new StudyFileError(`${shown}: cannot read the predictions file`);
  }
  const rows: StudySourceRow[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new StudyFileError(`${shown}:${i + 1}: not a JSON object (expected the predictions.jsonl of radreport eval)`);
    }
    const row = value as Record<string, unknown>;
    if (!row || typeof row !== 'object' || Array.isArray(row)) throw new StudyFileError(`${shown}:${i + 1}: not a JSON object`);
    for (const key of ['findings', 'reference', 'prediction']) {
      if (typeof row[key] !== 'string') throw new StudyFileError(`${shown}:${i + 1}: \`${key}\` must be a string`);
    }
    const id = typeof row.id === 'string' || typeof row.id === 'number' ? String(row.id) : `line-${i + 1}`;
    rows.push({
      id,
      exam: typeof row.exam === 'string' ? row.exam : undefined,
      findings: row.findings as string,
      reference: row.reference as string,
      prediction: row.prediction as string,
    });
  });
  if (rows.length === 0) throw new StudyFileError(`${shown}: no predictions`);
  return rows;
}
