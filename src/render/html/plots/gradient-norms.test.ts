// Zero gradients (a dead layer's evidence) are drawn on a floor line of the log-scale plot, and the
// caption names the run the plot shows: the user's logged run, or the checkup's instrumented run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../../core/report.ts';
import { diagnoseLogdir } from '../../../tensorboard/diagnose.ts';
import { plantRun } from '../../../tensorboard/testing/planted.ts';
import { gradientNorms } from './gradient-norms.ts';
import { createDocument } from './shared.ts';

const tmp = mkdtempSync(join(tmpdir(), 'nn-doctor-grad-plot-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function logged(): Promise<Report> {
  plantRun(tmp, 'pytorch', 'none');
  return (await diagnoseLogdir(tmp)).report;
}

function draw(report: Report) {
  const dom = createDocument();
  try {
    return gradientNorms(report, dom.document);
  } finally {
    dom.close();
  }
}

describe('gradient-norms plot', () => {
  it('draws zero gradients as × on a floor line, and names the logged run', async () => {
    const report = await logged();
    const healthy = draw(report);
    expect(healthy?.panels.join('')).not.toContain('0 / NaN');
    expect(healthy?.caption).toContain('the logged run');
    expect(healthy?.caption).not.toContain('instrumented');
    // A dead first layer: its gradient is 0 at every step.
    const kernels = report.evidence.training?.weights.filter((w) => w.kind === 'kernel') ?? [];
    expect(kernels.length).toBeGreaterThan(1);
    kernels[0].gradNorm = kernels[0].gradNorm?.map(() => 0) ?? [];
    const dead = draw(report);
    const svg = dead?.panels.join('') ?? '';
    expect(svg).toContain('0 / NaN');
    expect((svg.match(/<path[^>]*d="M[^"]*"/g) ?? []).length).toBeGreaterThan(0);
    expect(dead?.notes?.join(' ')).toMatch(/drawn as × on the floor line/);
  });

  it('a checkup’s evidence is captioned as the instrumented run', async () => {
    const report = await logged();
    const fig = draw({ ...report, evidence: { ...report.evidence, source: 'tfjs' } });
    expect(fig?.caption).toContain('the instrumented run');
  });
});
