// Parameters grouped into layers, in the order the writer first logged them (PyTorch's
// named_parameters() order, Keras's layer order): which layers own kernels, and their fans.
// Fan-in is the kernel's size over its fan-out; fan-out is the bias's size, or — for a kernel
// without bias followed by a norm layer (conv → batch norm) — the norm layer's scale size.
import type { ParamData } from './collect.ts';
import type { HistogramSeries } from './run-data.ts';
import { stepOrder } from './series.ts';

export interface Moments {
  num: number;
  sum: number;
  sumSquares: number;
  min: number;
  max: number;
}

/** Moments of a histogram series at its first step (the start of the run). */
export function firstMoments(h: HistogramSeries): Moments {
  const i = h.steps.length ? stepOrder(h.steps)[0] : -1;
  if (i < 0) return { num: 0, sum: 0, sumSquares: 0, min: 0, max: 0 };
  return { num: h.num[i], sum: h.sum[i], sumSquares: h.sumSquares[i], min: h.min[i], max: h.max[i] };
}

/** The first (smallest) step of a histogram series; 0 when empty. */
export function firstStep(h: HistogramSeries): number {
  return h.steps.length ? h.steps[stepOrder(h.steps)[0]] : 0;
}

export const NORM_LIKE = /(^|[._/])(bn|norm|ln|gn)/i;
const KERNEL_LIKE = /(fc|linear|dense|conv|out|head|classifier|proj|lstm|gru|rnn|attn|mlp|kernel)/i;

const numOf = (d: ParamData | undefined) => (d?.value ? firstMoments(d.value).num : 0);

export class LayerTable {
  /** Layer names in order of first appearance. */
  readonly order: string[] = [];
  private readonly byName = new Map<string, ParamData[]>();

  constructor(readonly params: ParamData[]) {
    for (const d of params) {
      const list = this.byName.get(d.param.layer);
      if (list) list.push(d);
      else {
        this.byName.set(d.param.layer, [d]);
        this.order.push(d.param.layer);
      }
    }
    for (const layer of this.order) {
      // A 1-D "weight" as long as the layer's bias, in a layer named like a norm layer, is the
      // norm's scale, not a kernel.
      const ps = this.of(layer);
      const bias = ps.find((d) => d.param.kind === 'bias');
      for (const d of ps) {
        if (d.param.kind !== 'kernel' || !bias?.value || !d.value) continue;
        if (numOf(d) === numOf(bias) && NORM_LIKE.test(layer) && !KERNEL_LIKE.test(layer)) {
          d.param = { ...d.param, kind: 'other' };
        }
      }
    }
  }

  of(layer: string): ParamData[] {
    return this.byName.get(layer) ?? [];
  }

  /** Fans of the layer's first kernel (its output units are the layer's). */
  fans(layer: string): { fanIn: number; fanOut: number } {
    const kernel = this.of(layer).find((d) => d.param.kind === 'kernel' && d.value);
    return this.fansOf(layer, kernel);
  }

  /**
   * Fans of one kernel of a layer. A layer may own several (an RNN's input kernel [in, units·g]
   * and recurrent kernel [units, units·g]; PyTorch's weight_ih/weight_hh): each kernel's fan-in is
   * its own size over the shared fan-out.
   */
  fansOf(layer: string, kernel: ParamData | undefined): { fanIn: number; fanOut: number } {
    const ps = this.of(layer);
    const bias = ps.find((d) => d.param.kind === 'bias' && d.value);
    const k = numOf(kernel);
    let b = numOf(bias);
    if (b === 0 && kernel) {
      const next = this.order[this.order.indexOf(layer) + 1];
      const nextParams = next === undefined ? [] : this.of(next);
      const scale = nextParams.find((d) => d.param.kind === 'other' && d.value);
      if (scale && !nextParams.some((d) => d.param.kind === 'kernel')) b = numOf(scale);
    }
    if (k > 0 && b > 0 && Number.isInteger(k / b)) return { fanIn: k / b, fanOut: b };
    return { fanIn: 0, fanOut: Math.max(b, 0) };
  }

  /** Layers with any logged parameter data, in order. */
  trainable(): string[] {
    return this.order.filter((l) =>
      this.of(l).some((d) => d.value || d.grad || d.update || d.gradScalar || d.ratioScalar),
    );
  }

  /** Layers with a kernel's value histograms, in order. */
  withKernels(): string[] {
    return this.order.filter((l) => this.of(l).some((d) => d.param.kind === 'kernel' && d.value));
  }
}
