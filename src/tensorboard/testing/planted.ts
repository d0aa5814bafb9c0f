// Planted training runs, written as each writer would log them: a small ReLU MLP (32→64→32→10)
// trained for 100 steps, with the loss per step, validation loss per "epoch" (10 steps), weight,
// gradient and activation histograms every 10 steps — healthy, or with one fault planted.
//
// Tags per style (the conventions nn-doctor reads):
//   pytorch  one run: 'Loss/train', 'Loss/val', 'lr', 'fc1.weight', 'fc1.bias', 'fc1.weight.grad',
//            'fc1.bias.grad', 'fc1.activation'
//   keras    runs train/ and validation/: 'batch_loss' per step, 'epoch_loss' per epoch (both runs),
//            'dense/kernel_0', 'dense/bias_0' per epoch; gradients and activations as a custom
//            callback would write them: 'dense/kernel_0_grad', 'activations/dense'
//   tfjs     runs train/ and val/: 'loss' per step (train), 'val_loss' per epoch (val),
//            'dense_Dense1/kernel', 'dense_Dense1/bias', 'grads/dense_Dense1/kernel',
//            'dense_Dense1/activations'
import { join } from 'node:path';
import { createRng } from '../../core/random.ts';
import { EventFileWriter, fakeClock, type WriterStyle } from './writers.ts';

export type Fault = 'none' | 'exploding' | 'dead-relu' | 'variance-skew';

/** Seeded uniform [0, 1): the project's one PRNG (mulberry32). */
export const rng = createRng;

/** Seeded standard normals (Box–Muller). */
export function normals(seed: number): (n: number, std?: number, mean?: number) => Float64Array {
  const u = rng(seed);
  return (n, std = 1, mean = 0) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i += 2) {
      const r = Math.sqrt(-2 * Math.log(1 - u()));
      const t = 2 * Math.PI * u();
      out[i] = mean + std * r * Math.cos(t);
      if (i + 1 < n) out[i + 1] = mean + std * r * Math.sin(t);
    }
    return out;
  };
}

interface LayerSpec {
  fanIn: number;
  fanOut: number;
}

const LAYERS: LayerSpec[] = [
  { fanIn: 32, fanOut: 64 },
  { fanIn: 64, fanOut: 32 },
  { fanIn: 32, fanOut: 10 },
];
export const STEPS = 100;
export const EVERY = 10;
const BATCH = 256;

function names(style: WriterStyle, i: number, sequential = false) {
  if (style === 'pytorch') {
    // An nn.Sequential numbers its modules (Linear, ReLU, Linear…): `0.weight`, `2.weight`.
    const l = sequential ? String(2 * i) : `fc${i + 1}`;
    return {
      kernel: `${l}.weight`,
      bias: `${l}.bias`,
      grad: `${l}.weight.grad`,
      biasGrad: `${l}.bias.grad`,
      act: `${l}.activation`,
    };
  }
  if (style === 'keras') {
    const l = i === 0 ? 'dense' : `dense_${i}`;
    return {
      kernel: `${l}/kernel_0`,
      bias: `${l}/bias_0`,
      grad: `${l}/kernel_0_grad`,
      biasGrad: `${l}/bias_0_grad`,
      act: `activations/${l}`,
    };
  }
  const l = `dense_Dense${i + 1}`;
  return {
    kernel: `${l}/kernel`,
    bias: `${l}/bias`,
    grad: `grads/${l}/kernel`,
    biasGrad: `grads/${l}/bias`,
    act: `${l}/activations`,
  };
}

/** The layer names each style logs (input side first). */
export function layerNames(style: WriterStyle): string[] {
  return LAYERS.map((_, i) =>
    style === 'pytorch'
      ? `fc${i + 1}`
      : style === 'keras'
        ? i === 0
          ? 'dense'
          : `dense_${i}`
        : `dense_Dense${i + 1}`,
  );
}

export interface PlantOptions {
  /** Log gradient histograms (default true). */
  grads?: boolean;
  /** Log activation histograms of the hidden layers (default true). */
  activations?: boolean;
  seed?: number;
  /** PyTorch: the model is an nn.Sequential (parameters `0.weight`, `2.weight`, `4.weight`). */
  sequential?: boolean;
}

/**
 * Writes a planted run under `dir` in the given writer style; returns the event files written.
 * Faults: 'exploding' — loss and gradient norms grow ×1.5 per 10 steps, NaN from step 60;
 * 'dead-relu' — 95% of fc1's outputs are 0 from the start; 'variance-skew' — the second layer's
 * weights have 15× the He std (225× the variance).
 */
export function plantRun(
  dir: string,
  style: WriterStyle,
  fault: Fault,
  options: PlantOptions = {},
): string[] {
  const normal = normals(options.seed ?? 7);
  const u = rng((options.seed ?? 7) + 1);
  const separate = style !== 'pytorch';
  const clock = fakeClock();
  const train = new EventFileWriter(style, { clock });
  const val = separate ? new EventFileWriter(style, { clock }) : train;
  const nanFrom = fault === 'exploding' ? 60 : Number.POSITIVE_INFINITY;
  const lossAt = (step: number): number => {
    if (step >= nanFrom) return Number.NaN;
    if (fault === 'exploding') return 2.3 * 1.5 ** (step / 10);
    return 2.2 * Math.exp(-step / 45) + 0.15 + 0.03 * (u() - 0.5);
  };
  const gradScale = (step: number): number => {
    if (step >= nanFrom) return Number.NaN;
    return fault === 'exploding' ? 1.5 ** (step / 10) : 1 - step / 400;
  };
  const valLossAt = (epoch: number) => 2.2 * Math.exp(-(epoch * EVERY) / 45) + 0.2;
  const lossTag = style === 'pytorch' ? 'Loss/train' : style === 'keras' ? 'batch_loss' : 'loss';
  const valTag = style === 'pytorch' ? 'Loss/val' : style === 'keras' ? 'epoch_loss' : 'val_loss';
  for (let step = 0; step < STEPS; step++) {
    if (step % EVERY === 0) {
      for (let i = 0; i < LAYERS.length; i++) {
        const { fanIn, fanOut } = LAYERS[i];
        const n = names(style, i, options.sequential);
        const heStd = Math.sqrt(2 / fanIn);
        const std = fault === 'variance-skew' && i === 1 ? 15 * heStd : heStd;
        const histStep = style === 'keras' ? step / EVERY : step;
        train.histogram(n.kernel, normal(fanIn * fanOut, std), histStep);
        train.histogram(n.bias, normal(fanOut, 0.01), histStep);
        if (options.grads ?? true) {
          // Per-element std so that layer i's gradient norm is ≈ 0.5·(i+1)·gradScale.
          const g = (0.5 * (i + 1) * gradScale(step)) / Math.sqrt(fanIn * fanOut);
          const grads = (n: number) =>
            Number.isNaN(g) ? new Float64Array(n).fill(Number.NaN) : normal(n, g);
          train.histogram(n.grad, grads(fanIn * fanOut), histStep);
          train.histogram(n.biasGrad, grads(fanOut), histStep);
        }
        if ((options.activations ?? true) && i < LAYERS.length - 1) {
          const pre = normal(BATCH * fanOut, 1, fault === 'dead-relu' && i === 0 ? -1.65 : 0);
          const out = pre.map((x) => Math.max(x, 0));
          train.histogram(n.act, out, histStep);
        }
      }
    }
    train.scalar(lossTag, lossAt(step), step);
    if (style === 'pytorch') train.scalar('lr', 1e-3, step);
    if (step % EVERY === EVERY - 1) {
      // End of an "epoch": epoch-level scalars, as the Keras callback and tfjs-node write them.
      const epoch = (step + 1) / EVERY - 1;
      const valLoss = step >= nanFrom ? Number.NaN : valLossAt(epoch);
      if (style === 'keras') {
        train.scalar('epoch_loss', lossAt(step), epoch);
        train.scalar('epoch_learning_rate', 1e-3, epoch);
      }
      val.scalar(valTag, valLoss, style === 'pytorch' ? step : epoch);
    }
  }
  const files = [train.writeTo(separate ? join(dir, 'train') : dir)];
  if (separate) files.push(val.writeTo(join(dir, style === 'keras' ? 'validation' : 'val')));
  return files;
}
