// Fuzzing the reader with fast-check: > 10,000 mutated event files (bit flips, overwritten,
// inserted and deleted bytes, truncations, several at once; payloads rewritten under valid CRCs;
// pure noise). Properties: the reader never throws or hangs; it never delivers a record that was
// not in the original file; and it reports a problem exactly when the file is no longer a clean
// sequence of the original records.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskedCrc32c } from './crc32c.ts';
import { EventDecoder } from './event.ts';
import { readRun } from './logdir.ts';
import { bufferSource, type ReadProblem, readRecords } from './records.ts';
import { emptyRun, RunAccumulator } from './run-data.ts';
import { EventFileWriter, type WriterStyle } from './testing/writers.ts';
import { WireError } from './wire.ts';

interface Base {
  bytes: Uint8Array;
  offsets: number[];
  /** Framed records, as written. */
  framed: Uint8Array[];
}

function base(style: WriterStyle): Base {
  const w = new EventFileWriter(style, { buckets: 6 });
  for (let s = 0; s < 6; s++) {
    w.scalar('loss', 1 / (s + 1), s);
    if (s % 2 === 0) w.histogram('fc1.weight', [1, 1.2, 1.5, 1.7, 2], s);
  }
  w.scalar('val_loss', 0.5, 6);
  const { bytes, offsets } = w.bytes();
  const framed = offsets.map((o, i) =>
    bytes.slice(o, i + 1 < offsets.length ? offsets[i + 1] : bytes.length),
  );
  return { bytes, offsets, framed };
}

const BASES = (['pytorch', 'keras', 'tfjs'] as const).map(base);

const key = (b: Uint8Array) => Buffer.from(b).toString('base64');

/**
 * The oracle: is `bytes` exactly a sequence of the original framed records? Returns that sequence
 * (as data payloads), or null when it is not.
 */
function cleanSequence(bytes: Uint8Array, b: Base): string[] | null {
  const out: string[] = [];
  let p = 0;
  outer: while (p < bytes.length) {
    for (const r of b.framed) {
      if (p + r.length > bytes.length) continue;
      let same = true;
      for (let i = 0; i < r.length; i++) {
        if (bytes[p + i] !== r[i]) {
          same = false;
          break;
        }
      }
      if (same) {
        out.push(key(r.subarray(12, r.length - 4)));
        p += r.length;
        continue outer;
      }
    }
    return null;
  }
  return out;
}

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate'; from: number; length: number; to: number };

/** Positions are fractions of the current length, so one arbitrary fits every file. */
const fraction = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fraction, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fraction, value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fraction }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fraction,
    bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fraction, length: fc.integer({ min: 1, max: 60 }) }),
  fc.record({
    kind: fc.constant('duplicate' as const),
    from: fraction,
    length: fc.integer({ min: 1, max: 80 }),
    to: fraction,
  }),
) as fc.Arbitrary<Mutation>;

function mutate(input: Uint8Array, m: Mutation): Uint8Array {
  const n = input.length;
  if (n === 0) return input;
  const at = (f: number) => Math.min(n - 1, Math.floor(f * n));
  switch (m.kind) {
    case 'flip': {
      const out = input.slice();
      out[at(m.at)] ^= 1 << m.bit;
      return out;
    }
    case 'set': {
      const out = input.slice();
      out[at(m.at)] = m.value;
      return out;
    }
    case 'truncate':
      return input.slice(0, at(m.at));
    case 'insert': {
      const p = at(m.at);
      return new Uint8Array([...input.subarray(0, p), ...m.bytes, ...input.subarray(p)]);
    }
    case 'delete': {
      const p = at(m.at);
      return new Uint8Array([...input.subarray(0, p), ...input.subarray(p + m.length)]);
    }
    case 'duplicate': {
      const from = at(m.from);
      const piece = input.slice(from, from + m.length);
      const to = at(m.to);
      return new Uint8Array([...input.subarray(0, to), ...piece, ...input.subarray(to)]);
    }
  }
}

/** Reads like readRun, keeping what the reader delivered. */
function readAll(bytes: Uint8Array) {
  const run = emptyRun('.');
  const acc = new RunAccumulator(run);
  const decoder = new EventDecoder(acc);
  const delivered: string[] = [];
  const decodeProblems: ReadProblem[] = [];
  const result = readRecords(
    bufferSource(bytes),
    (buf, start, end, offset) => {
      delivered.push(key(buf.subarray(start, end)));
      try {
        decoder.decode(buf, start, end);
      } catch (err) {
        if (!(err instanceof WireError)) throw err;
        decodeProblems.push({ kind: 'undecodable', offset, message: err.message });
      }
    },
    { chunkSize: 256 },
  );
  acc.finish();
  return { ...result, delivered, decodeProblems, run };
}

let filesRead = 0;

describe('fuzzing the event-file reader', () => {
  it('mutated files: no crash or hang, nothing invented, every corruption reported', () => {
    const originals = BASES.map((b) => new Set(b.framed.map((r) => key(r.subarray(12, r.length - 4)))));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: BASES.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        (which, mutations) => {
          const b = BASES[which];
          const bytes = mutations.reduce(mutate, b.bytes);
          const r = readAll(bytes);
          filesRead++;
          for (const d of r.delivered) expect(originals[which].has(d)).toBe(true);
          expect(r.decodeProblems).toEqual([]); // records that verify are original, hence decodable
          const clean = cleanSequence(bytes, b);
          if (clean) {
            expect(r.problems).toEqual([]);
            expect(r.delivered).toEqual(clean);
          } else {
            expect(r.problems.length).toBeGreaterThan(0);
            for (const p of r.problems) {
              expect(p.offset).toBeGreaterThanOrEqual(0);
              expect(p.offset).toBeLessThanOrEqual(bytes.length);
            }
          }
        },
      ),
      { numRuns: 8000, seed: 20240607 },
    );
  });

  it('payloads rewritten under valid CRCs: the decoder reports or reads each record, never throws', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: BASES.length - 1 }),
        fc.array(fc.tuple(fraction, fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 8 }),
        (which, edits, cut) => {
          const b = BASES[which];
          const records = b.framed.map((r) => {
            const data = r.slice(12, r.length - 4 - (r.length > 40 ? cut : 0));
            for (const [f, v] of edits) if (data.length) data[Math.floor(f * data.length)] = v;
            return data;
          });
          const framed = records.map((data) => {
            const out = new Uint8Array(16 + data.length);
            const v = new DataView(out.buffer);
            v.setUint32(0, data.length, true);
            v.setUint32(8, maskedCrc32c(out, 0, 8), true);
            out.set(data, 12);
            v.setUint32(12 + data.length, maskedCrc32c(data), true);
            return out;
          });
          const bytes = new Uint8Array(framed.reduce((n, r) => n + r.length, 0));
          let at = 0;
          for (const r of framed) {
            bytes.set(r, at);
            at += r.length;
          }
          const result = readRun('.', [{ name: 'f', open: () => bufferSource(bytes) }]);
          filesRead++;
          expect(result.records).toBe(records.length);
          expect(result.problems.every((p) => p.kind === 'undecodable')).toBe(true);
          expect(result.run.values).toBeLessThanOrEqual(records.length * 2);
        },
      ),
      { numRuns: 3000, seed: 42 },
    );
  });

  it('pure noise: reported, never read as data', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 3000 }), (noise) => {
        const r = readAll(noise);
        filesRead++;
        expect(r.delivered).toEqual([]);
        expect(r.problems.length).toBeGreaterThan(0);
      }),
      { numRuns: 500, seed: 7 },
    );
    expect(filesRead).toBeGreaterThanOrEqual(11_500);
  });
});
