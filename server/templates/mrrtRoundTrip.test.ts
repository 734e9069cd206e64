import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { SHARED_DATA, readJsonl } from '../../test/support/sharedData.ts';
import { importMrrt } from './mrrtImport.ts';
import { exportMrrt } from './mrrtExport.ts';
import { foldSpace, type ReportTemplate } from './reportTemplate.ts';
import { templateFromMarkdown, templateToMarkdown } from './templateMarkdown.ts';

const MRRT = `${SHARED_DATA}radreport-templates/mrrt/`;

interface LibraryRow {
  id: string;
  sections: Array<{ name: string; text: string }>;
}

/** What a round trip must keep: sections (name, heading, level) and their fields and fixed wording, in order. */
function shape(template: ReportTemplate): unknown {
  return template.sections.map((section) => ({
    name: section.name,
    heading: section.heading,
    level: section.level,
    codes: section.codes ?? [],
    items: section.items.map((item) =>
      item.kind === 'text'
        ? { text: foldSpace(item.text) }
        : {
            id: item.id,
            label: item.label,
            type: item.type,
            default: foldSpace(item.default),
            options: item.options ?? [],
            optionValues: item.optionValues ?? [],
            multiple: item.multiple ?? false,
            units: item.units ?? '',
            codes: item.codes ?? [],
          },
    ),
  }));
}

test('every RadReport template survives MRRT → markdown → MRRT → import with the same sections, fields and defaults', () => {
  const files = readdirSync(MRRT).filter((name) => name.endsWith('.html'));
  assert.equal(files.length, 263);
  let fields = 0;
  for (const file of files) {
    const first = importMrrt(readFileSync(MRRT + file, 'utf8'));
    const markdown = templateToMarkdown(first);
    const parsed = templateFromMarkdown(markdown);
    assert.deepEqual(parsed.problems, [], file);
    assert.deepEqual(shape(parsed.template), shape(first), `${file}: markdown`);
    assert.deepEqual(parsed.template.meta, first.meta, `${file}: metadata through the markdown`);
    const again = importMrrt(exportMrrt(parsed.template));
    assert.deepEqual(shape(again), shape(first), `${file}: exported MRRT`);
    assert.deepEqual(again.meta.terms, first.meta.terms, `${file}: template terms`);
    assert.equal(again.meta.creator, first.meta.creator, file);
    fields += first.sections.reduce((n, s) => n + s.items.filter((i) => i.kind === 'field').length, 0);
  }
  assert.ok(fields > 5000, `only ${fields} fields read from the library`);
});

/** Letters and digits only, lower case: the library's parsed text glues a choice's value to its wording ("NormalSignal …"). */
const glue = (text: string) => (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).join('');

test('the first import keeps every section and every word of each section of the parsed library (templates.jsonl)', () => {
  const rows = readJsonl<LibraryRow>('radreport-templates/templates.jsonl');
  assert.equal(rows.length, 263);
  const missing: string[] = [];
  for (const row of rows) {
    const template = importMrrt(readFileSync(`${MRRT}${row.id}.html`, 'utf8'));
    const wording = new Map<string, string>();
    const path: string[] = [];
    for (const section of template.sections) {
      path.length = section.level - 1;
      path.push(foldSpace(section.name));
      const words = [
        section.heading,
        ...section.items.flatMap((i) =>
          i.kind === 'text' ? [i.text] : [i.label, i.default, ...(i.options ?? []).flatMap((o, k) => [i.optionValues?.[k] ?? o, o]), i.units ?? ''],
        ),
      ];
      const key = path.join(' > ');
      wording.set(key, (wording.get(key) ?? '') + glue(words.join(' ')));
    }
    for (const section of row.sections) {
      const key = section.name.split(' > ').map(foldSpace).join(' > ');
      const have = wording.get(key);
      if (have === undefined) {
        missing.push(`${row.id}: section "${section.name}"`);
        continue;
      }
      for (const word of section.text
        .replace(/\[option\]/g, ' ')
        .split(/\s+/)
        .map(glue)) {
        if (!have.includes(word)) missing.push(`${row.id} ${section.name}: "${word}"`);
      }
    }
  }
  assert.deepEqual(missing, []);
});

const SMALL_MRRT = `<!DOCTYPE html><html><head><meta charset="UTF-8"/>
<meta content="CT Example" name="dcterms.title"/>
<meta content="http://www.radreport.org/template/0000999" name="dcterms.identifier"/>
<meta content="Radiological Society of North America (RSNA)" name="dcterms.publisher"/>
<meta content="May be used gratis, subject to license agreement" name="dcterms.rights"/>
<meta content="Doe J, et al." name="dcterms.creator"/>
<script type="text/xml">
<!--
<template_attributes>
<term>
 <code meaning="computed tomography" value="RID10321" scheme="RadLex">
</term>
<coded_content>
<entry ORIGTXT="T1_2">
 <term>
  <code meaning="spleen" value="RID86" scheme="RadLex">
 </term>
</entry>
</coded_content>
</template_attributes>
-->
</script><title>CT Example</title></head><body>
<section data-section-name="Findings"><header class="level1">Findings</header>
<p><label for="T1_2">Spleen:</label><input type="text" id="T1_2" name="T1_2" value="Normal."/></p>
<p><label for="T1_3">Quality:</label><select id="T1_3" name="Quality"><option value="Good">Good</option><option value="Poor" selected>Poor</option></select></p>
<p><label for="T1_4">Diameter:</label><input type="number" id="T1_4" name="T1_4" data-field-units="mm"/> mm</p>
<section data-section-name="Liver"><header class="level2">Liver</header>
<p>Liver: <input type="radio" name="liver" id="l1" value="n" checked/>Normal <input type="radio" name="liver" id="l2" value="a"/>Fatty</p>
</section></section>
<section data-section-name="Impression"><header class="level1">Impression</header><p><textarea id="T1_9" name="Impression">Normal CT.</textarea></p></section>
</body></html>`;

test('the markdown template: front matter with the credit line, headings, labelled lines, pick lists and codes in comments', () => {
  const markdown = templateToMarkdown(importMrrt(SMALL_MRRT));
  assert.match(markdown, /^---\ntype: radiology-report-template\ntitle: CT Example\n/);
  assert.match(markdown, /\ncreator: Doe J, et al\.\n/);
  assert.match(markdown, /\ncredit: '?"CT Example" template from RSNA RadReport, by Doe J, et al\. \(http:\/\/www\.radreport\.org\/template\/0000999\)\.'?\n/);
  assert.match(
    markdown,
    /\n# CT Example\n\n## Findings\n\nSpleen: Normal\.\n<!-- mrrt-field \{"id":"T1_2","type":"text","codes":\[\{"scheme":"RadLex","value":"RID86","meaning":"spleen"\}\]\} -->\n/,
  );
  assert.match(markdown, /\nQuality: Poor\n<!-- mrrt-field \{"id":"T1_3","type":"select","options":\["Good","Poor"\]\} -->\n/);
  assert.match(markdown, /\nDiameter:\n<!-- mrrt-field \{"id":"T1_4","type":"number","units":"mm"\} -->\n/);
  assert.match(
    markdown,
    /\n### Liver\n\nLiver: Normal\n<!-- mrrt-field \{"id":"liver","type":"radio","options":\["Normal","Fatty"\],"optionValues":\["n","a"\]\} -->\n/,
  );
  assert.match(markdown, /\n## Impression\n\nNormal CT\.\n<!-- mrrt-field \{"id":"T1_9","type":"textarea","unlabelled":true\} -->\n$/);
});

test('a hand-written markdown template: every "Label: text" line is a field, other lines fixed wording', () => {
  const { template, problems } = templateFromMarkdown(
    '---\ntype: radiology-report-template\ntitle: CT head\n---\n# CT head\n\n## Findings\nBrain: Normal.\nVentricles: Normal in size.\nNo other findings.\n\n## Impression\nNormal.\n',
  );
  assert.deepEqual(problems, []);
  assert.equal(template.meta.title, 'CT head');
  assert.deepEqual(
    template.sections.map((s) => [s.heading, s.items.map((i) => (i.kind === 'field' ? `${i.label}=${i.default}` : i.text))]),
    [
      ['Findings', ['Brain=Normal.', 'Ventricles=Normal in size.', 'No other findings.']],
      ['Impression', ['Normal.']],
    ],
  );
  const exported = importMrrt(exportMrrt(template));
  assert.deepEqual(
    exported.sections.map((s) => s.items.length),
    [3, 1],
  );
});

test('a field comment that is not JSON is reported with its line', () => {
  const { problems } = templateFromMarkdown('---\ntitle: X\nmrrt: {}\n---\n## Findings\n\nSpleen: Normal.\n<!-- mrrt-field {"id": -->\n');
  assert.equal(problems.length, 1);
  assert.equal(problems[0]!.line, 7);
  assert.match(problems[0]!.message, /not valid JSON/);
});
