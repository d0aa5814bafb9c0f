// The remedy search, as a policy: which fix to try next, on how many seeds, against which
// baselines, when a fix is verified or rejected, and when to stop. It decides; an executor
// (ArmExecutor) trains. The policy imports no framework: its unit tests drive it with a fake
// executor, and the TF.js executor (probes/remedies.ts) runs the arms it asks for.
//
// The search, stage by stage (at most `budget.stages`): the candidates for the findings still
// open, on top of the fixes verified so far (the chain); the setup as it is once (`no fix`), and
// again after each verified fix (the stage's baseline is the previous stage's verified arm);
// `budget.randomDraws` fixes drawn at random from the catalogue, one seed each (the random-fix
// baseline); then each candidate over `budget.seeds` seeds, until one is verified (verdict.ts).
// A verified fix whose re-check leaves failures open starts the next stage; none verified, no
// candidate, or nothing left failing ends the search.
//
// Everything the executor is handed is plain data (fix ids and parameters, seeds, a label): the
// TF.js executor trains the seeds of an arm, and the baseline and random arms of a stage, side by
// side in worker threads. Candidates stay one after the other: the first verified ends the stage.
import type { CheckId } from '../core/check.ts';
import type { Evidence } from '../core/evidence.ts';
import { createRng, subSeed } from '../core/random.ts';
import type { AppliedFix, RemedyArm, RemedyEvidence, RemedyStage } from '../core/remedies.ts';
import type { CheckResult, Report } from '../core/report.ts';
import { applicableFixes, type Candidate, candidatesFor, drawFixes, findingsToFix } from './candidates.ts';
import { CATALOGUE } from './catalogue/index.ts';
import type { Json } from './topology.ts';
import type { Fix, FixContext, Params, Setup } from './types.ts';
import { judgeFix, randomBaselineFor } from './verdict.ts';

/** How much the experiments may cost. */
export interface RemedyBudget {
  /** Runs per arm (seeds). */
  seeds: number;
  /** Random-fix runs per stage (each a fix drawn at random, one seed). */
  randomDraws: number;
  /** Candidate fixes tried per stage. */
  candidates: number;
  /** Fixes chained on top of each other, at most. */
  stages: number;
}

export const DEFAULT_REMEDY_BUDGET: RemedyBudget = { seeds: 3, randomDraws: 3, candidates: 3, stages: 3 };

/** A fix in an arm: a catalogue fix chosen now (its id and parameters), or one applied before (reused as it was). */
export type ArmFix = { id: string; params: Params } | AppliedFix;

/** One arm to train: plain data. */
export interface ArmJob {
  /** Applied in order: the chain verified so far, then the fix tried (none: the setup as it is). */
  fixes: ArmFix[];
  /** One run per seed; the first seed's run resolves the fixes, the others reuse them. */
  seeds: number[];
  /** What the progress line calls it: `no fix`, `random <id>`, `<id>`. */
  label: string;
  /** Return the first run's evidence of the fixed setup (for re-checking). */
  withEvidence: boolean;
}

export interface ArmResult {
  arm: RemedyArm;
  /** The first run's evidence of the fixed setup, when the job asked for it. */
  evidence?: Evidence;
}

/** The training setup and the topology the fixes of a stage read: the user's, with the chain applied. */
export interface StageSetup {
  setup: Setup;
  topology: Json;
}

/** What trains: the TF.js executor (probes/remedies.ts), or a fake in the policy's tests. */
export interface ArmExecutor {
  setupWith(chain: AppliedFix[]): Promise<StageSetup>;
  runArm(job: ArmJob): Promise<ArmResult>;
}

export interface SearchInput {
  seed: number;
  budget: RemedyBudget;
  /** The checkup's evidence, check results and diagnosis. */
  evidence: Evidence;
  results: CheckResult[];
  diagnosis: Report['diagnosis'];
  /** The checks, run on a fixed setup's evidence. */
  recheck(evidence: Evidence): CheckResult[];
  /** The diagnosis of re-checked results (with the checks' cause ranks). */
  diagnose(results: CheckResult[]): Report['diagnosis'];
  /** The fixes to choose from (default: the catalogue). */
  catalogue?: readonly Fix[];
}

export type SearchOutcome = Pick<RemedyEvidence, 'stages' | 'findings' | 'ended'> & { seeds: number[] };

/** The seeds of every arm: the checkup's, then seeds derived from it. */
export function armSeeds(seed: number, n: number): number[] {
  return Array.from({ length: n }, (_, k) => (k === 0 ? seed : subSeed(seed, `remedy-seed-${k}`)));
}

/** Fixes that cannot go on top of the chain: those in it, and the others of their family (one LR change, one rebalancing…). */
export function excludedBy(chain: AppliedFix[], catalogue: readonly Fix[] = CATALOGUE): Set<string> {
  const families = new Set(chain.map((f) => catalogue.find((c) => c.id === f.id)?.family));
  return new Set([
    ...chain.map((f) => f.id),
    ...catalogue.filter((f) => families.has(f.family)).map((f) => f.id),
  ]);
}

/** What a fix may read: the evidence, the check results and the setup it starts from. */
export function fixContext(evidence: Evidence, results: CheckResult[], at: StageSetup): FixContext {
  return {
    task: evidence.task as NonNullable<Evidence['task']>,
    model: evidence.model,
    dataset: evidence.dataset,
    training: evidence.training,
    lrSweep: evidence.lrSweep,
    rebalancing: evidence.rebalancing,
    results: new Map(results.map((r) => [r.id, r])),
    setup: at.setup,
    topology: at.topology,
  };
}

const byId = (results: CheckResult[]) => new Map(results.map((r) => [r.id, r]));
const scoresOf = (arms: RemedyArm[]) => arms.flatMap((a) => a.runs.map((r) => r.score));

/** Where the search stands between stages. */
interface SearchState {
  chain: AppliedFix[];
  findings: CheckId[];
  evidence: Evidence;
  results: CheckResult[];
  baseline: RemedyArm | null;
}

/** A candidate tried: its arm, what the re-check found, and whether it verified. */
interface CandidateOutcome {
  tried: RemedyStage['candidates'][number];
  result: ArmResult;
  recheck: CheckResult[] | null;
  verified: boolean;
}

/** The random-fix baseline of a stage: `randomDraws` fixes drawn with the stage's seed, one seed each. */
export function randomJobs(
  input: SearchInput,
  stage: number,
  seeds: number[],
  ctx: FixContext,
  chain: AppliedFix[],
): ArmJob[] {
  const catalogue = input.catalogue ?? CATALOGUE;
  const rng = createRng(subSeed(input.seed, `remedy-random-${stage}`));
  const draws = drawFixes(
    applicableFixes(ctx, excludedBy(chain, catalogue), catalogue),
    input.budget.randomDraws,
    rng,
  );
  return draws.map((fix, r) => ({
    fixes: [...chain, { id: fix.id, params: fix.params(ctx) }],
    seeds: [seeds[r % seeds.length]],
    label: `random ${fix.id}`,
    withEvidence: false,
  }));
}

/** Trains one candidate on top of the chain, re-checks the fixed setup, and judges it against both baselines. */
async function tryCandidate(
  input: SearchInput,
  executor: ArmExecutor,
  c: Candidate,
  state: SearchState,
  seeds: number[],
  random: RemedyArm[],
): Promise<CandidateOutcome> {
  const job: ArmJob = {
    fixes: [...state.chain, { id: c.fix.id, params: c.params }],
    seeds,
    label: c.fix.id,
    withEvidence: true,
  };
  const result = await executor.runArm(job);
  const recheck = result.evidence ? input.recheck(result.evidence) : null;
  const failing = recheck?.filter((r) => r.status === 'fail').map((r) => r.id);
  const verdict = judgeFix(
    scoresOf([state.baseline as RemedyArm]),
    scoresOf([result.arm]),
    scoresOf(randomBaselineFor(random, c.fix.id)),
  );
  return {
    tried: { finding: c.finding, arm: result.arm, ...(failing ? { stillFailing: failing } : {}) },
    result,
    recheck,
    verified: verdict.verified,
  };
}

/** The findings left open after a verified fix: those its re-check still fails, in diagnosis order. */
export function findingsAfter(recheck: CheckResult[], diagnose: SearchInput['diagnose']): CheckId[] {
  const failing = new Set(recheck.filter((r) => r.status === 'fail').map((r) => r.id));
  return findingsToFix(diagnose(recheck), byId(recheck)).filter((id) => failing.has(id));
}

/** One stage: the candidates, the baselines, the candidates tried in order until one verifies. */
async function runStage(
  input: SearchInput,
  executor: ArmExecutor,
  stage: number,
  state: SearchState,
  seeds: number[],
): Promise<{ record: RemedyStage; verified: CandidateOutcome | null } | null> {
  const catalogue = input.catalogue ?? CATALOGUE;
  const ctx = fixContext(state.evidence, state.results, await executor.setupWith(state.chain));
  const exclude = excludedBy(state.chain, catalogue);
  const candidates = candidatesFor(state.findings, ctx, exclude, catalogue).slice(0, input.budget.candidates);
  // Nothing in the catalogue addresses the (remaining) failures.
  if (!candidates.length) return null;
  // The baseline and the random fixes do not depend on one another: their arms run side by side
  // (where the executor has threads), every one settled before the stage goes on.
  const settled = await Promise.allSettled([
    state.baseline
      ? Promise.resolve(null)
      : executor.runArm({ fixes: [], seeds, label: 'no fix', withEvidence: false }),
    ...randomJobs(input, stage, seeds, ctx, state.chain).map((job) => executor.runArm(job)),
  ]);
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  const [baseline, ...randomRuns] = settled.map((r) => (r as PromiseFulfilledResult<ArmResult | null>).value);
  state.baseline ??= (baseline as ArmResult).arm;
  const random: RemedyArm[] = randomRuns.map((r) => (r as ArmResult).arm);
  const tried: RemedyStage['candidates'] = [];
  let verified: CandidateOutcome | null = null;
  for (const c of candidates) {
    const outcome = await tryCandidate(input, executor, c, state, seeds, random);
    tried.push(outcome.tried);
    if (outcome.verified) {
      verified = outcome;
      break;
    }
  }
  const record = { base: state.chain.map((f) => f.id), baseline: state.baseline, random, candidates: tried };
  return { record, verified };
}

/** The chain after a verified fix: the fix on top, its arm the next baseline, its re-check the findings still open. */
function advance(input: SearchInput, state: SearchState, v: CandidateOutcome): void {
  if (v.recheck) {
    state.results = v.recheck;
    state.findings = findingsAfter(v.recheck, input.diagnose);
  }
  state.chain.push(v.result.arm.fixes[v.result.arm.fixes.length - 1]);
  state.baseline = v.result.arm;
  state.evidence = { ...input.evidence, ...(v.result.evidence ?? {}) };
}

/** Runs the search: stages until a stop rule holds. */
export async function searchRemedies(input: SearchInput, executor: ArmExecutor): Promise<SearchOutcome> {
  const seeds = armSeeds(input.seed, input.budget.seeds);
  const findings = findingsToFix(input.diagnosis, byId(input.results));
  const state: SearchState = {
    chain: [],
    findings,
    evidence: input.evidence,
    results: input.results,
    baseline: null,
  };
  const stages: RemedyStage[] = [];
  let ended: RemedyEvidence['ended'] = 'bound';
  for (let stage = 1; stage <= input.budget.stages; stage++) {
    const done = await runStage(input, executor, stage, state, seeds);
    if (!done) {
      ended = 'no-candidate';
      break;
    }
    stages.push(done.record);
    if (!done.verified) {
      ended = 'not-verified';
      break;
    }
    advance(input, state, done.verified);
    if (!state.findings.length) {
      ended = 'resolved';
      break;
    }
  }
  return { seeds, stages, findings, ended };
}
