import { describe, expect, it } from 'vitest';
import { OrderedProgress, plan, runPlan, type Schedulable } from './scheduler.ts';

const e = (name: string, needs: string[] = [], optional: string[] = []): Schedulable => ({
  name,
  provides: name,
  needs,
  optional,
});

const CATALOGUE = [
  e('training'),
  e('overfit'),
  e('control'),
  e('labelSignal', ['training', 'control']),
  e('rebalancing', ['training']),
  e('remedies', [], ['training', 'overfit', 'control', 'labelSignal', 'rebalancing']),
];

const names = (list: Schedulable[]) => list.map((x) => x.name);

describe('plan', () => {
  it.each([
    { wanted: ['labelSignal'], expected: ['training', 'control', 'labelSignal'] },
    { wanted: ['rebalancing'], expected: ['training', 'rebalancing'] },
    { wanted: ['overfit'], expected: ['overfit'] },
    // Optional inputs never plan anything: remedies alone runs alone.
    { wanted: ['remedies'], expected: ['remedies'] },
    { wanted: ['remedies', 'overfit'], expected: ['overfit', 'remedies'] },
    { wanted: ['unknownKey'], expected: [] },
    {
      wanted: ['remedies', 'labelSignal', 'overfit'],
      expected: ['training', 'overfit', 'control', 'labelSignal', 'remedies'],
    },
  ])('wanted $wanted → $expected', ({ wanted, expected }) => {
    expect(names(plan(CATALOGUE, wanted))).toEqual(expected);
  });

  it('puts an experiment after its needs even when declared before them', () => {
    const order = plan([e('b', ['a']), e('a')], ['b']);
    expect(names(order)).toEqual(['a', 'b']);
  });

  it('refuses a cycle, a need nobody provides, and two providers of one key', () => {
    expect(() => plan([e('a', ['b']), e('b', ['a'])], ['a'])).toThrow(/cycle/);
    expect(() => plan([e('a', ['missing'])], ['a'])).toThrow(/no experiment provides/);
    expect(() => plan([e('a'), e('a')], ['a'])).toThrow(/two experiments/);
  });
});

/** Runs a plan with `jobs`, each experiment resolving when the test says; records starts. */
function harness(planned: Schedulable[], jobs: number) {
  const started: string[] = [];
  const resolvers = new Map<string, { resolve(): void; reject(e: unknown): void }>();
  const finished = runPlan(planned, jobs, (x) => {
    started.push(x.name);
    return new Promise<void>((resolve, reject) => resolvers.set(x.name, { resolve, reject }));
  });
  const settle = async (name: string, error?: unknown) => {
    const r = resolvers.get(name);
    if (!r) throw new Error(`${name} has not started`);
    if (error === undefined) r.resolve();
    else r.reject(error);
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  const tick = async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { started, finished, settle, tick };
}

describe('runPlan', () => {
  const planned = plan(CATALOGUE, ['remedies', 'labelSignal', 'rebalancing', 'overfit']);

  it('jobs 1 runs one at a time in plan order', async () => {
    const h = harness(planned, 1);
    await h.tick();
    expect(h.started).toEqual(['training']);
    for (const name of ['training', 'overfit', 'control', 'labelSignal', 'rebalancing']) await h.settle(name);
    expect(h.started).toEqual(['training', 'overfit', 'control', 'labelSignal', 'rebalancing', 'remedies']);
    await h.settle('remedies');
    await h.finished;
  });

  it('jobs 2 runs independent experiments side by side and waits for needs', async () => {
    const h = harness(planned, 2);
    await h.tick();
    expect(h.started).toEqual(['training', 'overfit']);
    await h.settle('overfit');
    // labelSignal needs training, still running: control starts instead.
    expect(h.started).toEqual(['training', 'overfit', 'control']);
    await h.settle('control');
    expect(h.started).toHaveLength(3);
    await h.settle('training');
    expect(h.started).toEqual(['training', 'overfit', 'control', 'labelSignal', 'rebalancing']);
    await h.settle('rebalancing');
    // remedies waits for every planned experiment it may read.
    expect(h.started).toHaveLength(5);
    await h.settle('labelSignal');
    expect(h.started.at(-1)).toBe('remedies');
    await h.settle('remedies');
    await h.finished;
  });

  it('after a thrown error starts nothing new, awaits the running ones, rethrows', async () => {
    const h = harness(planned, 2);
    await h.tick();
    await h.settle('overfit', new Error('interrupted'));
    expect(h.started).toEqual(['training', 'overfit']);
    let settled = false;
    h.finished.catch(() => {}).finally(() => (settled = true));
    await h.tick();
    expect(settled).toBe(false);
    await h.settle('training');
    await expect(h.finished).rejects.toThrow('interrupted');
    expect(h.started).toEqual(['training', 'overfit']);
  });

  it('refuses a jobs count that is not a positive integer', async () => {
    await expect(runPlan(planned, 0, async () => {})).rejects.toThrow(/positive integer/);
  });
});

describe('OrderedProgress', () => {
  it('passes events on in plan order whatever order they arrive in', () => {
    const out: string[] = [];
    const p = new OrderedProgress<string>(['a', 'b', 'c'], (x) => out.push(x));
    p.report('b', 'b1');
    p.report('a', 'a1');
    p.report('c', 'c1');
    p.report('b', 'b2');
    expect(out).toEqual(['a1']);
    p.finish('c');
    p.finish('a');
    expect(out).toEqual(['a1', 'b1', 'b2']);
    p.report('b', 'b3');
    p.finish('b');
    expect(out).toEqual(['a1', 'b1', 'b2', 'b3', 'c1']);
  });
});
