import { spawn, type ChildProcess } from 'node:child_process';
import * as vscode from 'vscode';

/**
 * `radiologyReport.openStudy`: runs `radreport study serve DIR --port 0` (the same server readers use in a browser)
 * and shows it in a webview. The study server binds 127.0.0.1 only; answers are stored in DIR as they are given.
 * The reader gives their invitation link (or leaves it empty and pastes it into the page); it goes to the page in the
 * URL fragment, which is never sent to the server in a request line.
 */
export async function openStudy(context: vscode.ExtensionContext, folder?: vscode.Uri): Promise<void> {
  const target =
    folder ??
    (await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, canSelectMany: false, openLabel: 'Open reader study' }))?.[0];
  if (!target) return;
  const invitation = await vscode.window.showInputBox({
    title: 'Reader study',
    prompt: 'Your invitation link or code (from radreport study create or invite). Leave empty to give it in the page.',
    password: true,
    ignoreFocusOut: true,
    validateInput: (text) => (text.trim() === '' || invitationToken(text) ? undefined : 'Not an invitation link or code: a name does not open the study.'),
  });
  if (invitation === undefined) return;
  const token = invitationToken(invitation);

  const cli = context.asAbsolutePath('dist/cli.mjs');
  // The study store (better-sqlite3) is a native module built for Node.js, not for the editor's own runtime: run the
  // study server on the system's Node.js.
  const node = vscode.workspace.getConfiguration('radiologyReport').get<string>('nodePath') || 'node';
  const child: ChildProcess = spawn(node, [cli, 'study', 'serve', target.fsPath, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let url: string;
  try {
    url = await new Promise<string>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`the study server did not start: ${output}`)), 15_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /http:\/\/127\.0\.0\.1:\d+\/?/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[0]);
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`cannot run ${node} (set radiologyReport.nodePath to a Node.js 20 executable): ${error.message}`));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the study server exited (${code}): ${output}`));
      });
    });
  } catch (error) {
    child.kill();
    void vscode.window.showErrorMessage(`Cannot open the reader study in ${target.fsPath}: ${(error as Error).message}`);
    return;
  }

  const external = await vscode.env.asExternalUri(vscode.Uri.parse(url));
  const panel = vscode.window.createWebviewPanel('radiologyReport.study', 'Reader study', vscode.ViewColumn.Active, {
    enableScripts: true,
    retainContextWhenHidden: true,
  });
  panel.onDidDispose(() => child.kill());
  context.subscriptions.push({ dispose: () => child.kill() });
  const origin = `${external.scheme}://${external.authority}`;
  panel.webview.html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; frame-src ${origin}; style-src 'unsafe-inline';">
<style>html,body,iframe{margin:0;padding:0;border:0;width:100%;height:100%;overflow:hidden}</style></head>
<body><iframe src="${external.toString(true)}${token ? `#invite=${token}` : ''}" title="Reader study"></iframe></body></html>`;
}

/** The token of an invitation link (`…#invite=TOKEN`) or a bare code; undefined for anything else (a name). */
function invitationToken(text: string): string | undefined {
  const match = /(?:^|[#?&])invite=([A-Za-z0-9_-]+)/.exec(text);
  const token = match ? match[1]! : text.trim();
  return /^[A-Za-z0-9_-]{43}$/.test(token) ? token : undefined;
}
