// Writing report files: checked before the run (so a bad path fails fast, before minutes of
// training) and written atomically after it (temp file + rename: never a half-written report).
import { existsSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../core/errors.ts';
import type { Report } from '../core/report.ts';
import { renderJson } from '../core/report-json.ts';
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

/**
 * Renders every requested format first, then writes them: a renderer error writes nothing. The
 * HTML renderer (Observable Plot, a DOM) is loaded only when HTML is asked for: it costs start-up.
 */
export async function writeReports(report: Report, flags: OutputFlags): Promise<void> {
  const files: [string, string][] = [];
  if (flags.json) files.push([flags.json, renderJson(report)]);
  if (flags.html) files.push([flags.html, (await import('../render/html/index.ts')).renderHtml(report)]);
  if (flags.md) files.push([flags.md, renderMarkdown(report)]);
  for (const [path, content] of files) writeAtomic(path, content);
}
