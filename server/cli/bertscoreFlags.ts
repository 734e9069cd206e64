import { resolve } from 'node:path';
import type { ScoreOptions } from '../eval/runner/runEval.ts';
import { intFlag, stringFlag, UsageError, type ArgSpec, type ParsedArgs } from './command.ts';

/** The BERTScore options `score` and `eval` share, so a user can reproduce the paper's setting (roberta-large, layer 17). */
export const BERTSCORE_FLAGS: Required<Pick<ArgSpec, 'values' | 'booleans'>> = {
  values: ['bertscore-model', 'bertscore-layer', 'bertscore-baseline', 'bertscore-matching'],
  booleans: ['bertscore-idf'],
};

export const BERTSCORE_USAGE = `  --bertscore-model DIR   also score BERTScore with the ONNX model in DIR (config.json, tokenizer.json, model.onnx)
  --bertscore-layer N     hidden layer to match (default: the model's last; bert-score uses 17 for roberta-large)
  --bertscore-idf         weight tokens by idf computed from the references (bert-score's --idf)
  --bertscore-baseline F  rescale with a bert-score baseline file (LAYER,P,R,F rows)
  --bertscore-matching M  bert-score (default) or torchmetrics: whose details to follow where they differ`;

export function bertscoreOptions(parsed: ParsedArgs, cwd: string): Pick<ScoreOptions, 'bertscoreModel' | 'bertscore'> {
  const model = stringFlag(parsed, 'bertscore-model');
  const others = ['bertscore-layer', 'bertscore-baseline', 'bertscore-matching', 'bertscore-idf'].filter((f) => parsed.flags.has(f));
  if (!model) {
    if (others.length) throw new UsageError(`--${others[0]} needs --bertscore-model`);
    return {};
  }
  const matching = stringFlag(parsed, 'bertscore-matching');
  if (matching !== undefined && matching !== 'bert-score' && matching !== 'torchmetrics') {
    throw new UsageError(`--bertscore-matching must be bert-score or torchmetrics, got "${matching}"`);
  }
  const layer = intFlag(parsed, 'bertscore-layer', 0);
  const baseline = stringFlag(parsed, 'bertscore-baseline');
  return {
    bertscoreModel: resolve(cwd, model),
    bertscore: {
      ...(layer !== undefined ? { layer } : {}),
      ...(parsed.flags.has('bertscore-idf') ? { idf: true } : {}),
      ...(baseline ? { baseline: resolve(cwd, baseline) } : {}),
      ...(matching ? { matching } : {}),
    },
  };
}
