import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  REPORT_FROM_TEMPLATE_REQUEST,
  TEMPLATE_LIST_REQUEST,
  type ReportFromTemplateParams,
  type ReportFromTemplateResult,
  type TemplateListItem,
  type TemplateListResult,
} from '../server/protocol.ts';

const ANY = 'Any';

/** Picks one value of a template property, with how many templates have it; `undefined` when the user cancels. */
async function pickValue(
  title: string,
  templates: readonly TemplateListItem[],
  valueOf: (t: TemplateListItem) => string | undefined,
): Promise<string | undefined> {
  const counts = new Map<string, number>();
  for (const template of templates) {
    const value = valueOf(template) ?? 'Other';
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  if (counts.size <= 1) return ANY;
  const items = [
    { label: ANY, description: `${templates.length} templates` },
    ...[...counts].sort((a, b) => b[1] - a[1]).map(([label, n]) => ({ label, description: `${n}` })),
  ];
  return (await vscode.window.showQuickPick(items, { title, placeHolder: title }))?.label;
}

/**
 * "New report from template": the templates on offer (the department's and the RSNA RadReport library) filtered by
 * modality, then by body part, then picked by title; the new report opens as an untitled markdown document.
 */
export async function newReportFromTemplate(client: LanguageClient | undefined): Promise<void> {
  if (!client?.isRunning()) {
    void vscode.window.showWarningMessage('The Radiology Report language server is not running yet.');
    return;
  }
  const { templates } = await client.sendRequest<TemplateListResult>(TEMPLATE_LIST_REQUEST, {});
  if (!templates.length) {
    void vscode.window.showInformationMessage('No report templates: add a folder of templates in the setting radiologyReport.templates.');
    return;
  }
  const modality = await pickValue('New report from template: modality', templates, (t) => t.modality);
  if (modality === undefined) return;
  const ofModality = templates.filter((t) => modality === ANY || (t.modality ?? 'Other') === modality);
  const bodyPart = await pickValue('New report from template: body part', ofModality, (t) => t.bodyPart);
  if (bodyPart === undefined) return;
  const candidates = ofModality.filter((t) => bodyPart === ANY || (t.bodyPart ?? 'Other') === bodyPart);
  const picked = await vscode.window.showQuickPick(
    candidates.map((template) => ({
      label: template.title,
      description: [template.modality, template.bodyPart, template.source === 'department' ? 'department' : undefined].filter(Boolean).join(' · '),
      ...(template.credit ? { detail: template.credit } : {}),
      template,
    })),
    { title: 'New report from template', placeHolder: 'Template', matchOnDescription: true },
  );
  if (!picked) return;
  const params: ReportFromTemplateParams = { source: picked.template.source, id: picked.template.id };
  const result = await client.sendRequest<ReportFromTemplateResult | null>(REPORT_FROM_TEMPLATE_REQUEST, params);
  if (!result) {
    void vscode.window.showWarningMessage(`The template "${picked.template.title}" is no longer there.`);
    return;
  }
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: result.text });
  await vscode.window.showTextDocument(document);
}
