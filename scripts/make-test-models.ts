/**
 * Writes the tiny test models (a llama-architecture GGUF with seeded weights, a LoRA adapter for it, a terse variant
 * and deliberately broken files) to `.test-models/`. `npm run models:test`; `--force` rebuilds even when up to date.
 * Tests call `ensureTestModels()` themselves, so running this by hand is only needed to look at the files.
 */
import { statSync } from 'node:fs';
import { relative } from 'node:path';
import { ensureTestModels } from '../test/models/testModels.ts';

const models = await ensureTestModels({ force: process.argv.includes('--force') });
const files = { model: models.model, lora: models.lora, terse: models.terse, ...models.broken };
for (const [name, path] of Object.entries(files)) {
  console.log(`${name.padEnd(26)} ${relative(process.cwd(), path)} (${statSync(path).size} bytes)`);
}
