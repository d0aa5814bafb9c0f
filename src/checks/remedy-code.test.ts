// Each framework gets its own code for each remedy, and a log of unknown origin gets words, not code.
import { describe, expect, it } from 'vitest';
import {
  classWeightCode,
  clipCode,
  type Framework,
  frameworkOf,
  initializerCode,
  learningRateCode,
  torchModule,
} from './remedy-code.ts';

const cases: [Framework | null, RegExp[]][] = [
  [
    'tfjs',
    [
      /^tf\.train\.sgd\(0\.01\)$/,
      /applyGradients/,
      /^model\.fit\(x, y, \{ classWeight: \{ 0: 1, 1: 19 \} \}\)$/,
      /^kernelInitializer: 'heNormal' on fc1$/,
    ],
  ],
  [
    'keras',
    [
      /^keras\.optimizers\.SGD\(learning_rate=0\.01\)$/,
      /clipnorm=5/,
      /^model\.fit\(x, y, class_weight=\{0: 1, 1: 19\}\)$/,
      /^kernel_initializer='he_normal' on fc1$/,
    ],
  ],
  [
    'pytorch',
    [
      /^torch\.optim\.SGD\(model\.parameters\(\), lr=0\.01\)$/,
      /clip_grad_norm_\(model\.parameters\(\), max_norm=5\)/,
      /^torch\.nn\.CrossEntropyLoss\(weight=torch\.tensor\(\[1, 19\]\)\)$/,
      /^torch\.nn\.init\.kaiming_normal_\(model\.fc1\.weight, nonlinearity='relu'\)$/,
    ],
  ],
  [
    null,
    [
      /^the optimizer's learning rate = 0\.01$/,
      /^their global norm at 5, before each update/,
      /^per-class loss weights/,
      /^he normal initialization on fc1$/,
    ],
  ],
];

describe('remedy code per framework', () => {
  it.each(cases)('%s', (fw, [lr, clip, weights, init]) => {
    expect(learningRateCode(fw, 'sgd', '0.01')).toMatch(lr);
    expect(clipCode(fw, '5')).toMatch(clip);
    expect(classWeightCode(fw, { 0: 1, 1: 19 })).toMatch(weights);
    expect(initializerCode(fw, 'heNormal', 'fc1')).toMatch(init);
    const all = [
      learningRateCode(fw, 'sgd', '0.01'),
      clipCode(fw),
      classWeightCode(fw, null),
      initializerCode(fw, 'glorotUniform'),
    ].join(' ');
    if (fw !== 'tfjs') expect(all).not.toMatch(/\btf\.|classWeight|kernelInitializer/);
    if (fw !== 'pytorch') expect(all).not.toMatch(/torch/);
  });

  it('names PyTorch modules by their path', () => {
    expect(torchModule('fc1')).toBe('model.fc1');
    expect(torchModule('0')).toBe('model[0]');
    expect(torchModule('features.0.conv')).toBe('model.features[0].conv');
  });

  it('a checkup is TF.js unless told otherwise; logs of unknown origin have no framework', () => {
    expect(frameworkOf({ source: 'tfjs' })).toBe('tfjs');
    expect(frameworkOf({ source: 'tfjs', framework: 'keras' })).toBe('keras');
    expect(frameworkOf({ source: 'tensorboard' })).toBeNull();
    expect(frameworkOf({ source: 'tensorboard', framework: 'pytorch' })).toBe('pytorch');
  });
});
