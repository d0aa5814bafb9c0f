// Strings from the user's files (file names, class folders, layer names, TensorBoard tags and runs,
// anything in a saved report) made visible before they reach a terminal or a text file: a control
// character is written as its escape (`\x1b`, `\n`, `\u202e`), so a string cannot retitle or
// clear the terminal, move the cursor, reorder the line it is on, or forge a line of its own.

/**
 * C0 controls (newline and tab included), DEL, C1 controls, the Unicode line and paragraph
 * separators, and the bidirectional controls (which reorder what a terminal or editor shows:
 * "Trojan Source"). Everything else, any language's letters and emoji included, is kept.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `value` as text with every control character escaped: one line stays one line. */
export function visible(value: unknown): string {
  return String(value ?? '').replace(CONTROL, escapeOne);
}

/** Like `visible`, for text that is several lines by design (code): newlines are kept. */
export function visibleLines(value: unknown): string {
  return String(value ?? '')
    .split('\n')
    .map((line) => line.replace(CONTROL, escapeOne))
    .join('\n');
}
