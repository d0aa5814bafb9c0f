import { testCheck } from '../testing.ts';
import check from './step-sync.ts';
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
      name: 'synchronous ranks, 20 ms apart in writing',
      evidence: ranks({}, { startS: 0.02 }, { startS: 0.01 }),
      status: 'pass',
      measured: { lagSteps: 1, interval: 1 },
    },
    { name: 'one rank: skip', evidence: ranks({}), status: 'skip' },
    {
      name: 'ranks that never overlap in wall time: skip',
      evidence: ranks({}, { startS: 1000 }),
      status: 'skip',
    },
  ],
  invalid: [
    {
      name: 'rank 1 runs twice as fast (no collective holds it back): 20 steps ahead by the end',
      evidence: ranks({}, { pace: 0.05 }),
      status: 'warn',
      reason: 'desync',
      measured: { ahead: 'rank 1', behind: 'rank 0', lagSteps: 20 },
    },
    {
      name: 'rank 1 resumed 500 steps ahead',
      evidence: ranks({}, { stepOffset: 500 }),
      status: 'fail',
      reason: 'desync',
      measured: { ahead: 'rank 1', lagSteps: 500 },
    },
  ],
});
