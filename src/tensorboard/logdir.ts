// Log directory → runs. A run is a folder that directly holds event files (`*tfevents*`, as
// TensorBoard recognizes them), found recursively: `logdir/train`, `logdir/validation`,
// `logdir/exp1/train`… Its files are read in file-name order (their names begin with the creation
// time). Problems are collected per file with byte offsets; reading never throws for bad data.
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { EventDecoder } from './event.ts';
import { type ByteSource, fileSource, type ProblemKind, type ReadOptions, readRecords } from './records.ts';
import { emptyRun, RunAccumulator, type RunData } from './run-data.ts';
import { WireError } from './wire.ts';

export interface FileProblem {
  /** File relative to the log directory. */
  file: string;
  kind: ProblemKind | 'unreadable';
  offset: number;
  message: string;
  /** How many problems this entry stands for (1 unless it sums up the unlisted rest), up to which offset. */
  count?: number;
  until?: number;
}

/** A whole log directory in memory (bench/tensorboard-read.ts; diagnose streams instead: RunSource). */
export interface LogdirData {
  root: string;
  runs: RunData[];
  problems: FileProblem[];
  files: number;
  /** Bytes of event files consumed. */
  bytes: number;
  /** Records that verified (and decoded or not). */
  records: number;
}

export function isEventFile(name: string): boolean {
  return name.includes('tfevents');
}

/** Run name (relative folder, '/'-separated, '.' for the root) → event files (absolute), sorted by name. */
export function findRuns(root: string): Map<string, string[]> {
  const runs = new Map<string, string[]>();
  const walk = (dir: string) => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // unreadable folder: nothing of it can be read (TensorBoard skips it too)
    }
    const files: string[] = [];
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = join(dir, e.name);
      if (e.isDirectory())
        walk(path); // symlinked folders are not followed (no cycles)
      else if (isEventFile(e.name) && (e.isFile() || (e.isSymbolicLink() && isFile(path)))) files.push(path);
    }
    if (files.length > 0) {
      const rel = relative(root, dir);
      runs.set(rel === '' ? '.' : rel.split(sep).join('/'), files);
    }
  };
  walk(root);
  return new Map([...runs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** One event file's bytes, as read into a run. */
export interface EventFileInput {
  /** Name for problems (relative to the log directory). */
  name: string;
  open(): ByteSource;
}

export interface RunReadResult {
  run: RunData;
  problems: FileProblem[];
  bytes: number;
  records: number;
}

/** Reads a run's files in order into one RunData. */
export function readRun(name: string, files: EventFileInput[], options: ReadOptions = {}): RunReadResult {
  const run = emptyRun(name);
  const acc = new RunAccumulator(run);
  const decoder = new EventDecoder(acc);
  const problems: FileProblem[] = [];
  let bytes = 0;
  let records = 0;
  for (const file of files) {
    acc.startFile(file.name);
    let source: ByteSource;
    try {
      source = file.open();
    } catch (err) {
      problems.push({
        file: file.name,
        kind: 'unreadable',
        offset: 0,
        message: `cannot read: ${errorText(err)}`,
      });
      continue;
    }
    try {
      const result = readRecords(
        source,
        (buf, start, end, offset) => {
          try {
            decoder.decode(buf, start, end);
          } catch (err) {
            if (!(err instanceof WireError || err instanceof RangeError)) throw err;
            problems.push({
              file: file.name,
              kind: 'undecodable',
              offset,
              message: `undecodable event record (${err.message}); record skipped`,
            });
          }
        },
        options,
      );
      bytes += result.bytes;
      records += result.records;
      for (const p of result.problems) problems.push({ file: file.name, ...p });
    } catch (err) {
      // I/O errors mid-file (the file vanished, EIO): keep what was read.
      problems.push({
        file: file.name,
        kind: 'unreadable',
        offset: 0,
        message: `read failed: ${errorText(err)}`,
      });
    } finally {
      source.close();
    }
  }
  acc.finish();
  return { run, problems, bytes, records };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The runs of a log directory, each read on demand (streamed: diagnose holds one run's data at a
 * time, not the folder's). `runs` lists them in name order with their event-file counts.
 */
export interface RunSource {
  readonly runs: ReadonlyMap<string, number>;
  read(name: string): Promise<RunReadResult>;
}

/** The runs under a local folder. */
export function localRunSource(root: string, options: ReadOptions = {}): RunSource {
  const found = findRuns(root);
  return {
    runs: new Map([...found].map(([name, paths]) => [name, paths.length])),
    async read(name) {
      const inputs = (found.get(name) ?? []).map((path) => ({
        name: relative(root, path).split(sep).join('/'),
        open: () => fileSource(path),
      }));
      return readRun(name, inputs, options);
    },
  };
}

/** Reads every run under `root` into memory at once. */
export function readLogdir(root: string, options: ReadOptions = {}): LogdirData {
  const data: LogdirData = { root, runs: [], problems: [], files: 0, bytes: 0, records: 0 };
  for (const [name, paths] of findRuns(root)) {
    const inputs = paths.map((path) => ({
      name: relative(root, path).split(sep).join('/'),
      open: () => fileSource(path),
    }));
    const result = readRun(name, inputs, options);
    data.runs.push(result.run);
    for (const p of result.problems) data.problems.push(p);
    data.files += paths.length;
    data.bytes += result.bytes;
    data.records += result.records;
  }
  return data;
}
