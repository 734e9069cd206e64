/** How a `radreport` command ends when it is asked to stop (SIGINT, SIGTERM). */

/** How long a command has to finish cleanly after the signal before the process exits anyway. */
export const STOP_GRACE_MS = 2_000;

const SIGNAL_NUMBERS: Record<string, number> = { SIGINT: 2, SIGTERM: 15 };

/** The conventional exit status of a process stopped by the signal that aborted `signal`: 128 + its number (SIGTERM: 143). */
export function signalExitCode(signal: AbortSignal): number {
  return 128 + (SIGNAL_NUMBERS[String(signal.reason)] ?? SIGNAL_NUMBERS.SIGTERM!);
}
