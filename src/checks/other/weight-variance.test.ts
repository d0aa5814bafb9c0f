import type { Evidence, KernelStats } from '../../core/evidence.ts';
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

/** Variance × fanIn of a Glorot kernel: 2·fanIn/(fanIn + fanOut). */
const glorot = (fanIn: number, fanOut: number) => (2 * fanIn) / (fanIn + fanOut);

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

testCheck(check, {
  valid: [
    {
      name: 'Glorot-initialized MLP 784-256-128-10',
      evidence: mlp(),
      status: 'pass',
      measured: {
        skew: glorot(128, 10) / glorot(256, 128),
        maxLayer: 'output',
        minLayer: 'dense_2',
        values: [glorot(784, 256), glorot(256, 128), glorot(128, 10)],
        mode: 'variance×fanIn',
        zeroVariance: '',
      },
    },
    {
      name: 'He-initialized deep ReLU MLP',
      evidence: heMlp(),
      status: 'pass',
      measured: { skew: 1, minValue: 2 },
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
      measured: { kernels: 1 },
    },
  ],
  invalid: [
    {
      name: 'one layer initialized 20× too wide',
      evidence: mlp({ dense_2: (20 * 2) / 384 }),
      status: 'warn',
      measured: {
        skew: (20 / glorot(784, 256)) * glorot(256, 128),
        maxLayer: 'dense_2',
        minLayer: 'dense_1',
      },
    },
    {
      name: 'first layer at variance 1 (random normal, std 1)',
      evidence: mlp({ dense_1: 1 }),
      status: 'fail',
      measured: { skew: 784 / glorot(256, 128), maxLayer: 'dense_1', maxValue: 784 },
    },
    {
      name: 'TensorBoard log: raw variances 500× apart',
      evidence: mlp({ dense_1: 0.5, dense_2: 0.001, output: 0.002 }, false),
      status: 'fail',
      measured: { skew: 500, mode: 'raw variance' },
    },
    {
      name: 'override: warn from 1.2× skew',
      evidence: mlp(),
      thresholds: { warnSkew: 1.2 },
      status: 'warn',
    },
  ],
});
