import type { Span } from '../../report/types.ts';
import type { DocumentEditor } from '../conclusionWriter.ts';

/** An in-memory editor that, like VS Code, refuses an edit made for another version, and can simulate typing. */
export function memoryEditor(uri: string, initial: string) {
  let text = initial;
  let version = 1;
  const waiters = new Set<() => void>();
  const edits: Array<{ version: number; span: Span; newText: string }> = [];
  const bump = () => {
    version++;
    for (const wake of waiters) wake();
    waiters.clear();
  };
  const editor: DocumentEditor & {
    readonly text: string;
    readonly version: number;
    edits: typeof edits;
    /** Someone else's edit, e.g. the user typing. */
    type(at: number, inserted: string, deleteCount?: number): void;
    onEdit?: (count: number) => void;
  } = {
    edits,
    get text() {
      return text;
    },
    get version() {
      return version;
    },
    document(u) {
      return u === uri ? { text, version } : undefined;
    },
    async applyEdit(u, v, edit) {
      if (u !== uri || v !== version) return false;
      edits.push({ version: v, ...edit });
      text = text.slice(0, edit.span.start) + edit.newText + text.slice(edit.span.end);
      bump();
      editor.onEdit?.(edits.length);
      return true;
    },
    changedSince(u, v, timeoutMs) {
      if (u !== uri || version !== v) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        waiters.add(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
    type(at, inserted, deleteCount = 0) {
      text = text.slice(0, at) + inserted + text.slice(at + deleteCount);
      bump();
    },
  };
  return editor;
}
