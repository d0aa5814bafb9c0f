import { evidence, mlpModel } from '../fixtures.ts';
import { testCheck } from '../testing.ts';
import check from './pretrained.ts';

const model = (family: string | null, freshInit: boolean) =>
  evidence({ model: mlpModel({}, { name: family ?? 'sequential_1', family, freshInit }) });

testCheck(check, {
  valid: [
    {
      name: 'MobileNet loaded from a checkpoint',
      evidence: model('mobilenet', false),
      status: 'pass',
      measured: { family: 'mobilenet', freshInit: false },
    },
    {
      name: 'custom MLP: no standard family',
      evidence: model(null, true),
      status: 'skip',
      reason: 'no-family',
      measured: { family: null },
    },
    { name: 'no model evidence', evidence: evidence(), status: 'skip' },
  ],
  invalid: [
    {
      name: 'ResNet trained from scratch',
      evidence: model('resnet', true),
      status: 'warn',
      reason: 'fresh-init',
      measured: { family: 'resnet', freshInit: true },
    },
    {
      name: 'VGG trained from scratch',
      evidence: model('vgg', true),
      status: 'warn',
      reason: 'fresh-init',
      measured: { family: 'vgg' },
    },
    {
      name: 'unlisted family still gets a suggestion',
      evidence: model('regnet', true),
      status: 'warn',
      reason: 'fresh-init',
      measured: { family: 'regnet', freshInit: true },
    },
  ],
});
