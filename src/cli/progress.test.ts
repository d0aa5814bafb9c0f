// Progress when stderr is not a terminal (CI logs, pipes, notebooks): plain lines, the first after
// FIRST_LINE_MS, then at most one per LINE_INTERVAL_MS, each naming the experiment, its steps and what is
// left of it; no escape codes. The clock is injected: no wall-clock timing in the test.
import { describe, expect, it } from 'vitest';
import { createProgress, FIRST_LINE_MS, LINE_INTERVAL_MS } from './progress.ts';

function fake() {
  const writes: string[] = [];
  let t = 0;
  const progress = createProgress(false, { isTTY: false, write: (s: string) => writes.push(s) }, () => t);
  return {
    writes,
    progress,
    at(ms: number) {
      t = ms;
    },
  };
}

describe('progress lines off a terminal', () => {
  it('prints nothing in the first moments, then at most one line per interval, with an estimate', () => {
    const f = fake();
    f.progress.update({ probe: 'dataset', done: 0, total: 1 });
    f.at(FIRST_LINE_MS - 1);
    f.progress.update({ probe: 'dataset', done: 1, total: 1 });
    expect(f.writes).toEqual([]); // a run refused or done this soon prints no progress
    f.at(FIRST_LINE_MS);
    f.progress.update({ probe: 'training run', done: 0, total: 100 });
    expect(f.writes).toEqual([`nn-doctor: 2 s in, experiment 2: training run 0/100 steps\n`]);
    // 40 steps in 4 s: 60 more steps take about 6 s.
    for (let s = 1; s < 40; s++) {
      f.at(FIRST_LINE_MS + s * 100);
      f.progress.update({ probe: 'training run', done: s, total: 100 });
    }
    expect(f.writes).toHaveLength(1); // the interval has not passed since the first line
    f.at(FIRST_LINE_MS + LINE_INTERVAL_MS);
    f.progress.update({ probe: 'training run', done: 50, total: 100 });
    expect(f.writes[1]).toBe(
      'nn-doctor: 7 s in, experiment 2: training run 50/100 steps, about 5 s left in it\n',
    );
    f.at(FIRST_LINE_MS + 2 * LINE_INTERVAL_MS - 1);
    f.progress.update({ probe: 'training run', done: 90, total: 100 });
    expect(f.writes).toHaveLength(2);
    f.at(70_000);
    f.progress.update({ probe: 'lr sweep', done: 3, total: 30 });
    expect(f.writes[2]).toBe('nn-doctor: 1 min 10 s in, experiment 3: lr sweep 3/30 steps\n');
    f.progress.done();
    expect(f.writes.join('')).not.toContain('\r');
    expect(f.writes.join('')).not.toContain('\u001b');
  });

  it('counts each experiment once, however many events it sends', () => {
    const f = fake();
    for (const [i, probe] of ['dataset', 'model', 'overfit', 'overfit', 'overfit'].entries()) {
      f.at(FIRST_LINE_MS + i * LINE_INTERVAL_MS);
      f.progress.update({ probe, done: i, total: 10 });
    }
    expect(f.writes.at(-1)).toMatch(/experiment 3: overfit 4\/10 steps/);
  });

  it('is silent with --quiet', () => {
    const writes: string[] = [];
    const p = createProgress(true, { isTTY: false, write: (s: string) => writes.push(s) });
    p.update({ probe: 'training', done: 1, total: 2 });
    p.done();
    expect(writes).toEqual([]);
  });
});
