/**
 * Unfilled template fields. `XXXX` is deliberately not among them: public report data uses it for de-identification.
 * Each pattern is a regular expression source, matched case-insensitively; a workspace's own run on RE2 syntax.
 */
export const DEFAULT_PLACEHOLDER_PATTERNS: readonly string[] = [
  '_{3,}',
  '\\[ ?\\]',
  '\\{\\{[^{}\\n]*\\}\\}',
  '(?<![*\\w])\\*{3}(?![*\\w])',
  '\\[(?:insert|enter|specify|select|choose|fill in|describe)\\b[^[\\]\\n]*\\]',
  '<<[^<>\\n]*>>',
];
