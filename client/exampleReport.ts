import * as vscode from 'vscode';

/** The example reports shipped in the extension's `examples/` folder that the walkthrough opens. */
export const EXAMPLE_REPORTS = ['mr-knee-dictation.report.md', 'xr-chest.report.md', 'ct-chest-nodule.report.md', 'ct-head-template.report.md'] as const;

/**
 * `radiologyReport.openExampleReport [name]`: opens one of the shipped examples (the MR knee dictation, whose side is
 * wrong, by default) as a new unsaved markdown document, so the user's edits never touch the extension's folder. Its
 * front matter (`type: radiology-report`) makes the server check it.
 */
export async function openExampleReport(context: vscode.ExtensionContext, name?: unknown): Promise<void> {
  const file = EXAMPLE_REPORTS.find((example) => example === name) ?? EXAMPLE_REPORTS[0];
  const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(context.extensionUri, 'examples', file));
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: new TextDecoder().decode(bytes) });
  await vscode.window.showTextDocument(document, { preview: false });
}
