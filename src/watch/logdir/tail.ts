// Tailing a TensorBoard log directory while a job writes it: each poll finds new runs (sub-folders)
// and new event files, and reads each file on from the end of its last complete record. A record
// cut short at the end of a file is a record still being written: it is read again, whole, at a
// later poll (records.ts stops before it). A SessionLog START in a file_version ≥ 2 file is a
// restart: the accumulator discards what was logged earlier at steps ≥ the restart step, and the
// restart is reported once. Damaged records are reported with file and offset, once.
import { relative, sep } from 'node:path';
import { EventDecoder } from '../../tensorboard/event.ts';
import { type FileProblem, findRuns } from '../../tensorboard/logdir.ts';
import { type ByteSource, fileSource, readRecords } from '../../tensorboard/records.ts';
import { emptyRun, type Restart, RunAccumulator, type RunData } from '../../tensorboard/run-data.ts';
import { WireError } from '../../tensorboard/wire.ts';

interface FileState {
  name: string;
  /** Bytes consumed: the end of the last complete record (or of skipped damage). */
  offset: number;
  version: number;
  /** Problems already reported, by offset (a truncated tail is not a problem). */
  reported: Set<number>;
}

interface RunState {
  run: RunData;
  acc: RunAccumulator;
  decoder: EventDecoder;
  files: Map<string, FileState>;
  restartsSeen: number;
}

export interface PollResult {
  /** Bytes of complete records read in this poll. */
  bytes: number;
  newRuns: string[];
  newFiles: string[];
  /** Runs that read at least one complete record in this poll. */
  changedRuns: string[];
  problems: FileProblem[];
  restarts: { run: string; restart: Restart }[];
}

/** The bytes of a file from `start` on, as a ByteSource (offsets relative to `start`). */
function from(source: ByteSource, start: number): ByteSource {
  return {
    size: Math.max(0, source.size - start),
    read: (target, offset, length, position) => source.read(target, offset, length, position + start),
    close: () => source.close(),
  };
}

/** Where a tail finds runs and reads files: the local folder, or object storage (object-tail.ts). */
export interface TailIO {
  /** Run name → its files (paths or object keys), sorted by name. */
  findRuns(): Map<string, string[]>;
  /** A file's bytes; throws when it cannot be read now (tried again at the next poll). */
  open(path: string): ByteSource;
  /** The file's name relative to the log directory, '/'-separated. */
  name(path: string): string;
}

function localIO(root: string): TailIO {
  return {
    findRuns: () => findRuns(root),
    open: fileSource,
    name: (path) => relative(root, path).split(sep).join('/'),
  };
}

export class LogdirTail {
  private readonly runs = new Map<string, RunState>();
  private readonly io: TailIO;

  constructor(
    readonly root: string,
    io?: TailIO,
  ) {
    this.io = io ?? localIO(root);
  }

  /** Bytes of a file consumed so far (0 for a file not seen yet): where the next read starts. */
  offsetOf(path: string): number {
    for (const state of this.runs.values()) {
      const file = state.files.get(path);
      if (file) return file.offset;
    }
    return 0;
  }

  /** Every run read so far, in name order. */
  get runData(): RunData[] {
    return [...this.runs.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, s]) => s.run);
  }

  poll(): PollResult {
    const result: PollResult = {
      bytes: 0,
      newRuns: [],
      newFiles: [],
      changedRuns: [],
      problems: [],
      restarts: [],
    };
    for (const [name, paths] of this.io.findRuns()) {
      let state = this.runs.get(name);
      if (!state) {
        const run = emptyRun(name);
        const acc = new RunAccumulator(run);
        state = { run, acc, decoder: new EventDecoder(acc), files: new Map(), restartsSeen: 0 };
        this.runs.set(name, state);
        result.newRuns.push(name);
      }
      const before = result.bytes;
      for (const path of paths) this.readFile(state, path, result);
      if (result.bytes > before) result.changedRuns.push(name);
      state.acc.finish();
      for (const restart of state.run.restarts.slice(state.restartsSeen))
        result.restarts.push({ run: name, restart });
      state.restartsSeen = state.run.restarts.length;
    }
    return result;
  }

  private readFile(state: RunState, path: string, result: PollResult): void {
    let file = state.files.get(path);
    if (!file) {
      file = {
        name: this.io.name(path),
        offset: 0,
        version: 0,
        reported: new Set(),
      };
      state.files.set(path, file);
      state.acc.startFile(file.name);
      result.newFiles.push(file.name);
    } else {
      state.acc.resumeFile(file.version);
    }
    let source: ByteSource;
    try {
      source = this.io.open(path);
    } catch {
      return; // vanished or unreadable for now: tried again at the next poll
    }
    if (source.size <= file.offset) {
      source.close();
      return;
    }
    const current = file;
    const base = current.offset;
    try {
      const read = readRecords(from(source, base), (buf, start, end, offset) => {
        try {
          state.decoder.decode(buf, start, end);
        } catch (err) {
          if (!(err instanceof WireError || err instanceof RangeError)) throw err;
          this.report(current, result, {
            kind: 'undecodable',
            offset: base + offset,
            message: `undecodable event record (${err.message}); record skipped`,
          });
        }
      });
      // A record cut short is still being written: read again, from its start, next time.
      const cut = read.problems.find((p) => p.kind === 'truncated');
      for (const p of read.problems)
        if (p !== cut) this.report(current, result, { ...p, offset: base + p.offset });
      const consumed = cut ? cut.offset : read.bytes;
      current.offset = base + consumed;
      result.bytes += consumed;
    } catch {
      // an I/O error mid-read: keep what was read, try again at the next poll
    } finally {
      source.close();
    }
    current.version = state.acc.currentVersion;
  }

  private report(
    file: FileState,
    result: PollResult,
    p: { kind: FileProblem['kind']; offset: number; message: string },
  ): void {
    if (file.reported.has(p.offset)) return;
    file.reported.add(p.offset);
    result.problems.push({ file: file.name, kind: p.kind, offset: p.offset, message: p.message });
  }
}
