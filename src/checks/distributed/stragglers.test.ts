import { testCheck } from '../testing.ts';
import check from './stragglers.ts';
import { ranks, ranksWithoutLoss } from './testing.ts';

testCheck(check, {
  valid: [
    {
      name: 'ranks that logged no loss: skip',
      evidence: ranksWithoutLoss(2),
      status: 'skip',
      reason: 'not-logged',
    },
    {
      name: 'four ranks at 0.1 s per step',
      evidence: ranks({}, {}, {}, {}),
      status: 'pass',
      measured: { ratio: 1, ranks: 4 },
    },
    { name: 'one rank: skip', evidence: ranks({}), status: 'skip' },
    {
      name: 'a 20% slower rank stays under the warn ratio',
      evidence: ranks({}, { pace: 0.12 }, {}),
      status: 'pass',
      measured: { rank: 1, ratio: 1.2 },
    },
  ],
  invalid: [
    {
      name: 'rank 3 (node1_gpu1) at 0.4 s per step against 0.1 s',
      evidence: ranks({}, {}, {}, { pace: 0.4, label: 'node1_gpu1' }),
      status: 'fail',
      reason: 'straggler',
      measured: { rank: 3, label: 'node1_gpu1', ratio: 4, secondsPerStep: 0.4 },
    },
    {
      name: 'rank 0 at 2× the others: warn',
      evidence: ranks({ pace: 0.2 }, {}, {}),
      status: 'warn',
      reason: 'straggler',
      measured: { rank: 0, ratio: 2 },
    },
  ],
});
