import { writeGguf, type GgufTensor, type GgufValue } from './ggufWriter.ts';

/**
 * The tiny llama-architecture test model and its LoRA adapter: a few hundred kilobytes of seeded random weights with a
 * real SentencePiece-style vocabulary (byte fallback, ChatML control tokens, a ChatML chat template), so that tests run
 * real llama.cpp inference through node-llama-cpp in milliseconds.
 *
 * The output layer only lets whole words and punctuation win the argmax (byte, control and partial-word tokens get a
 * zero row, the others random rows), so greedy decoding produces varied, deterministic word sequences rather than an
 * immediate end of sequence. How likely `<|im_end|>` is, is a build option (`endOfTurnGain`): by default generations
 * run to `maxTokens`; the terse variant ends most of them after a few words. The LoRA adapter perturbs the attention
 * and feed-forward projections strongly enough to change the text.
 */

export const TINY_LLAMA = {
  embedding: 64,
  heads: 4,
  kvHeads: 2,
  feedForward: 128,
  blocks: 2,
  contextLength: 4096,
  loraRank: 4,
  loraAlpha: 8,
} as const;

/** ChatML, as Qwen and many fine-tunes ship it in `tokenizer.chat_template`. */
export const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

/** Words the model may generate (a space prefix is SentencePiece's `▁`). */
const WORDS = [
  'no',
  'acute',
  'finding',
  'findings',
  'left',
  'right',
  'lung',
  'lobe',
  'upper',
  'lower',
  'nodule',
  'mass',
  'mm',
  'cm',
  'stable',
  'new',
  'small',
  'large',
  'pleural',
  'effusion',
  'consolidation',
  'pneumothorax',
  'fracture',
  'kidney',
  'liver',
  'lesion',
  'cyst',
  'simple',
  'hepatic',
  'renal',
  'bilateral',
  'mild',
  'moderate',
  'severe',
  'degenerative',
  'change',
  'changes',
  'the',
  'of',
  'and',
  'with',
  'in',
  'is',
  'are',
  'not',
  'seen',
  'likely',
  'unremarkable',
  'normal',
  'size',
  'compared',
  'prior',
  'study',
  'follow',
  'up',
  'recommended',
  'CT',
  'MRI',
  'chest',
  'abdomen',
  'pelvis',
  'heart',
  'aorta',
  'vertebral',
  'body',
  'spine',
  'appendicitis',
  'hemorrhage',
  'infarct',
  'opacity',
];
const PUNCTUATION = ['.', ','];

const SPACE = '\u2581';

export interface TinyVocabulary {
  tokens: string[];
  scores: number[];
  types: number[];
  bos: number;
  eos: number;
  imStart: number;
  imEnd: number;
  /** Tokens the output layer lets win: whole words and punctuation. */
  generatable: number[];
  period: number;
}

/** llama.cpp token types. */
const TOKEN_TYPE = { normal: 1, unknown: 2, control: 3, byte: 6 } as const;

export function tinyVocabulary(): TinyVocabulary {
  const tokens: string[] = [];
  const types: number[] = [];
  const scores: number[] = [];
  const index = new Map<string, number>();
  const add = (text: string, type: number, score = 0) => {
    const existing = index.get(text);
    if (existing !== undefined) return existing;
    index.set(text, tokens.length);
    tokens.push(text);
    types.push(type);
    scores.push(score);
    return tokens.length - 1;
  };
  add('<unk>', TOKEN_TYPE.unknown);
  const bos = add('<s>', TOKEN_TYPE.control);
  const eos = add('</s>', TOKEN_TYPE.control);
  for (let byte = 0; byte < 256; byte++) {
    add(`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`, TOKEN_TYPE.byte);
  }
  const imStart = add('<|im_start|>', TOKEN_TYPE.control);
  const imEnd = add('<|im_end|>', TOKEN_TYPE.control);
  add(SPACE, TOKEN_TYPE.normal, -1);
  for (let code = 0x21; code < 0x7f; code++) add(String.fromCharCode(code), TOKEN_TYPE.normal, -1);
  // Every prefix of a word is a token too, so SentencePiece's pairwise merges can reach the whole word; longer merges
  // score higher, as in a trained vocabulary.
  const generatable: number[] = [];
  for (const word of WORDS) {
    const piece = SPACE + word;
    for (let end = 2; end <= piece.length; end++) add(piece.slice(0, end), TOKEN_TYPE.normal, end);
    generatable.push(index.get(piece)!);
  }
  for (const mark of PUNCTUATION) generatable.push(index.get(mark)!);
  return { tokens, scores, types, bos, eos, imStart, imEnd, generatable, period: index.get('.')! };
}

/** mulberry32: a small seeded generator, identical on every platform (integer arithmetic only). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform values with mean 0 and the given standard deviation. */
function randomTensor(random: () => number, count: number, std: number): Float32Array {
  const data = new Float32Array(count);
  const half = std * Math.sqrt(3);
  for (let i = 0; i < count; i++) data[i] = (random() * 2 - 1) * half;
  return data;
}

function ones(count: number): Float32Array {
  return new Float32Array(count).fill(1);
}

export interface TinyModelOptions {
  seed?: number;
  /**
   * Weight of the `<|im_end|>` row along the full stop's embedding. 0.9 (the default): generations practically never
   * end by themselves (1,500 greedy tokens without an end of turn for every prompt tried). 4: most generations end
   * after a few words, like a terse conclusion.
   */
  endOfTurnGain?: number;
  /** Leaves out `llama.feed_forward_length` (llama.cpp aborts the process on such a file). */
  omitFeedForwardLength?: boolean;
}

export function tinyLlamaGguf(options: TinyModelOptions = {}): Buffer {
  const { embedding, heads, kvHeads, feedForward, blocks, contextLength } = TINY_LLAMA;
  const vocabulary = tinyVocabulary();
  const random = seededRandom(options.seed ?? 20240611);
  const nVocab = vocabulary.tokens.length;
  const headSize = embedding / heads;
  const kvSize = kvHeads * headSize;

  const tensors: GgufTensor[] = [];
  tensors.push({ name: 'token_embd.weight', dims: [embedding, nVocab], data: randomTensor(random, embedding * nVocab, 1) });
  for (let block = 0; block < blocks; block++) {
    const prefix = `blk.${block}`;
    const linear = (name: string, nIn: number, nOut: number, gain = 1) =>
      tensors.push({ name: `${prefix}.${name}.weight`, dims: [nIn, nOut], data: randomTensor(random, nIn * nOut, gain / Math.sqrt(nIn)) });
    tensors.push({ name: `${prefix}.attn_norm.weight`, dims: [embedding], data: ones(embedding) });
    linear('attn_q', embedding, embedding, 2);
    linear('attn_k', embedding, kvSize, 2);
    linear('attn_v', embedding, kvSize);
    linear('attn_output', embedding, embedding);
    tensors.push({ name: `${prefix}.ffn_norm.weight`, dims: [embedding], data: ones(embedding) });
    linear('ffn_gate', embedding, feedForward);
    linear('ffn_up', embedding, feedForward);
    linear('ffn_down', feedForward, embedding);
  }
  tensors.push({ name: 'output_norm.weight', dims: [embedding], data: ones(embedding) });
  tensors.push({ name: 'output.weight', dims: [embedding, nVocab], data: outputWeights(random, vocabulary, tensors[0]!.data, options.endOfTurnGain ?? 0.9) });

  const metadata: Array<[string, GgufValue]> = [
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['general.name', { type: 'string', value: 'tiny-llama (test model, random weights)' }],
    ['general.file_type', { type: 'u32', value: 0 }],
    ['llama.context_length', { type: 'u32', value: contextLength }],
    ['llama.embedding_length', { type: 'u32', value: embedding }],
    ['llama.block_count', { type: 'u32', value: blocks }],
    ...(options.omitFeedForwardLength ? [] : [['llama.feed_forward_length', { type: 'u32', value: feedForward }] as [string, GgufValue]]),
    ['llama.attention.head_count', { type: 'u32', value: heads }],
    ['llama.attention.head_count_kv', { type: 'u32', value: kvHeads }],
    ['llama.attention.layer_norm_rms_epsilon', { type: 'f32', value: 1e-5 }],
    ['llama.rope.dimension_count', { type: 'u32', value: headSize }],
    ['llama.rope.freq_base', { type: 'f32', value: 10000 }],
    ['llama.vocab_size', { type: 'u32', value: nVocab }],
    ['tokenizer.ggml.model', { type: 'string', value: 'llama' }],
    ['tokenizer.ggml.tokens', { type: 'string[]', value: vocabulary.tokens }],
    ['tokenizer.ggml.scores', { type: 'f32[]', value: vocabulary.scores }],
    ['tokenizer.ggml.token_type', { type: 'i32[]', value: vocabulary.types }],
    ['tokenizer.ggml.bos_token_id', { type: 'u32', value: vocabulary.bos }],
    ['tokenizer.ggml.eos_token_id', { type: 'u32', value: vocabulary.imEnd }],
    ['tokenizer.ggml.unknown_token_id', { type: 'u32', value: 0 }],
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: true }],
    ['tokenizer.ggml.add_eos_token', { type: 'bool', value: false }],
    ['tokenizer.ggml.add_space_prefix', { type: 'bool', value: false }],
    ['tokenizer.chat_template', { type: 'string', value: CHATML_TEMPLATE }],
  ];
  return writeGguf(metadata, tensors);
}

/**
 * The output projection: random rows for generatable tokens, zero rows for the rest (their logit stays 0 while the
 * best of the random ones is well above it), and an `<|im_end|>` row along the full stop's embedding, so that the end
 * of a turn can follow a full stop when the context makes the stop dominate the hidden state.
 */
function outputWeights(random: () => number, vocabulary: TinyVocabulary, embeddings: Float32Array, endOfTurnGain: number): Float32Array {
  const { embedding } = TINY_LLAMA;
  const nVocab = vocabulary.tokens.length;
  const data = new Float32Array(embedding * nVocab);
  const std = 3 / Math.sqrt(embedding);
  for (const token of vocabulary.generatable) {
    data.set(randomTensor(random, embedding, std), token * embedding);
  }
  const period = embeddings.subarray(vocabulary.period * embedding, (vocabulary.period + 1) * embedding);
  for (let i = 0; i < embedding; i++) data[vocabulary.imEnd * embedding + i] = (endOfTurnGain * period[i]!) / Math.sqrt(embedding);
  return data;
}

export interface TinyLoraOptions {
  seed?: number;
}

/** A LoRA adapter for the tiny model on every block's query, value and feed-forward down projections. */
export function tinyLoraGguf(options: TinyLoraOptions = {}): Buffer {
  const { embedding, heads, kvHeads, feedForward, blocks, loraRank, loraAlpha } = TINY_LLAMA;
  const random = seededRandom(options.seed ?? 777);
  const kvSize = kvHeads * (embedding / heads);
  const tensors: GgufTensor[] = [];
  const adapt = (name: string, nIn: number, nOut: number) => {
    // numpy shapes: lora_a (r, n_in), lora_b (n_out, r); ggml dims are the reverse.
    tensors.push({ name: `${name}.weight.lora_a`, dims: [nIn, loraRank], data: randomTensor(random, nIn * loraRank, 1 / Math.sqrt(nIn)) });
    tensors.push({ name: `${name}.weight.lora_b`, dims: [loraRank, nOut], data: randomTensor(random, loraRank * nOut, 1 / Math.sqrt(loraRank)) });
  };
  for (let block = 0; block < blocks; block++) {
    adapt(`blk.${block}.attn_q`, embedding, embedding);
    adapt(`blk.${block}.attn_v`, embedding, kvSize);
    adapt(`blk.${block}.ffn_down`, feedForward, embedding);
  }
  const metadata: Array<[string, GgufValue]> = [
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['general.type', { type: 'string', value: 'adapter' }],
    ['general.name', { type: 'string', value: 'tiny-llama LoRA (test adapter, random weights)' }],
    ['adapter.type', { type: 'string', value: 'lora' }],
    ['adapter.lora.alpha', { type: 'f32', value: loraAlpha }],
  ];
  return writeGguf(metadata, tensors);
}
