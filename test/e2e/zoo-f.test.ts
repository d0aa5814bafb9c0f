// The healthy zoo, part f: healthy twins of issue 20's planted faults (output activations that
// fit the target's range, weight decay that does not stop learning) and more architectures
// (bidirectional GRU, Embedding + Conv1D), each trained here with a plain fit after its checkup
// to show that it really learns. A file of its own so the test workers share the zoo.
import { describeZoo } from './zoo/describe-zoo.ts';
import { ZOO_TWINS } from './zoo/setups-f.ts';

describeZoo('healthy zoo (f): healthy twins of planted faults, more architectures', ZOO_TWINS, {
  verifyLearning: true,
});
