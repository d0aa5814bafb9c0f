// A plot's threshold lines are the checks' own (Check.plot.lines), at the values the report says
// they ran with: an override moves the line, and a report without the check draws none — never a
// copied default.
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../registry.ts';
import { healthyEvidence } from '../../testing/fixtures.ts';
import { activations } from './activations.ts';
import { createDocument } from './shared.ts';
import { updateRatios } from './update-ratios.ts';

const CREATED_AT = new Date('2026-01-01T00:00:00Z');

function draw<T>(fn: (document: Document) => T): T {
  const dom = createDocument();
  try {
    return fn(dom.document);
  } finally {
    dom.close();
  }
}

describe('plots draw the thresholds the checks declare, at their effective values', () => {
  it('update-ratios: the bounds move with a user override', () => {
    const report = buildReport({
      evidence: healthyEvidence(),
      createdAt: CREATED_AT,
      options: { thresholds: { 'other/update-ratio': { failBelow: 3e-5 } } },
    });
    expect(report.checks.find((c) => c.id === 'other/update-ratio')?.plotLines).toEqual({
      tooSlowBelow: 3e-5,
      tooFastAbove: 0.1,
    });
    const plot = draw((d) => updateRatios(report, d));
    expect(plot?.panels.join('')).toContain('3e-5: learning too slowly below');
    expect(plot?.panels.join('')).not.toContain('1e-4: learning too slowly below');
  });

  it('update-ratios and activations: no line without the check that owns it', () => {
    const report = buildReport({
      evidence: healthyEvidence(),
      createdAt: CREATED_AT,
      options: { skip: ['other/update-ratio', 'activations/'] },
    });
    const ratios = draw((d) => updateRatios(report, d));
    expect(ratios?.panels.join('')).not.toContain('learning too slowly');
    const acts = draw((d) => activations(report, d));
    expect(acts?.notes?.join(' ') ?? '').not.toContain('Dashed line');
  });

  it('activations: the dead-unit fail line is dead-relu’s effective failFraction', () => {
    const report = buildReport({
      evidence: healthyEvidence(),
      createdAt: CREATED_AT,
      options: { thresholds: { 'activations/dead-relu': { failFraction: 0.7 } } },
    });
    const acts = draw((d) => activations(report, d));
    expect(acts?.notes?.join(' ')).toContain('fail at 70%');
  });
});
