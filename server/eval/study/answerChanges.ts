import type { AnswerEvent, StudyAnswer } from './studyStore.ts';

/** One answer a reader changed: a rating or preference they had given, replaced by another. */
export interface AnswerChangeRecord {
  reader: string;
  case: number;
  field: 'ratingA' | 'ratingB' | 'preference';
  from: number | string;
  to: number | string;
  /** ISO 8601 time of the new answer. */
  at: string;
}

export interface AnswerChangeSummary {
  /** Rows in the append-only history (every answer request that was saved). */
  answersGiven: number;
  /** How many given ratings or preferences were later replaced by another. */
  changed: number;
  byReader: Array<{ reader: string; changed: number }>;
  changes: AnswerChangeRecord[];
}

const FIELDS = ['ratingA', 'ratingB', 'preference'] as const;

/**
 * The audit trail of the study from its append-only history: each time a reader replaced a rating or preference they
 * had already given. Filling in a part of the answer for the first time is not a change. `readerName` gives the name
 * each reader is shown by in the results.
 */
export function answerChanges(history: readonly AnswerEvent[], readerName: (readerId: number) => string): AnswerChangeSummary {
  const last = new Map<string, StudyAnswer>();
  const changes: AnswerChangeRecord[] = [];
  const counts = new Map<number, number>();
  for (const event of [...history].sort((a, b) => a.id - b.id)) {
    const key = `${event.readerId}:${event.case}`;
    const previous = last.get(key);
    if (previous) {
      for (const field of FIELDS) {
        const from = previous[field];
        const to = event[field];
        if (from === null || to === null || from === to) continue;
        changes.push({ reader: readerName(event.readerId), case: event.case, field, from, to, at: event.at });
        counts.set(event.readerId, (counts.get(event.readerId) ?? 0) + 1);
      }
    } else if (!counts.has(event.readerId)) counts.set(event.readerId, 0);
    last.set(key, event);
  }
  return {
    answersGiven: history.length,
    changed: changes.length,
    byReader: [...counts].sort((a, b) => a[0] - b[0]).map(([id, changed]) => ({ reader: readerName(id), changed })),
    changes,
  };
}

const FIELD_NAMES: Record<AnswerChangeRecord['field'], string> = { ratingA: 'rating of A', ratingB: 'rating of B', preference: 'preference' };

/** The audit trail as text for the terminal, after the results tables. */
export function formatAnswerChanges(summary: AnswerChangeSummary): string {
  const lines = [`Changed answers: ${summary.changed} (of ${summary.answersGiven} answers saved)`];
  if (summary.changed > 0) {
    lines.push(
      `  by reader: ${summary.byReader
        .filter((r) => r.changed > 0)
        .map((r) => `${r.reader} ${r.changed}`)
        .join(', ')}`,
    );
    for (const c of summary.changes) lines.push(`  ${c.at}  ${c.reader}  case ${c.case}  ${FIELD_NAMES[c.field]} ${c.from} → ${c.to}`);
  }
  return `${lines.join('\n')}\n`;
}
