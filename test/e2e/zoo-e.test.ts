// The healthy zoo, part e (residual functional net, frozen pretrained base, multi-output
// regression, noisy labels, a very small table, a very wide layer, an autoencoder): setups of
// kinds parts a–c lack, each trained here with a plain fit after its checkup to show that it
// really learns (the checkup only reads the model). A file of its own so the test workers share
// the zoo.
import { describeZoo } from './zoo/describe-zoo.ts';
import { ZOO_MORE } from './zoo/setups-d.ts';

describeZoo(
  'healthy zoo (e): functional, transfer, multi-output, noisy, tiny, wide, reconstruction',
  ZOO_MORE,
  {
    verifyLearning: true,
  },
);
