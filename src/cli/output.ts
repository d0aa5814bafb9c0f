// Writing report files without ever losing a user's file.
//
// Before any work, every output path is planned (planOutputs): it must not be one of the files the
// command reads (compared by real path and by device + inode, so symlinks and hard links count),
// not another output, not a folder or a FIFO/device, and its folder must exist and be writable.
// After the run the same plan is checked again, then every format is rendered, then written:
//
// - each file goes to a temporary file beside its target (same folder, so the final rename is
//   atomic), all temporary files are written and flushed before any is renamed into place: a
//   failure while writing (disk full, quota) leaves every output untouched;
// - a symbolic link given as an output is written through: its target file is replaced and the
//   link is kept (like the shell's `>`); a link to a missing file is refused;
// - an existing file keeps its permission bits; a read-only file is refused, not replaced;
// - temporary files are removed on failure and on SIGINT/SIGTERM (removeTempFiles).
import {
  accessSync,
  closeSync,
  constants,
  fchmodSync,
  fsyncSync,
  lstatSync,
  openSync,
  realpathSync,
  renameSync,
  type Stats,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { UsageError } from '../core/errors.ts';
import type { Report } from '../core/report.ts';
import { renderJson } from '../core/report-json.ts';
import { renderMarkdown } from '../render/markdown.ts';

export interface OutputFlags {
  json?: string;
  html?: string;
  md?: string;
}

/** A file the command reads, and how to name it in a message (`--model`, `weight file a.bin`…). */
export interface InputFile {
  path: string;
  what: string;
  /** A folder the command reads whole (class folders of images): no output may land inside it. */
  folder?: boolean;
}

export interface PlannedOutput {
  flag: string;
  /** The path as the user gave it (for messages). */
  path: string;
  /** The real path that is replaced (a symlink's target). */
  target: string;
  /** Permission bits to keep when the target exists. */
  mode: number | null;
}

interface Identity {
  real: string;
  dev: number;
  ino: number;
}

function identityOf(path: string): Identity | null {
  try {
    const real = realpathSync(path);
    const st = statSync(real);
    return { real, dev: st.dev, ino: st.ino };
  } catch {
    return null; // an input that does not exist cannot be overwritten
  }
}

function isInside(path: string, folder: string): boolean {
  return path.startsWith(folder.endsWith(sep) ? folder : folder + sep);
}

function sameFile(a: Identity, b: Identity): boolean {
  return a.real === b.real || (a.dev === b.dev && a.ino === b.ino);
}

function errnoCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException).code;
}

/** Where writing `path` lands, and the target's stats when it exists. */
function resolveTarget(flag: string, path: string): { target: string; st: Stats | null } {
  const where = `--${flag} ${path}`;
  let link: Stats | null = null;
  try {
    link = lstatSync(path);
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT' && errnoCode(err) !== 'ENOTDIR')
      throw new UsageError(`${where}: cannot be checked (${errnoCode(err) ?? 'error'})`);
  }
  if (link) {
    let target: string;
    try {
      target = realpathSync(path);
    } catch {
      throw new UsageError(`${where}: is a symbolic link to a missing file; give the file itself`);
    }
    return { target, st: statSync(target) };
  }
  const parent = dirname(resolve(path));
  let realParent: string;
  try {
    realParent = realpathSync(parent);
  } catch {
    throw new UsageError(`${where}: folder ${parent} does not exist`);
  }
  if (!statSync(realParent).isDirectory()) throw new UsageError(`${where}: ${parent} is not a folder`);
  return { target: join(realParent, basename(path)), st: null };
}

/**
 * Creates and removes a temporary file where the output will be written: the one test of
 * writability that also holds for root, read-only mounts and pseudo file systems.
 */
function probeWritable(dir: string, where: string): void {
  const probe = tempPathFor(join(dir, 'probe'));
  try {
    closeSync(openSync(probe, 'wx', 0o600));
  } catch (err) {
    throw new UsageError(`${where}: folder ${dir} is not writable (${errnoCode(err) ?? 'error'})`);
  }
  try {
    unlinkSync(probe);
  } catch {
    // removed already
  }
}

/**
 * Checks every output path against the inputs, the other outputs and the file system; throws a
 * UsageError (exit 2) naming the flag before any work starts.
 */
export function planOutputs(flags: OutputFlags, inputs: readonly InputFile[] = []): PlannedOutput[] {
  const inputIds = inputs
    .map((input) => ({ input, id: identityOf(input.path) }))
    .filter((x): x is { input: InputFile; id: Identity } => x.id !== null);
  const planned: (PlannedOutput & { id: Identity | null })[] = [];
  for (const [flag, path] of Object.entries(flags) as [string, string | undefined][]) {
    if (path === undefined) continue;
    const where = `--${flag} ${path}`;
    if (path === '') throw new UsageError(`--${flag}: needs a file path`);
    if (path.includes('\0')) throw new UsageError(`--${flag}: the path contains a NUL byte`);
    const { target, st } = resolveTarget(flag, path);
    if (st?.isDirectory()) throw new UsageError(`${where}: is a folder, not a file`);
    if (st && !st.isFile())
      throw new UsageError(`${where}: is not a regular file (a FIFO, device or socket); give a file path`);
    const id = st ? { real: target, dev: st.dev, ino: st.ino } : null;
    if (id) {
      const hit = inputIds.find((x) => sameFile(x.id, id));
      if (hit) {
        throw new UsageError(
          `${where}: is an input of this command (${hit.input.what}); nn-doctor never writes over its inputs — choose another file`,
        );
      }
    }
    const folder = inputIds.find((x) => x.input.folder && isInside(target, x.id.real));
    if (folder) {
      throw new UsageError(
        `${where}: lies inside ${folder.input.what} ${folder.input.path}, a folder this command reads; choose a file outside it`,
      );
    }
    const twin = planned.find((p) => p.target === target || (id && p.id && sameFile(p.id, id)));
    if (twin)
      throw new UsageError(`${where}: is also --${twin.flag} ${twin.path}; give each output its own file`);
    probeWritable(dirname(target), where);
    if (st) {
      try {
        accessSync(target, constants.W_OK);
      } catch {
        throw new UsageError(`${where}: the file is read-only; nn-doctor does not replace it`);
      }
    }
    planned.push({ flag, path, target, mode: st ? st.mode & 0o7777 : null, id });
  }
  return planned.map(({ id: _id, ...p }) => p);
}

// Temporary files being written; removed on failure and by the CLI's signal handlers.
const pending = new Set<string>();

/** Removes every temporary output file still on disk (signal handlers call this). */
export function removeTempFiles(): void {
  for (const tmp of pending) {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
  }
  pending.clear();
}

/** How many temporary output files exist now (tests). */
export function pendingTempFiles(): number {
  return pending.size;
}

function tempPathFor(target: string): string {
  const tag = `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  return join(dirname(target), `.${basename(target)}.nn-doctor-${tag}.tmp`);
}

function writeTemp(out: PlannedOutput, content: string | Uint8Array): string {
  const tmp = tempPathFor(out.target);
  // 'wx': never reuse an existing path (O_EXCL also refuses to follow a planted symlink).
  const fd = openSync(tmp, 'wx', out.mode ?? 0o666);
  pending.add(tmp);
  try {
    // The umask applied to openSync's mode; a replaced file keeps exactly its own.
    if (out.mode !== null) fchmodSync(fd, out.mode);
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return tmp;
}

function writeFailure(out: PlannedOutput, err: unknown, written: PlannedOutput[]): UsageError {
  const done = written.length ? `; already written: ${written.map((w) => w.path).join(', ')}` : '';
  return new UsageError(
    `--${out.flag} ${out.path}: cannot be written (${errnoCode(err) ?? (err as Error).message})${done || '; no report file was changed'}`,
  );
}

/**
 * Writes `files` (planned outputs with their content): every temporary file first, then the
 * renames. Exported for tests; writeReports renders and calls it.
 */
export function writeAll(files: { out: PlannedOutput; content: string | Uint8Array }[]): void {
  const temps: string[] = [];
  try {
    for (const f of files) {
      try {
        temps.push(writeTemp(f.out, f.content));
      } catch (err) {
        throw writeFailure(f.out, err, []);
      }
    }
    const written: PlannedOutput[] = [];
    files.forEach((f, i) => {
      try {
        renameSync(temps[i], f.out.target);
      } catch (err) {
        throw writeFailure(f.out, err, written);
      }
      pending.delete(temps[i]);
      written.push(f.out);
    });
  } finally {
    for (const tmp of temps) {
      if (!pending.has(tmp)) continue;
      try {
        unlinkSync(tmp);
      } catch {
        // gone
      }
      pending.delete(tmp);
    }
  }
}

/**
 * Checks the outputs again (the run took a while: a path may have changed), renders every
 * requested format, then writes them all. A renderer error writes nothing. The HTML renderer
 * (Observable Plot, a DOM) is loaded only when HTML is asked for: it costs start-up.
 */
export async function writeReports(
  report: Report,
  flags: OutputFlags,
  inputs: readonly InputFile[] = [],
): Promise<void> {
  const planned = planOutputs(flags, inputs);
  const renderHtml = flags.html ? (await import('../render/html/index.ts')).renderHtml : null;
  const render: Record<string, () => string> = {
    json: () => renderJson(report),
    html: () => (renderHtml as (r: Report) => string)(report),
    md: () => renderMarkdown(report),
  };
  writeAll(planned.map((out) => ({ out, content: render[out.flag]() })));
}
