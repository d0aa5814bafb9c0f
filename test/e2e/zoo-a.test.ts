// The healthy zoo, part a (dense models: binary, multi-class, multi-label, regression, imbalanced-but-weighted): setups that train well with a plain
// fit (verified by test/e2e/zoo/verify-fit.ts) get no fail. Split in three files so the test
// workers share the zoo.
import { describeZoo } from './zoo/describe-zoo.ts';
import { ZOO } from './zoo/setups.ts';

describeZoo(
  'healthy zoo (a): dense models: binary, multi-class, multi-label, regression, imbalanced-but-weighted',
  [0, 1, 2, 3, 4, 5, 17].map((i) => ZOO[i]),
);
