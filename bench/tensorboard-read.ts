// Reads two generated TensorBoard event files with CRC checking on and prints MB/s and memory for
// each, side by side in one run:
//
//   npx tsx bench/tensorboard-read.ts [--mb 200] [--runs 5] [--keep]
//
// - large records: what a PyTorch run with histograms logs (per step: loss, lr, accuracy as
//   simple_value; every 25 steps: legacy weight and gradient histograms of 8 parameters, ~560
//   buckets each) mixed with TF2-style records (float32 tensor scalars, float64 [30,3] tensor
//   histograms) — most bytes are in a few large records;
// - dense scalars: only scalars, ~50-byte records, 8 tags per step as PyTorch add_scalar
//   (simple_value) and TF2/Keras tf.summary.scalar (float32 tensor + "scalars" metadata) write
//   them — millions of small records, where per-record costs dominate.
// Reading happens in a fresh child process so that its memory figures are not the generator's.
// MB = 10^6 bytes. Each run reads the whole file: framing, both CRCs, protobuf decoding, and
// reduction into the in-memory run (the same path `nn-doctor diagnose` takes).
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32c } from '../src/tensorboard/crc32c.ts';
import { readLogdir } from '../src/tensorboard/logdir.ts';
import {
  fileVersionEvent,
  legacyHistogramEvent,
  simpleScalarEvent,
  tensorHistogramEvent,
  tensorScalarEvent,
} from '../src/tensorboard/testing/events.ts';
import { normals } from '../src/tensorboard/testing/planted.ts';
import { ProtoWriter } from '../src/tensorboard/testing/proto-writer.ts';
import { frameRecord } from '../src/tensorboard/testing/record-writer.ts';

const MB = 1e6;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** The Summary submessage (Event field 5, with its tag and length) of an encoded Event. */
function summaryPart(event: Uint8Array): Uint8Array {
  // Encoded events here are wall_time (9 bytes), [step], summary: find field 5's tag byte 0x2a.
  let i = 9;
  if (event[i] === 0x10) {
    i++;
    while (event[i] & 0x80) i++;
    i++;
  }
  return event.subarray(i);
}

/** Event { wall_time, step } followed by a pre-encoded summary field. */
function withStep(wallTime: number, step: number, summary: Uint8Array): Uint8Array {
  const w = new ProtoWriter(32 + summary.length);
  w.double(1, wallTime);
  if (step) w.int(2, step);
  const head = w.finish();
  const out = new Uint8Array(head.length + summary.length);
  out.set(head);
  out.set(summary, head.length);
  return out;
}

function scalarSummary(tag: string, value: number, tensor: boolean): Uint8Array {
  const w = new ProtoWriter();
  w.message(5, (s) =>
    s.message(1, (v) => {
      v.string(1, tag);
      if (!tensor) v.float(2, value);
      else {
        v.message(8, (t) =>
          t
            .int(1, 1)
            .bytes(2, new Uint8Array(0))
            .bytes(4, new Uint8Array(new Float32Array([value]).buffer)),
        );
        v.message(9, (m) => m.message(1, (p) => p.string(1, 'scalars')));
      }
    }),
  );
  return w.finish();
}

function generate(
  path: string,
  targetBytes: number,
): { records: number; scalars: number; histograms: number } {
  const normal = normals(11);
  const params = [
    'conv1.weight',
    'conv1.bias',
    'conv2.weight',
    'conv2.bias',
    'fc1.weight',
    'fc1.bias',
    'fc2.weight',
    'fc2.bias',
  ];
  // A few distinct histograms per tag, reused with new steps (bucketing 10^5 values per record
  // would make generation, not reading, the slow part).
  const variants = 4;
  const legacy = new Map<string, Uint8Array[]>();
  for (const p of params) {
    const size = p.endsWith('bias') ? 64 : 20_000;
    const list: Uint8Array[] = [];
    for (let v = 0; v < variants; v++) {
      list.push(summaryPart(legacyHistogramEvent(1, 1, p, normal(size, 0.05 * (1 + v / 10)))));
      list.push(summaryPart(legacyHistogramEvent(1, 1, `${p}.grad`, normal(size, 1e-3 * (1 + v / 10)))));
    }
    legacy.set(p, list);
  }
  const tensorHistos = ['dense/kernel_0', 'dense/bias_0', 'dense_1/kernel_0', 'dense_1/bias_0'].map((tag) =>
    summaryPart(tensorHistogramEvent(1, 1, tag, normal(5000, 0.1), { dtype: 'float64' })),
  );
  const fd = openSync(path, 'w');
  const buffer = new Uint8Array(16 << 20);
  let used = 0;
  let written = 0;
  let records = 0;
  let scalars = 0;
  let histograms = 0;
  const emit = (event: Uint8Array) => {
    const rec = frameRecord(event);
    if (used + rec.length > buffer.length) {
      writeSync(fd, buffer, 0, used);
      used = 0;
    }
    buffer.set(rec, used);
    used += rec.length;
    written += rec.length;
    records++;
  };
  emit(fileVersionEvent(1.7e9));
  let step = 0;
  let wall = 1.7e9;
  while (written < targetBytes) {
    wall += 0.05;
    emit(withStep(wall, step, scalarSummary('loss', 2 / (1 + step / 1000), false)));
    emit(withStep(wall, step, scalarSummary('lr', 1e-3, false)));
    emit(withStep(wall, step, scalarSummary('epoch_accuracy', 0.5, true)));
    scalars += 3;
    if (step % 25 === 0) {
      for (const p of params) {
        const list = legacy.get(p) as Uint8Array[];
        const v = (step / 25) % variants;
        emit(withStep(wall, step, list[2 * v]));
        emit(withStep(wall, step, list[2 * v + 1]));
        histograms += 2;
      }
      for (const h of tensorHistos) {
        emit(withStep(wall, step, h));
        histograms++;
      }
    }
    step++;
  }
  writeSync(fd, buffer, 0, used);
  closeSync(fd);
  return { records, scalars, histograms };
}

/** Scalars only: 8 tags per step, half PyTorch simple_value, half TF2 tensor + metadata. */
function generateDense(path: string, targetBytes: number): { records: number; scalars: number } {
  const simple = ['train/loss', 'train/accuracy', 'lr', 'grad_norm'];
  const tensor = ['epoch_loss', 'epoch_accuracy', 'evaluation_loss_vs_iterations', 'epoch_learning_rate'];
  const fd = openSync(path, 'w');
  const buffer = new Uint8Array(16 << 20);
  let used = 0;
  let written = 0;
  let records = 0;
  const emit = (event: Uint8Array) => {
    const rec = frameRecord(event);
    if (used + rec.length > buffer.length) {
      writeSync(fd, buffer, 0, used);
      used = 0;
    }
    buffer.set(rec, used);
    used += rec.length;
    written += rec.length;
    records++;
  };
  emit(fileVersionEvent(1.7e9));
  let step = 0;
  while (written < targetBytes) {
    const wall = 1.7e9 + step * 0.01;
    for (const tag of simple) emit(simpleScalarEvent(wall, step, tag, 1 / (1 + step / 1000)));
    for (const tag of tensor) emit(tensorScalarEvent(wall, step, tag, 1 / (1 + step / 1000)));
    step++;
  }
  writeSync(fd, buffer, 0, used);
  closeSync(fd);
  return { records, scalars: records - 1 };
}

function readChild(dir: string, runs: number): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const base = process.memoryUsage();
  const results: { seconds: number; mbs: number; cpuMbs: number; peakRss: number; peakHeap: number }[] = [];
  let kept = 0;
  for (let r = 0; r < runs; r++) {
    gc?.();
    let peakRss = 0;
    let peakHeap = 0;
    let nextSample = 0;
    const sample = (bytesRead = Number.POSITIVE_INFINITY) => {
      if (bytesRead < nextSample) return;
      nextSample = bytesRead + 16 * MB; // memoryUsage() reads /proc: every 16 MB is enough
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    };
    const started = performance.now();
    const cpu = process.cpuUsage();
    const data = readLogdir(dir, { onProgress: sample });
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    sample();
    if (data.problems.length) throw new Error(`unexpected problems: ${data.problems[0].message}`);
    kept = 0;
    for (const run of data.runs) {
      // Typed columns: the buffers behind the views, spare capacity included.
      for (const s of run.scalars.values()) kept += s.steps.buffer.byteLength * 3;
      for (const h of run.histograms.values())
        kept += h.steps.length * 7 * 8 + ((h.first?.k ?? 0) + (h.last?.k ?? 0)) * 24;
    }
    results.push({
      seconds,
      mbs: data.bytes / MB / seconds,
      cpuMbs: data.bytes / MB / cpuSeconds,
      peakRss: peakRss - base.rss,
      peakHeap: peakHeap - base.heapUsed,
    });
  }
  const verifyOff = (() => {
    const started = performance.now();
    const data = readLogdir(dir, { verify: false });
    return data.bytes / MB / ((performance.now() - started) / 1000);
  })();
  process.stdout.write(`${JSON.stringify({ results, verifyOff, kept })}\n`);
}

function crcRate(): number {
  const buf = new Uint8Array(64 << 20).map((_, i) => (i * 2654435761) >>> 24);
  let best = 0;
  for (let r = 0; r < 3; r++) {
    const started = performance.now();
    crc32c(buf);
    best = Math.max(best, buf.length / MB / ((performance.now() - started) / 1000));
  }
  return best;
}

interface ChildResult {
  results: { seconds: number; mbs: number; cpuMbs: number; peakRss: number; peakHeap: number }[];
  verifyOff: number;
  kept: number;
}

function readInChild(runDir: string, runs: number): ChildResult {
  const child = spawnSync(
    process.execPath,
    [
      ...process.execArgv,
      '--expose-gc',
      fileURLToPath(import.meta.url),
      '--read',
      runDir,
      '--runs',
      String(runs),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  if (child.status !== 0) throw new Error(`reader process failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop() as string) as ChildResult;
}

function report(name: string, size: number, out: ChildResult): { best: number; bestCpu: number } {
  console.log(`\n${name}:`);
  out.results.forEach((r, i) => {
    console.log(
      `  run ${i + 1}: ${r.mbs.toFixed(0)} MB/s wall, ${r.cpuMbs.toFixed(0)} MB/s per CPU-second, with CRC checking (${r.seconds.toFixed(2)} s); ` +
        `peak RSS +${(r.peakRss / MB).toFixed(1)} MB, peak heap +${(r.peakHeap / MB).toFixed(1)} MB over the reader's baseline`,
    );
  });
  console.log(`  without CRC checking: ${out.verifyOff.toFixed(0)} MB/s (for comparison only)`);
  console.log(
    `  data kept in memory: ~${(out.kept / MB).toFixed(1)} MB of series for a ${(size / MB).toFixed(0)} MB file`,
  );
  return {
    best: Math.max(...out.results.map((r) => r.mbs)),
    bestCpu: Math.max(...out.results.map((r) => r.cpuMbs)),
  };
}

function main(): void {
  const readAt = process.argv.indexOf('--read');
  if (readAt >= 0) {
    readChild(process.argv[readAt + 1], arg('runs', 5));
    return;
  }
  const targetMb = arg('mb', 200);
  const runs = arg('runs', 5);
  const dir = mkdtempSync(join(tmpdir(), 'nn-doctor-tb-bench-'));
  const largeDir = join(dir, 'large');
  const denseDir = join(dir, 'dense');
  mkdirSync(largeDir);
  mkdirSync(denseDir);
  const largePath = join(largeDir, 'events.out.tfevents.1700000000.bench.1.0');
  const densePath = join(denseDir, 'events.out.tfevents.1700000000.bench.2.0');
  try {
    let started = performance.now();
    const large = generate(largePath, targetMb * MB);
    const largeSize = statSync(largePath).size;
    console.log(
      `large records: generated ${(largeSize / MB).toFixed(1)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
        `${large.records.toLocaleString('en')} records (${large.scalars.toLocaleString('en')} scalars, ${large.histograms.toLocaleString('en')} histograms)`,
    );
    started = performance.now();
    const dense = generateDense(densePath, targetMb * MB);
    const denseSize = statSync(densePath).size;
    console.log(
      `dense scalars: generated ${(denseSize / MB).toFixed(1)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
        `${dense.records.toLocaleString('en')} records of ${(denseSize / dense.records).toFixed(0)} bytes on average`,
    );
    console.log(`CRC-32C alone: ${crcRate().toFixed(0)} MB/s`);
    const load = [loadavg()[0]];
    const a = report('large records', largeSize, readInChild(largeDir, runs));
    load.push(loadavg()[0]);
    const b = report('dense scalars', denseSize, readInChild(denseDir, runs));
    load.push(loadavg()[0]);
    console.log(
      `\nbest, one thread, CRC checking on (target ≥ 300 MB/s for both):\n` +
        `  large records ${a.best.toFixed(0)} MB/s wall, ${a.bestCpu.toFixed(0)} MB/s per CPU-second\n` +
        `  dense scalars ${b.best.toFixed(0)} MB/s wall, ${b.bestCpu.toFixed(0)} MB/s per CPU-second (${(b.bestCpu / a.bestCpu).toFixed(2)}× the large-record rate)\n` +
        `  load average ${load.map((l) => l.toFixed(1)).join(' → ')} on ${availableParallelism()} cores while measuring — wall time counts time the reader waited for a core`,
    );
  } finally {
    if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${dir}`);
  }
}

main();
