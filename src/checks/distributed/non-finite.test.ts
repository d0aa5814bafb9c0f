import { testCheck } from '../testing.ts';
import check from './non-finite.ts';
import { ranks } from './testing.ts';

testCheck(check, {
  valid: [
    {
      name: 'two finite ranks',
      evidence: ranks({}, {}),
      status: 'pass',
      measured: { ranks: 2, nonFiniteRanks: 0 },
    },
    { name: 'one rank: skip, never pass', evidence: ranks({}), status: 'skip' },
    {
      name: 'one rank, even a NaN one: skip',
      evidence: ranks({ nonFinite: { step: 3, tag: 'train/loss' } }),
      status: 'skip',
    },
  ],
  invalid: [
    {
      name: 'rank 1 of 4 turns NaN at step 17: named with its step and tag',
      evidence: ranks({}, { nonFinite: { step: 17, tag: 'train/loss' } }, {}, {}),
      status: 'fail',
      reason: 'non-finite',
      measured: { rank: 1, step: 17, tag: 'train/loss', nonFiniteRanks: 1, finiteRanks: [0, 2, 3] },
      exact: true,
    },
    {
      name: 'the earliest of two NaN ranks is named',
      evidence: ranks(
        { nonFinite: { step: 30, tag: 'grad_norm' } },
        {},
        { nonFinite: { step: 12, tag: 'train/loss' } },
      ),
      status: 'fail',
      reason: 'non-finite',
      measured: { rank: 2, step: 12, nonFiniteRanks: 2 },
    },
    {
      name: 'both ranks non-finite at step 20 (an all-reduce spread it): the rank whose loss was NaN is named',
      evidence: (() => {
        const e = ranks(
          { nonFinite: { step: 20, tag: 'weight_norm/fc1.weight' } },
          { nonFinite: { step: 20, tag: 'train/loss' } },
        );
        const r1 = e.distributed?.ranks[1];
        if (r1?.loss) r1.loss.values[20] = Number.NaN;
        return e;
      })(),
      status: 'fail',
      reason: 'non-finite',
      measured: { rank: 1, step: 20, tag: 'train/loss', nonFiniteRanks: 2 },
    },
  ],
});
