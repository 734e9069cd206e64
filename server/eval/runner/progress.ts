import cliProgress from 'cli-progress';

/** Where progress is shown: the CLI passes stderr. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Progress {
  /** Marks `count` more items done. */
  tick(count?: number): void;
  /** Stops the bar (on a terminal) and leaves the line clean for the next output. Safe to call more than once. */
  done(): void;
}

/**
 * Progress of `total` items. On a terminal: a cli-progress bar redrawn in place (at most ten times a second) with the
 * count, percentage, elapsed time and ETA, and the cursor hidden until `done()`. Elsewhere (a log file, CI): plain
 * lines, one at each tenth done, so logs stay short, and nothing at all for work that is over within `quietSeconds`
 * (2 s). `now` (milliseconds) times the plain lines; the bar keeps its own clock.
 */
export function createProgress(stream: ProgressStream, total: number, label: string, now: () => number = () => performance.now(), quietSeconds = 2): Progress {
  return stream.isTTY === true ? terminalProgress(stream, total, label) : lineProgress(stream, total, label, now, quietSeconds);
}

function terminalProgress(stream: ProgressStream, total: number, label: string): Progress {
  const bar = new cliProgress.SingleBar({
    // cli-progress writes with `write` and moves the cursor with readline's escape sequences, all a stream needs.
    stream: stream as NodeJS.WritableStream,
    format: `${label} [{bar}] {value}/{total} {percentage}% elapsed {duration_formatted} ETA {eta_formatted}`,
    barsize: Math.max(10, Math.min(40, (stream.columns ?? 80) - label.length - 50)),
    barCompleteChar: '#',
    barIncompleteChar: '-',
    hideCursor: true,
    clearOnComplete: true,
    // Restores the cursor when the run is interrupted.
    gracefulExit: true,
    etaBuffer: 20,
    fps: 10,
  });
  let doneCount = 0;
  bar.start(total, 0);
  return {
    tick(count = 1) {
      doneCount = Math.min(total, doneCount + count);
      bar.update(doneCount);
    },
    done() {
      bar.stop();
    },
  };
}

function lineProgress(stream: ProgressStream, total: number, label: string, now: () => number, quietSeconds: number): Progress {
  const start = now();
  let doneCount = 0;
  let lastTenth = 0;
  const line = (): string => {
    const elapsed = (now() - start) / 1000;
    const eta = doneCount > 0 ? (elapsed / doneCount) * (total - doneCount) : undefined;
    const percent = total === 0 ? 100 : Math.floor((doneCount / total) * 100);
    return `${label} ${doneCount}/${total} ${percent}% elapsed ${formatDuration(elapsed)}${eta !== undefined && doneCount < total ? ` ETA ${formatDuration(eta)}` : ''}`;
  };
  return {
    tick(count = 1) {
      doneCount = Math.min(total, doneCount + count);
      const tenth = total === 0 ? 10 : Math.floor((doneCount / total) * 10);
      if (tenth > lastTenth && (now() - start) / 1000 >= quietSeconds) {
        lastTenth = tenth;
        stream.write(`${line()}\n`);
      }
    },
    done() {},
  };
}

/** `42s`, `3m05s`, `1h02m`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
