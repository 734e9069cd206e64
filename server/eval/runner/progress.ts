/** Where progress is shown: the CLI passes stderr. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Progress {
  /** Marks `count` more items done. */
  tick(count?: number): void;
  /** Clears the bar (on a terminal) so the next output starts on a clean line. */
  done(): void;
}

/**
 * Progress of `total` items. On a terminal: one bar redrawn in place with the count, percentage, elapsed time and ETA
 * (at most ten redraws a second). Elsewhere (a log file, CI): one line at each tenth done, so logs stay short, and
 * nothing at all for work that is over within `quietSeconds` (2 s).
 */
export function createProgress(
  stream: ProgressStream,
  total: number,
  label: string,
  now: () => number = () => performance.now(),
  quietSeconds = 2,
): Progress {
  const start = now();
  let doneCount = 0;
  let lastDraw = -Infinity;
  let lastTenth = 0;
  const tty = stream.isTTY === true;

  const line = (): string => {
    const elapsed = (now() - start) / 1000;
    const eta = doneCount > 0 ? (elapsed / doneCount) * (total - doneCount) : undefined;
    const percent = total === 0 ? 100 : Math.floor((doneCount / total) * 100);
    return `${label} ${doneCount}/${total} ${percent}% elapsed ${formatDuration(elapsed)}${eta !== undefined && doneCount < total ? ` ETA ${formatDuration(eta)}` : ''}`;
  };

  return {
    tick(count = 1) {
      doneCount = Math.min(total, doneCount + count);
      if (tty) {
        const t = now();
        if (t - lastDraw < 100 && doneCount < total) return;
        lastDraw = t;
        const text = line();
        const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - text.length - 4));
        const filled = total === 0 ? width : Math.round((doneCount / total) * width);
        stream.write(`\r\x1b[2K[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${text}`);
        return;
      }
      const tenth = total === 0 ? 10 : Math.floor((doneCount / total) * 10);
      if (tenth > lastTenth && (now() - start) / 1000 >= quietSeconds) {
        lastTenth = tenth;
        stream.write(`${line()}\n`);
      }
    },
    done() {
      if (tty) stream.write('\r\x1b[2K');
    },
  };
}

/** `42s`, `3m05s`, `1h02m`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
