#!/usr/bin/env node
// The `radreport` command: runs the bundled CLI (built by `npm run build`, which `npm ci` runs).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../dist/cli.mjs', import.meta.url);
if (!existsSync(fileURLToPath(bundle))) {
  process.stderr.write('radreport: dist/cli.mjs is missing; run `npm run build` in the package folder first.\n');
  process.exit(2);
}
const { main } = await import(bundle.href);
await main();
