/**
 * Records the shipped model's greedy conclusions for five fixed reports into `models/expected-outputs.json`, which
 * `models/shippedModel.test.ts` checks in CI. Run it after shipping new model files (and only then):
 *
 *   npx tsx models/recordExpectedOutputs.ts [--data ../shared/data]
 *
 * The reports are `valid`/`test` rows of the public IU and MTSamples data, stored as report text up to their conclusion
 * (IU rows written as markdown by `iuReportMarkdown`, as `training/exportPairs.ts` writes them, MTSamples rows as dictated). They were picked because the
 * PyTorch model's greedy choice wins by a clear logit margin at every step, so the outputs do not hinge on a near tie
 * that a different CPU's floating-point order could flip.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultVocabulary } from '../server/clinical/vocabulary.ts';
import { conclusionRequest } from '../server/generation/groundedConclusion.ts';
import { readEmbeddedModel } from '../server/generation/embeddedModel.ts';
import { iuReportMarkdown, type IuRow } from '../server/eval/runner/iuReport.ts';
import { createLlamaEngine } from '../server/generation/llamaEngine.ts';
import { parseReport } from '../server/report/parseReport.ts';

export const EXPECTED_IDS = ['iu-1159', 'iu-2239', 'iu-3349', 'iu-1388', 'mts-1678'];
/** The engine settings of the check: CPU, one thread, greedy. */
export const CHECK_SETTINGS = { gpu: false as const, threads: 1, contextSize: 2048, temperature: 0, maxTokens: 64 };

export interface ExpectedOutputs {
  about: string;
  files: Record<string, string>;
  settings: typeof CHECK_SETTINGS;
  cases: Array<{ id: string; split: string; source: string; report: string; reference: string; expected: string }>;
}

export function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

const here = dirname(fileURLToPath(import.meta.url));

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--data');
  const data = resolve(at >= 0 ? process.argv[at + 1]! : join(here, '..', '..', 'shared', 'data'));
  const jsonl = (path: string) =>
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l));
  const iu = new Map<string, IuRow>(jsonl(join(data, 'iu-xray', 'pairs.jsonl')).map((r: IuRow) => [r.id, r]));
  const mts = new Map<string, { id: string; split: string; text: string }>(
    jsonl(join(data, 'mtsamples', 'imaging-reports.jsonl')).map((r: { id: string; split: string; text: string }) => [r.id, r]),
  );
  const embedded = readEmbeddedModel(join(here, '..'));
  if (!embedded) throw new Error('models/default-model.json is missing');
  const engine = createLlamaEngine({ modelPath: embedded.modelPath, loras: embedded.loras, ...CHECK_SETTINGS });
  const out: ExpectedOutputs = {
    about:
      'Greedy conclusions of the shipped model (node-llama-cpp, CPU, 1 thread) for five fixed public reports; written by models/recordExpectedOutputs.ts, checked by models/shippedModel.test.ts.',
    files: Object.fromEntries([embedded.modelPath, ...embedded.loras.map((l) => l.path)].map((p) => [p.slice(here.length + 1), sha256(p)])),
    settings: CHECK_SETTINGS,
    cases: [],
  };
  try {
    for (const id of EXPECTED_IDS) {
      const row = iu.get(id);
      const full = row ? iuReportMarkdown(row) : mts.get(id)?.text;
      if (full === undefined) throw new Error(`no report ${id} in ${data}`);
      const split = row?.split ?? mts.get(id)!.split;
      // The report as the radiologist has it before concluding: everything before its conclusion section.
      const conclusion = parseReport(full).sections.find((section) => section.kind === 'conclusion');
      if (!conclusion) throw new Error(`${id} has no conclusion section`);
      const report = full.slice(0, conclusion.span.start).trimEnd() + '\n';
      const reference = conclusion.text;
      const result = await engine.generate(conclusionRequest(parseReport(report), defaultVocabulary()).prompt);
      out.cases.push({ id, split, source: row ? 'iu' : 'mtsamples', report, reference, expected: result.text });
      console.log(`${id}: ${JSON.stringify(result.text)}`);
    }
  } finally {
    await engine.dispose();
  }
  writeFileSync(join(here, 'expected-outputs.json'), JSON.stringify(out, null, 2) + '\n');
}
