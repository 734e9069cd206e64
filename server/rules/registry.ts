import { contradiction } from './contradiction.ts';
import { criticalCommunication } from './criticalCommunication.ts';
import { duplicateSentence } from './duplicateSentence.ts';
import { emptyConclusion } from './emptyConclusion.ts';
import { followUpRecommendation } from './followUpRecommendation.ts';
import { lateralityMismatch } from './lateralityMismatch.ts';
import { measurementMismatch } from './measurementMismatch.ts';
import { missingSection } from './missingSection.ts';
import { omittedFinding } from './omittedFinding.ts';
import { placeholder } from './placeholder.ts';
import type { Rule } from './rule.ts';
import { sexMismatch } from './sexMismatch.ts';
import { templateDuplicateField } from './templateDuplicateField.ts';
import { templateFieldSyntax } from './templateFieldSyntax.ts';
import { templateSectionOrder } from './templateSectionOrder.ts';
import { unsupportedConclusion } from './unsupportedConclusion.ts';

/** Every rule, in the order their problems are listed when they share a position. */
export const ALL_RULES: readonly Rule[] = [
  missingSection,
  emptyConclusion,
  placeholder,
  lateralityMismatch,
  contradiction,
  unsupportedConclusion,
  omittedFinding,
  measurementMismatch,
  criticalCommunication,
  followUpRecommendation,
  sexMismatch,
  duplicateSentence,
  templateSectionOrder,
  templateDuplicateField,
  templateFieldSyntax,
];

export function ruleById(id: string): Rule | undefined {
  return ALL_RULES.find((rule) => rule.id === id);
}
