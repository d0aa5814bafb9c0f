// Issue 20, classes 6, 7 and 9 on real TF.js training (setups in trained-frozen.ts): findings on
// frozen layers are notes and the experiments judge what trains; a trained checkpoint that fits its
// data warns on its dead units, one whose own loss is poor fails on them; a converged run's
// vanishing updates are convergence. Each planted case asserts the primary cause, each healthy
// twin no fail.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/core/dataset.ts';
import type { Report } from '../../src/core/report.ts';
import { checkup } from '../../src/node/checkup.ts';
import { selectBackend } from '../../src/tfjs/backend.ts';
import { expectValidReport } from '../valid-report.ts';
import {
  accuracyOn,
  blobMlp,
  blobs,
  brokenCheckpoint,
  churnData,
  fittingCheckpoint,
  frozenBaseModel,
  trainFor,
  transferData,
} from './trained-frozen.ts';

const fails = (report: Report) =>
  report.checks
    .filter((c) => c.status === 'fail' || c.status === 'error')
    .map((c) => `${c.id}: ${c.summary}`);
const result = (report: Report, id: string) => report.checks.find((c) => c.id === id);

async function checked(model: tf.LayersModel, data: Dataset): Promise<Report> {
  const report = await checkup({ model, data });
  expectValidReport(report);
  return report;
}

describe('issue 20: frozen bases, trained checkpoints, converged runs', () => {
  beforeAll(() => selectBackend());

  it('class 6, healthy: a frozen base with mostly dead units under a head that learns gets no fail; the frozen layer is a note', async () => {
    const data = transferData();
    const model = await frozenBaseModel(tf.train.adam(1e-3));
    const report = await checked(model, data.train);
    expect(fails(report)).toEqual([]);
    const dead = result(report, 'activations/dead-relu');
    expect(dead?.status).toBe('pass');
    expect(dead?.measured.frozenLayer).toBe('base_dense_1');
    expect(Number(dead?.measured.frozenFraction)).toBeGreaterThan(0.5);
    expect(String(dead?.measured.layers)).not.toMatch(/base_/);
    // It really learns: the head, trained with plain fit, tells the parity of held-out digits.
    await trainFor(model, data.train, 2);
    expect(accuracyOn(model, data.test)).toBeGreaterThan(0.8);
    model.dispose();
  });

  it('class 6, planted: the same frozen base under a head at SGD 50 → loss/learning-rate, not the frozen layer', async () => {
    const model = await frozenBaseModel(tf.train.sgd(50));
    const report = await checked(model, transferData().train);
    expect(report.diagnosis.primary, report.diagnosis.summary).toBe('loss/learning-rate');
    expect(report.verdict).toBe('fail');
    expect(result(report, 'activations/dead-relu')?.measured.worstLayer).not.toMatch(/base_/);
    model.dispose();
  });

  it('class 7, healthy: a checkpoint that fits its data with 60% of a layer dead warns (capacity lost), no fail', async () => {
    const data = churnData();
    const model = await fittingCheckpoint(data.train);
    expect(accuracyOn(model, data.test)).toBeGreaterThan(0.85);
    const report = await checked(model, data.train);
    expect(fails(report)).toEqual([]);
    const dead = result(report, 'activations/dead-relu');
    expect(dead?.status).toBe('warn');
    expect(dead?.measured).toMatchObject({ worstLayer: 'wide', worstSnapshot: 'checkpoint' });
    expect(Number(dead?.measured.worstFraction)).toBeGreaterThan(0.5);
    expect(Number(dead?.measured.checkpointLoss)).toBeLessThan(
      0.7 * Number(dead?.measured.checkpointChanceLoss),
    );
    model.dispose();
  });

  it('class 7, planted: the checkpoint with 95% of the layer killed after training (its own loss poor) → dead-relu', async () => {
    const data = churnData();
    const model = await brokenCheckpoint(data.train);
    const report = await checked(model, data.train);
    expect(report.diagnosis.primary, report.diagnosis.summary).toBe('activations/dead-relu');
    const dead = result(report, 'activations/dead-relu');
    expect(dead?.status).toBe('fail');
    expect(dead?.measured).toMatchObject({ worstLayer: 'wide', worstSnapshot: 'checkpoint' });
    expect(report.evidence.checkpoint?.loss).toBeGreaterThan(
      0.7 * Number(report.evidence.checkpoint?.chanceLoss),
    );
    model.dispose();
  });

  it('class 9, healthy: a run converged within a few steps (SGD 2, loss ≈ 1e-6) gets no fail from its vanishing updates', async () => {
    const model = blobMlp(2);
    const train = blobs(2000, 41);
    const report = await checked(model, train);
    expect(fails(report)).toEqual([]);
    const ratio = result(report, 'other/update-ratio');
    expect(ratio?.status).toBe('pass');
    // Over the whole run the updates are far below 1e-4 (what failed before); the loss settled
    // within the first half of the run, which refutes "too slow".
    expect(Math.min(...((ratio?.measured.medians ?? []) as number[]))).toBeLessThan(1e-4);
    expect(Number(ratio?.measured.lossFall)).toBeGreaterThan(0.99);
    expect(Number(ratio?.measured.settledAtFraction)).toBeLessThanOrEqual(0.5);
    // It really learns: plain fit on the same setup separates held-out records.
    await trainFor(model, train, 2);
    expect(accuracyOn(model, blobs(1000, 42))).toBeGreaterThan(0.95);
    model.dispose();
  });

  it('class 9, planted: the same setup at SGD 1e-4 barely moves its weights → other/update-ratio (raise the LR)', async () => {
    const model = blobMlp(1e-4);
    const report = await checked(model, blobs(2000, 41));
    expect(report.diagnosis.primary, report.diagnosis.summary).toBe('other/update-ratio');
    const ratio = result(report, 'other/update-ratio');
    expect(ratio?.status).toBe('fail');
    // Judged on the whole run: the loss never fell by half, so it never settled.
    expect(ratio?.measured.settledAtStep).toBeNull();
    expect(Number(ratio?.measured.minMedian)).toBeLessThan(1e-4);
    model.dispose();
  });
});
