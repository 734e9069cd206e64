/**
 * The language server as a program: bundled as `dist/server.mjs` (what the editors start, with `--stdio`), or from
 * source with `tsx server/lsp/main.ts`. The features are in `server.ts`; this file only starts them.
 */
import { startServer } from './server.ts';

process.on('uncaughtException', (error) => {
  // Keep serving: a bug in one request must not take the editor's features down. The stack goes to stderr (the log).
  process.stderr.write(`radreport server: uncaught exception: ${error.stack ?? error}\n`);
});
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`radreport server: unhandled rejection: ${(reason as Error)?.stack ?? reason}\n`);
});
void startServer(undefined, process.argv.includes('--stdio') ? process.stdin : undefined);
