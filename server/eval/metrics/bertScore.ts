/**
 * BERTScore (Zhang et al. 2020) as the `bert-score` package defines it and torchmetrics'
 * `bert_score` computes it: each token of the prediction is matched to its most similar token of the
 * reference by the cosine of contextual embeddings from one hidden layer (greedy matching), precision
 * is the mean of those best cosines over the prediction's tokens, recall the same over the reference's,
 * F1 their harmonic mean. Options: importance weights from inverse document frequency over the
 * references of the call (`idf`: log((M + 1) / (df + 1)), special tokens weigh 0) and rescaling with
 * a baseline ((score - b) / (1 - b), the baseline file's row for the layer).
 *
 * Matching follows torchmetrics (the reference the fixtures check): the special tokens ([CLS]/[SEP],
 * <s>/</s>) take no part, and a best cosine below 0 counts as 0. An empty text scores 0 (bert-score's
 * choice; torchmetrics returns NaN there).
 *
 * The model is a local folder made by scripts/reference-metrics/export_bertscore_onnx.py: config.json,
 * tokenizer.json (+ tokenizer_config.json) and model.onnx with outputs `hidden_state_<layer>`. It runs on
 * onnxruntime-node's CPU provider; nothing is downloaded.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import type { InferenceSession as OrtSession } from 'onnxruntime-node';

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
}

export interface BertScorer {
  readonly modelDir: string;
  readonly layer: number;
  readonly idf: boolean;
  readonly baseline: BertScoreBaseline | undefined;
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
  /** unit vectors of the tokens that take part (special tokens removed), row-major [count x dim] */
  vectors: Float64Array;
  count: number;
  /** the ids of those tokens */
  ids: number[];
  /** all ids of the sequence, special tokens included (idf counts over them, as torchmetrics does) */
  allIds: number[];
}

function harmonic(p: number, r: number): number {
  const f = (2 * p * r) / (p + r);
  return Number.isNaN(f) ? 0 : f;
}

function greedy(a: Embedded, b: Embedded, dim: number, weightsA: Float64Array): number {
  if (a.count === 0 || b.count === 0) return 0;
  let total = 0;
  let weightSum = 0;
  for (let i = 0; i < a.count; i++) {
    let best = 0; // torchmetrics: zeroed special-token and padding vectors are candidates with cosine 0
    const ai = i * dim;
    for (let j = 0; j < b.count; j++) {
      const bj = j * dim;
      let dot = 0;
      for (let k = 0; k < dim; k++) dot += a.vectors[ai + k]! * b.vectors[bj + k]!;
      if (dot > best) best = dot;
    }
    total += weightsA[i]! * best;
    weightSum += weightsA[i]!;
  }
  return weightSum > 0 ? total / weightSum : 0;
}

/** Load a BERTScore model folder; `score` then runs offline. */
export async function createBertScorer(options: BertScorerOptions): Promise<BertScorer> {
  const { modelDir } = options;
  const config = readJson(modelDir, 'config.json', true) as ModelConfig;
  const tokenizerJson = readJson(modelDir, 'tokenizer.json', true)!;
  const tokenizerConfig = readJson(modelDir, 'tokenizer_config.json', false) ?? {};
  const modelPath = join(modelDir, 'model.onnx');
  if (!existsSync(modelPath)) throw new BertScoreModelError(modelDir, 'model.onnx is missing (export the model with scripts/reference-metrics/export_bertscore_onnx.py)');
  const layers = typeof config.num_hidden_layers === 'number' ? config.num_hidden_layers : undefined;
  const layer = options.layer ?? layers;
  if (layer === undefined || !Number.isInteger(layer) || layer < 0 || (layers !== undefined && layer > layers)) {
    throw new BertScoreModelError(modelDir, `layer ${String(options.layer)} is not a hidden state of this model (0..${layers ?? '?'})`);
  }
  const baseline = typeof options.baseline === 'string' ? readBaselineFile(options.baseline, layer) : options.baseline;
  const modelMax = typeof tokenizerConfig.model_max_length === 'number' && tokenizerConfig.model_max_length < 1e6 ? tokenizerConfig.model_max_length : undefined;
  const maxLength = options.maxLength ?? Math.min(modelMax ?? 512, config.max_position_embeddings ?? 512);
  const batchSize = Math.max(1, options.batchSize ?? 16);

  let tokenizer: Tokenizer;
  try {
    tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
  } catch (error) {
    throw new BertScoreModelError(modelDir, `tokenizer.json could not be read: ${(error as Error).message}`);
  }
  const ort = await import('onnxruntime-node');
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

  const encode = (text: string): number[] => {
    const ids = tokenizer.encode(text, { add_special_tokens: true }).ids;
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
        // torchmetrics: the first token and the last real token (the special tokens) take no part
        const count = Math.max(0, ids.length - 2);
        const vectors = new Float64Array(count * dim);
        for (let t = 0; t < count; t++) {
          const from = (row * width + t + 1) * dim;
          let norm = 0;
          for (let k = 0; k < dim; k++) norm += data[from + k]! * data[from + k]!;
          norm = Math.sqrt(norm);
          for (let k = 0; k < dim; k++) vectors[t * dim + k] = data[from + k]! / norm;
        }
        embedded[i] = { vectors, count, ids: ids.slice(1, 1 + count), allIds: ids };
      });
    }
    return { embedded, dim };
  }

  function weights(item: Embedded, idfOf: ((id: number) => number) | undefined): Float64Array {
    const w = new Float64Array(item.count);
    for (let t = 0; t < item.count; t++) w[t] = idfOf === undefined ? 1 : idfOf(item.ids[t]!);
    return w;
  }

  const rescale = (value: number, b: number) => (value - b) / (1 - b);
  let released: Promise<void> | undefined;

  return Object.freeze({
    modelDir,
    layer,
    idf: options.idf ?? false,
    baseline,
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
        for (const r of refs.embedded) for (const id of new Set(r.allIds)) df.set(id, (df.get(id) ?? 0) + 1);
        const m = references.length;
        idfOf = (id) => Math.log((m + 1) / ((df.get(id) ?? 0) + 1));
      }
      return preds.embedded.map((p, i) => {
        const r = refs.embedded[i]!;
        const precision = greedy(p, r, preds.dim, weights(p, idfOf));
        const recall = greedy(r, p, preds.dim, weights(r, idfOf));
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
