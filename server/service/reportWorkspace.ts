/**
 * The file system as the service sees it: a narrow seam so the service can run over an in-memory workspace in tests
 * (and, later, over a browser's virtual file system). Paths are absolute file system paths. The service writes only
 * `.radreportrc.json` files through it, and reads those and the user's example reports (`radiologyReport.examples`).
 */
export interface ReportWorkspace {
  /** The file's text, or undefined when there is no such file. Throws (with a message for the user) when it may not be read. */
  readFile(path: string): Promise<string | undefined>;
  writeFile(path: string, text: string): Promise<void>;
  /**
   * The regular files under a folder, searched recursively, sorted by path: at most `max`, links and dot folders
   * passed over; each with a stamp that changes when the file does. Undefined when there is no such folder.
   */
  listFiles(folder: string, max: number): Promise<FileStamp[] | undefined>;
}

export interface FileStamp {
  path: string;
  /** Changes when the file's content does (modification time and size on disk). */
  stamp: string;
  size: number;
}

export interface NodeWorkspaceOptions {
  /**
   * The folders a configuration file may lead into: a file that is (or lies under) a link resolving outside the
   * folder that holds it is refused. Default: none besides the file's own folder.
   */
  roots?: () => readonly string[];
  /** Largest file read, in bytes (default 1 MiB). */
  maxBytes?: number;
}

export const MAX_CONFIG_BYTES = 1024 * 1024;

/** A file the workspace refuses to read or write (a link out of the workspace, a FIFO, too large); the message says why. */
export class RefusedFileError extends Error {
  override readonly name = 'RefusedFileError';
}

/**
 * The Node.js file system, read as a hostile repository may have laid it out: regular files only (a FIFO or a device
 * is refused at once, never read, so no read can block), no link out of the workspace (refused without reading, so no
 * part of its target reaches a message), a size cap, and no write through a link.
 */
export async function nodeWorkspace(options: NodeWorkspaceOptions = {}): Promise<ReportWorkspace> {
  const fs = await import('node:fs/promises');
  const { constants } = await import('node:fs');
  const { dirname, relative, isAbsolute, join } = await import('node:path');
  const maxBytes = options.maxBytes ?? MAX_CONFIG_BYTES;

  const inside = (path: string, folder: string) => {
    const rel = relative(folder, path);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  };
  /** The real folder the file's real path must stay in: the (innermost) root that holds it, else its own folder. */
  async function allowedFolder(path: string): Promise<string> {
    const root = (options.roots?.() ?? []).filter((r) => inside(path, r)).sort((a, b) => b.length - a.length)[0];
    return fs.realpath(root ?? dirname(path)).catch(() => root ?? dirname(path));
  }

  return {
    async readFile(path) {
      let real: string;
      try {
        real = await fs.realpath(path);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') {
          // A dangling link is still a link out of reach; an absent file is simply absent.
          const link = await fs.lstat(path).catch(() => undefined);
          if (link?.isSymbolicLink()) throw new RefusedFileError('is a link to a file that does not exist; it was not read');
          return undefined;
        }
        throw error;
      }
      if (!inside(real, await allowedFolder(path))) throw new RefusedFileError('is a link that leads out of the workspace; it was not read');
      const before = await fs.lstat(real);
      if (!before.isFile()) throw new RefusedFileError(`is ${kindOf(before)}, not a regular file; it was not read`);
      if (before.size > maxBytes)
        throw new RefusedFileError(`is ${before.size} bytes; the limit is ${maxBytes} bytes (${maxBytes / 1024} KiB); it was not read`);
      // O_NONBLOCK: should the file be swapped for a FIFO after the check, opening it does not wait for a writer.
      const handle = await fs.open(real, constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOFOLLOW ?? 0));
      try {
        const info = await handle.stat();
        if (!info.isFile()) throw new RefusedFileError(`is ${kindOf(info)}, not a regular file; it was not read`);
        const buffer = Buffer.alloc(Math.min(info.size, maxBytes) + 1);
        let length = 0;
        while (length < buffer.length) {
          const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
          if (bytesRead === 0) break;
          length += bytesRead;
        }
        if (length > maxBytes) throw new RefusedFileError(`is larger than ${maxBytes} bytes; it was not read`);
        return buffer.subarray(0, length).toString('utf8');
      } finally {
        await handle.close();
      }
    },
    async listFiles(folder, max) {
      const top = await fs.lstat(folder).catch(() => undefined);
      if (!top?.isDirectory()) return undefined;
      const out: FileStamp[] = [];
      // Breadth first, each folder's names sorted, so a cap keeps the files nearest the top; a folder link is not followed.
      const queue = [folder];
      let visited = 0;
      while (queue.length > 0 && out.length < max && visited < max * 4 + 1000) {
        const current = queue.shift()!;
        const entries = await fs.readdir(current, { withFileTypes: true }).catch(() => []);
        entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        for (const entry of entries) {
          visited++;
          if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
          const path = join(current, entry.name);
          if (entry.isDirectory()) queue.push(path);
          else if (entry.isFile() && out.length < max) {
            const info = await fs.lstat(path).catch(() => undefined);
            if (info?.isFile()) out.push({ path, stamp: `${info.mtimeMs}:${info.size}`, size: info.size });
          }
        }
      }
      return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    },
    async writeFile(path, text) {
      const link = await fs.lstat(path).catch(() => undefined);
      if (link?.isSymbolicLink())
        throw new RefusedFileError(`${path} is a link; the configuration is not written through it. Edit the file it points to yourself.`);
      if (link && !link.isFile()) throw new RefusedFileError(`${path} is ${kindOf(link)}, not a regular file; it was not written.`);
      const real = await fs.realpath(dirname(path));
      if (!inside(real, await allowedFolder(path))) throw new RefusedFileError(`${path} lies in a linked folder outside the workspace; it was not written.`);
      // O_NOFOLLOW: a link put there after the check is refused by the system, not followed.
      const handle = await fs.open(
        path,
        constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NONBLOCK | (constants.O_NOFOLLOW ?? 0),
        0o644,
      );
      try {
        await handle.writeFile(text, 'utf8');
      } finally {
        await handle.close();
      }
    },
  };
}

function kindOf(info: import('node:fs').Stats): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSymbolicLink()) return 'a link';
  return 'not a regular file';
}

/** An in-memory workspace for tests (paths with `/`); a file's stamp changes with every write. */
export function memoryWorkspace(files: Record<string, string> = {}): ReportWorkspace & { files: Map<string, string> } {
  const map = new Map(Object.entries(files));
  const writes = new Map<string, number>();
  let clock = 0;
  return {
    files: map,
    async readFile(path) {
      return map.get(path);
    },
    async writeFile(path, text) {
      map.set(path, text);
      writes.set(path, ++clock);
    },
    async listFiles(folder, max) {
      const prefix = folder.endsWith('/') ? folder : `${folder}/`;
      const paths = [...map.keys()].filter(
        (path) =>
          path.startsWith(prefix) &&
          !path
            .slice(prefix.length)
            .split('/')
            .some((part) => part.startsWith('.')),
      );
      if (paths.length === 0) return undefined;
      return paths
        .sort()
        .slice(0, max)
        .map((path) => ({ path, stamp: `${writes.get(path) ?? 0}:${map.get(path)!.length}`, size: map.get(path)!.length }));
    },
  };
}
