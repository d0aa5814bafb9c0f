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
// - an existing file keeps its permission bits; a read-only file is refused, not replaced — by
//   its permission bits too, since root may write any file;
// - temporary files are removed on failure and on SIGINT/SIGTERM (removeTempFiles);
// - once the first output is in place, the outputs count as written (outputsWritten): the CLI's
//   signal handlers then let the command finish instead of exiting with a signal status, so a
//   signal exit never comes with a replaced file.
//
// `-`, `/dev/stdout`, `/dev/stderr`, `/dev/fd/N` and `/proc/self/fd/N` name a stream the command
// already has open (a pipe, a terminal, a file the shell opened): it is written in place, after
// every file output is renamed (a stream cannot be taken back), and nothing else goes to it.
import {
  accessSync,
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
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
  /** A stream the process has open (`-`, `/dev/stdout`, `/proc/self/fd/N`…): written in place. */
  fd?: number;
}

/** The descriptor an output path names when it is one of the process' open streams, else null. */
export function streamFd(path: string): number | null {
  if (path === '-' || path === '/dev/stdout') return 1;
  if (path === '/dev/stderr') return 2;
  const m = /^\/(?:dev\/fd|proc\/self\/fd)\/(\d{1,9})$/.exec(path);
  return m ? Number(m[1]) : null;
}

/** Whether an output goes to standard output (the terminal report then goes elsewhere). */
export function outputsUseStdout(flags: OutputFlags): boolean {
  return Object.values(flags).some((p) => typeof p === 'string' && streamFd(p) === 1);
}

/** Whether an output goes to standard error. */
export function outputsUseStderr(flags: OutputFlags): boolean {
  return Object.values(flags).some((p) => typeof p === 'string' && streamFd(p) === 2);
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
    const fd = streamFd(path);
    if (fd !== null) {
      planned.push(planStream(flag, path, fd, inputIds, planned));
      continue;
    }
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
    const twin = planned.find(
      (p) => p.fd === undefined && (p.target === target || (id && p.id && sameFile(p.id, id))),
    );
    if (twin)
      throw new UsageError(`${where}: is also --${twin.flag} ${twin.path}; give each output its own file`);
    probeWritable(dirname(target), where);
    // access() says yes to root for any file: the permission bits are what the user set.
    if (st && (!canWrite(target) || (st.mode & 0o222) === 0))
      throw new UsageError(`${where}: the file is read-only; nn-doctor does not replace it`);
    planned.push({ flag, path, target, mode: st ? st.mode & 0o7777 : null, id });
  }
  return planned.map(({ id: _id, ...p }) => p);
}

function canWrite(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** An open stream as an output: it must be open, not an input, and not another output's stream. */
function planStream(
  flag: string,
  path: string,
  fd: number,
  inputs: { input: InputFile; id: Identity }[],
  planned: (PlannedOutput & { id: Identity | null })[],
): PlannedOutput & { id: Identity | null } {
  const where = `--${flag} ${path}`;
  let st: Stats;
  try {
    st = fstatSync(fd);
  } catch {
    throw new UsageError(`${where}: descriptor ${fd} is not open`);
  }
  if (st.isDirectory()) throw new UsageError(`${where}: descriptor ${fd} is a folder, not a file`);
  // A shell redirection onto an input (`--json - > model.json`) has emptied it already; refused
  // all the same, so the command fails before its run rather than after.
  const id = { real: path, dev: st.dev, ino: st.ino };
  const hit = st.isFile() ? inputs.find((x) => x.id.dev === id.dev && x.id.ino === id.ino) : undefined;
  if (hit)
    throw new UsageError(
      `${where}: is an input of this command (${hit.input.what}); nn-doctor never writes over its inputs — choose another file`,
    );
  const twin = planned.find((p) => p.fd === fd);
  if (twin)
    throw new UsageError(`${where}: is also --${twin.flag} ${twin.path}; give each output its own file`);
  return { flag, path, target: path, mode: null, fd, id: null };
}

// Temporary files being written; removed on failure and by the CLI's signal handlers.
const pending = new Set<string>();
// Set once an output is in place: from then on the command finishes rather than dying of a signal.
let written = false;

/**
 * Whether an output (a report, a --fix file) has been put in place. The CLI's signal handlers ask:
 * before, a signal exits at once and every output is untouched; after, the command finishes
 * writing and exits 0/1 as it would have.
 */
export function outputsWritten(): boolean {
  return written;
}

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

function writeFailure(out: PlannedOutput, err: unknown, done: PlannedOutput[]): UsageError {
  const already = done.length ? `; already written: ${done.map((w) => w.path).join(', ')}` : '';
  return new UsageError(
    `--${out.flag} ${out.path}: cannot be written (${errnoCode(err) ?? (err as Error).message})${already || '; no report file was changed'}`,
  );
}

function ignore(): void {}

/** Sleeps `ms` without the event loop (a non-blocking descriptor that is full: wait, retry). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Writes `content` to an open stream. Standard output and error go through Node's own streams
 * (which may have made the descriptor non-blocking, and which the terminal report also uses);
 * another descriptor is written directly, waiting while a pipe is full.
 */
async function writeStream(out: PlannedOutput, content: string): Promise<void> {
  const fd = out.fd as number;
  const fail = (err: unknown) =>
    new UsageError(
      `--${out.flag} ${out.path}: cannot be written (${errnoCode(err) ?? (err as Error).message})`,
    );
  written = true;
  if (fd === 1 || fd === 2) {
    const stream = fd === 1 ? process.stdout : process.stderr;
    await new Promise<void>((resolve, reject) => {
      // A closed pipe (`| head`) is reported to the callback, then as an 'error' event: that one is
      // kept from crashing the process (the listener stays; the callback has the answer).
      stream.on('error', ignore);
      stream.write(content, (err) => (err ? reject(fail(err)) : resolve()));
    });
    return;
  }
  const bytes = Buffer.from(content, 'utf8');
  let off = 0;
  while (off < bytes.length) {
    try {
      off += writeSync(fd, bytes, off, bytes.length - off);
    } catch (err) {
      if (errnoCode(err) !== 'EAGAIN') throw fail(err);
      pause(5);
    }
  }
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
    const done: PlannedOutput[] = [];
    files.forEach((f, i) => {
      try {
        renameSync(temps[i], f.out.target);
      } catch (err) {
        throw writeFailure(f.out, err, done);
      }
      written = true;
      pending.delete(temps[i]);
      done.push(f.out);
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
  const rendered = planned.map((out) => ({ out, content: render[out.flag]() }));
  writeAll(rendered.filter((r) => r.out.fd === undefined));
  for (const r of rendered) if (r.out.fd !== undefined) await writeStream(r.out, r.content);
}
