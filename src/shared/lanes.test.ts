import { describe, expect, it } from 'vitest';
import { Lanes } from './lanes.ts';

/** A job that resolves when told to, recording where it ran. */
function gate() {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe('Lanes', () => {
  it('runs one job here at a time and the rest there, each result to its caller', async () => {
    const log: string[] = [];
    let hereRunning = 0;
    let maxHere = 0;
    const gates = [gate(), gate(), gate(), gate()];
    const lanes = new Lanes<number, string>(
      async (j) => {
        hereRunning++;
        maxHere = Math.max(maxHere, hereRunning);
        log.push(`here ${j}`);
        await gates[j].opened;
        hereRunning--;
        return `h${j}`;
      },
      async (j) => {
        log.push(`there ${j}`);
        await gates[j].opened;
        return `t${j}`;
      },
      1,
    );
    const results = Promise.all([0, 1, 2, 3].map((j) => lanes.run(j)));
    expect(log).toEqual(['here 0', 'there 1']);
    gates[1].open();
    await new Promise((r) => setTimeout(r, 0));
    expect(log).toEqual(['here 0', 'there 1', 'there 2']);
    for (const g of gates) g.open();
    expect(await results).toEqual(['h0', 't1', 't2', 'h3']);
    expect(maxHere).toBe(1);
  });

  it('without a remote lane runs every job here in order', async () => {
    const order: number[] = [];
    const lanes = new Lanes<number, number>(
      async (j) => {
        order.push(j);
        return j * 2;
      },
      null,
      3,
    );
    expect(await Promise.all([1, 2, 3].map((j) => lanes.run(j)))).toEqual([2, 4, 6]);
    expect(order).toEqual([1, 2, 3]);
  });

  it('a failing job rejects only its caller; the lane goes on', async () => {
    const lanes = new Lanes<number, number>(
      async (j) => {
        if (j === 1) throw new Error('boom');
        return j;
      },
      null,
      0,
    );
    const [a, b, c] = await Promise.allSettled([0, 1, 2].map((j) => lanes.run(j)));
    expect(a).toEqual({ status: 'fulfilled', value: 0 });
    expect(b.status).toBe('rejected');
    expect(c).toEqual({ status: 'fulfilled', value: 2 });
  });
});
