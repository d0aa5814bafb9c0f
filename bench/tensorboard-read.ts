// Reads a generated 200 MB TensorBoard event file with CRC checking on and prints MB/s and memory.
//
//   npx tsx bench/tensorboard-read.ts [--mb 200] [--runs 5] [--keep]
//
// The file mixes what a PyTorch run with histograms logs (per step: loss, lr, accuracy as
// simple_value; every 25 steps: legacy weight and gradient histograms of 8 parameters, ~560
// buckets each) with TF2-style records (float32 tensor scalars, float64 [30,3] tensor histograms).
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
  tensorHistogramEvent,
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
      for (const s of run.scalars.values()) kept += s.steps.length * 3 * 8;
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

function main(): void {
  const readAt = process.argv.indexOf('--read');
  if (readAt >= 0) {
    readChild(process.argv[readAt + 1], arg('runs', 5));
    return;
  }
  const targetMb = arg('mb', 200);
  const runs = arg('runs', 5);
  const dir = mkdtempSync(join(tmpdir(), 'nn-doctor-tb-bench-'));
  const runDir = join(dir, 'run');
  mkdirSync(runDir);
  const path = join(runDir, 'events.out.tfevents.1700000000.bench.1.0');
  try {
    let started = performance.now();
    const counts = generate(path, targetMb * MB);
    const size = statSync(path).size;
    console.log(
      `generated ${(size / MB).toFixed(1)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
        `${counts.records.toLocaleString('en')} records (${counts.scalars.toLocaleString('en')} scalars, ${counts.histograms.toLocaleString('en')} histograms)`,
    );
    started = performance.now();
    console.log(`CRC-32C alone: ${crcRate().toFixed(0)} MB/s`);
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
    const out = JSON.parse(child.stdout.trim().split('\n').pop() as string) as {
      results: { seconds: number; mbs: number; cpuMbs: number; peakRss: number; peakHeap: number }[];
      verifyOff: number;
      kept: number;
    };
    out.results.forEach((r, i) => {
      console.log(
        `run ${i + 1}: ${r.mbs.toFixed(0)} MB/s wall, ${r.cpuMbs.toFixed(0)} MB/s per CPU-second, with CRC checking (${r.seconds.toFixed(2)} s); ` +
          `peak RSS +${(r.peakRss / MB).toFixed(1)} MB, peak heap +${(r.peakHeap / MB).toFixed(1)} MB over the reader's baseline`,
      );
    });
    const best = Math.max(...out.results.map((r) => r.mbs));
    const bestCpu = Math.max(...out.results.map((r) => r.cpuMbs));
    console.log(`without CRC checking: ${out.verifyOff.toFixed(0)} MB/s (for comparison only)`);
    console.log(
      `data kept in memory: ~${(out.kept / MB).toFixed(1)} MB of series for a ${(size / MB).toFixed(0)} MB file`,
    );
    const load = loadavg()[0];
    console.log(
      `best: ${best.toFixed(0)} MB/s wall, ${bestCpu.toFixed(0)} MB/s per CPU-second, one thread (target ≥ 300 MB/s on one core; ` +
        `load average ${load.toFixed(1)} on ${availableParallelism()} cores while measuring — wall time counts time the reader waited for a core)`,
    );
  } finally {
    if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${dir}`);
  }
}

main();
