import { readFile, stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import type { ReportConfig } from '../config/reportConfig.ts';
import { parseReport } from '../report/parseReport.ts';
import { createSectionClassifier } from '../report/sectionSynonyms.ts';
import type { Report } from '../report/types.ts';
import { createConfigResolver } from '../service/configResolver.ts';
import { nodeWorkspace } from '../service/reportWorkspace.ts';
import type { CliIo } from './command.ts';
import { decodeUtf8, NotUtf8Error } from './utf8Text.ts';

/**
 * A report file for a command: its text parsed with the section names of its nearest `.radreportrc.json`, and that
 * configuration (none with `ignoreConfig`: `--no-config`); or the exit status 2 after saying on stderr why the file
 * cannot be read. Problems in the configuration file are said on stderr.
 */
export async function readReportFile(
  name: string,
  io: CliIo,
  command: string,
  options: { ignoreConfig?: boolean } = {},
): Promise<{ report: Report; config: ReportConfig } | 2> {
  const file = resolve(io.cwd, name);
  let text: string;
  try {
    // A FIFO or a device would block the read for ever.
    if (!(await stat(file)).isFile()) {
      io.stderr.write(`radreport ${command}: cannot read ${name}: not a regular file\n`);
      return 2;
    }
    text = decodeUtf8(await readFile(file));
  } catch (error) {
    if (error instanceof NotUtf8Error) {
      io.stderr.write(`radreport ${command}: ${name}: ${error.message}\n`);
      return 2;
    }
    io.stderr.write(`radreport ${command}: cannot read ${name}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
    return 2;
  }
  let config: ReportConfig = {};
  if (!options.ignoreConfig) {
    const project = await createConfigResolver(await nodeWorkspace({ roots: () => [io.cwd] })).forDocument(file);
    for (const p of project.problems) io.stderr.write(`${relative(io.cwd, p.source) || p.source}: ${p.path ? p.path + ' ' : ''}${p.message}\n`);
    config = project.config;
  }
  const report = parseReport(text, config.sections ? { classifier: createSectionClassifier(config.sections) } : {});
  return { report, config };
}
