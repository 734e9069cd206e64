/**
 * Lists the section names and headings of the RSNA RadReport library (../shared/data/radreport-templates/mrrt) that the
 * section classifier does not recognise yet, with how many templates use each: the candidates for
 * server/report/radreportSectionNames.ts, to be reviewed by hand (a heading name list, no report text). Exam titles
 * ("MRI BRAIN WITHOUT CONTRAST") and the body-part sections that follow a findings section are listed apart: they are
 * not section synonyms.
 *
 *   node --import tsx scripts/radreport-section-names.ts [MRRT_FOLDER]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSectionClassifier, normalizeLabel } from '../server/report/sectionSynonyms.ts';
import { librarySectionRoles } from '../server/templates/librarySections.ts';
import { importMrrt } from '../server/templates/mrrtImport.ts';

const folder = process.argv[2] ?? new URL('../../shared/data/radreport-templates/mrrt/', import.meta.url).pathname;
const classifier = createSectionClassifier();
const counts = new Map<string, Map<string, number>>();
const bump = (role: string, name: string) => {
  const byName = counts.get(role) ?? new Map<string, number>();
  byName.set(name, (byName.get(name) ?? 0) + 1);
  counts.set(role, byName);
};
for (const file of readdirSync(folder).filter((name) => name.endsWith('.html'))) {
  const template = importMrrt(readFileSync(join(folder, file), 'utf8'));
  for (const { label, role } of librarySectionRoles(template, classifier)) bump(role, normalizeLabel(label));
}
for (const [role, byName] of counts) {
  if (role === 'section') continue;
  console.log(`\n${role} (${byName.size}):`);
  for (const [name, count] of [...byName].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) console.log(`  ${count}\t${name}`);
}
