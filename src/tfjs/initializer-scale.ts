// The std each Keras / TF.js initializer gives a kernel of the given fans, from the initializer's
// own formula (its mode, scale or gain, and distribution), and the scale model/init-shallow
// judges the kernel against. A Glorot-initialized layer of 32 → 4,096 units has std
// √(2 / 4,128) = 0.022 by design; measuring it against He's √(2 / 32) = 0.25 would call a
// textbook initialization ten times too small.
//
// Fan-based initializers (variance scaling and its Glorot/He/LeCun presets, orthogonal,
// identity) adapt to the layer: the kernel is judged against their own formula at a standard
// gain. Fixed-scale initializers (random normal/uniform, truncated normal) ignore the fans: the
// kernel is judged against the fan-based standard for the layer's activation (He for the ReLU
// family, Glorot otherwise), which is what a stddev of 1 on 784 inputs gets wrong.

/** An initializer as a layer's config serializes it (`{className, config}`), TF.js or Keras spelling. */
export interface InitializerConfig {
  className?: string;
  config?: Record<string, unknown>;
}

export interface InitializerScale {
  /** Std the initializer's own formula gives for these fans (0 for constants), else null. */
  initializerStd: number | null;
  /** Std the kernel is judged against. */
  expectedStd: number;
  /** The expected std's formula, in words: `√(1 / fan_avg), uniform (GlorotUniform)`. */
  formula: string;
  /** Whether expectedStd comes from the initializer's own formula or from the fan-based standard. */
  expectedFrom: 'initializer' | 'fan-based standard';
}

const RELU_FAMILY = new Set(['relu', 'relu6', 'elu', 'selu', 'swish', 'gelu', 'leakyrelu', 'mish']);

/**
 * The gains (variance scales) of the standard fan-based initializers: PyTorch's default
 * (kaiming_uniform with a = √5: 1/3), LeCun and Glorot (1), He (2). A variance-scaling scale or an
 * orthogonal gain² outside this span is judged at the nearest end, so that scale 100 is still
 * found too large.
 */
export const STANDARD_GAIN = { min: 1 / 3, max: 2 } as const;

/**
 * Std of a truncated normal cut at ±2 std, as a fraction of its parameter: TF.js's truncatedNormal
 * (and so its VarianceScaling 'normal' distribution) draws from it without correcting the std.
 */
export const TRUNCATED_STD = 0.87962566103423978;

const clampGain = (g: number) => Math.min(STANDARD_GAIN.max, Math.max(STANDARD_GAIN.min, g));
const modeKey = (mode: unknown) =>
  String(mode ?? 'fanIn').replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Glorot/He/LeCun presets as variance scaling: TF.js serializes them as `VarianceScaling` anyway. */
const PRESETS: Record<string, { scale: number; mode: string; distribution: string }> = {
  GlorotUniform: { scale: 1, mode: 'fanAvg', distribution: 'uniform' },
  GlorotNormal: { scale: 1, mode: 'fanAvg', distribution: 'normal' },
  HeUniform: { scale: 2, mode: 'fanIn', distribution: 'uniform' },
  HeNormal: { scale: 2, mode: 'fanIn', distribution: 'normal' },
  LeCunUniform: { scale: 1, mode: 'fanIn', distribution: 'uniform' },
  LeCunNormal: { scale: 1, mode: 'fanIn', distribution: 'normal' },
};

/** Std of variance scaling: √(scale / n) for the mode's n, × the truncation's factor for TF.js 'normal'. */
function varianceScalingStd(
  scale: number,
  mode: string,
  distribution: string,
  fanIn: number,
  fanOut: number,
) {
  const key = modeKey(mode);
  const n = Math.max(1, key === 'fanOut' ? fanOut : key === 'fanAvg' ? (fanIn + fanOut) / 2 : fanIn);
  // TF.js 'normal' is a truncated normal without correction; Keras's 'truncated_normal' divides
  // its std by the same factor first, and 'untruncated_normal' and 'uniform' are exact.
  const factor = distribution === 'normal' ? TRUNCATED_STD : 1;
  const nWords = key === 'fanOut' ? 'fan_out' : key === 'fanAvg' ? 'fan_avg' : 'fan_in';
  return { std: Math.sqrt(scale / n) * factor, nWords };
}

/** Fans as Keras and TF.js compute them: conv kernels are [...spatial, in, out]. */
export function kernelFans(shape: number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 2) return { fanIn: shape[0], fanOut: shape[1] };
  if (shape.length >= 3) {
    const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
    return { fanIn: receptive * shape[shape.length - 2], fanOut: receptive * shape[shape.length - 1] };
  }
  return { fanIn: shape[0] ?? 1, fanOut: shape[0] ?? 1 };
}

/** The fan-based standard for an activation: He for the ReLU family, Glorot otherwise. */
export function standardScale(activation: string | null, fanIn: number, fanOut: number): InitializerScale {
  const relu = RELU_FAMILY.has((activation ?? '').toLowerCase().replace(/_/g, ''));
  return {
    initializerStd: null,
    expectedStd: relu ? Math.sqrt(2 / Math.max(1, fanIn)) : Math.sqrt(2 / Math.max(1, fanIn + fanOut)),
    formula: relu ? '√(2 / fan_in) (He, for a ReLU-family layer)' : '√(2 / (fan_in + fan_out)) (Glorot)',
    expectedFrom: 'fan-based standard',
  };
}

const numberOr = (c: Record<string, unknown>, key: string, fallback: number) =>
  typeof c[key] === 'number' && Number.isFinite(c[key]) ? (c[key] as number) : fallback;

/** Fixed-scale initializers: their own std, judged against the fan-based standard. */
function fixedScaleStd(name: string, c: Record<string, unknown>): number | null {
  switch (name) {
    case 'RandomNormal':
      return Math.abs(numberOr(c, 'stddev', 0.05));
    case 'TruncatedNormal':
      return Math.abs(numberOr(c, 'stddev', 0.05)) * TRUNCATED_STD;
    case 'RandomUniform':
      return Math.abs(numberOr(c, 'maxval', 0.05) - numberOr(c, 'minval', -0.05)) / Math.sqrt(12);
    case 'Zeros':
    case 'Ones':
    case 'Constant':
      return 0;
    default:
      return null;
  }
}

/**
 * The std a kernel of these fans gets from its initializer, and the std it is judged against.
 * Unknown initializers (custom classes, none recorded) are judged against the fan-based standard.
 */
export function initializerScale(
  init: InitializerConfig | undefined | null,
  activation: string | null,
  shape: number[],
): InitializerScale {
  const { fanIn, fanOut } = kernelFans(shape);
  const name = init?.className ?? '';
  const c = init?.config ?? {};
  const preset = PRESETS[name];
  if (preset || name === 'VarianceScaling') {
    const scale = preset ? preset.scale : numberOr(c, 'scale', 1);
    const mode = preset ? preset.mode : String(c.mode ?? 'fanIn');
    const distribution = preset ? preset.distribution : String(c.distribution ?? 'normal');
    const own = varianceScalingStd(scale, mode, distribution, fanIn, fanOut);
    const judged = varianceScalingStd(clampGain(scale), mode, distribution, fanIn, fanOut);
    return {
      initializerStd: own.std,
      expectedStd: judged.std,
      formula: `√(${+clampGain(scale).toFixed(3)} / ${own.nWords})${distribution === 'normal' ? ' × 0.88 (truncated normal)' : ''} (${name}${preset ? '' : ` scale ${scale}, ${mode}, ${distribution}`})`,
      expectedFrom: 'initializer',
    };
  }
  if (name === 'Orthogonal' || name === 'Identity') {
    // Orthogonal: the kernel flattened to rows × cols (cols = its last axis) is (semi-)orthogonal,
    // so its mean square is 1 / max(rows, cols); identity: gain on the diagonal, the same 1 / n.
    const gain = Math.abs(numberOr(c, 'gain', 1));
    const cols = shape.at(-1) ?? 1;
    const n = Math.max(1, cols, shape.reduce((a, b) => a * b, 1) / Math.max(1, cols));
    // The identity's n diagonal ones among n² entries have std √((1 / n)(1 − 1 / n)).
    const unit = name === 'Identity' ? Math.sqrt((1 / n) * (1 - 1 / n)) : 1 / Math.sqrt(n);
    return {
      initializerStd: gain * unit,
      expectedStd: Math.sqrt(clampGain(gain * gain)) * unit,
      formula: `${+Math.sqrt(clampGain(gain * gain)).toFixed(3)} / √max(rows, cols) (${name}, gain ${gain})`,
      expectedFrom: 'initializer',
    };
  }
  return { ...standardScale(activation, fanIn, fanOut), initializerStd: fixedScaleStd(name, c) };
}
