import { readdir, readFile, stat } from 'node:fs/promises';
import { join, parse, relative, resolve } from 'node:path';
import { mergeReportConfigs, type ConfigProblem, type ReportConfig } from '../../config/reportConfig.ts';
import { analysisWorkerFactory, createWorkerAnalyser } from '../../service/reportAnalyser.ts';
import { createConfigResolver, readConfigText } from '../../service/configResolver.ts';
import { nodeWorkspace } from '../../service/reportWorkspace.ts';
import { parseArgs, stringFlag, UsageError, type CliCommand } from '../command.ts';
import { signalExitCode } from '../stopSignal.ts';
import { decodeUtf8, NotUtf8Error } from '../utf8Text.ts';

export interface LintEntry {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning' | 'information' | 'hint';
  code: string;
  message: string;
}

const USAGE = `Usage: radreport lint [--format text|json] [--config FILE | --no-config] [--template] FILE|FOLDER...

Checks radiology reports with the same rules as the editor. Folders are searched for *.md files.
Configuration: the nearest .radreportrc.json above each file, or --config FILE for all of them. A .radreportrc.json
must be a regular file of at most 1 MiB, and a link to one must stay inside the current folder (or its own folder).

  --format text   file:line:column severity code message (default)
  --format json   an array of {file, line, column, endLine, endColumn, severity, code, message}
  --config FILE   use this configuration file instead of the nearest .radreportrc.json
  --no-config     ignore repository configuration: built-in rules on built-in defaults (for untrusted checkouts)
  --template      lint every file as a report template (template mode: missing sections, duplicate fields, malformed
                  field syntax, sections out of order; unfilled fields are expected). Without it, files whose front
                  matter says type: radiology-report-template are templates.

Lines and columns are 1-based. Exit status: 1 if any problem has error severity, 0 otherwise; 2 for usage or I/O errors,
a file that is not UTF-8 text, a folder with no *.md file in it, or a report whose check took more than 10 s (stopped);
143 when stopped by SIGTERM (130 by Ctrl+C).`;

/** Most time one report's check may take before it is stopped and reported (every known input takes well under 2 s). */
const LINT_BUDGET_MS = 10_000;

export const lintCommand: CliCommand = {
  name: 'lint',
  summary: 'check reports for missing sections, contradictions, laterality errors and more',
  usage: USAGE,
  async run(args, io) {
    const parsed = parseArgs(args, { values: ['format', 'config'], booleans: ['no-config', 'template'] });
    const mode = parsed.flags.get('template') === true ? { template: true } : {};
    const noConfig = parsed.flags.get('no-config') === true;
    if (noConfig && parsed.flags.has('config')) throw new UsageError('--config and --no-config exclude each other');
    const format = stringFlag(parsed, 'format') ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, got "${format}"`);
    if (parsed.positionals.length === 0) throw new UsageError('name at least one report file or folder');

    let fixedConfig: ReportConfig | undefined;
    const configFile = stringFlag(parsed, 'config');
    if (configFile) {
      // Named on the command line by the user, so it may lie anywhere; it is still read as a regular file only.
      const path = resolve(io.cwd, configFile);
      const named = await nodeWorkspace({ roots: () => [parse(path).root] });
      let text: string | undefined;
      try {
        text = await named.readFile(path);
      } catch (error) {
        throw new UsageError(`cannot read --config ${configFile}: ${(error as Error).message}`);
      }
      if (text === undefined) throw new UsageError(`cannot read --config ${configFile}: no such file`);
      const { config, problems } = readConfigText(path, text);
      for (const p of problems) io.stderr.write(configProblemLine(configFile, p));
      fixedConfig = config;
    }

    if (noConfig) fixedConfig = {};
    const resolver = createConfigResolver(await nodeWorkspace({ roots: () => [io.cwd] }));
    const files: string[] = [];
    let ioError = false;
    for (const target of parsed.positionals) {
      const path = resolve(io.cwd, target);
      try {
        const info = await stat(path);
        if (info.isDirectory()) {
          const found = await markdownFiles(path);
          if (found.length === 0) {
            io.stderr.write(`radreport lint: no reports to check in ${target}: it holds no *.md file\n`);
            ioError = true;
          }
          files.push(...found);
        } else if (info.isFile()) files.push(path);
        else {
          // A FIFO or a device would block the read for ever.
          io.stderr.write(`radreport lint: cannot read ${target}: not a regular file\n`);
          ioError = true;
        }
      } catch (error) {
        io.stderr.write(`radreport lint: cannot read ${target}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
        ioError = true;
      }
    }

    const entries: LintEntry[] = [];
    const reportedConfigs = new Set<string>();
    // The checks run in a worker thread with a time budget a report, so a stop signal is handled at once and no report
    // holds the run up indefinitely.
    const analyser = createWorkerAnalyser({ createWorker: analysisWorkerFactory(), budgetMs: LINT_BUDGET_MS });
    const stop = () => void analyser.dispose();
    io.signal.addEventListener('abort', stop, { once: true });
    try {
      for (const [index, file] of files.entries()) {
        if (io.signal.aborted) break;
        const rel = relative(io.cwd, file);
        const display = rel && !rel.startsWith('..') ? rel : file;
        let text: string;
        try {
          text = decodeUtf8(await readFile(file));
        } catch (error) {
          io.stderr.write(
            error instanceof NotUtf8Error
              ? `radreport lint: ${display}: ${error.message}\n`
              : `radreport lint: cannot read ${file}: ${(error as Error).message}\n`,
          );
          ioError = true;
          continue;
        }
        let config = fixedConfig;
        if (!config) {
          const project = await resolver.forDocument(file);
          if (project.path && project.problems.length && !reportedConfigs.has(project.path)) {
            reportedConfigs.add(project.path);
            for (const p of project.problems) io.stderr.write(configProblemLine(relative(io.cwd, project.path), p));
          }
          config = project.config;
        }
        const merged = mergeReportConfigs(config);
        const result = await analyser.analyse(file, index, text, merged, mode);
        if (io.signal.aborted) break;
        if ('skipped' in result) {
          io.stderr.write(`radreport lint: ${display}: ${result.skipped}\n`);
          ioError = true;
          continue;
        }
        const report = result.report;
        for (const p of report.parseProblems) entries.push(entry(display, p.range, p.severity ?? 'error', p.code ?? 'front-matter', p.message));
        for (const p of result.problems) entries.push(entry(display, p.range, p.severity, p.ruleId, p.message));
      }
    } finally {
      io.signal.removeEventListener('abort', stop);
      await analyser.dispose();
    }
    if (io.signal.aborted) {
      io.stderr.write(`radreport lint: stopped (${String(io.signal.reason ?? 'aborted')})\n`);
      return signalExitCode(io.signal);
    }

    if (format === 'json') io.stdout.write(JSON.stringify(entries, null, 2) + '\n');
    else for (const e of entries) io.stdout.write(`${e.file}:${e.line}:${e.column} ${e.severity} ${e.code} ${e.message}\n`);
    if (ioError) return 2;
    return entries.some((e) => e.severity === 'error') ? 1 : 0;
  },
};

/** `file:line:column: path message` (1-based, like the problems of reports), or `file: path message` with no position. */
function configProblemLine(file: string, problem: ConfigProblem): string {
  const where = problem.range ? `${file}:${problem.range.start.line + 1}:${problem.range.start.character + 1}` : file;
  return `${where}: ${problem.path ? problem.path + ' ' : ''}${problem.message}\n`;
}

function entry(
  file: string,
  range: { start: { line: number; character: number }; end: { line: number; character: number } },
  severity: LintEntry['severity'],
  code: string,
  message: string,
): LintEntry {
  return {
    file,
    line: range.start.line + 1,
    column: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
    severity,
    code,
    message,
  };
}

async function markdownFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const item of await readdir(dir, { withFileTypes: true })) {
    if (item.name === 'node_modules' || item.name.startsWith('.')) continue;
    const path = join(dir, item.name);
    if (item.isDirectory()) out.push(...(await markdownFiles(path)));
    else if (item.name.endsWith('.md') && (item.isFile() || (item.isSymbolicLink() && (await stat(path).catch(() => undefined))?.isFile()))) out.push(path);
  }
  return out.sort();
}
