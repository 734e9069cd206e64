/**
 * Times the checking of each adversarial input (test/reliability/adversarialCorpus.ts) at several sizes, each in its own
 * process with a time limit, so a quadratic or exponential case shows as "> limit" instead of hanging the probe.
 *
 *   node --import tsx scripts/probe-analysis-time.ts [--sizes 65536,262144,1000000] [--limit 60] [--cli] [kind...]
 *
 * Without --cli it times parseReport + lintReport (all rules) in-process; with --cli it times `radreport lint` on the
 * report written to a temporary file (bin/radreport.mjs over dist/cli.mjs: run `npm run build` first), which includes process start.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADVERSARIAL_INPUTS, adversarialReport } from '../test/reliability/adversarialCorpus.ts';

const self = fileURLToPath(import.meta.url);
const repo = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);

if (args[0] === '--child') {
  const [, kind, sizeText] = args;
  const input = ADVERSARIAL_INPUTS.find((i) => i.kind === kind)!;
  const text = adversarialReport(input, Number(sizeText));
  const { parseReport } = await import('../server/report/parseReport.ts');
  const { lintReport } = await import('../server/rules/lintReport.ts');
  const { ALL_RULES } = await import('../server/rules/registry.ts');
  lintReport(parseReport('# Findings\n\nNormal.\n'), {}, ALL_RULES); // load the vocabulary outside the timing
  const start = performance.now();
  let outcome = 'ok';
  try {
    const report = parseReport(text);
    outcome = `${lintReport(report, {}, ALL_RULES).length} problems, reader ${(report as { reader?: string }).reader ?? 'remark'}`;
  } catch (error) {
    outcome = `threw ${(error as Error).name}: ${(error as Error).message.slice(0, 60)}`;
  }
  process.stdout.write(JSON.stringify({ ms: performance.now() - start, outcome }));
  process.exit(0);
}

const take = (flag: string) => {
  const at = args.indexOf(flag);
  if (at === -1) return undefined;
  const value = args[at + 1];
  args.splice(at, 2);
  return value;
};
const sizes = (take('--sizes') ?? '65536,262144,1000000').split(',').map(Number);
const limitS = Number(take('--limit') ?? 60);
const cli = args.includes('--cli');
const kinds = args.filter((a) => !a.startsWith('--'));
const inputs = ADVERSARIAL_INPUTS.filter((i) => kinds.length === 0 || kinds.includes(i.kind));
const dir = mkdtempSync(join(tmpdir(), 'radreport-probe-'));

console.log(`${cli ? 'radreport lint' : 'parseReport + lintReport'}; limit ${limitS} s; sizes ${sizes.join(', ')}`);
console.log(['kind'.padEnd(18), ...sizes.map((s) => String(s).padStart(22))].join(' '));
for (const input of inputs) {
  const cells: string[] = [];
  for (const size of sizes) {
    const start = performance.now();
    let cell: string;
    if (cli) {
      const file = join(dir, `${input.kind}.report.md`);
      writeFileSync(file, adversarialReport(input, size));
      const run = spawnSync(process.execPath, [join(repo, 'bin', 'radreport.mjs'), 'lint', file], {
        timeout: limitS * 1000,
        killSignal: 'SIGKILL',
        encoding: 'utf8',
        maxBuffer: 1 << 28,
      });
      const ms = performance.now() - start;
      cell = run.signal ? `> ${limitS} s` : `${(ms / 1000).toFixed(2)} s exit ${run.status}${/RangeError/.test(run.stderr) ? ' RangeError' : ''}`;
    } else {
      const run = spawnSync(process.execPath, ['--import', 'tsx', '--stack-size=984', self, '--child', input.kind, String(size)], {
        timeout: limitS * 1000,
        killSignal: 'SIGKILL',
        encoding: 'utf8',
        cwd: repo,
      });
      if (run.signal) cell = `> ${limitS} s`;
      else {
        try {
          const { ms, outcome } = JSON.parse(run.stdout) as { ms: number; outcome: string };
          cell = `${(ms / 1000).toFixed(2)} s${outcome.startsWith('threw') ? ' ' + outcome.split(':')[0] : ''}`;
        } catch {
          cell = `failed (${run.stderr.trim().split('\n').pop()?.slice(0, 30)})`;
        }
      }
    }
    cells.push(cell.padStart(22));
  }
  console.log([input.kind.padEnd(18), ...cells].join(' '));
}
rmSync(dir, { recursive: true, force: true });
