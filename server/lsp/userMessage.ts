import { MessageType, ShowMessageNotification, type Connection } from 'vscode-languageserver/node';

const TYPES = { error: MessageType.Error, warning: MessageType.Warning, info: MessageType.Info } as const;

/**
 * A message for the user that asks nothing back, sent as the `window/showMessage` notification.
 * `connection.window.show…Message` always sends `window/showMessageRequest`, which waits for an answer: some clients
 * (Neovim's `vim.lsp`) ask for that answer in a prompt that holds the editor until the user types. Only a question with
 * choices ("Replace" / "Add below") is a request.
 */
export function tellUser(connection: Connection, type: keyof typeof TYPES, message: string): void {
  void connection.sendNotification(ShowMessageNotification.type, { type: TYPES[type], message });
}
