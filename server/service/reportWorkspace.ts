/**
 * The file system as the service sees it: a narrow seam so the service can run over an in-memory workspace in tests
 * (and, later, over a browser's virtual file system). Paths are absolute file system paths.
 */
export interface ReportWorkspace {
  /** The file's text, or undefined when there is no such file. */
  readFile(path: string): Promise<string | undefined>;
  writeFile(path: string, text: string): Promise<void>;
}

/** The Node.js file system. */
export async function nodeWorkspace(): Promise<ReportWorkspace> {
  const fs = await import('node:fs/promises');
  return {
    async readFile(path) {
      try {
        return await fs.readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
        throw error;
      }
    },
    async writeFile(path, text) {
      await fs.writeFile(path, text, 'utf8');
    },
  };
}

/** An in-memory workspace for tests. */
export function memoryWorkspace(files: Record<string, string> = {}): ReportWorkspace & { files: Map<string, string> } {
  const map = new Map(Object.entries(files));
  return {
    files: map,
    async readFile(path) {
      return map.get(path);
    },
    async writeFile(path, text) {
      map.set(path, text);
    },
  };
}
