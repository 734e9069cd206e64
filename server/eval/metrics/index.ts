/** The evaluation metrics, each faithful to a named reference implementation (see docs/metrics.md). */
export { rouge, rougeTokens, type RougeOptions, type RougeScore, type RougeScores } from './rouge.ts';
export { corpusBleu, sentenceBleu, tokenize13a, bleuTokens, type BleuScore } from './bleu.ts';
export { meteor, meteorOfTokens, type MeteorOptions } from './meteor.ts';
export { meteorTokens, meteorSentences, treebankWords } from './meteorTokens.ts';
export { porterStem } from './porterStemmer.ts';
export { loadWordNet, WordNetFileError, DEFAULT_WORDNET_FILE, type WordNetSynonyms } from './wordnet.ts';
export {
  createBertScorer,
  readBaselineFile,
  BertScoreModelError,
  type BertScore,
  type BertScoreBaseline,
  type BertScorer,
  type BertScorerOptions,
} from './bertScore.ts';
export { scorePairs, type CorpusScores, type PairScore, type ScorePairsOptions, type ScoringPair } from './scorePairs.ts';
