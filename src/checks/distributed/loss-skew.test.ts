import { testCheck } from '../testing.ts';
import check from './loss-skew.ts';
import { ranks, ranksWithoutLoss } from './testing.ts';

const curve = (scale: number, noise = 0.02, phase = 0) =>
  Array.from(
    { length: 50 },
    (_, k) => scale * (2 * Math.exp(-k / 20) + 0.2) + noise * Math.sin(3 * k + phase),
  );

testCheck(check, {
  valid: [
    {
      name: 'ranks that logged no loss: skip',
      evidence: ranksWithoutLoss(2),
      status: 'skip',
      reason: 'not-logged',
    },
    {
      name: 'four ranks on one distribution, batch noise apart',
      evidence: ranks(
        { loss: curve(1, 0.05, 0) },
        { loss: curve(1, 0.05, 1) },
        { loss: curve(1, 0.05, 2) },
        { loss: curve(1, 0.05, 3) },
      ),
      status: 'pass',
      measured: { ranks: 4 },
    },
    { name: 'one rank: skip', evidence: ranks({ loss: curve(1) }), status: 'skip' },
    {
      name: 'ranks logged at disjoint steps: too few common steps, skip',
      evidence: ranks({ loss: curve(1) }, { loss: curve(1), stepOffset: 1000 }),
      status: 'skip',
    },
    {
      name: 'a 30% gap stays under the warn threshold',
      evidence: ranks({ loss: curve(1, 0) }, { loss: curve(1.3, 0) }, { loss: curve(1, 0) }),
      status: 'pass',
      measured: { rank: 1, skew: 0.3 },
    },
  ],
  invalid: [
    {
      name: 'rank 2 of 4 reads a corrupt shard: its loss stays 3× the others’',
      evidence: ranks({ loss: curve(1) }, { loss: curve(1) }, { loss: curve(3) }, { loss: curve(1) }),
      status: 'fail',
      reason: 'skew',
      measured: { rank: 2, skew: 2, step: 0 },
    },
    {
      name: 'two ranks, one at 1.7×: warn, the higher-loss rank named',
      evidence: ranks({ loss: curve(1, 0) }, { loss: curve(1.7, 0) }),
      status: 'warn',
      reason: 'skew',
      measured: { rank: 1 },
    },
    {
      name: 'override: warn from 20%',
      evidence: ranks({ loss: curve(1, 0) }, { loss: curve(1.3, 0) }, { loss: curve(1, 0) }),
      thresholds: { warnSkew: 0.2 },
      status: 'warn',
      reason: 'skew',
      measured: { rank: 1 },
    },
  ],
});
