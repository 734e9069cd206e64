import { emptyConclusion } from './emptyConclusion.ts';
import { missingSection } from './missingSection.ts';
import { placeholder } from './placeholder.ts';
import type { Rule } from './rule.ts';

/** Every rule, in the order their problems are listed when they share a position. */
export const ALL_RULES: readonly Rule[] = [missingSection, emptyConclusion, placeholder];

export function ruleById(id: string): Rule | undefined {
  return ALL_RULES.find((rule) => rule.id === id);
}
