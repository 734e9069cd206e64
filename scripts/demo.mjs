#!/usr/bin/env node
// `npm run demo`: checks an example report, shows the plan of its conclusion, and writes the conclusion with the
// embedded default model on the CPU, checked against the plan (nothing downloaded). Pass another report to use it instead: `npm run demo -- path/to/report.md`.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const report = process.argv[2] ?? 'examples/xr-chest.report.md';
const cli = (...args) => spawnSync(process.execPath, ['bin/radreport.mjs', ...args], { cwd: root, stdio: 'inherit' }).status;

console.log(`--- ${report}\n${readFileSync(new URL(report, `file://${root}/`), 'utf8').trim()}\n`);
console.log(`--- radreport lint ${report}`);
cli('lint', report);
console.log(`\n--- radreport plan ${report}   (what the conclusion must say, from the findings)`);
cli('plan', report);
console.log(`\n--- radreport conclude ${report}   (embedded default model, CPU, 1 thread; checked against the plan)`);
const status = cli('conclude', report, '--gpu', 'false');
process.exit(status ?? 1);
