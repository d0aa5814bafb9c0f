// Issue 20's classes 1, 2, 5 and 8 on real training: planted faults named as the primary cause,
// and their healthy twins (the same setup without the fault) with no fail.
import { beforeAll, describe, expect, it } from 'vitest';
import { checkup } from '../../src/checkup.ts';
import { selectBackend } from '../../src/tfjs/backend.ts';
import { expectValidReport } from '../valid-report.ts';
import {
  ACCURACY_PLANTED,
  ACCURACY_TWINS,
  dropoutMlp,
  mnist,
  wideData,
  wideGlorot,
} from './accuracy-cases.ts';
import { describePlanted } from './planted.ts';

describePlanted('planted faults of issue 20 (output range, reconstruction)', ACCURACY_PLANTED);

describe('dropout that stops learning is named with its rates (issue 20, class 2)', () => {
  beforeAll(() => selectBackend());
  it('dropout 0.9 on the input and both hidden layers → loss/regularization, remedy names the rates', async () => {
    const model = dropoutMlp(0.9);
    const report = await checkup({ model, data: mnist() });
    const check = report.checks.find((c) => c.id === 'loss/regularization');
    expect(report.diagnosis.primary, report.diagnosis.summary).toBe('loss/regularization');
    expect(check?.status, check?.summary).toBe('fail');
    // The contrast: learns with dropout off (overfit test), not with it on (control corpus).
    expect(check?.measured).toMatchObject({
      dropoutRates: [0.9, 0.9, 0.9],
      offLearns: true,
      onLearns: false,
    });
    expect(report.checks.find((c) => c.id === 'inputs/overfit-small')?.status).toBe('pass');
    expect(check?.remedy).toMatch(
      /dropout rates of dropout\S*, dropout\S*, dropout\S* from 0\.9, 0\.9, 0\.9 to 0\.5/,
    );
    expect(report.diagnosis.summary).toMatch(/dropout 0\.9/i);
    expectValidReport(report);
    model.dispose();
  });
});

describe('healthy twins of the planted faults of issue 20: no fail', () => {
  beforeAll(() => selectBackend());
  for (const twin of ACCURACY_TWINS) {
    it(twin.name, async () => {
      const model = twin.model();
      const report = await checkup({ model, data: twin.data() });
      const bad = report.checks.filter((c) => c.status === 'fail' || c.status === 'error');
      expect(bad.map((c) => `${c.id}: ${c.summary}`)).toEqual([]);
      expectValidReport(report);
      model.dispose();
    });
  }
});

describe('a wide Glorot layer is judged against Glorot’s own formula (issue 20, class 5)', () => {
  beforeAll(() => selectBackend());
  it('32 → 4,096 Glorot: at its initializer’s scale; the same formula at gain 900: too large', async () => {
    const model = wideGlorot();
    const data = wideData();
    // The whole checkup: a textbook Glorot layer gets no fail, and init-shallow no finding.
    const healthy = await checkup({ model, data });
    const bad = healthy.checks.filter((c) => c.status === 'fail' || c.status === 'error');
    expect(bad.map((c) => `${c.id}: ${c.summary}`)).toEqual([]);
    const check = healthy.checks.find((c) => c.id === 'model/init-shallow');
    expect(check?.status, check?.summary).toBe('pass');
    const wide = healthy.evidence.model?.kernels[0];
    expect(wide?.expectedFrom).toBe('initializer');
    expect(wide?.expectedStd).toBeCloseTo(Math.sqrt(2 / (32 + 4096)), 6);
    model.dispose();
    // Scale 900: std √(900 / 2,064) = 0.66, 2.6× He's √(2 / 32) (which the old comparison passed),
    // 21× the same formula at the standard gain 2.
    const large = wideGlorot(900);
    const planted = await checkup({ model: large, data, only: ['model/init-shallow'] });
    const found = planted.checks.find((c) => c.id === 'model/init-shallow');
    expect(found?.status, found?.summary).toBe('warn');
    expect(found?.measured).toMatchObject({ expectedFrom: 'initializer', fanIn: 32, fanOut: 4096 });
    expect(Number(found?.measured.ratio)).toBeCloseTo(Math.sqrt(450), 0);
    large.dispose();
  });
});
