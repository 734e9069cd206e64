import { lineSpan, templateFields, templateFromMarkdown } from '../templates/templateMarkdown.ts';
import type { Rule, RuleFinding } from './rule.ts';

/** `Label:text`: a field label whose colon is not followed by a space. */
const NO_SPACE_AFTER_COLON = /^([A-Za-z][^:]{0,79}):[^\s/]/;
/** `: text`: a field line with no label. */
const NO_LABEL = /^\s*:\s*\S/;

/**
 * In a report template every field is a line `Label: default text`; a field from MRRT carries an `mrrt-field` comment
 * with its id, type and pick list. Reports a comment that is not readable, a colon with no space after it or no label
 * before it, and a pick-list default that is none of its options.
 */
export const templateFieldSyntax: Rule = {
  id: 'template-field-syntax',
  description: 'A field of a report template is not written "Label: default text", or its MRRT comment or pick-list default is malformed.',
  defaultSeverity: 'error',
  scope: 'report',
  appliesTo: 'templates',
  check({ report }) {
    const { text } = report;
    const parsed = templateFromMarkdown(text);
    const problems: RuleFinding[] = parsed.problems.map((problem) => ({ message: problem.message, span: lineSpan(text, problem.line) }));
    // A template imported from MRRT (`mrrt:` in its front matter) defines its fields by their comments (a label may hold a
    // colon: "Qp:Qs ratio"); the
    // line checks are for templates written by hand.
    const fromMrrt = report.meta.raw.mrrt !== undefined;
    const firstLine = fromMrrt ? Number.POSITIVE_INFINITY : report.frontMatterSpan ? report.positions.positionAt(report.frontMatterSpan.end).line + 1 : 0;
    const lines = text.split('\n');
    let inComment = false;
    for (let line = Math.min(firstLine, lines.length); line < lines.length; line++) {
      const content = lines[line]!.replace(/\r$/, '');
      if (content.trimStart().startsWith('<!--')) inComment = !content.includes('-->');
      else if (inComment) inComment = !content.includes('-->');
      else if (/^\s*(#|\\|[-*+] |\d+[.)] |>)/.test(content)) continue;
      else if (NO_SPACE_AFTER_COLON.test(content)) {
        const colon = content.indexOf(':');
        const span = lineSpan(text, line);
        problems.push({
          message: `Write a space after the field label's colon: "${content.slice(0, colon)}: …".`,
          span: { start: span.start, end: span.start + colon + 1 },
        });
      } else if (NO_LABEL.test(content)) {
        const span = lineSpan(text, line);
        problems.push({ message: 'This field line has no label before its colon.', span });
      }
    }
    for (const { field } of templateFields(parsed.template)) {
      if (!field.options?.length || !field.default || field.type === 'list') continue;
      const chosen = field.options.includes(field.default) ? [field.default] : field.default.split('; ');
      const unknown = chosen.filter((choice) => !field.options!.includes(choice));
      if (!unknown.length) continue;
      const line = parsed.fieldLines.get(field);
      if (line === undefined) continue;
      problems.push({
        message: `"${unknown.join('; ')}" is not one of the pick list of ${field.label ? `"${field.label}"` : 'this field'}: ${field.options.map((o) => `"${o}"`).join(', ')}.`,
        span: lineSpan(text, line),
      });
    }
    return problems;
  },
};
