import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SHARED_DATA } from '../../../test/support/sharedData.ts';
import type { ConclusionEngine, EngineSettings, EngineState, GenerationResult } from '../../generation/engine.ts';
import type { ConclusionPrompt } from '../../generation/conclusionPrompt.ts';
import { iuPairCase } from '../../eval/runner/readEvalData.ts';
import type { CliIo } from '../command.ts';
import { parseLora } from '../engineFlags.ts';
import { defaultVocabulary } from '../../clinical/vocabulary.ts';
import { conclusionRequest } from '../../generation/groundedConclusion.ts';
import { caseReport } from '../../eval/runner/caseReport.ts';
import { createEvalCommand } from './eval.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/split-pairs.jsonl', import.meta.url));
const REPORTS = fileURLToPath(new URL('../../eval/runner/fixtures/reports/', import.meta.url));
const CLINICAL = fileURLToPath(new URL('../../eval/clinical/fixtures/', import.meta.url));
let work: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'radreport-eval-'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

function capture(signal = new AbortController().signal): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    cwd: work,
    env: {},
    signal,
    out: () => out,
    err: () => err,
  };
}

/** An in-memory engine: answers with the last sentence of the prompt's findings, records what it was asked. */
function fakeEngine(log: { settings?: EngineSettings; prompts: ConclusionPrompt[]; disposed: number }, onGenerate?: () => void) {
  return (settings: EngineSettings): ConclusionEngine => {
    log.settings = settings;
    let state: EngineState = { state: 'unloaded' };
    return {
      async generate(prompt): Promise<GenerationResult> {
        log.prompts.push(prompt);
        onGenerate?.();
        const findings = /Findings: (.*)$/m.exec(prompt.user)?.[1] ?? '';
        const text = ` ${findings.split('. ').at(-1)} `;
        return { text, promptTokens: 10, completionTokens: 5, reusedPromptTokens: 0, ms: 1, stopReason: 'eos' };
      },
      async load() {
        state = { state: 'ready', device: 'CPU', model: 'fake' };
      },
      get state() {
        return state;
      },
      onState: () => ({ dispose() {} }),
      async unload() {},
      async dispose() {
        log.disposed++;
      },
    };
  };
}

const noEngine = () => {
  throw new Error('no engine in this test');
};

test('fitted on train only: test, valid and the evaluated rows never reach the baseline', async () => {
  const command = createEvalCommand({ createEngine: noEngine });
  const io = capture();
  const out = join(work, 'most-frequent');
  assert.equal(await command.run(['--data', FIXTURE, '--baseline', 'most-frequent', '--out', out], io), 0, io.err());
  // "Zebra." is the most frequent impression of the whole file (5 of 9), "Normal chest." of train (2 of 4).
  const rows = (await readFile(join(out, 'predictions.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    rows.map((r) => [r.id, r.split, r.prediction]),
    [
      ['e1', 'test', 'Normal chest.'],
      ['e2', 'test', 'Normal chest.'],
      ['e3', 'test', 'Normal chest.'],
      ['e4', 'test', 'Normal chest.'],
    ],
  );
  assert.match(io.err(), /Fitted most-frequent on 4 training pairs/);

  const nnOut = join(work, 'nn');
  assert.equal(await command.run(['--data', FIXTURE, '--baseline', 'nearest-neighbour', '--out', nnOut], capture()), 0);
  const nn = (await readFile(join(nnOut, 'predictions.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  // e2 "The lungs are clear." is nearer t3 (4 terms) than t1 (5 terms); e4 shares no term with train: the first pair.
  assert.deepEqual(
    nn.map((r) => r.prediction),
    ['Right lower lobe pneumonia.', 'normal chest', 'Left upper lobe nodule.', 'Normal chest.'],
  );
});

test('predictions.jsonl carries id, exam, modality, findings, reference, prediction and the pair’s scores', async () => {
  const rows = (await readFile(join(work, 'nn', 'predictions.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(Object.keys(rows[2]), ['id', 'split', 'exam', 'modality', 'findings', 'reference', 'prediction', 'scores']);
  assert.equal(rows[2].modality, 'CT');
  assert.deepEqual(Object.keys(rows[2].scores), ['rouge1', 'rouge2', 'rougeL', 'rougeLsum', 'bleu', 'meteor']);
  assert.equal(rows[3].scores.rouge1, 0);
});

test('the same data and baseline give byte-identical metrics.json, predictions.jsonl and report.html', async () => {
  const command = createEvalCommand({ createEngine: noEngine });
  const runs = ['repro-1', 'repro-2'].map((name) => join(work, name));
  for (const out of runs) {
    const io = capture();
    assert.equal(
      await command.run(['--data', `${SHARED_DATA}iu-xray/pairs.jsonl`, '--baseline', 'nearest-neighbour', '--limit', '60', '--out', out], io),
      0,
      io.err(),
    );
  }
  for (const file of ['metrics.json', 'predictions.jsonl', 'report.html']) {
    assert.equal(await readFile(join(runs[0]!, file), 'utf8'), await readFile(join(runs[1]!, file), 'utf8'), file);
  }
  const metrics = JSON.parse(await readFile(join(runs[0]!, 'metrics.json'), 'utf8'));
  assert.deepEqual(Object.keys(metrics), ['n', 'rouge1', 'rouge2', 'rougeL', 'rougeLsum', 'bleu', 'meteor', 'clinical']);
  assert.equal(metrics.n, 60);
  for (const key of Object.keys(metrics).slice(1, -1)) assert.ok(metrics[key] > 0 && metrics[key] <= 1, `${key} ${metrics[key]}`);
  // The IU labels lie beside pairs.jsonl: the clinical measures come with the run.
  assert.equal(metrics.clinical.measure, 'iu-problems');
  assert.equal(metrics.clinical.studies, 60);
  assert.deepEqual(Object.keys(metrics.clinical.prediction), ['problemsStated', 'impressionProblemsStated', 'calledNormal']);
  assert.ok(metrics.clinical.reference.problemsStated.share > 0.2, JSON.stringify(metrics.clinical.reference));
});

test('with a model: the editor’s prompt for every case, settings from the flags, deterministic, engine disposed', async () => {
  const runs: string[] = [];
  for (const name of ['model-1', 'model-2']) {
    const log = { prompts: [] as ConclusionPrompt[], disposed: 0 } as { settings?: EngineSettings; prompts: ConclusionPrompt[]; disposed: number };
    const command = createEvalCommand({ createEngine: fakeEngine(log) });
    const out = join(work, name);
    const io = capture();
    const code = await command.run(
      [
        '--data',
        FIXTURE,
        '--model',
        'models/base.gguf',
        '--lora',
        'lora/a.gguf:0.5',
        '--lora',
        'lora/b.gguf',
        '--seed',
        '7',
        '--threads',
        '2',
        '--unguarded',
        '--out',
        out,
      ],
      io,
    );
    assert.equal(code, 0, io.err());
    assert.equal(log.settings!.modelPath, join(work, 'models/base.gguf'));
    assert.deepEqual(log.settings!.loras, [
      { path: join(work, 'lora/a.gguf'), scale: 0.5 },
      { path: join(work, 'lora/b.gguf'), scale: 1 },
    ]);
    assert.equal(log.settings!.seed, 7);
    assert.equal(log.settings!.threads, 2);
    assert.equal(log.settings!.temperature, 0);
    assert.equal(log.disposed, 1);
    const fixtureRows = (await readFile(FIXTURE, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((r) => r.split === 'test');
    assert.deepEqual(
      log.prompts,
      fixtureRows.map((row) => conclusionRequest(caseReport(iuPairCase(row)), defaultVocabulary()).prompt),
    );
    assert.match(
      log.prompts[0]!.user,
      /^Exam: XR chest\nModality: XR\nClinical information: Cough\nComparison: None\nFindings: Consolidation.*\nPlan: 1\. Consolidation in the right lower lobe\.$/s,
    );
    assert.match(io.out(), /model base\.gguf \+ a\.gguf×0\.5 \+ b\.gguf \(seed 7\), unguarded/);
    assert.match(io.err(), /Model ready on CPU/);
    assert.match(io.err(), /\d+ cases: predicted on CPU in /, 'the timing line names the device');
    runs.push(out);
  }
  assert.equal(await readFile(join(runs[0]!, 'metrics.json'), 'utf8'), await readFile(join(runs[1]!, 'metrics.json'), 'utf8'));
  const predictions = (await readFile(join(runs[0]!, 'predictions.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(predictions[3].prediction, 'Zebra.');
  assert.equal(predictions[3].scores.rouge1, 1);
  assert.equal(predictions[3].source, 'unchecked');
});

test('with a model, by default every conclusion is grounded as in the editor, and counted by source', async () => {
  const log = { prompts: [] as ConclusionPrompt[], disposed: 0 } as { settings?: EngineSettings; prompts: ConclusionPrompt[]; disposed: number };
  const out = join(work, 'grounded');
  const io = capture();
  const code = await createEvalCommand({ createEngine: fakeEngine(log) }).run(['--data', FIXTURE, '--model', 'models/base.gguf', '--out', out], io);
  assert.equal(code, 0, io.err());
  const predictions = (await readFile(join(out, 'predictions.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  // The fake model echoes the last findings sentence: "Zebra." names no finding and is replaced; the others pass.
  const zebra = predictions.find((p) => p.prediction !== 'Zebra.' && p.reference === 'Zebra.');
  assert.ok(zebra, 'the ungrounded "Zebra." is not shown');
  assert.notEqual(zebra.source, 'model');
  const metrics = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8'));
  assert.equal(
    Object.values(metrics.sources as Record<string, number>).reduce((a, b) => a + b, 0),
    predictions.length,
  );
  assert.match(io.out(), /Predictions by source: model \d+/);
});

test('report.html is self-contained: inline styles, scripts and the charting library, no external URL at all', async () => {
  const html = await readFile(join(work, 'nn', 'report.html'), 'utf8');
  assert.match(html, /^<!DOCTYPE html>/);
  assert.doesNotMatch(html, /https?:\/\/|\/\/[a-z0-9.-]+\.[a-z]{2,}\//i, 'no URL');
  assert.doesNotMatch(html, /\b(src|href|xlink:href|action)\s*=/i, 'nothing loaded or linked');
  assert.doesNotMatch(html, /<link\b|@import|url\(|<iframe|<object|<embed/i);
  // The charts: their data, uPlot inlined (never loaded), and the code that draws them.
  const chartData = JSON.parse(/<script type="application\/json" id="chart-data">([^<]*)<\/script>/.exec(html)![1]!);
  assert.deepEqual(
    chartData.metrics.map((m: { key: string }) => m.key),
    ['rouge1', 'rouge2', 'rougeL', 'rougeLsum', 'bleu', 'meteor'],
  );
  assert.equal(chartData.lengths.length, 4);
  assert.equal(chartData.histograms.rougeL.flat().length, 21 * chartData.predictors.length);
  assert.match(html, /var uPlot=function\(\)\{"use strict";/);
  assert.match(html, /\.uplot \{font-family: /);
  assert.match(html, /<div id="chart-distribution"><\/div><div id="chart-length"><\/div>/);
  assert.match(html, /<h2>By modality<\/h2>\n<table class="groups"><tr><th>Modality<\/th><th>n<\/th>/);
  assert.match(html, /<tr><th>XR<\/th><td>3<\/td>/);
  assert.match(html, /<tr><th>CT<\/th><td>1<\/td>/);
  assert.match(html, /Worst 4 by ROUGE-L/);
  assert.match(html, /Best 4 by ROUGE-L/);
  // The findings of e1 hold markup: it is shown as text, never as HTML.
  assert.match(html, /&lt;b&gt;Heart&lt;\/b&gt; normal &amp; stable\./);
  assert.doesNotMatch(html, /<b>Heart<\/b>/);
});

test('a folder of reports: a baseline needing training needs --train; lead-sentence does not', async () => {
  const command = createEvalCommand({ createEngine: noEngine });
  const io = capture();
  assert.equal(await command.run(['--data', REPORTS, '--baseline', 'nearest-neighbour', '--out', join(work, 'folder')], io), 2);
  assert.match(io.err(), /a folder of reports has no train split: give --train FILE for this baseline/);
  const withTrain = capture();
  assert.equal(
    await command.run(['--data', REPORTS, '--baseline', 'nearest-neighbour', '--train', FIXTURE, '--out', join(work, 'folder')], withTrain),
    0,
    withTrain.err(),
  );
  assert.match(withTrain.err(), /Fitted nearest-neighbour on 4 training pairs/);
  assert.match(withTrain.err(), /Skipped 1 report\(s\) without findings or conclusion: no-conclusion\.md/);
  const lead = capture();
  assert.equal(await command.run(['--data', REPORTS, '--baseline', 'lead-sentence', '--out', join(work, 'lead')], lead), 0, lead.err());
  assert.match(lead.out(), /pairs\s+2\n/);
});

test('usage and data errors: a clear message, exit 2, nothing written', async () => {
  const command = createEvalCommand({ createEngine: noEngine });
  const cases: Array<[string[], RegExp]> = [
    [['--baseline', 'most-frequent'], /--data is required/],
    [['--data', FIXTURE], /give either --model or --baseline/],
    [['--data', FIXTURE, '--model', 'm.gguf', '--baseline', 'most-frequent'], /give either --model or --baseline/],
    [['--data', FIXTURE, '--baseline', 'random'], /unknown baseline "random"; choose most-frequent, nearest-neighbour, lead-sentence/],
    [['--data', FIXTURE, '--baseline', 'most-frequent', '--lora', 'x.gguf'], /--lora, --threads and --gpu go with --model/],
    [['--data', FIXTURE, '--baseline', 'most-frequent', '--split', 'holdout'], /no cases to evaluate .* with split holdout/],
    [['--data', REPORTS, '--baseline', 'lead-sentence', '--split', 'test'], /--split test: this data has no split field/],
    [['--data', FIXTURE, '--baseline', 'most-frequent', '--limit', '0'], /--limit must be an integer ≥ 1/],
    [['--data', join(work, 'missing.jsonl'), '--baseline', 'most-frequent'], /missing\.jsonl: no such file or folder/],
    [['--data', FIXTURE, '--model', 'm.gguf', '--gpu', 'tpu'], /--gpu must be auto, cuda, vulkan, metal or cpu/],
  ];
  for (const [args, message] of cases) {
    const io = capture();
    assert.equal(await command.run([...args, '--out', join(work, 'never')], io), 2, args.join(' '));
    assert.match(io.err(), message);
  }
  const binary = join(work, 'binary.jsonl');
  await writeFile(binary, Buffer.from([0, 1, 2, 255, 254, 10, 0]));
  const io = capture();
  assert.equal(await command.run(['--data', binary, '--baseline', 'most-frequent', '--out', join(work, 'never')], io), 2);
  assert.match(io.err(), /binary\.jsonl:1: not a JSON object/);
  await assert.rejects(stat(join(work, 'never')));
});

test('cancelled mid-run (Ctrl+C): stops, disposes the engine, writes nothing', async () => {
  const controller = new AbortController();
  const log = { prompts: [] as ConclusionPrompt[], disposed: 0 };
  const command = createEvalCommand({ createEngine: fakeEngine(log, () => log.prompts.length === 2 && controller.abort()) });
  const io = capture(controller.signal);
  const out = join(work, 'cancelled');
  assert.equal(await command.run(['--data', FIXTURE, '--model', 'm.gguf', '--out', out], io), 1);
  assert.match(io.err(), /cancelled; nothing written/);
  assert.equal(log.prompts.length, 2);
  assert.equal(log.disposed, 1);
  await assert.rejects(stat(out));
});

test('IU clinical measures: labels found beside the data, in metrics.json, before the ROUGE table, in report.html', async () => {
  const command = createEvalCommand({ createEngine: noEngine });
  const io = capture();
  const out = join(work, 'iu-clinical');
  assert.equal(await command.run(['--data', `${CLINICAL}iu/pairs.jsonl`, '--baseline', 'lead-sentence', '--out', out], io), 0, io.err());
  const metrics = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8'));
  // The figures of clinical/fixtures/README.md.
  assert.deepEqual(
    {
      abnormal: metrics.clinical.abnormal,
      problems: metrics.clinical.problems,
      unlabelled: metrics.clinical.unlabelled,
      stated: metrics.clinical.prediction.problemsStated.count,
      byReference: metrics.clinical.reference.problemsStated.count,
      byFindings: metrics.clinical.findings.problemsStated.count,
      ofImpression: metrics.clinical.prediction.impressionProblemsStated,
      calledNormal: metrics.clinical.prediction.calledNormal,
      ids: metrics.clinical.calledNormalIds,
    },
    {
      abnormal: 5,
      problems: 9,
      unlabelled: 1,
      stated: 3,
      byReference: 6,
      byFindings: 9,
      ofImpression: { count: 2, of: 6, share: 2 / 6 },
      calledNormal: { count: 2, of: 4, share: 0.5 },
      ids: ['iu-3', 'iu-5'],
    },
  );
  const stdout = io.out();
  assert.match(stdout, /Clinical: IU labelled problems \(indiana_reports\.csv beside the data\)/);
  assert.match(stdout, /called normal \(target ≤ 0\.05\)\s+0\.5000 \(2\/4\)/);
  assert.ok(stdout.indexOf('Clinical:') < stdout.indexOf('ROUGE-1'), 'the clinical table comes first');
  const html = await readFile(join(out, 'report.html'), 'utf8');
  assert.ok(html.indexOf('<h2>Clinical measures</h2>') < html.indexOf('<h2>Corpus scores</h2>'));
  assert.match(html, /<h3>Studies called normal \(2\)<\/h3>/);
  assert.match(html, /iu-3 · Xray Chest PA and Lateral/);
  assert.match(html, /<tr class="fail"><th>called normal/);
  const rows = (await readFile(join(out, 'predictions.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(rows.find((r) => r.id === 'iu-5').clinical, {
    expected: ['nodule'],
    prediction: [],
    reference: ['nodule'],
    findings: ['nodule'],
    calledNormal: true,
  });
});

test('IU labels: --labels FILE, or a clear word that none were found; --labels only with IU data', async () => {
  const command = createEvalCommand({ createEngine: noEngine });
  const lone = join(work, 'lone');
  await mkdir(lone, { recursive: true });
  await copyFile(`${CLINICAL}iu/pairs.jsonl`, join(lone, 'pairs.jsonl'));
  const without = capture();
  assert.equal(
    await command.run(['--data', join(lone, 'pairs.jsonl'), '--baseline', 'lead-sentence', '--out', join(work, 'no-labels')], without),
    0,
    without.err(),
  );
  assert.match(without.out(), /Clinical: no IU labels found \(no indiana_reports\.csv beside pairs\.jsonl; give --labels FILE\): no clinical measures\./);
  assert.equal(JSON.parse(await readFile(join(work, 'no-labels', 'metrics.json'), 'utf8')).clinical, undefined);
  assert.match(await readFile(join(work, 'no-labels', 'report.html'), 'utf8'), /no IU labels found/);

  const given = capture();
  assert.equal(
    await command.run(
      ['--data', join(lone, 'pairs.jsonl'), '--labels', `${CLINICAL}iu/indiana_reports.csv`, '--baseline', 'lead-sentence', '--out', join(work, 'labels')],
      given,
    ),
    0,
    given.err(),
  );
  assert.match(given.out(), /Clinical: IU labelled problems \(indiana_reports\.csv\)/);
  assert.equal(JSON.parse(await readFile(join(work, 'labels', 'metrics.json'), 'utf8')).clinical.problems, 9);

  const wrong = capture();
  assert.equal(
    await command.run(
      ['--data', `${CLINICAL}medpix/cases.jsonl`, '--labels', `${CLINICAL}iu/indiana_reports.csv`, '--baseline', 'lead-sentence', '--out', join(work, 'never')],
      wrong,
    ),
    2,
  );
  assert.match(wrong.err(), /--labels goes with IU pairs data/);
});

test('MedPix: no ROUGE, the diagnosis measure; a baseline that learns needs --train', async () => {
  const command = createEvalCommand({ createEngine: noEngine });
  const io = capture();
  const out = join(work, 'medpix');
  assert.equal(await command.run(['--data', `${CLINICAL}medpix/cases.jsonl`, '--baseline', 'lead-sentence', '--out', out], io), 0, io.err());
  const metrics = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8'));
  assert.deepEqual(metrics, {
    n: 4,
    clinical: {
      measure: 'medpix-diagnosis',
      cases: 4,
      scorable: 3,
      prediction: { count: 1, of: 3, share: 1 / 3 },
      findings: { count: 3, of: 3, share: 1 },
      notScorable: ['mp-4'],
    },
  });
  assert.match(io.out(), /No reference conclusions in this data: no ROUGE, BLEU or METEOR\./);
  assert.match(io.out(), /diagnosis stated\s+0\.3333 \(1\/3\)\s+1\.0000 \(3\/3\)/);
  const rows = (await readFile(join(out, 'predictions.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(rows[0].diagnosis, 'Glioblastoma multiforme');
  assert.equal(rows[0].scores, undefined);
  assert.match(await readFile(join(out, 'report.html'), 'utf8'), /<h3>Conclusions that do not state the diagnosis \(2\)<\/h3>/);

  const nn = capture();
  assert.equal(await command.run(['--data', `${CLINICAL}medpix/cases.jsonl`, '--baseline', 'nearest-neighbour', '--out', join(work, 'never')], nn), 2);
  assert.match(nn.err(), /MedPix cases have no written conclusions to learn from: give --train FILE/);
  const trained = capture();
  assert.equal(
    await command.run(
      ['--data', `${CLINICAL}medpix/cases.jsonl`, '--baseline', 'nearest-neighbour', '--train', FIXTURE, '--out', join(work, 'medpix-nn')],
      trained,
    ),
    0,
    trained.err(),
  );
});

test('CT-RATE: label recall and precision beside ROUGE', async () => {
  const command = createEvalCommand({ createEngine: noEngine });
  const io = capture();
  const out = join(work, 'ct-rate');
  assert.equal(await command.run(['--data', `${CLINICAL}ct-rate/pairs.jsonl`, '--baseline', 'lead-sentence', '--out', out], io), 0, io.err());
  const metrics = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8'));
  assert.deepEqual(Object.keys(metrics), ['n', 'rouge1', 'rouge2', 'rougeL', 'rougeLsum', 'bleu', 'meteor', 'clinical']);
  assert.equal(metrics.clinical.measure, 'ct-rate-labels');
  assert.deepEqual(metrics.clinical.prediction, { tp: 2, fp: 1, fn: 3, recall: 0.4, precision: 2 / 3 });
  assert.equal(metrics.clinical.perLabel.length, 18);
  assert.match(io.out(), /label recall \(micro\)\s+0\.4000 \(2\/5\)\s+0\.8000 \(4\/5\)/);
  assert.match(await readFile(join(out, 'report.html'), 'utf8'), /<h3>Per label<\/h3>/);
});

test('--lora PATH[:SCALE]', () => {
  assert.deepEqual(parseLora('a.gguf', '/w'), { path: '/w/a.gguf', scale: 1 });
  assert.deepEqual(parseLora('/m/a.gguf:0.75', '/w'), { path: '/m/a.gguf', scale: 0.75 });
  assert.deepEqual(parseLora('dir:x/a.gguf', '/w'), { path: '/w/dir:x/a.gguf', scale: 1 });
});

test('--examples: the nearest `train` pairs go before each report in the prompt; never with a baseline', async () => {
  const log = { prompts: [] as ConclusionPrompt[], disposed: 0 } as { settings?: EngineSettings; prompts: ConclusionPrompt[]; disposed: number };
  const io = capture();
  const code = await createEvalCommand({ createEngine: fakeEngine(log) }).run(
    ['--data', FIXTURE, '--model', 'models/base.gguf', '--examples', FIXTURE, '--example-count', '1', '--out', join(work, 'examples')],
    io,
  );
  assert.equal(code, 0, io.err());
  assert.match(io.err(), /Examples: 4 findings → conclusion pairs from /);
  assert.match(io.out(), /, 1 examples from /);
  const nodule = log.prompts.find((p) => /Findings: Stable 6 mm left upper lobe nodule\./.test(p.user))!;
  assert.match(nodule.user, /^Example findings: A 6 mm nodule in the left upper lobe\.\nExample conclusion: Left upper lobe nodule\.\n\n/);
  assert.ok(log.prompts.every((p) => (p.user.match(/Example findings/g) ?? []).length === 1));
  const baseline = capture();
  assert.equal(
    await createEvalCommand({ createEngine: fakeEngine(log) }).run(['--data', FIXTURE, '--baseline', 'nearest-neighbour', '--examples', FIXTURE], baseline),
    2,
  );
  assert.match(baseline.err(), /--examples goes with a model/);
});
