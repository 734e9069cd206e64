/**
 * Plan items as the sentences of a conclusion, compressed the way radiologists write them ("New airspace opacity in the
 * left lower lobe.", "Small left pleural effusion.", "Possible 3.5 cm haematoma in the left basal ganglia."), and a list
 * of such sentences as a conclusion (numbered when there are several).
 */
import type { PlanItem } from './types.ts';

/** Findings that are "of" a structure rather than "in" it. */
const OF_FINDINGS = new Set(['fracture', 'dislocation', 'tear', 'stenosis', 'aneurysm', 'dissection']);

/** Structures radiologists name before the finding ("right upper lobe nodule", "bibasilar atelectasis"). */
const ADJECTIVAL_SITES = new Set(['upper lobe', 'middle lobe', 'lower lobe', 'lingula', 'lung base', 'lung apex', 'mid lung', 'retrocardiac', 'hilum', 'paratracheal']);

export function itemStatement(item: Omit<PlanItem, 'statement'>): string {
  const label = item.label;
  const has = (word: string) => new RegExp(`\\b${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i').test(label);
  const words: string[] = [];
  if (item.certainty === 'possible') words.push(item.hedge ?? 'possible');
  if (item.change && item.change !== 'stable' && item.changeWord && !has(item.changeWord)) words.push(changeAdjective(item));
  if (item.change === 'stable' && !item.required) words.push('stable');
  if (item.severity && !has(item.severity)) words.push(item.severity);
  if (item.acuity && !has(item.acuity) && !words.includes(item.acuity)) words.push(item.acuity);
  if (item.size) words.push(item.size);
  if (item.count && !has(item.count) && item.count !== 'bilateral') words.push(item.count);
  for (const descriptor of item.descriptors) if (!has(descriptor) && !words.includes(descriptor)) words.push(descriptor);
  const side = item.side && !has(item.side) ? item.side : undefined;
  if (item.site && ADJECTIVAL_SITES.has(item.siteId ?? '')) {
    // "left lower lobe airspace opacity": a lung zone is written before the finding.
    if (side) words.push(side);
    words.push(item.site, label);
  } else if (item.site) {
    words.push(label);
    const preposition = OF_FINDINGS.has(item.finding.id) ? 'of' : 'in';
    words.push(`${preposition} the`, side ? `${side} ${item.site}` : item.site);
  } else {
    if (side) words.push(side);
    words.push(label);
  }
  return sentence(words.join(' '));
}

function changeAdjective(item: Omit<PlanItem, 'statement'>): string {
  if (item.change === 'new') return 'new';
  if (item.change === 'increased') return /ing$/.test(item.changeWord ?? '') ? item.changeWord! : 'increased';
  return /ing$/.test(item.changeWord ?? '') ? item.changeWord! : 'decreased';
}

/** A phrase as a sentence: capital first letter (abbreviations kept), one full stop. */
export function sentence(text: string): string {
  const trimmed = text.replace(/\s+/g, ' ').trim().replace(/[.;,:\s]+$/, '');
  if (!trimmed) return '';
  return `${trimmed[0]!.toUpperCase()}${trimmed.slice(1)}.`;
}
