import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createStudy, readStudyFile, StudyFileError, type StudySourceRow } from '../../eval/study/studyFile.ts';
import { formatStudyResults, studyResults } from '../../eval/study/studyResults.ts';
import { startStudyServer, STUDY_DATABASE, STUDY_FILE } from '../../eval/study/studyServer.ts';
import { answerChanges, formatAnswerChanges } from '../../eval/study/answerChanges.ts';
import { openStudyStore, upgradeStudyStore, type StudyInvitation, type StudyReader } from '../../eval/study/studyStore.ts';
import { intFlag, parseArgs, stringFlag, UsageError, type CliCommand, type CliIo } from '../command.ts';

export const DEFAULT_STUDY_PORT = 8437;

const USAGE = `Usage: radreport study create --from predictions.jsonl --out DIR [--cases N] [--seed S] [--readers N] [--port P]
       radreport study invite DIR [--reader LABEL] [--port P]
       radreport study serve DIR [--port P]
       radreport study results DIR [--json]
       radreport study upgrade DIR [--port P]

A blinded reader study of generated conclusions.

create   Draws N cases (all by default) from the predictions of \`radreport eval\` with a seeded shuffle (seed 1 by
         default) and shows, for each, the findings and the original and generated conclusions as A and B in a seeded
         random order. Writes DIR/${STUDY_FILE}: the cases, and apart from them the answer key. --readers N prints N
         invitation links, one per reader (none by default; add readers with \`invite\`).
invite   Adds one reader and prints their invitation link; --reader LABEL is the name shown until they type theirs.
         Works while the study is served.
serve    Serves the study at http://127.0.0.1:P/ (port ${DEFAULT_STUDY_PORT} by default, 0 for any free port), for
         this machine only. Each reader opens their own invitation link, rate each conclusion 1–5 and choose the
         better one or "equivalent" (keys 1–5, a, b, e, n/Enter). Every answer is appended at once to
         DIR/${STUDY_DATABASE}; opening the link again resumes. Stop with Ctrl+C.
results  The share of cases where the generated conclusion was preferred, the mean rating of each source with a
         95% confidence interval, per reader and overall, and inter-reader agreement, from each reader's last answer
         to each case; then every answer a reader changed (who, which case, from what to what, when). --json prints
         them as JSON.
upgrade  Converts a ${STUDY_DATABASE} made before invitation links (readers known by name alone): keeps every answer as
         history and prints a new invitation link for each of its readers.

An invitation link is a secret: it is printed once, only its SHA-256 hash is stored, and whoever has it answers as
that reader. The name a reader types is a label, never a credential. --port P makes the links point at port P
(${DEFAULT_STUDY_PORT} by default); a reader can also paste their link into the study page served on any port.`;

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
      if (sub === 'invite') return await invite(rest, io);
      if (sub === 'upgrade') return await upgrade(rest, io);
      throw new UsageError(sub ? `unknown subcommand "${sub}"` : 'give a subcommand: create, invite, serve, results or upgrade');
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
  const parsed = parseArgs(args, { values: ['from', 'out', 'cases', 'seed', 'readers', 'port'] });
  if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument "${parsed.positionals[0]}"`);
  const from = stringFlag(parsed, 'from');
  const out = stringFlag(parsed, 'out');
  if (!from || !out) throw new UsageError('create needs --from predictions.jsonl and --out DIR');
  const count = intFlag(parsed, 'cases', 1);
  const seed = intFlag(parsed, 'seed', 0) ?? 1;
  const readerCount = intFlag(parsed, 'readers', 0) ?? 0;
  if (readerCount > 1000) throw new UsageError('--readers must be at most 1000');
  const linkPort = linkPortFlag(parsed);
  const dir = resolve(io.cwd, out);
  for (const name of [STUDY_FILE, STUDY_DATABASE]) {
    if (existsSync(join(dir, name))) throw new StudyFileError(`${join(dir, name)} already exists: a study is never overwritten; choose another --out`);
  }
  const rows = await readPredictions(resolve(io.cwd, from), from);
  const { study, leftOut } = createStudy(rows, { seed, cases: count, source: from });
  if (study.cases.length === 0) throw new StudyFileError(`${from} has no prediction to put in a study`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, STUDY_FILE), `${JSON.stringify(study, null, 2)}\n`, { flag: 'wx' });
  const store = openStudyStore(join(dir, STUDY_DATABASE), study);
  let invitations: StudyInvitation[];
  try {
    invitations = Array.from({ length: readerCount }, () => store.invite());
  } finally {
    store.close();
  }
  if (leftOut.length > 0)
    io.stderr.write(`Left out ${leftOut.length} case(s) with an empty prediction: ${leftOut.slice(0, 5).join(', ')}${leftOut.length > 5 ? ', …' : ''}\n`);
  if (count !== undefined && count > study.cases.length) io.stderr.write(`Only ${study.cases.length} cases were available (asked for ${count}).\n`);
  io.stdout.write(`Created a reader study of ${study.cases.length} cases in ${dir} (seed ${seed}).\n`);
  if (invitations.length > 0) io.stdout.write(formatInvitations(invitations, linkPort));
  else io.stdout.write(`No reader is invited yet: add each with radreport study invite ${out} --reader LABEL\n`);
  io.stdout.write(`Serve it with: radreport study serve ${out}${linkPort === DEFAULT_STUDY_PORT ? '' : ` --port ${linkPort}`}\n`);
  return 0;
}

async function invite(args: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args, { values: ['reader', 'port'] });
  const [dirArg, ...extra] = parsed.positionals;
  if (!dirArg || extra.length > 0) throw new UsageError('invite needs exactly one study folder');
  const label = stringFlag(parsed, 'reader');
  const linkPort = linkPortFlag(parsed);
  const dir = resolve(io.cwd, dirArg);
  const study = await readStudyFile(join(dir, STUDY_FILE));
  const store = openStudyStore(join(dir, STUDY_DATABASE), study);
  try {
    io.stdout.write(formatInvitations([store.invite(label)], linkPort));
  } finally {
    store.close();
  }
  return 0;
}

async function upgrade(args: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args, { values: ['port'] });
  const [dirArg, ...extra] = parsed.positionals;
  if (!dirArg || extra.length > 0) throw new UsageError('upgrade needs exactly one study folder');
  const linkPort = linkPortFlag(parsed);
  const dir = resolve(io.cwd, dirArg);
  const study = await readStudyFile(join(dir, STUDY_FILE));
  const invitations = upgradeStudyStore(join(dir, STUDY_DATABASE), study);
  io.stdout.write(`Upgraded ${join(dir, STUDY_DATABASE)}: every answer is kept; readers now enter by invitation link only.\n`);
  if (invitations.length > 0) io.stdout.write(formatInvitations(invitations, linkPort));
  return 0;
}

function linkPortFlag(parsed: ReturnType<typeof parseArgs>): number {
  const port = intFlag(parsed, 'port', 1) ?? DEFAULT_STUDY_PORT;
  if (port > 65535) throw new UsageError('--port must be at most 65535');
  return port;
}

/** The invitation links, shown this once: the store keeps only their hashes. */
export function invitationLink(token: string, port: number): string {
  return `http://127.0.0.1:${port}/#invite=${token}`;
}

function formatInvitations(invitations: readonly StudyInvitation[], port: number): string {
  const width = Math.max(...invitations.map((i) => `#${i.reader.id} ${i.reader.name}`.length));
  return [
    'Invitation links (shown only this once; give each reader their own, privately: whoever has a link answers as that reader):',
    ...invitations.map((i) => `  ${`#${i.reader.id} ${i.reader.name}`.padEnd(width)}  ${invitationLink(i.token, port)}`),
    '',
  ].join('\n');
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
  io.stderr.write(
    `Each reader opens their own invitation link (radreport study invite ${dirArg} adds a reader)` +
      `${server.port === DEFAULT_STUDY_PORT ? '' : `; links made for another port can be pasted into the page`}.\n` +
      `Answers are appended to ${join(dir, STUDY_DATABASE)} as they are given. Stop with Ctrl+C.\n`,
  );
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
    const readers = store.readers();
    const shownName = readerNames(readers);
    const figures = studyResults(
      study,
      readers.map((reader) => ({ reader: shownName(reader.id), answers: store.answersOf(reader.id) })),
    );
    const changes = answerChanges(store.answerHistory(), shownName);
    io.stdout.write(
      parsed.flags.get('json') === true
        ? `${JSON.stringify({ ...figures, changes }, null, 2)}\n`
        : `${formatStudyResults(figures)}\n${formatAnswerChanges(changes)}`,
    );
  } finally {
    store.close();
  }
  return 0;
}

/**
 * Readers are shown by the name they typed; a name is a label, not an identity, so two readers who typed the same name
 * (spacing and case ignored) are told apart by their reader number.
 */
function readerNames(readers: readonly StudyReader[]): (readerId: number) => string {
  const fold = (name: string) => name.replace(/\s+/g, ' ').trim().toLowerCase();
  const uses = new Map<string, number>();
  for (const reader of readers) uses.set(fold(reader.name), (uses.get(fold(reader.name)) ?? 0) + 1);
  const names = new Map(readers.map((reader) => [reader.id, uses.get(fold(reader.name))! > 1 ? `${reader.name} (#${reader.id})` : reader.name]));
  return (readerId) => names.get(readerId) ?? `#${readerId}`;
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
