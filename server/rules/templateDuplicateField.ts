import { templateFromMarkdown, lineSpan } from '../templates/templateMarkdown.ts';
import type { TemplateField } from '../templates/reportTemplate.ts';
import type { Rule, RuleFinding } from './rule.ts';

/** A report template asks for each field once: the same label twice in a section, or one MRRT id twice, is a copy-paste slip. */
export const templateDuplicateField: Rule = {
  id: 'template-duplicate-field',
  description: 'A report template has the same field twice in one section, or two fields with the same MRRT id.',
  defaultSeverity: 'error',
  scope: 'report',
  appliesTo: 'templates',
  check({ report }) {
    const { text } = report;
    const parsed = templateFromMarkdown(text);
    const problems: RuleFinding[] = [];
    const ids = new Map<string, TemplateField>();
    const at = (field: TemplateField) => {
      const line = parsed.fieldLines.get(field);
      return line === undefined ? undefined : lineSpan(text, line);
    };
    for (const section of parsed.template.sections) {
      const labels = new Map<string, TemplateField>();
      for (const field of section.items) {
        if (field.kind !== 'field') continue;
        const span = at(field);
        if (!span) continue;
        const key = field.label.toLowerCase().replace(/\s+/g, ' ');
        const first = key ? labels.get(key) : undefined;
        if (first) {
          const firstSpan = at(first);
          problems.push({
            message: `"${field.label}" is already a field of ${section.heading}.`,
            span,
            ...(firstSpan ? { related: [{ message: 'the first one', span: firstSpan }] } : {}),
          });
          continue;
        }
        if (key) labels.set(key, field);
        const sameId = parsed.fieldIds.has(field) ? ids.get(field.id) : undefined;
        if (sameId) problems.push({ message: `The MRRT id "${field.id}" is already the id of "${sameId.label || 'another field'}".`, span });
        else if (parsed.fieldIds.has(field)) ids.set(field.id, field);
      }
    }
    return problems;
  },
};
