import type { Evidence, TaskEvidence } from '../../core/evidence.ts';
import { evidence, regressionTask, task } from '../fixtures.ts';
import { testCheck } from '../testing.ts';
import check from './output-mismatch.ts';

function withTask(over: Partial<TaskEvidence>, regression = false): Evidence {
  return evidence({ task: regression ? regressionTask(over) : task(over) });
}

testCheck(check, {
  valid: [
    {
      name: 'softmax under categorical cross-entropy',
      evidence: withTask({}),
      status: 'pass',
      measured: { loss: 'categorical_crossentropy', outputActivations: 'softmax' },
    },
    {
      name: 'softmax under sparse categorical cross-entropy',
      evidence: withTask({ loss: 'sparse_categorical_crossentropy', labelEncoding: 'integer' }),
      status: 'pass',
    },
    {
      name: 'camelCase loss name as TF.js spells it',
      evidence: withTask({ loss: 'categoricalCrossentropy' }),
      status: 'pass',
      measured: { loss: 'categorical_crossentropy' },
    },
    {
      name: 'one sigmoid unit under binary cross-entropy',
      evidence: withTask({ classes: 2, loss: 'binary_crossentropy', outputActivations: ['sigmoid'] }),
      status: 'pass',
    },
    {
      name: 'multi-label sigmoids under binary cross-entropy',
      evidence: withTask({ classes: 5, loss: 'binary_crossentropy', outputActivations: ['sigmoid'] }),
      status: 'pass',
    },
    {
      name: 'linear output under MSE for regression',
      evidence: withTask({}, true),
      status: 'pass',
      measured: { loss: 'mean_squared_error', outputActivations: 'linear' },
    },
    {
      name: 'sigmoid output under MSE for regression of a [0,1] target',
      evidence: withTask({ outputActivations: ['sigmoid'] }, true),
      status: 'pass',
    },
    {
      name: 'MAE alias on a linear regression output',
      evidence: withTask({ loss: 'mae' }, true),
      status: 'pass',
    },
  ],
  invalid: [
    {
      name: 'a one-unit softmax under binary cross-entropy: always exactly 1',
      evidence: withTask({
        classes: 2,
        loss: 'binary_crossentropy',
        outputActivations: ['softmax'],
        outputUnits: 1,
      }),
      status: 'fail',
      reason: 'softmax-one-unit',
      measured: { outputUnits: 1 },
    },
    {
      name: 'a one-unit softmax under categorical cross-entropy',
      evidence: withTask({ classes: 2, outputUnits: 1 }),
      status: 'fail',
      reason: 'softmax-one-unit',
    },
    {
      name: 'linear output under categorical cross-entropy',
      evidence: withTask({ outputActivations: ['linear'] }),
      status: 'fail',
      reason: 'no-softmax',
      measured: { loss: 'categorical_crossentropy', outputActivations: 'linear' },
    },
    {
      name: 'no output activation at all under sparse categorical cross-entropy',
      evidence: withTask({ loss: 'sparse_categorical_crossentropy', outputActivations: [] }),
      status: 'fail',
      reason: 'no-softmax',
      measured: { outputActivations: 'linear' },
    },
    {
      name: 'sigmoid output under categorical cross-entropy',
      evidence: withTask({ outputActivations: ['sigmoid'] }),
      status: 'fail',
      reason: 'no-softmax',
    },
    {
      name: 'softmax applied twice',
      evidence: withTask({ outputActivations: ['softmax', 'softmax'] }),
      status: 'fail',
      reason: 'double-softmax',
      measured: { outputActivations: 'softmax,softmax' },
    },
    {
      name: 'sigmoid applied twice',
      evidence: withTask({
        classes: 2,
        loss: 'binary_crossentropy',
        outputActivations: ['sigmoid', 'sigmoid'],
      }),
      status: 'fail',
      reason: 'double-sigmoid',
    },
    {
      name: 'linear output under binary cross-entropy',
      evidence: withTask({ classes: 2, loss: 'binary_crossentropy', outputActivations: ['linear'] }),
      status: 'fail',
      reason: 'no-sigmoid',
    },
    {
      name: 'softmax over 10 units under binary cross-entropy',
      evidence: withTask({ loss: 'binary_crossentropy' }),
      status: 'fail',
      reason: 'no-sigmoid',
    },
    {
      name: 'softmax over 2 units under binary cross-entropy',
      evidence: withTask({ classes: 2, loss: 'binary_crossentropy' }),
      status: 'warn',
      reason: 'softmax-binary',
      measured: { loss: 'binary_crossentropy', outputActivations: 'softmax', classes: 2 },
    },
    {
      name: 'MSE on a softmax classifier',
      evidence: withTask({ loss: 'meanSquaredError' }),
      status: 'warn',
      reason: 'mse-classification',
      measured: { loss: 'mean_squared_error' },
    },
  ],
});
