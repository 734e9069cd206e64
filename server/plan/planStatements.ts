/**
 * Plan items as the sentences of a conclusion, compressed the way radiologists write them ("New airspace opacity in the
 * left lower lobe.", "Small left pleural effusion.", "Possible 3.5 cm haematoma in the left basal ganglia."), and a list
 * of such sentences as a conclusion (numbered when there are several).
 */
import { namesSide } from './findingItem.ts';
import type { PlanItem } from './types.ts';

/** Findings that are "of" a structure rather than "in" it. */
const OF_FINDINGS = new Set(['fracture', 'dislocation', 'tear', 'stenosis', 'aneurysm', 'dissection']);

/** Structures radiologists name before the finding ("right upper lobe nodule", "bibasilar atelectasis"). */
const ADJECTIVAL_SITES = new Set([
  'upper lobe',
  'middle lobe',
  'lower lobe',
  'lingula',
  'lung base',
  'lung apex',
  'mid lung',
  'retrocardiac',
  'hilum',
  'paratracheal',
]);

const HEDGE_WORDS =
  /\b(?:possible|possibly|probable|probably|likely|suspected|suspicious|concerning|questionable|query|early|developing|subtle|may|might|cannot|favou?red|suggest\w*)\b/i;

/**
 * The item as a sentence of a conclusion: the finding's phrase as the report words it, with what the conclusion must
 * also carry and the phrase does not say (the hedge, the change, the side, the size); or, for a finding said in a
 * clause of its own ("the heart is mildly enlarged"), a phrase made from the item's attributes ("Mild cardiomegaly.").
 */
export function itemStatement(item: Omit<PlanItem, 'statement'>): string {
  if (!item.phrase) return attributeStatement(item);
  const phrase = item.phrase;
  const has = (word: string) => new RegExp(`\\b${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i').test(phrase);
  const before: string[] = [];
  if (item.certainty === 'possible' && !HEDGE_WORDS.test(phrase)) before.push(item.hedge ?? 'possible');
  if (item.change && item.change !== 'stable' && item.changeWord && !has(item.changeWord) && !has(changeAdjective(item))) before.push(changeAdjective(item));
  // The side, and a lung zone written before the finding ("left lower lobe pneumonia"), when the phrase lacks them.
  const zone = item.site && ADJECTIVAL_SITES.has(item.siteId ?? '') && !has(item.site) ? item.site : undefined;
  if ((item.side === 'left' || item.side === 'right') && !namesSide(phrase)) before.push(item.side);
  if (zone) before.push(zone);
  let text = before.length ? `${before.join(' ')} ${lowerFirst(phrase)}` : phrase;
  if (item.size && !text.includes(item.size.replace(/\s+/g, ' ').split(' ')[0]!)) text += `, measuring ${item.size}`;
  return sentence(text);
}

function lowerFirst(text: string): string {
  const first = text.split(' ')[0]!;
  return first.length > 1 && first === first.toUpperCase() ? text : text[0]!.toLowerCase() + text.slice(1);
}

/** The item's attributes as a phrase: hedge, change, degree, acuity, size, count, describing words, side and place. */
function attributeStatement(item: Omit<PlanItem, 'statement'>): string {
  const label = item.label;
  const has = (word: string) => new RegExp(`\\b${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i').test(label);
  const words: string[] = [];
  if (item.certainty === 'possible') words.push(item.hedge ?? 'possible');
  if (item.change && item.change !== 'stable' && item.changeWord && !has(item.changeWord)) words.push(changeAdjective(item));
  if (item.change === 'stable' && !item.required) words.push('stable');
  if (item.severity && !has(item.severity)) words.push(item.severity);
  if (item.acuity && !has(item.acuity) && !words.includes(item.acuity)) words.push(item.acuity);
  // An inflammation's size is the organ's ("dilated to 13 mm"), not the finding's: "13 mm appendicitis" says nothing.
  if (item.size && !INFLAMMATION_NAME.test(label)) words.push(item.size);
  if (item.count && !has(item.count) && item.count !== 'bilateral') words.push(item.count);
  for (const descriptor of item.descriptors) if (!has(descriptor) && !words.includes(descriptor)) words.push(descriptor);
  const side = item.side && !has(item.side) ? item.side : undefined;
  if (item.site && ADJECTIVAL_SITES.has(item.siteId ?? '')) {
    // "left lower lobe airspace opacity": a lung zone is written before the finding.
    if (side) words.push(side);
    words.push(item.site, label);
  } else if (item.site && !namesOrgan(label, item.site)) {
    words.push(label);
    const preposition = OF_FINDINGS.has(item.finding.id) ? 'of' : 'in';
    words.push(`${preposition} the`, side ? `${side} ${item.site}` : item.site);
  } else {
    if (side) words.push(side);
    words.push(label);
  }
  return sentence(words.join(' '));
}

const INFLAMMATION_NAME = /itis$/i;

/** The finding's name already names the organ: "appendicitis" the appendix, "pancreatitis" the pancreas. */
function namesOrgan(label: string, site: string): boolean {
  const a = label.toLowerCase().split(' ').at(-1)!;
  const b = site.toLowerCase();
  let common = 0;
  while (common < a.length && a[common] === b[common]) common++;
  return common >= 5;
}

function changeAdjective(item: Omit<PlanItem, 'statement'>): string {
  if (item.change === 'new') return 'new';
  if (item.change === 'increased') return /ing$/.test(item.changeWord ?? '') ? item.changeWord! : 'increased';
  return /ing$/.test(item.changeWord ?? '') ? item.changeWord! : 'decreased';
}

/** A phrase as a sentence: capital first letter (abbreviations kept), one full stop. */
export function sentence(text: string): string {
  const trimmed = text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.;,:\s]+$/, '');
  if (!trimmed) return '';
  return `${trimmed[0]!.toUpperCase()}${trimmed.slice(1)}.`;
}
