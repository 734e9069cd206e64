import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { rouge, sentenceBleu } from '../../eval/metrics/index.ts';
import type { CliIo } from '../command.ts';
import { scoreCommand } from './score.ts';

const PAIRS = fileURLToPath(new URL('./fixtures/score-pairs.jsonl', import.meta.url));
const TINY_BERT = fileURLToPath(new URL('../../eval/fixtures/tiny-bert/', import.meta.url));
let work: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'radreport-score-'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

function capture(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    cwd: work,
    env: {},
    signal: new AbortController().signal,
    out: () => out,
    err: () => err,
  };
}

test('prints one JSON object of corpus scores in 0–1 and writes each pair’s scores', async () => {
  const io = capture();
  const perPair = join(work, 'per-pair.jsonl');
  assert.equal(await scoreCommand.run(['--data', PAIRS, '--per-pair', perPair], io), 0, io.err());
  const scores = JSON.parse(io.out());
  assert.deepEqual(Object.keys(scores), ['n', 'rouge1', 'rouge2', 'rougeL', 'rougeLsum', 'bleu', 'meteor']);
  assert.equal(scores.n, 4);
  const expectedRouge1 =
    (1 +
      rouge('Right lower lobe pneumonia.', 'Right basilar consolidation, likely pneumonia.').rouge1.fmeasure +
      rouge('Small left effusion.', 'Cardiomegaly with a small left pleural effusion.').rouge1.fmeasure +
      2 / 3) /
    4;
  assert.equal(scores.rouge1, expectedRouge1);
  for (const key of ['rouge2', 'rougeL', 'rougeLsum', 'bleu', 'meteor']) assert.ok(scores[key] > 0 && scores[key] < 1, key);

  const rows = (await readFile(perPair, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    rows.map((r) => r.id ?? `#${r.index}`),
    ['a', '7', '#2', 'b'],
  );
  assert.equal(rows[0].rouge1, 1);
  assert.equal(rows[1].bleu, sentenceBleu('Right lower lobe pneumonia.', 'Right basilar consolidation, likely pneumonia.').score / 100);
  assert.deepEqual(Object.keys(rows[1]), ['id', 'rouge1', 'rouge2', 'rougeL', 'rougeLsum', 'bleu', 'meteor']);
});

test('--bertscore-model adds the mean BERTScore F1; --stem changes ROUGE only', async () => {
  const io = capture();
  assert.equal(await scoreCommand.run(['--data', PAIRS, '--bertscore-model', TINY_BERT], io), 0, io.err());
  const scores = JSON.parse(io.out());
  assert.ok(scores.bertscore > 0 && scores.bertscore <= 1 + 1e-9, String(scores.bertscore));
  const plain = capture();
  await scoreCommand.run(['--data', PAIRS], plain);
  const stemmed = capture();
  await scoreCommand.run(['--data', PAIRS, '--stem'], stemmed);
  const a = JSON.parse(plain.out());
  const b = JSON.parse(stemmed.out());
  assert.ok(b.rouge1 > a.rouge1, 'stemmed, effusions matches effusion');
  assert.equal(b.bleu, a.bleu);
  assert.equal(b.meteor, a.meteor);
});

test('bad input: a clear message with the line, exit 2', async () => {
  const cases: Array<[string, RegExp]> = [
    ['{"prediction": "a", "reference": "b"}\n{"prediction": "a"}\n', /:2: `reference` must be a string/],
    ['{"prediction": 1, "reference": "b"}\n', /:1: `prediction` must be a string/],
    ['not json\n', /:1: not a JSON object/],
    ['\n\n', /no pairs to score/],
  ];
  for (const [text, message] of cases) {
    const file = join(work, 'bad.jsonl');
    await writeFile(file, text);
    const io = capture();
    assert.equal(await scoreCommand.run(['--data', file], io), 2);
    assert.match(io.err(), message);
  }
  const missing = capture();
  assert.equal(await scoreCommand.run(['--data', join(work, 'nope.jsonl')], missing), 2);
  assert.match(missing.err(), /nope\.jsonl: cannot read the file/);
  const noModel = capture();
  assert.equal(await scoreCommand.run(['--data', PAIRS, '--bertscore-model', join(work, 'no-model')], noModel), 2);
  assert.match(noModel.err(), /BERTScore model .*no-model: config\.json is missing/);
  const usage = capture();
  assert.equal(await scoreCommand.run(['--data'], usage), 2);
  assert.match(usage.err(), /--data needs a value/);
});
