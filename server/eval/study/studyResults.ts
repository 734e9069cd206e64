import { fleissKappa, krippendorffAlpha, meanWithCi, wilsonInterval, type MeanEstimate } from './statistics.ts';
import type { ConclusionSource, StudyFile } from './studyFile.ts';
import { isComplete, type StudyAnswer } from './studyStore.ts';

export type PreferenceChoice = ConclusionSource | 'equivalent';

export interface PreferenceSummary {
  /** Cases with a preference given. */
  n: number;
  generated: number;
  original: number;
  equivalent: number;
  /** Shares of `n`; null when n is 0. */
  generatedShare: number | null;
  originalShare: number | null;
  equivalentShare: number | null;
  /** Wilson 95% interval of the generated share. */
  generatedShareCi95: [number, number] | null;
}

export interface RatingSummary {
  generated: MeanEstimate;
  original: MeanEstimate;
  /** Generated minus original, over the cases where both were rated (paired). */
  difference: MeanEstimate;
}

export interface ReaderResults {
  reader: string;
  /** Cases with at least one answer. */
  casesAnswered: number;
  /** Cases with both ratings and a preference. */
  casesComplete: number;
  preference: PreferenceSummary;
  ratings: RatingSummary;
}

export interface StudyResults {
  cases: number;
  readers: ReaderResults[];
  overall: { readers: number; casesComplete: number; preference: PreferenceSummary; ratings: RatingSummary };
  agreement: {
    preference: {
      /** Fleiss' kappa over the cases every reader gave a preference for (needs two readers or more). */
      fleissKappa: number | null;
      fleissCases: number;
      /** Krippendorff's alpha (nominal) over every case with two preferences or more. */
      krippendorffAlpha: number | null;
      /** Share of agreeing reader pairs over all pairs of preferences given for the same case. */
      pairwiseAgreement: number | null;
    };
    ratings: {
      /** Krippendorff's alpha (interval) over every conclusion rated by two readers or more. */
      krippendorffAlpha: number | null;
      units: number;
    };
  };
}

export interface ReaderAnswers {
  reader: string;
  answers: readonly StudyAnswer[];
}

/**
 * The study's figures from the answers and the answer key. Every statistic uses every answer given for it (a case
 * rated but not yet compared counts for the ratings). Overall figures pool all readers' answers.
 */
export function studyResults(study: StudyFile, readers: readonly ReaderAnswers[]): StudyResults {
  const keyOf = new Map(study.key.map((k) => [k.number, k]));
  const decode = (answer: StudyAnswer) => {
    const key = keyOf.get(answer.case);
    if (!key) return undefined;
    const rating = (source: ConclusionSource) => (key.A === source ? answer.ratingA : answer.ratingB);
    const preference: PreferenceChoice | null = answer.preference === null ? null : answer.preference === 'equivalent' ? 'equivalent' : key[answer.preference];
    return { case: answer.case, generated: rating('generated'), original: rating('original'), preference };
  };
  type Decoded = NonNullable<ReturnType<typeof decode>>;
  const decodedByReader = readers.map((r) => ({
    reader: r.reader,
    answers: r.answers.map(decode).filter((a): a is Decoded => a !== undefined),
    complete: r.answers.filter((a) => keyOf.has(a.case) && isComplete(a)).length,
  }));

  const summarise = (answers: readonly Decoded[]) => ({ preference: preferenceSummary(answers.map((a) => a.preference)), ratings: ratingSummary(answers) });
  const perReader: ReaderResults[] = decodedByReader.map((r) => ({
    reader: r.reader,
    casesAnswered: r.answers.length,
    casesComplete: r.complete,
    ...summarise(r.answers),
  }));
  const pooled = decodedByReader.flatMap((r) => r.answers);

  // Agreement: by case, what each reader said.
  const preferencesByCase = new Map<number, PreferenceChoice[]>();
  const ratingsByUnit = new Map<string, number[]>();
  for (const r of decodedByReader) {
    for (const a of r.answers) {
      if (a.preference !== null) push(preferencesByCase, a.case, a.preference);
      if (a.generated !== null) push(ratingsByUnit, `${a.case}:generated`, a.generated);
      if (a.original !== null) push(ratingsByUnit, `${a.case}:original`, a.original);
    }
  }
  const categories: PreferenceChoice[] = ['generated', 'original', 'equivalent'];
  const readerCount = decodedByReader.length;
  const fullyAnswered = readerCount >= 2 ? [...preferencesByCase.values()].filter((list) => list.length === readerCount) : [];
  const fleiss = fullyAnswered.length > 0 ? fleissKappa(fullyAnswered.map((list) => categories.map((c) => list.filter((v) => v === c).length))) : null;
  let agreeingPairs = 0;
  let pairs = 0;
  for (const list of preferencesByCase.values()) {
    for (let i = 0; i < list.length; i++)
      for (let j = i + 1; j < list.length; j++) {
        pairs++;
        if (list[i] === list[j]) agreeingPairs++;
      }
  }
  const ratingUnits = [...ratingsByUnit.values()].filter((values) => values.length >= 2);

  return {
    cases: study.cases.length,
    readers: perReader,
    overall: { readers: readerCount, casesComplete: decodedByReader.reduce((s, r) => s + r.complete, 0), ...summarise(pooled) },
    agreement: {
      preference: {
        fleissKappa: fleiss,
        fleissCases: fullyAnswered.length,
        krippendorffAlpha: krippendorffAlpha([...preferencesByCase.values()], 'nominal'),
        pairwiseAgreement: pairs === 0 ? null : agreeingPairs / pairs,
      },
      ratings: { krippendorffAlpha: krippendorffAlpha(ratingUnits, 'interval'), units: ratingUnits.length },
    },
  };
}

function preferenceSummary(choices: ReadonlyArray<PreferenceChoice | null>): PreferenceSummary {
  const given = choices.filter((c): c is PreferenceChoice => c !== null);
  const count = (c: PreferenceChoice) => given.filter((g) => g === c).length;
  const n = given.length;
  const share = (k: number) => (n === 0 ? null : k / n);
  const generated = count('generated');
  const original = count('original');
  const equivalent = count('equivalent');
  return {
    n,
    generated,
    original,
    equivalent,
    generatedShare: share(generated),
    originalShare: share(original),
    equivalentShare: share(equivalent),
    generatedShareCi95: wilsonInterval(generated, n),
  };
}

function ratingSummary(answers: ReadonlyArray<{ generated: number | null; original: number | null }>): RatingSummary {
  const generated = answers.map((a) => a.generated).filter((v): v is number => v !== null);
  const original = answers.map((a) => a.original).filter((v): v is number => v !== null);
  const differences = answers.filter((a) => a.generated !== null && a.original !== null).map((a) => a.generated! - a.original!);
  return { generated: meanWithCi(generated), original: meanWithCi(original), difference: meanWithCi(differences) };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The results as text tables for the terminal. */
export function formatStudyResults(results: StudyResults): string {
  const f = (v: number | null, digits = 3) => (v === null ? '–' : v.toFixed(digits));
  const ci = (c: [number, number] | null, digits = 2) => (c ? `${c[0].toFixed(digits)}–${c[1].toFixed(digits)}` : '–');
  const rows: string[][] = [];
  const line = (name: string, p: PreferenceSummary, r: RatingSummary, complete: number) =>
    rows.push([
      name,
      String(complete),
      `${p.generated}/${p.n}`,
      `${f(p.generatedShare)} (${ci(p.generatedShareCi95)})`,
      f(p.originalShare),
      f(p.equivalentShare),
      `${f(r.generated.mean, 2)} (${ci(r.generated.ci95)})`,
      `${f(r.original.mean, 2)} (${ci(r.original.ci95)})`,
      `${f(r.difference.mean, 2)} (${ci(r.difference.ci95)})`,
    ]);
  for (const r of results.readers) line(r.reader, r.preference, r.ratings, r.casesComplete);
  line('all readers', results.overall.preference, results.overall.ratings, results.overall.casesComplete);
  const header = [
    'reader',
    'complete',
    'gen. preferred',
    'share gen. (95% CI)',
    'share orig.',
    'share equiv.',
    'rating gen. (95% CI)',
    'rating orig. (95% CI)',
    'gen. − orig. (95% CI)',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const render = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const { preference, ratings } = results.agreement;
  return [
    `Reader study: ${results.cases} cases, ${results.overall.readers} reader(s)`,
    '',
    render(header),
    ...rows.map(render),
    '',
    'Inter-reader agreement',
    `  preference: Fleiss' kappa ${f(preference.fleissKappa)} (${preference.fleissCases} cases answered by every reader), Krippendorff's alpha (nominal) ${f(preference.krippendorffAlpha)}, pairwise agreement ${f(preference.pairwiseAgreement)}`,
    `  ratings: Krippendorff's alpha (interval) ${f(ratings.krippendorffAlpha)} over ${ratings.units} conclusions rated by two readers or more`,
    '',
  ].join('\n');
}
