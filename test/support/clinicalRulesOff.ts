/**
 * Rule settings that turn the clinical checks off. The tiny test model writes random radiology words, which those
 * checks rightly flag; tests about the mechanics of generation (streaming, edits, the watchdog, no network) use this.
 */
export const CLINICAL_OFF: Record<string, 'off'> = Object.fromEntries(
  [
    'laterality-mismatch',
    'contradiction',
    'unsupported-conclusion',
    'measurement-mismatch',
    'sex-mismatch',
    'duplicate-sentence',
    'critical-communication',
    'follow-up-recommendation',
    'omitted-finding',
  ].map((id) => [id, 'off' as const]),
);
