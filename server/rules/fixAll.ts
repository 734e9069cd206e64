import { ruleById } from './registry.ts';
import type { Problem, TextEdit } from './rule.ts';

/**
 * "Fix all": the preferred fix of every fixable problem whose rule declares that fix safe to apply unreviewed, in the
 * problems' order, skipping a fix whose edits overlap (or insert at the same place as) an edit already taken. The
 * skipped ones come back on the next lint if still wanted.
 */
export function preferredFixEdits(problems: readonly Problem[]): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const problem of problems) {
    if (!ruleById(problem.ruleId)?.fix?.fixAll) continue;
    const fix = problem.fixes?.find((f) => f.isPreferred);
    if (!fix) continue;
    const clashes = fix.edits.some((e) =>
      edits.some((t) => (e.span.start < t.span.end && t.span.start < e.span.end) || (e.span.start === t.span.start && e.span.end === t.span.end)),
    );
    if (!clashes) edits.push(...fix.edits);
  }
  return edits;
}
