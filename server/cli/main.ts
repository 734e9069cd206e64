import { createConclusionEngine } from '../generation/engineSelection.ts';
import { packageRoot } from '../packageRoot.ts';
import { ALL_RULES } from '../rules/registry.ts';
import { UsageError, type CliCommand, type CliIo } from './command.ts';
import { createCompareCommand } from './commands/compare.ts';
import { signalExitCode, STOP_GRACE_MS } from './stopSignal.ts';
import { createConcludeCommand } from './commands/conclude.ts';
import { createEvalCommand } from './commands/eval.ts';
import { lintCommand } from './commands/lint.ts';
import { planCommand } from './commands/plan.ts';
import { scoreCommand } from './commands/score.ts';
import { studyCommand } from './commands/study.ts';
import { templateCommand } from './commands/template.ts';
import { readEmbeddedModel } from '../generation/embeddedModel.ts';

const rulesCommand: CliCommand = {
  name: 'rules',
  summary: 'list the rules with their default severity',
  usage:
    'Usage: radreport rules\n\nLists every rule id, its default severity, its scope (conclusion, findings or report), its quick fix\n' +
    '(fix-all: "fix all" applies it; fix: offered one at a time; -: none) and what it checks.',
  async run(_args, io) {
    for (const rule of ALL_RULES) {
      const fix = rule.fix ? (rule.fix.fixAll ? 'fix-all' : 'fix') : '-';
      io.stdout.write(`${rule.id.padEnd(26)} ${rule.defaultSeverity.padEnd(12)} ${rule.scope.padEnd(11)} ${fix.padEnd(8)} ${rule.description}\n`);
    }
    return 0;
  },
};

export function cliCommands(): CliCommand[] {
  const root = packageRoot();
  return [
    lintCommand,
    planCommand,
    createConcludeCommand({ createEngine: (settings) => createConclusionEngine(settings, { apiKey: process.env.RADREPORT_API_KEY }), packageRoot: root }),
    createCompareCommand({ createEngine: (settings) => createConclusionEngine(settings, { apiKey: process.env.RADREPORT_API_KEY }), packageRoot: root }),
    scoreCommand,
    createEvalCommand({
      createEngine: async (settings) => createConclusionEngine(settings, { apiKey: process.env.RADREPORT_API_KEY }),
      embeddedModel: () => readEmbeddedModel(root),
    }),
    studyCommand,
    templateCommand,
    rulesCommand,
  ];
}

/** Runs `radreport ARGS` and returns the exit status. */
export async function runCli(argv: string[], io: CliIo, commands: CliCommand[] = cliCommands()): Promise<number> {
  const [name, ...rest] = argv;
  const help = () => {
    io.stdout.write(
      'Usage: radreport COMMAND [OPTIONS]\n\nRadiology Report Assistant: checks reports and writes conclusions with a local model.\n\nCommands:\n',
    );
    for (const c of commands) io.stdout.write(`  ${c.name.padEnd(10)} ${c.summary}\n`);
    io.stdout.write("\nRun `radreport COMMAND --help` for a command's options.\n");
  };
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    help();
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`radreport: unknown command "${name}"\n\n`);
    help();
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(command.usage + '\n');
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`radreport ${name}: ${error.message}\n\n${command.usage}\n`);
      return 2;
    }
    io.stderr.write(`radreport ${name}: ${(error as Error).stack ?? error}\n`);
    return 2;
  }
}

export async function main(): Promise<void> {
  const controller = new AbortController();
  // Ctrl+C and a service manager's stop both end a command cleanly (a study server closes its database; lint stops
  // between reports). A command that has not finished within the grace period is ended with the conventional status
  // (128 + the signal's number), so a CI job's timeout always stops it.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      controller.abort(signal);
      setTimeout(() => process.exit(signalExitCode(controller.signal)), STOP_GRACE_MS).unref();
    });
  }
  // A reader that stops early (`radreport rules | head`) closes the pipe: stop quietly, as ripgrep and git do, instead
  // of an unhandled EPIPE and its stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    controller.abort('EPIPE');
    process.exit(0);
  });
  const code = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    env: process.env,
    signal: controller.signal,
  });
  process.exitCode = code;
}
