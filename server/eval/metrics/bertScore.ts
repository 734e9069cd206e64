/**
 * BERTScore (Zhang et al. 2020) as the `bert-score` package defines it and torchmetrics'
 * `bert_score` computes it: each token of the prediction is matched to its most similar token of the
 * reference by the cosine of contextual embeddings from one hidden layer (greedy matching), precision
 * is the mean of those best cosines over the prediction's tokens, recall the same over the reference's,
 * F1 their harmonic mean. Options: importance weights from inverse document frequency over the
 * references of the call (`idf`: log((M + 1) / (df + 1)), special tokens weigh 0) and rescaling with
 * a baseline ((score - b) / (1 - b), the baseline file's row for the layer).
 *
 * Two references differ in small details, and `matching` picks one (both are checked by the fixtures):
 *  - 'bert-score' (default), the `bert-score` package 0.3.13 (`bert_score.score`): the text is stripped,
 *    byte-level BPE models (RoBERTa, GPT-2, BART, Longformer) get a leading space (add_prefix_space);
 *    a token may match the other text's special tokens ([CLS]/[SEP], <s>/</s>); a best cosine is floored
 *    at 0 only where bert-score pads (the other text is shorter than the longest of its batch of
 *    `pairBatchSize` pairs, 64 as in bert-score); an empty text on either side gives P = R = F1 = 0.
 *  - 'torchmetrics', torchmetrics' `bert_score`: the text as given; special tokens take no part; a best
 *    cosine below 0 counts as 0; an empty text scores 0 (torchmetrics returns NaN for its side).
 *
 * The model is a local folder made by scripts/reference-metrics/export_bertscore_onnx.py: config.json,
 * tokenizer.json (+ tokenizer_config.json) and model.onnx with outputs `hidden_state_<layer>`. It runs on
 * onnxruntime-node's CPU provider; nothing is downloaded.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tokenizer } from '@huggingface/tokenizers';
import type { InferenceSession as OrtSession } from 'onnxruntime-node';
import { pyStrip } from './pythonText.ts';

export interface BertScore {
  precision: number;
  recall: number;
  f1: number;
}

export interface BertScoreBaseline {
  precision: number;
  recall: number;
  f1: number;
}

export interface BertScorerOptions {
  /** Folder with config.json, tokenizer.json, tokenizer_config.json and model.onnx. */
  modelDir: string;
  /** Hidden state to use: 0 is the embedding output, L the output of layer L. Default: the last layer. */
  layer?: number;
  /** Weight tokens by idf computed from the references of each `score` call. Default false. */
  idf?: boolean;
  /** Rescale with a baseline: a bert-score baseline file (CSV or TSV with LAYER,P,R,F rows) or the three numbers. */
  baseline?: string | BertScoreBaseline;
  /** Texts per forward pass. Default 16. */
  batchSize?: number;
  /** Longest token sequence (special tokens included); longer texts are truncated. Default: the model's. */
  maxLength?: number;
  /** onnxruntime intra-op threads. Default: onnxruntime's choice. */
  threads?: number;
  /** Which reference's details to follow (see above). Default 'bert-score'. */
  matching?: 'bert-score' | 'torchmetrics';
  /** bert-score's `batch_size`: pairs padded together, which decides where cosines are floored at 0. Default 64. */
  pairBatchSize?: number;
}

export interface BertScorer {
  readonly modelDir: string;
  readonly layer: number;
  readonly idf: boolean;
  readonly baseline: BertScoreBaseline | undefined;
  readonly matching: 'bert-score' | 'torchmetrics';
  /** One score per pair, in order. */
  score(predictions: readonly string[], references: readonly string[]): Promise<BertScore[]>;
  dispose(): Promise<void>;
}

export class BertScoreModelError extends Error {
  constructor(
    readonly modelDir: string,
    readonly reason: string,
  ) {
    super(`BERTScore model ${modelDir}: ${reason}`);
    this.name = 'BertScoreModelError';
  }
}

interface ModelConfig {
  model_type?: string;
  num_hidden_layers?: number;
  max_position_embeddings?: number;
}

function readJson(modelDir: string, name: string, required: boolean): Record<string, unknown> | undefined {
  const path = join(modelDir, name);
  if (!existsSync(path)) {
    if (required) throw new BertScoreModelError(modelDir, `${name} is missing (export the model with scripts/reference-metrics/export_bertscore_onnx.py)`);
    return undefined;
  }
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new BertScoreModelError(modelDir, `${name} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Parse a bert-score baseline file (header LAYER,P,R,F; comma or tab separated) and take the row of `layer`. */
export function readBaselineFile(path: string, layer: number): BertScoreBaseline {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`BERTScore baseline ${path}: ${(error as Error).message}`);
  }
  const rows = text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => line.split(/[,\t]/).map((cell) => cell.trim()));
  const header = rows[0]?.map((h) => h.toUpperCase()) ?? [];
  const at = (name: string) => header.indexOf(name);
  if (at('P') < 0 || at('R') < 0 || at('F') < 0) throw new Error(`BERTScore baseline ${path}: expected a header with P, R and F columns`);
  // bert-score and torchmetrics take the row at position `layer` (iloc), which is the row whose LAYER is `layer`
  const row = rows[1 + layer];
  if (row === undefined) throw new Error(`BERTScore baseline ${path}: no row for layer ${layer} (${rows.length - 1} rows)`);
  if (at('LAYER') >= 0 && Number(row[at('LAYER')]) !== layer) throw new Error(`BERTScore baseline ${path}: row ${layer} is for layer ${row[at('LAYER')]}`);
  const value = (name: string) => {
    const v = Number(row[at(name)]);
    if (!Number.isFinite(v) || v >= 1) throw new Error(`BERTScore baseline ${path}: ${name} of layer ${layer} is not a number below 1`);
    return v;
  };
  return { precision: value('P'), recall: value('R'), f1: value('F') };
}

interface Embedded {
  /** unit vectors of all tokens, special tokens included, row-major [length x dim] */
  vectors: Float64Array;
  ids: number[];
}

function harmonic(p: number, r: number): number {
  const f = (2 * p * r) / (p + r);
  return Number.isNaN(f) ? 0 : f;
}

/**
 * Weighted mean over the tokens of `a` (weights `wa`, 0 for tokens that take no part) of the best cosine with
 * a token of `b` in [bFrom, bTo); `floor` is the value a padded or zeroed candidate contributes (0), or -Infinity.
 */
function greedy(a: Embedded, wa: Float64Array, b: Embedded, bFrom: number, bTo: number, dim: number, floor: number): number {
  let total = 0;
  let weightSum = 0;
  for (let i = 0; i < a.ids.length; i++) {
    const w = wa[i]!;
    if (w === 0) continue;
    let best = floor;
    const ai = i * dim;
    for (let j = bFrom; j < bTo; j++) {
      const bj = j * dim;
      let dot = 0;
      for (let k = 0; k < dim; k++) dot += a.vectors[ai + k]! * b.vectors[bj + k]!;
      if (dot > best) best = dot;
    }
    total += w * best;
    weightSum += w;
  }
  return weightSum > 0 ? total / weightSum : 0;
}

const PREFIX_SPACE_MODELS = new Set(['roberta', 'gpt2', 'bart', 'longformer']);

/** Load a BERTScore model folder; `score` then runs offline. */
export async function createBertScorer(options: BertScorerOptions): Promise<BertScorer> {
  const { modelDir } = options;
  const config = readJson(modelDir, 'config.json', true) as ModelConfig;
  const tokenizerJson = readJson(modelDir, 'tokenizer.json', true)!;
  const tokenizerConfig = readJson(modelDir, 'tokenizer_config.json', false) ?? {};
  const modelPath = join(modelDir, 'model.onnx');
  if (!existsSync(modelPath))
    throw new BertScoreModelError(modelDir, 'model.onnx is missing (export the model with scripts/reference-metrics/export_bertscore_onnx.py)');
  const layers = typeof config.num_hidden_layers === 'number' ? config.num_hidden_layers : undefined;
  const layer = options.layer ?? layers;
  if (layer === undefined || !Number.isInteger(layer) || layer < 0 || (layers !== undefined && layer > layers)) {
    throw new BertScoreModelError(modelDir, `layer ${String(options.layer)} is not a hidden state of this model (0..${layers ?? '?'})`);
  }
  const baseline = typeof options.baseline === 'string' ? readBaselineFile(options.baseline, layer) : options.baseline;
  const modelMax =
    typeof tokenizerConfig.model_max_length === 'number' && tokenizerConfig.model_max_length < 1e6 ? tokenizerConfig.model_max_length : undefined;
  const maxLength = options.maxLength ?? Math.min(modelMax ?? 512, config.max_position_embeddings ?? 512);
  const batchSize = Math.max(1, options.batchSize ?? 16);

  // loaded only when BERTScore is asked for: the CLI and the server start without them
  const { Tokenizer: TokenizerClass } = await import('@huggingface/tokenizers');
  let tokenizer: Tokenizer;
  try {
    tokenizer = new TokenizerClass(tokenizerJson, tokenizerConfig);
  } catch (error) {
    throw new BertScoreModelError(modelDir, `tokenizer.json could not be read: ${(error as Error).message}`);
  }
  let ort: typeof import('onnxruntime-node');
  try {
    ort = await import('onnxruntime-node');
  } catch (error) {
    throw new BertScoreModelError(
      modelDir,
      `BERTScore needs the onnxruntime-node package, which could not be loaded here (${(error as Error).message}); install it next to radreport (npm install onnxruntime-node)`,
    );
  }
  let session: OrtSession;
  try {
    session = await ort.InferenceSession.create(modelPath, {
      executionProviders: ['cpu'],
      ...(options.threads !== undefined ? { intraOpNumThreads: options.threads } : {}),
    });
  } catch (error) {
    throw new BertScoreModelError(modelDir, `model.onnx could not be loaded: ${(error as Error).message}`);
  }
  const wanted = `hidden_state_${layer}`;
  const output = session.outputNames.includes(wanted)
    ? wanted
    : layer === layers && session.outputNames.includes('last_hidden_state')
      ? 'last_hidden_state'
      : undefined;
  if (output === undefined) {
    throw new BertScoreModelError(modelDir, `model.onnx has no output ${wanted} (it has ${session.outputNames.join(', ')}); export that layer`);
  }
  const needsTokenTypes = session.inputNames.includes('token_type_ids');

  const matching = options.matching ?? 'bert-score';
  const pairBatchSize = Math.max(1, options.pairBatchSize ?? 64);
  const prefixSpace = matching === 'bert-score' && PREFIX_SPACE_MODELS.has(String(config.model_type));
  const encode = (text: string): number[] => {
    let input = text;
    if (matching === 'bert-score') {
      input = pyStrip(text);
      if (input !== '' && prefixSpace) input = ` ${input}`;
    }
    const ids = tokenizer.encode(input, { add_special_tokens: true }).ids;
    return ids.length > maxLength ? [...ids.slice(0, maxLength - 1), ids[ids.length - 1]!] : ids;
  };

  async function embed(texts: readonly string[]): Promise<{ embedded: Embedded[]; dim: number }> {
    const encoded = texts.map(encode);
    const order = encoded.map((_, i) => i).sort((a, b) => encoded[a]!.length - encoded[b]!.length);
    const embedded = new Array<Embedded>(texts.length);
    let dim = 0;
    for (let start = 0; start < order.length; start += batchSize) {
      const batch = order.slice(start, start + batchSize);
      const width = Math.max(...batch.map((i) => encoded[i]!.length));
      const inputIds = new BigInt64Array(batch.length * width);
      const mask = new BigInt64Array(batch.length * width);
      batch.forEach((i, row) => {
        encoded[i]!.forEach((id, t) => {
          inputIds[row * width + t] = BigInt(id);
          mask[row * width + t] = 1n;
        });
      });
      const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {
        input_ids: new ort.Tensor('int64', inputIds, [batch.length, width]),
        attention_mask: new ort.Tensor('int64', mask, [batch.length, width]),
      };
      if (needsTokenTypes) feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(batch.length * width), [batch.length, width]);
      const result = await session.run(feeds, [output!]);
      const hidden = result[output!]!;
      const data = hidden.data as Float32Array;
      dim = Number(hidden.dims[2]);
      batch.forEach((i, row) => {
        const ids = encoded[i]!;
        const vectors = new Float64Array(ids.length * dim);
        for (let t = 0; t < ids.length; t++) {
          const from = (row * width + t) * dim;
          let norm = 0;
          for (let k = 0; k < dim; k++) norm += data[from + k]! * data[from + k]!;
          norm = Math.sqrt(norm);
          for (let k = 0; k < dim; k++) vectors[t * dim + k] = data[from + k]! / norm;
        }
        embedded[i] = { vectors, ids };
      });
    }
    return { embedded, dim };
  }

  /** Token weights: 1 or idf; 0 for the first and last (special) tokens, and in bert-score mode for any [CLS]/[SEP] id. */
  function weights(item: Embedded, idfOf: ((id: number) => number) | undefined, specialIds: ReadonlySet<number>): Float64Array {
    const n = item.ids.length;
    const w = new Float64Array(n);
    for (let t = 1; t < n - 1; t++) {
      const id = item.ids[t]!;
      w[t] = matching === 'bert-score' && specialIds.has(id) ? 0 : idfOf === undefined ? 1 : idfOf(id);
    }
    return w;
  }

  const rescale = (value: number, b: number) => (value - b) / (1 - b);
  let released: Promise<void> | undefined;

  return Object.freeze({
    modelDir,
    layer,
    idf: options.idf ?? false,
    baseline,
    matching,
    async score(predictions: readonly string[], references: readonly string[]): Promise<BertScore[]> {
      if (predictions.length !== references.length) {
        throw new RangeError(`BERTScore: ${predictions.length} predictions but ${references.length} references`);
      }
      if (predictions.length === 0) return [];
      const preds = await embed(predictions);
      const refs = await embed(references);
      let idfOf: ((id: number) => number) | undefined;
      if (options.idf) {
        const df = new Map<number, number>();
        for (const r of refs.embedded) for (const id of new Set(r.ids)) df.set(id, (df.get(id) ?? 0) + 1);
        const m = references.length;
        idfOf = (id) => Math.log((m + 1) / ((df.get(id) ?? 0) + 1));
      }
      const specialIds = new Set<number>();
      for (const e of [...preds.embedded, ...refs.embedded]) {
        specialIds.add(e.ids[0]!);
        specialIds.add(e.ids[e.ids.length - 1]!);
      }
      const dim = preds.dim || refs.dim;
      // bert-score pads each batch of pairs to its longest text: a shorter text offers zero cosines to the max
      const longestInBatch = (texts: Embedded[], i: number) => {
        const from = Math.floor(i / pairBatchSize) * pairBatchSize;
        let longest = 0;
        for (let k = from; k < Math.min(from + pairBatchSize, texts.length); k++) longest = Math.max(longest, texts[k]!.ids.length);
        return longest;
      };
      return preds.embedded.map((p, i) => {
        const r = refs.embedded[i]!;
        let precision: number;
        let recall: number;
        if (matching === 'torchmetrics') {
          const empty = p.ids.length <= 2 || r.ids.length <= 2;
          precision = empty ? 0 : greedy(p, weights(p, idfOf, specialIds), r, 1, r.ids.length - 1, dim, 0);
          recall = empty ? 0 : greedy(r, weights(r, idfOf, specialIds), p, 1, p.ids.length - 1, dim, 0);
        } else if (p.ids.length <= 2 || r.ids.length <= 2) {
          precision = 0;
          recall = 0;
        } else {
          const refFloor = r.ids.length < longestInBatch(refs.embedded, i) ? 0 : -Infinity;
          const predFloor = p.ids.length < longestInBatch(preds.embedded, i) ? 0 : -Infinity;
          precision = greedy(p, weights(p, idfOf, specialIds), r, 0, r.ids.length, dim, refFloor);
          recall = greedy(r, weights(r, idfOf, specialIds), p, 0, p.ids.length, dim, predFloor);
        }
        const f1 = harmonic(precision, recall);
        if (baseline === undefined) return { precision, recall, f1 };
        return { precision: rescale(precision, baseline.precision), recall: rescale(recall, baseline.recall), f1: rescale(f1, baseline.f1) };
      });
    },
    dispose() {
      released ??= session.release();
      return released;
    },
  });
}
