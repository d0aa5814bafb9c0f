// Per-kernel time of a training step (tf.profile), for bench/wasm-cnn.ts --profile: which kernels
// (by name and input shapes) a step spends its time in, and each one's rate where its FLOPs are known.
// (In bench/lib/: a helper, not a bench of its own.)
import * as tf from '@tensorflow/tfjs';

export type KernelTime = { name: string; shapes: string; calls: number; ms: number; gflop: number };

/** Multiply-add FLOPs of the kernels whose cost is a product of their shapes (0 for the rest). */
function kernelFlops(name: string, inputShapes: number[][], outputShapes: number[][]): number {
  const out = outputShapes[0] ?? [];
  const size = (s: number[]) => s.reduce((p, d) => p * d, 1);
  if (name === 'BatchMatMul' || name === '_FusedMatMul') {
    const a = inputShapes[0];
    if (a == null || a.length < 2 || out.length < 2) return 0;
    // out (…, M, N); of a's last two dimensions, the one that is not M is the shared K.
    const [a0, a1] = a.slice(-2);
    return 2 * size(out) * (a0 === out[out.length - 2] ? a1 : a0);
  }
  if (name === 'Conv2D' || name === 'FusedConv2D') {
    const filter = inputShapes[1];
    return 2 * size(out) * filter[0] * filter[1] * filter[2];
  }
  if (name === 'Conv2DBackpropInput') {
    const [dy, filter] = inputShapes;
    return 2 * size(dy) * filter[0] * filter[1] * filter[2];
  }
  if (name === 'Conv2DBackpropFilter') {
    const dy = inputShapes[1];
    return 2 * size(dy) * out[0] * out[1] * out[2];
  }
  return 0;
}

/** Runs `step` once under tf.profile and sums the kernel times by name and input shapes. */
export async function profileStep(step: () => Promise<unknown>): Promise<KernelTime[]> {
  const info = await tf.profile(async () => {
    await step();
  });
  const rows = new Map<string, KernelTime>();
  for (const k of info.kernels) {
    const ms = await k.kernelTimeMs;
    if (typeof ms !== 'number') continue;
    const shapes = k.inputShapes.map((s) => `[${s}]`).join(' ');
    const key = `${k.name} ${shapes}`;
    const row = rows.get(key) ?? { name: k.name, shapes, calls: 0, ms: 0, gflop: 0 };
    row.calls++;
    row.ms += ms;
    row.gflop += kernelFlops(k.name, k.inputShapes, k.outputShapes) / 1e9;
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => b.ms - a.ms);
}

/** Adds `next` into `total` (same keys), for averaging profiles over several steps. */
export function mergeProfiles(total: Map<string, KernelTime>, next: KernelTime[]): void {
  for (const row of next) {
    const key = `${row.name} ${row.shapes}`;
    const t = total.get(key) ?? { ...row, calls: 0, ms: 0, gflop: 0 };
    t.calls += row.calls;
    t.ms += row.ms;
    t.gflop += row.gflop;
    total.set(key, t);
  }
}
