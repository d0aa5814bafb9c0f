// The remedy-search policy without TF.js: a fake catalogue and a fake executor whose scores are a
// table (each fix adds its effect; a noisy fix spreads over the seeds), so each rule — which fix
// next, how many seeds, verified or rejected against the random-fix baseline, when to stop — is
// one row.
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../checks/index.ts';
import type { CheckId } from '../core/check.ts';
import { diagnose } from '../core/diagnosis.ts';
import type { Evidence } from '../core/evidence.ts';
import type { AppliedFix } from '../core/remedies.ts';
import type { CheckResult, Report } from '../core/report.ts';
import {
  type ArmExecutor,
  type ArmJob,
  armSeeds,
  DEFAULT_REMEDY_BUDGET,
  type RemedyBudget,
  type SearchOutcome,
  searchRemedies,
} from './search.ts';
import type { Fix } from './types.ts';

const LR: CheckId = 'loss/learning-rate';
const GRAD: CheckId = 'other/exploding-gradients';
const MEAN: CheckId = 'inputs/mean-centering';

function fakeFix(id: string, family: string, addresses: CheckId[]): Fix {
  return {
    id,
    title: id,
    family,
    addresses,
    applies: () => null,
    params: () => ({ p: id }),
    apply: () => ({ changes: { edits: [], reinitialized: [] } }),
    describe: () => id,
  };
}

// In catalogue order: two learning-rate fixes (one family), one for the gradients, one for the
// inputs, and one that addresses nothing (only the random-fix baseline draws it).
const CATALOGUE: Fix[] = [
  fakeFix('lr-down', 'lr', [LR, GRAD]),
  fakeFix('lr-up', 'lr', [LR]),
  fakeFix('clip', 'clip', [GRAD]),
  fakeFix('standardize', 'inputs', [MEAN]),
  fakeFix('other', 'other', []),
];

function result(id: CheckId, status: CheckResult['status']): CheckResult {
  return {
    id,
    section: id.split('/')[0] as CheckResult['section'],
    title: id,
    status,
    summary: '',
    measured: {},
    thresholds: {},
    why: '',
    remedy: null,
    durationMs: 0,
  };
}

interface World {
  /** Score of the setup as it is. */
  base?: number;
  /** What each fix adds to the score. */
  effect: Record<string, number>;
  /** A fix's score moves by this × (seed index − 1): its seed spread is twice it. */
  noise?: Record<string, number>;
  /** Checks failing at the start, in diagnosis order. */
  failing: CheckId[];
  /** Checks each fix makes pass (the re-check of a setup with it). */
  resolves?: Record<string, CheckId[]>;
  budget?: Partial<RemedyBudget>;
}

type FixedEvidence = Evidence & { fixedBy: string[] };

async function search(w: World): Promise<{ out: SearchOutcome; jobs: ArmJob[]; setups: string[][] }> {
  const budget = { ...DEFAULT_REMEDY_BUDGET, ...w.budget };
  const seeds = armSeeds(1, budget.seeds);
  const jobs: ArmJob[] = [];
  const setups: string[][] = [];
  const executor: ArmExecutor = {
    async setupWith(chain) {
      setups.push(chain.map((f) => f.id));
      return {
        setup: { optimizer: 'Adam', learningRate: 0.1, loss: 'mse', classWeights: null },
        topology: {},
      };
    },
    async runArm(job) {
      jobs.push(job);
      const fixes: AppliedFix[] = job.fixes.map((f) => ({
        id: f.id,
        params: f.params,
        changes: { edits: [], reinitialized: [] },
      }));
      const runs = job.seeds.map((seed) => {
        const k = seeds.indexOf(seed);
        const score = fixes.reduce(
          (s, f) => s + (w.effect[f.id] ?? 0) + (w.noise?.[f.id] ?? 0) * (k - 1),
          w.base ?? 0.5,
        );
        return {
          seed,
          initSeed: seed,
          score,
          loss: 1 - score,
          accuracy: score,
          curve: { steps: [], values: [] },
          nonFinite: false,
        };
      });
      const evidence = { source: 'tfjs', unavailable: {}, fixedBy: fixes.map((f) => f.id) } as FixedEvidence;
      return { arm: { fixes, runs }, ...(job.withEvidence ? { evidence } : {}) };
    },
  };
  const results = w.failing.map((id) => result(id, 'fail'));
  const diagnosis: Report['diagnosis'] = {
    primary: w.failing[0] ?? null,
    summary: '',
    ranked: w.failing,
    chain: [],
  };
  const out = await searchRemedies(
    {
      seed: 1,
      budget,
      evidence: { source: 'tfjs', unavailable: {}, task: {} as NonNullable<Evidence['task']> },
      results,
      diagnosis,
      recheck(e) {
        const fixed = (e as FixedEvidence).fixedBy;
        const resolved = new Set(fixed.flatMap((id) => w.resolves?.[id] ?? []));
        return w.failing.map((id) => result(id, resolved.has(id) ? 'pass' : 'fail'));
      },
      diagnose: (rechecked) => diagnose(rechecked, ALL_CHECKS),
      catalogue: CATALOGUE,
    },
    executor,
  );
  return { out, jobs, setups };
}

const triedIds = (out: SearchOutcome) =>
  out.stages.map((s) => s.candidates.map((c) => c.arm.fixes.at(-1)?.id));

describe('remedy search policy', () => {
  it.each<[string, World, SearchOutcome['ended'], (string | undefined)[][]]>([
    [
      'the first candidate verifies and nothing fails after it: resolved',
      { effect: { 'lr-down': 0.3 }, failing: [LR], resolves: { 'lr-down': [LR] } },
      'resolved',
      [['lr-down']],
    ],
    [
      'a candidate that helps no more than a random fix is rejected; the next one verifies',
      {
        // Every random draw but lr-up does as well as lr-down; lr-up does better than any of them.
        effect: { 'lr-down': 0.3, clip: 0.3, standardize: 0.3, other: 0.3, 'lr-up': 0.6 },
        failing: [LR],
        resolves: { 'lr-up': [LR] },
      },
      'resolved',
      [['lr-down', 'lr-up']],
    ],
    [
      'an effect within the seed spread is rejected: not verified',
      { effect: { 'lr-down': 0.1, 'lr-up': 0.1 }, noise: { 'lr-down': 0.2, 'lr-up': 0.2 }, failing: [LR] },
      'not-verified',
      [['lr-down', 'lr-up']],
    ],
    [
      'an effect below the 2 points that count is rejected even with no spread',
      { effect: { 'lr-down': 0.01, 'lr-up': 0.01 }, failing: [LR] },
      'not-verified',
      [['lr-down', 'lr-up']],
    ],
    [
      'nothing in the catalogue addresses the failure: no arm is trained',
      { effect: {}, failing: ['inputs/class-balance'] },
      'no-candidate',
      [],
    ],
    [
      'a verified fix that leaves a failure starts the next stage on top of it',
      {
        effect: { 'lr-down': 0.2, standardize: 0.2 },
        failing: [LR, MEAN],
        resolves: { 'lr-down': [LR], standardize: [MEAN] },
      },
      'resolved',
      [['lr-down'], ['standardize']],
    ],
    [
      'the bound on stages ends a chain that still has failures',
      {
        effect: { 'lr-down': 0.2, standardize: 0.2 },
        failing: [LR, MEAN],
        resolves: { 'lr-down': [LR] },
        budget: { stages: 1 },
      },
      'bound',
      [['lr-down']],
    ],
    [
      'a fix of the chain’s family is no candidate on top of it; nothing else addresses the rest',
      { effect: { 'lr-down': 0.3 }, failing: [GRAD, LR], resolves: { 'lr-down': [GRAD] } },
      'no-candidate',
      [['lr-down']],
    ],
    [
      'at most budget.candidates candidates per stage',
      { effect: {}, failing: [GRAD], budget: { candidates: 1 } },
      'not-verified',
      [['lr-down']],
    ],
  ])('%s', async (_, world, ended, tried) => {
    const { out } = await search(world);
    expect(out.ended).toBe(ended);
    expect(triedIds(out)).toEqual(tried);
  });

  it('trains the setup as it is once, the random fixes on one seed each, the candidates on every seed', async () => {
    const { jobs, out } = await search({
      effect: { 'lr-down': 0.3 },
      failing: [LR],
      resolves: { 'lr-down': [LR] },
    });
    const seeds = armSeeds(1, 3);
    expect(out.seeds).toEqual(seeds);
    expect(jobs.map((j) => [j.label, j.seeds.length, j.withEvidence])).toEqual([
      ['no fix', 3, false],
      ...jobs.filter((j) => j.label.startsWith('random ')).map((j) => [j.label, 1, false]),
      ['lr-down', 3, true],
    ]);
    expect(jobs.filter((j) => j.label.startsWith('random '))).toHaveLength(DEFAULT_REMEDY_BUDGET.randomDraws);
    // The random draws go round the seeds, and exclude nothing applicable (no chain yet).
    expect(jobs.filter((j) => j.label.startsWith('random ')).map((j) => j.seeds[0])).toEqual(seeds);
  });

  it('builds stage 2 on the verified fix: its arm is the baseline, the chain is beneath every arm', async () => {
    const { out, jobs, setups } = await search({
      effect: { 'lr-down': 0.2, standardize: 0.2 },
      failing: [LR, MEAN],
      resolves: { 'lr-down': [LR], standardize: [MEAN] },
    });
    expect(setups).toEqual([[], ['lr-down']]);
    expect(out.stages[1].base).toEqual(['lr-down']);
    expect(out.stages[1].baseline).toBe(out.stages[0].candidates[0].arm);
    // The setup as it is is trained once, in stage 1 only.
    expect(jobs.filter((j) => j.label === 'no fix')).toHaveLength(1);
    const stage2 = jobs.slice(jobs.findIndex((j) => j.label === 'lr-down') + 1);
    expect(stage2.every((j) => j.fixes[0].id === 'lr-down')).toBe(true);
    // The random-fix baseline of stage 2 does not draw the learning-rate family again.
    expect(stage2.some((j) => j.fixes.some((f, i) => i > 0 && f.id.startsWith('lr-')))).toBe(false);
    expect(out.stages[0].candidates[0].stillFailing).toEqual([MEAN]);
    expect(out.findings).toEqual([LR, MEAN]);
  });

  it('hands the executor plain data only (a worker thread can run each arm)', async () => {
    const { jobs } = await search({
      effect: { 'lr-down': 0.2, standardize: 0.2 },
      failing: [LR, MEAN],
      resolves: { 'lr-down': [LR], standardize: [MEAN] },
    });
    expect(jobs.length).toBeGreaterThan(5);
    for (const job of jobs) expect(JSON.parse(JSON.stringify(job))).toEqual(job);
  });

  it('is deterministic: the same seed draws the same random fixes', async () => {
    const world: World = { effect: {}, failing: [GRAD], budget: { randomDraws: 4 } };
    const a = await search(world);
    const b = await search(world);
    expect(a.jobs.map((j) => j.label)).toEqual(b.jobs.map((j) => j.label));
  });
});
