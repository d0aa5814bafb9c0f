import { testCheck } from '../testing.ts';
import check from './replica-divergence.ts';
import { ranks } from './testing.ts';

const same = { 'fc1.weight': [5, 5.1, 5.2, 5.3], 'fc2.weight': [2, 2.05, 2.1, 2.2] };

testCheck(check, {
  valid: [
    {
      name: 'DDP replicas: identical norms on every rank',
      evidence: ranks({ norms: same }, { norms: same }, { norms: same }),
      status: 'pass',
      measured: { spread: 0, weightsCompared: 2 },
    },
    {
      name: 'float32 rounding (1e-7) is no divergence',
      evidence: ranks({ norms: same }, { norms: { ...same, 'fc1.weight': [5, 5.1, 5.2, 5.3 * (1 + 1e-7)] } }),
      status: 'pass',
    },
    { name: 'one rank: skip', evidence: ranks({ norms: same }), status: 'skip' },
    { name: 'no weight norms logged: skip', evidence: ranks({}, {}), status: 'skip' },
  ],
  invalid: [
    {
      name: 'no gradient averaging: fc2 drifts apart, named with its step',
      evidence: ranks(
        { norms: same },
        { norms: { 'fc1.weight': [5, 5.1, 5.2, 5.3], 'fc2.weight': [2, 2.08, 2.2, 2.4] } },
      ),
      status: 'fail',
      reason: 'diverged',
      measured: {
        layer: 'fc2',
        weight: 'fc2.weight',
        step: 12,
        firstStep: 4,
        firstLayer: 'fc2',
        highest: 'rank 1',
      },
    },
    {
      name: 'a 5e-4 spread warns',
      evidence: ranks({ norms: same }, { norms: { ...same, 'fc1.weight': [5, 5.1, 5.2, 5.3 * (1 + 5e-4)] } }),
      status: 'warn',
      reason: 'diverged',
      measured: { layer: 'fc1', step: 12 },
    },
  ],
});
