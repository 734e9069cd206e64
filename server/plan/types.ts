/**
 * The content plan of a conclusion: what the conclusion of a report must say, decided from its findings before any
 * model writes a word, so that what a model writes can be checked against it. Pure data.
 */
import type { FindingTerm } from '../clinical/vocabulary.ts';
import type { Modality, Side, Span } from '../report/types.ts';

/** Why an item is in the plan, most urgent first: the order a conclusion states them in. */
export type PlanRank = 'critical' | 'acute' | 'significant' | 'follow-up' | 'other';
export const PLAN_RANKS: readonly PlanRank[] = ['critical', 'acute', 'significant', 'follow-up', 'other'];

export type FindingChange = 'new' | 'increased' | 'decreased' | 'stable';
export type FindingCertainty = 'definite' | 'possible';

/** One finding the conclusion must (or, for rank `other`, may) carry. */
export interface PlanItem {
  finding: FindingTerm;
  /** The vocabulary group, which a conclusion may name with any of its terms (an opacity as a pneumonia). */
  group: string;
  rank: PlanRank;
  /** The conclusion must state it. Items of rank `other` are only allowed, unless the clinical question asks about them. */
  required: boolean;
  /**
   * Not required, but in the plan's statements: a significant finding that is only stable, chronic or benign ("stable
   * cardiomegaly"), or a finding radiologists usually name ("hyperinflated lungs"). A conclusion may leave it out.
   */
  suggested?: boolean;
  /** The finding as the report words it ("airspace opacity"), or the vocabulary's name for a long phrasing. */
  label: string;
  side?: Side;
  /** The structure as written, without its side ("lower lobe"), when it adds to the finding's own organ. */
  site?: string;
  /** The vocabulary id of that structure, to compare with what a conclusion names. */
  siteId?: string;
  /** The size as written ("3.5 cm"), and in millimetres. */
  size?: string;
  sizeMm?: number[];
  /** "two", "multiple", "several", as written. */
  count?: string;
  change?: FindingChange;
  /** The change word as written ("new", "increased", "enlarging"). */
  changeWord?: string;
  /** "small", "moderate", "large", "mild", "complete", ... as an adjective. */
  severity?: string;
  /** "acute", "subacute", "chronic", as written. */
  acuity?: string;
  certainty: FindingCertainty;
  /** The hedge as a conclusion would write it ("possible", "probable"), for `possible` items. */
  hedge?: string;
  /** Describing words of the finding kept as written ("solid", "displaced", "horizontal oblique"). */
  descriptors: string[];
  /** Findings described as chronic, stable, old, healed, benign or slight (why an item is only `other`). */
  qualifiers: string[];
  /** The sentence of the findings the item comes from. */
  source: { text: string; span: Span };
  /** The finding's noun phrase as the report words it ("acute subdural haematoma over the right cerebral convexity"). */
  phrase?: string;
  /** Where that phrase lies in the report text. */
  phraseSpan?: Span;
  /** The place part of that phrase ("over the right cerebral convexity"), when it has one. */
  place?: string;
  /** Other findings of the report this item stands for ("collection … consistent with a haematoma"), which state it too. */
  also?: FindingTerm[];
  /** The item answers the clinical question. */
  answersQuestion?: boolean;
  /** The item as one sentence of a conclusion: "New airspace opacity in the left lower lobe." */
  statement: string;
}

export interface ExamKind {
  modality?: Modality;
  /** The body region examined: chest, head, abdomen, pelvis, spine, knee, shoulder, ... */
  region?: string;
  /** For the spine: cervical, thoracic or lumbar. */
  part?: string;
  side?: Side;
  /** An angiographic exam (CTA, CTPA, MRA). */
  angiographic: boolean;
}

export type QuestionAnswer = 'present' | 'absent' | 'not answered';

/** The clinical question the referrer asked, as far as the clinical information tells it, and the findings' answer. */
export interface ClinicalQuestion {
  /** The words of the clinical information that ask it ("right iliac fossa pain"). */
  asked: string;
  /** What is being asked about, in a conclusion's words ("appendicitis"). */
  concern: string;
  answer: QuestionAnswer;
  /** Vocabulary finding ids (and groups) that answer it. */
  findingIds: string[];
  /** For `absent`: the sentence that answers it ("No evidence of appendicitis."). */
  statement?: string;
  /** For `absent`: the findings sentence that says so. */
  source?: { text: string; span: Span };
}

export interface ConclusionPlan {
  exam: ExamKind;
  /** Findings the conclusion must carry, ranked; then the allowed ones (rank `other`). */
  items: PlanItem[];
  /** The exam's normal statement, when no item is required ("No acute intracranial abnormality."). */
  normal?: string;
  questions: ClinicalQuestion[];
  /** The plan as the sentences of a conclusion, in order: what the composed conclusion says. */
  statements: string[];
}

export function requiredItems(plan: ConclusionPlan): PlanItem[] {
  return plan.items.filter((item) => item.required);
}
