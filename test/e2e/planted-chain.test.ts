// Causal chains on planted faults (issue 20, classes 3 and 10): the root cause is the primary
// diagnosis, its symptoms say so and defer to it, and each fault's healthy twin gets no fail. The
// same chain holds in `watch`: a diverging run is diagnosed as the learning rate, never as the
// small update ratios it causes, live and in the final report.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkup } from '../../src/checkup.ts';
import { selectBackend } from '../../src/tfjs/backend.ts';
import { watch } from '../../src/watch/tfjs/watcher.ts';
import { expectValidReport } from '../valid-report.ts';
import { CHAIN_CASES, tabular } from './planted-chain-cases.ts';

describe('causal chains on planted faults (deep tabular MLPs)', () => {
  beforeAll(() => selectBackend());

  for (const c of CHAIN_CASES) {
    it(`${c.name} → ${c.primary?.join(' or ') ?? 'no fail'}`, async () => {
      const report = await checkup({ model: c.model(), data: c.data(), seed: 1 });
      expectValidReport(report);
      const failing = report.checks.filter((r) => r.status === 'fail').map((r) => r.id);
      if (c.primary === null) {
        expect(failing, report.diagnosis.summary).toEqual([]);
        return;
      }
      expect(report.verdict).toBe('fail');
      expect(c.primary, report.diagnosis.summary).toContain(report.diagnosis.primary);
      const primary = report.checks.find((r) => r.id === report.diagnosis.primary);
      expect(primary?.symptomOf).toBeUndefined();
      // Each named symptom that fired is marked as one, and its remedy defers to a cause.
      for (const id of c.symptoms ?? []) {
        const s = report.checks.find((r) => r.id === id);
        if (s?.status !== 'fail' && s?.status !== 'warn') continue;
        expect(s.symptomOf, `${id} is not marked a symptom`).toBeDefined();
        expect(s.remedy).toMatch(/^A symptom of /);
      }
      // No finding advises raising the learning rate beside a primary cause that lowers it.
      if (report.diagnosis.primary === 'loss/learning-rate')
        for (const r of report.checks.filter((x) => x.status === 'fail' || x.status === 'warn'))
          expect(r.remedy ?? '', r.id).not.toMatch(/raise the learning rate/i);
    });
  }

  it('watch: a run diverging at SGD 20 is the learning rate live and in the final report, never update-ratio', async () => {
    const diverging = CHAIN_CASES.find((c) => c.name.includes('SGD at 20'));
    if (!diverging) throw new Error('the diverging case is missing');
    const model = diverging.model();
    const data = tabular();
    const x = tf.tensor2d(data.x, [data.xShape[0], data.xShape[1]]);
    const y = tf.tensor1d(data.y);
    const watcher = watch(model, { probe: { x: x.slice(0, 256), y: y.slice(0, 256) } });
    await model.fit(x, y, { epochs: 4, batchSize: 32, callbacks: [watcher.callback], verbose: 0 });
    const report = await watcher.stop();
    x.dispose();
    y.dispose();
    expect(report.diagnosis.primary, report.diagnosis.summary).toBe('loss/learning-rate');
    const lr = report.checks.find((c) => c.id === 'loss/learning-rate');
    const measured = lr?.measured ?? {};
    if (typeof measured.relativeDrop === 'number' && measured.relativeDrop < 0)
      expect(lr?.summary, 'a rising loss called flat').not.toMatch(/\bflat\b/);
    for (const f of report.watch?.findings ?? [])
      if (f.id === 'other/update-ratio') {
        expect(f.symptomOf, 'update-ratio raised live without its cause').toBeDefined();
        expect(f.remedy ?? '').not.toMatch(/raise the learning rate/i);
      }
    const ratio = report.checks.find((c) => c.id === 'other/update-ratio');
    if (ratio?.status === 'fail' || ratio?.status === 'warn')
      expect(ratio.symptomOf?.cause, ratio.summary).toBe('loss/learning-rate');
  });
});
