import type { SimplifiedEvidence } from '../../core/evidence.ts';
import { evidence, series } from '../fixtures.ts';
import { testCheck } from '../testing.ts';
import check from './simplify.ts';

/** The user's model (with `layers` hidden layers) and the simple one, over 200 steps. */
function simplified(layers: number, userFinalLoss: number, simpleFinalLoss: number): SimplifiedEvidence {
  const curve = (end: number) => series(Array.from({ length: 20 }, (_, i) => 2.3 + (end - 2.3) * (i / 19)));
  return {
    userHiddenLayers: layers,
    steps: 200,
    userLoss: curve(userFinalLoss),
    simpleLoss: curve(simpleFinalLoss),
    userFinalLoss,
    simpleFinalLoss,
  };
}

const run = (layers: number, user: number, simple: number) =>
  evidence({ simplified: simplified(layers, user, simple) });

/** Compared in inference mode on the same records; the user's model started at `userInitial`. */
const inference = (layers: number, userInitial: number, user: number, simple: number) =>
  evidence({
    simplified: {
      ...simplified(layers, user, simple),
      compared: 'inference',
      userInitialLoss: userInitial,
      simpleInitialLoss: 2.3,
    },
  });

testCheck(check, {
  valid: [
    {
      name: 'deep model learns as well as the simple one',
      evidence: run(5, 0.3, 0.35),
      status: 'pass',
      measured: { ratio: 0.35 / 0.3, userHiddenLayers: 5, steps: 200 },
    },
    {
      name: 'simple model somewhat better, within tolerance',
      evidence: run(4, 0.5, 0.42),
      status: 'pass',
      measured: { ratio: 0.84 },
    },
    {
      name: 'already simple: 2 hidden layers',
      evidence: run(2, 2.3, 0.3),
      status: 'skip',
      reason: 'already-simple',
      measured: { userHiddenLayers: 2 },
    },
    {
      name: 'override: judge 2-layer models too',
      evidence: run(2, 0.3, 0.3),
      thresholds: { maxSimpleLayers: 1 },
      status: 'pass',
      measured: { ratio: 1 },
    },
    { name: 'no simplified evidence', evidence: evidence(), status: 'skip' },
    {
      name: 'dropout 0.5 MLP compared in inference mode: as good as the simple one',
      evidence: inference(3, 2.3, 0.36, 0.4),
      status: 'pass',
      measured: { compared: 'inference', userDrop: 1 - 0.36 / 2.3 },
    },
  ],
  invalid: [
    {
      name: 'deep BN MLP learns (2.64 → 0.71), slower than the simple one (0.35): warn',
      evidence: inference(30, 2.64, 0.712, 0.351),
      status: 'warn',
      reason: 'slower',
      measured: { ratio: 0.351 / 0.712, userDrop: 1 - 0.712 / 2.64 },
    },
    {
      name: 'the deep model learns nothing (2.3 → 2.25) while the simple one does',
      evidence: inference(6, 2.3, 2.25, 0.4),
      status: 'fail',
      reason: null,
      measured: { userDrop: 1 - 2.25 / 2.3 },
    },
    {
      name: 'deep model stuck at chance, simple model learns',
      evidence: run(8, 2.3, 0.3),
      status: 'fail',
      reason: null,
      measured: { ratio: 0.3 / 2.3, userFinalLoss: 2.3, simpleFinalLoss: 0.3 },
    },
    {
      name: 'simple model clearly better',
      evidence: run(4, 0.5, 0.35),
      status: 'warn',
      reason: 'slower',
      measured: { ratio: 0.7 },
    },
    {
      name: 'user model diverged to NaN',
      evidence: run(6, Number.NaN, 0.3),
      status: 'fail',
      reason: 'user-non-finite',
      measured: { simpleFinalLoss: 0.3 },
    },
    {
      name: 'override: stricter warn ratio',
      evidence: run(4, 0.5, 0.45),
      thresholds: { warnRatio: 0.95 },
      status: 'warn',
      reason: 'slower',
      measured: { ratio: 0.9 },
    },
  ],
});
