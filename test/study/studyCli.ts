/**
 * Runs `radreport study …` as its own process, the way the CLI dispatcher does (SIGINT/SIGTERM abort), so the e2e test
 * can kill the server for real. Usage: node --import tsx test/study/studyCli.ts serve DIR --port P
 */
import { studyCommand } from '../../server/cli/commands/study.ts';

const controller = new AbortController();
process.on('SIGINT', () => controller.abort());
process.on('SIGTERM', () => controller.abort());
process.exitCode = await studyCommand.run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
  signal: controller.signal,
});
