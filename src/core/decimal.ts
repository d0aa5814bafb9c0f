// Decimal-only number parsing for everything a user types or a file holds as text (flags,
// thresholds, CSV cells). JavaScript's Number() also takes `0x10`, `0o7`, `0b1`, `Infinity` and
// whitespace-padded text; none of those is a number a person means in a flag or a data table.

/** `-1`, `+2.5`, `.5`, `5.`, `1e-3`, `6.02E23`: optional sign, digits with an optional point, exponent. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The value of a decimal number written as text, or undefined when the text is not one (hex, octal,
 * binary, `Infinity`, `NaN`, surrounding whitespace, empty). Out-of-range text (`1e400`) gives
 * ±Infinity: callers that need a finite value check it (and say "out of range").
 */
export function parseDecimal(text: string): number | undefined {
  if (!DECIMAL.test(text)) return undefined;
  return Number(text);
}
