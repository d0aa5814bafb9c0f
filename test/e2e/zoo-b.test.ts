// The healthy zoo, part b (token and recurrent models, momentum, small data): setups that train well with a plain
// fit (verified by test/e2e/zoo/verify-fit.ts) get no fail. Split in three files so the test
// workers share the zoo.
import { describeZoo } from './zoo/describe-zoo.ts';
import { ZOO } from './zoo/setups.ts';

describeZoo(
  'healthy zoo (b): token and recurrent models, momentum, small data',
  [6, 7, 8, 9, 15, 16].map((i) => ZOO[i]),
);
