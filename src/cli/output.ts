// Writing report files: checked before the run (so a bad path fails fast, before minutes of
// training) and written atomically after it (temp file + rename: never a half-written report).
import { existsSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../core/errors.ts';
import type { Report } from '../core/report.ts';
import { renderHtml } from '../render/html/index.ts';
import { renderMarkdown } from '../render/markdown.ts';

export interface OutputFlags {
  json?: string;
  html?: string;
  md?: string;
}

/** Fails fast when an output path cannot be written (missing folder, a folder in the way). */
export function checkOutputPaths(flags: OutputFlags): void {
  for (const [flag, path] of Object.entries(flags)) {
    if (path === undefined) continue;
    if (path === '') throw new UsageError(`--${flag}: needs a file path`);
    const dir = dirname(resolve(path));
    if (!existsSync(dir) || !statSync(dir).isDirectory())
      throw new UsageError(`--${flag} ${path}: folder ${dir} does not exist`);
    if (existsSync(path) && statSync(path).isDirectory())
      throw new UsageError(`--${flag} ${path}: is a folder, not a file`);
  }
}

export function writeAtomic(path: string, content: string): void {
  const tmp = join(dirname(resolve(path)), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (err) {
    if (existsSync(tmp)) unlinkSync(tmp);
    throw err;
  }
}

/** Renders every requested format first, then writes them: a renderer error writes nothing. */
export function writeReports(report: Report, flags: OutputFlags): void {
  const files: [string, string][] = [];
  if (flags.json) files.push([flags.json, `${JSON.stringify(report, jsonReplacer, 2)}\n`]);
  if (flags.html) files.push([flags.html, renderHtml(report)]);
  if (flags.md) files.push([flags.md, renderMarkdown(report)]);
  for (const [path, content] of files) writeAtomic(path, content);
}

/** JSON has no NaN/Infinity: write them as strings so a saved report round-trips. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}

export function jsonReviver(_key: string, value: unknown): unknown {
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  return value;
}
