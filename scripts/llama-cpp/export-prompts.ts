/**
 * Exports the conclusion prompts of an evaluation set as JSONL, built by the product's own prompt builder (the IU row
 * read as `radreport eval` reads it, then `buildConclusionPrompt`), so the load generator can carry them to a machine
 * without the project's npm packages. One `{id, system, user, reference}` a line.
 *
 *   node --import tsx scripts/llama-cpp/export-prompts.ts [--data ../shared/data/iu-xray/pairs.jsonl] [--split valid]
 *                                                        [--out .cache/department/iu-valid-prompts.jsonl]
 *
 * The default is the IU `valid` split: a load test is no place for the `test` rows.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildConclusionPrompt } from '../../server/generation/conclusionPrompt.ts';
import { readEvalData } from '../../server/eval/runner/readEvalData.ts';

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');
const { values } = parseArgs({
  options: {
    data: { type: 'string', default: resolve(root, '..', 'shared', 'data', 'iu-xray', 'pairs.jsonl') },
    split: { type: 'string', default: 'valid' },
    out: { type: 'string', default: resolve(root, '.cache', 'department', 'iu-valid-prompts.jsonl') },
  },
});

const data = await readEvalData(resolve(values.data!));
const cases = data.cases.filter((c) => c.split === values.split);
if (cases.length === 0) {
  console.error(`no ${values.split} rows in ${values.data}`);
  process.exit(1);
}
const lines = cases.map((c) => JSON.stringify({ id: c.id, ...buildConclusionPrompt(c.prompt), reference: c.reference }));
mkdirSync(dirname(resolve(values.out!)), { recursive: true });
writeFileSync(resolve(values.out!), lines.join('\n') + '\n');
console.log(`${cases.length} ${values.split} prompts from ${values.data} → ${values.out}`);
