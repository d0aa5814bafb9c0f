// The live page's headline names the primary cause of what has been raised so far, with its
// remedy — not whichever finding came last.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckId } from '../../core/check.ts';
import type { LiveFinding, Report } from '../../core/report.ts';
import { diagnoseLogdir } from '../../tensorboard/diagnose.ts';
import { plantRun } from '../../tensorboard/testing/planted.ts';
import { pageState } from './state.ts';

const tmp = mkdtempSync(join(tmpdir(), 'nn-doctor-state-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function finding(id: CheckId, step: number, status: 'warn' | 'fail' = 'fail'): LiveFinding {
  return {
    id,
    title: id,
    status,
    step,
    firstSeenStep: step,
    wallTime: new Date(0).toISOString(),
    elapsedMs: 0,
    summary: `${id} at step ${step}`,
    measured: {},
    thresholds: {},
    remedy: null,
    conclusiveBecause: 'test',
  };
}

async function diverging(): Promise<Report> {
  const dir = mkdtempSync(join(tmp, 'run-'));
  plantRun(dir, 'pytorch', 'exploding');
  return (await diagnoseLogdir(dir)).report;
}

describe('live page headline', () => {
  it('shows the diagnosis’ primary cause among the raised findings and its remedy, whatever came last', async () => {
    const report = await diverging();
    const primary = report.diagnosis.primary as CheckId;
    expect(primary).not.toBeNull();
    const others = report.diagnosis.ranked.filter((id) => id !== primary);
    expect(others.length).toBeGreaterThan(0);
    // The primary cause was raised first; a symptom came last.
    report.watch = {
      source: 'tensorboard',
      steps: 100,
      findings: [finding(primary, 60), ...others.map((id, i) => finding(id, 70 + i))],
    };
    const state = pageState(report, 'watching');
    const remedy = report.checks.find((c) => c.id === primary)?.remedy as string;
    expect(remedy).toBeTruthy();
    expect(state.headline).toBe(
      `Watching: ${report.watch.findings.length} checks failed — most likely cause: ${primary}. Do: ${remedy}`,
    );
    expect(state.headline).not.toContain('latest');
  });

  it('before the primary cause is raised, names the root of the raised symptom, not the symptom', async () => {
    const report = await diverging();
    const primary = report.diagnosis.primary as CheckId;
    const symptom = report.checks.find((c) => c.symptomOf?.cause === primary);
    expect(symptom, JSON.stringify(report.diagnosis.chain)).toBeDefined();
    if (!symptom) return;
    report.watch = { source: 'tensorboard', steps: 100, findings: [finding(symptom.id, 50)] };
    expect(pageState(report, 'finished').headline).toMatch(
      new RegExp(`^Finished: 1 check failed — most likely cause: ${primary.replace('/', '\\/')}`),
    );
  });

  it('before the primary cause is raised, names the best-ranked raised finding that is no symptom', async () => {
    const report = await diverging();
    const root = report.diagnosis.ranked.find(
      (id) => id !== report.diagnosis.primary && !report.checks.find((c) => c.id === id)?.symptomOf,
    );
    if (!root) return; // every other finding is a symptom here: the test above covers it
    report.watch = { source: 'tensorboard', steps: 100, findings: [finding(root, 50)] };
    expect(pageState(report, 'finished').headline).toMatch(
      new RegExp(`^Finished: 1 check failed — most likely cause: ${root.replace('/', '\\/')}`),
    );
  });

  it('says nothing of a cause while nothing was raised', async () => {
    const report = await diverging();
    report.watch = { source: 'tensorboard', steps: 10, findings: [] };
    expect(pageState(report, 'watching').headline).toBe('Watching: nothing found so far');
  });
});
