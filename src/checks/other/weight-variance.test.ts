import type { Evidence, KernelStats, ModelEvidence } from '../../core/evidence.ts';
import { evidence, kernel, mlpModel } from '../fixtures.ts';
import { testCheck } from '../testing.ts';
import check from './weight-variance.ts';

/** The Glorot-initialized MLP 784-256-128-10 with kernel variances overridden by layer. */
function mlp(variances: Record<string, number> = {}, fanInKnown = true): Evidence {
  const model = mlpModel({ hidden: [256, 128] });
  const kernels: KernelStats[] = model.kernels.map((k) => ({
    ...k,
    fanIn: fanInKnown ? k.fanIn : 0,
    fanOut: fanInKnown ? k.fanOut : 0,
    ...(variances[k.layer] !== undefined
      ? { variance: variances[k.layer], std: Math.sqrt(variances[k.layer]) }
      : {}),
  }));
  return evidence({ model: { ...model, kernels } });
}

/** He (upper edge of the standard band) variance for a fan-in. */
const he = (fanIn: number) => 2 / fanIn;

/** A ReLU MLP at He init: variance 2/fanIn for every kernel. */
function heMlp(): Evidence {
  const widths = [784, 512, 256, 128, 10];
  const kernels = widths
    .slice(1)
    .map((fanOut, i) =>
      kernel({ layer: `dense_${i + 1}`, depth: i, fanIn: widths[i], fanOut, std: Math.sqrt(2 / widths[i]) }),
    );
  return evidence({ model: mlpModel({}, { kernels }) });
}

/** `mlp` with the layers named in `names` frozen (trainable: false). */
function withFrozen(net: Evidence, names: string[]): Evidence {
  const model = net.model as ModelEvidence;
  return {
    ...net,
    model: { ...model, layers: model.layers.map((l) => ({ ...l, trainable: !names.includes(l.name) })) },
  };
}

testCheck(check, {
  valid: [
    {
      name: 'a frozen pretrained layer at variance 1 is not compared; the layers that train are',
      evidence: withFrozen(mlp({ dense_1: 1 }), ['dense_1']),
      status: 'pass',
      measured: { skew: 1, layers: 'dense_2,output', frozenKernels: 'dense_1' },
    },
    {
      name: 'Glorot-initialized MLP 784-256-128-10',
      evidence: mlp(),
      status: 'pass',
      measured: { skew: 1, values: [1, 1, 1], mode: 'relative to fan band', zeroVariance: '' },
    },
    {
      // Default Glorot init of a small MNIST CNN: conv1 [3,3,1,8] has fanOut = 8·fanIn, so its
      // variance 2/81 sits ~4.5× under 1/fanIn — yet it is a standard init (it once warned).
      name: 'Glorot-initialized CNN whose first conv has one input channel',
      evidence: evidence({
        model: mlpModel(
          {},
          {
            kernels: [
              kernel({
                layer: 'conv1',
                depth: 0,
                shape: [3, 3, 1, 8],
                fanIn: 9,
                fanOut: 72,
                std: Math.sqrt(2 / 81),
              }),
              kernel({
                layer: 'conv2',
                depth: 1,
                shape: [3, 3, 8, 16],
                fanIn: 72,
                fanOut: 144,
                std: Math.sqrt(2 / 216),
              }),
              kernel({ layer: 'dense', depth: 2, fanIn: 784, fanOut: 64, std: Math.sqrt(2 / 848) }),
              kernel({ layer: 'output', depth: 3, fanIn: 64, fanOut: 10, std: Math.sqrt(2 / 74) }),
            ],
          },
        ),
      }),
      status: 'pass',
      measured: { skew: 1 },
    },
    {
      name: 'He-initialized deep ReLU MLP',
      evidence: heMlp(),
      status: 'pass',
      measured: { skew: 1, minValue: 1 },
    },
    {
      name: 'a zero-variance kernel is left to init-shallow',
      evidence: mlp({ dense_2: 0 }),
      status: 'pass',
      measured: { zeroVariance: 'dense_2', layers: 'dense_1,output' },
    },
    {
      name: 'TensorBoard log (fan-in unknown): raw variances within 3×',
      evidence: mlp({ dense_1: 0.002, dense_2: 0.005, output: 0.006 }, false),
      status: 'pass',
      measured: { skew: 3, mode: 'raw variance' },
    },
    {
      name: 'a single kernel',
      evidence: evidence({ model: mlpModel({ hidden: [] }) }),
      status: 'skip',
      reason: 'too-few-kernels',
      measured: { kernels: 1 },
    },
  ],
  invalid: [
    {
      name: 'one layer initialized 20× too wide',
      evidence: mlp({ dense_2: (20 * 2) / 384 }),
      status: 'warn',
      reason: null,
      // 20× the Glorot variance is 20·(2/384)/(2/256) = 13.3× above the He edge of the band.
      measured: { skew: (20 * 2) / 384 / he(256), maxLayer: 'dense_2' },
    },
    {
      name: 'first layer at variance 1 (random normal, std 1)',
      evidence: mlp({ dense_1: 1 }),
      status: 'fail',
      reason: null,
      measured: { skew: 1 / he(784), maxLayer: 'dense_1', maxValue: 1 / he(784) },
    },
    {
      name: 'TensorBoard log, weights logged at step 1200 (trained): a 500× skew only warns',
      evidence: {
        ...mlp({ dense_1: 0.5, dense_2: 0.001, output: 0.002 }, false),
        model: {
          ...(mlp({ dense_1: 0.5, dense_2: 0.001, output: 0.002 }, false).model as ModelEvidence),
          loggedAtStep: 1200,
        },
      },
      status: 'warn',
      reason: 'trained',
      measured: { skew: 500, loggedAtStep: 1200 },
    },
    {
      name: 'TensorBoard log: raw variances 500× apart',
      evidence: mlp({ dense_1: 0.5, dense_2: 0.001, output: 0.002 }, false),
      status: 'fail',
      reason: null,
      measured: { skew: 500, mode: 'raw variance' },
    },
    {
      name: 'override: warn from 2× skew (one layer at 3× the He variance)',
      evidence: mlp({ dense_2: 3 * he(256) }),
      thresholds: { warnSkew: 2 },
      status: 'warn',
      reason: null,
      measured: { skew: 3 },
    },
  ],
});
