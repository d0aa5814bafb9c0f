// The healthy zoo, part c (CNN, deep BN, deep dropout, a trained checkpoint, SGD 0.01): setups that train well with a plain
// fit (verified by test/e2e/zoo/verify-fit.ts) get no fail. Split in three files so the test
// workers share the zoo.
import { describeZoo } from './zoo/describe-zoo.ts';
import { ZOO } from './zoo/setups.ts';

describeZoo(
  'healthy zoo (c): CNN, deep BN, deep dropout, a trained checkpoint, SGD 0.01',
  [10, 11, 12, 13, 14].map((i) => ZOO[i]),
);
