// Shared pieces of model-file reading: JSON object checks, one-line error messages.
import { UsageError } from '../core/errors.ts';
import { fmtNumber } from '../shared/format.ts';

export type Json = Record<string, unknown>;

/** Builds a UsageError for a problem with the file named by `where` (e.g. `--model path`). */
export type Fail = (problem: string) => UsageError;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0].trim();
}

export function errorAt(where: string): Fail {
  return (problem: string) => new UsageError(`${where}: ${problem}`);
}

/** A limit as people read it: `2^26 (6.71e7)`; the exponent makes a power of two recognizable. */
export function fmtLimit(n: number): string {
  const p = Math.log2(n);
  return Number.isInteger(p) && p >= 10 ? `2^${p} (${fmtNumber(n)})` : fmtNumber(n);
}
