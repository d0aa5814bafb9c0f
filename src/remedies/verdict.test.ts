// When a fix counts as verified: table-driven over the three arms' held-out scores.
import { describe, expect, it } from 'vitest';
import type { RemedyArm } from '../core/remedies.ts';
import { judgeFix, randomBaselineFor } from './verdict.ts';

interface Case {
  name: string;
  before: number[];
  after: number[];
  random: number[];
  verified: boolean;
  improved: boolean;
  beatsRandom: boolean;
}

const CASES: Case[] = [
  {
    name: 'large effect, tight seeds, random fixes do worse → verified',
    before: [0.1, 0.1, 0.1],
    after: [0.91, 0.92, 0.9],
    random: [0.1, 0.5, 0.3],
    verified: true,
    improved: true,
    beatsRandom: true,
  },
  {
    name: 'effect within the seed spread → not verified',
    before: [0.5, 0.7, 0.6],
    after: [0.6, 0.8, 0.65],
    random: [0.1, 0.1, 0.1],
    verified: false,
    improved: false,
    beatsRandom: true,
  },
  {
    name: 'helps, but a random fix does as well → not verified',
    before: [0.1, 0.1, 0.1],
    after: [0.9, 0.91, 0.9],
    random: [0.9, 0.9, 0.91],
    verified: false,
    improved: true,
    beatsRandom: false,
  },
  {
    name: 'deterministic setup (spread 0): a rounding difference is below the minimum effect',
    before: [0.8, 0.8, 0.8],
    after: [0.805, 0.805, 0.805],
    random: [0.5, 0.5, 0.5],
    verified: false,
    improved: false,
    beatsRandom: true,
  },
  {
    name: 'fewer than three seeds → never verified',
    before: [0.1, 0.1],
    after: [0.9, 0.9],
    random: [0.1],
    verified: false,
    improved: false,
    beatsRandom: true,
  },
  {
    name: 'no random-fix baseline → never verified',
    before: [0.1, 0.1, 0.1],
    after: [0.9, 0.9, 0.9],
    random: [],
    verified: false,
    improved: true,
    beatsRandom: false,
  },
  {
    name: 'an unstable setup (wide spread before) does not widen the margin over the random fixes',
    before: [0.1, 0.45, 0.2],
    after: [0.9, 0.91, 0.9],
    random: [0.5, 0.6, 0.7],
    verified: true,
    improved: true,
    beatsRandom: true,
  },
  {
    name: 'a fix that makes it worse → not verified',
    before: [0.9, 0.9, 0.9],
    after: [0.1, 0.1, 0.1],
    random: [0.1, 0.1, 0.1],
    verified: false,
    improved: false,
    beatsRandom: false,
  },
  {
    name: 'a non-finite score in an arm → not verified',
    before: [0.1, 0.1, 0.1],
    after: [0.9, Number.NaN, 0.9],
    random: [0.1, 0.1, 0.1],
    verified: false,
    improved: false,
    beatsRandom: false,
  },
];

describe('judgeFix', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const v = judgeFix(c.before, c.after, c.random);
      expect({ verified: v.verified, improved: v.improved, beatsRandom: v.beatsRandom }).toEqual({
        verified: c.verified,
        improved: c.improved,
        beatsRandom: c.beatsRandom,
      });
    });
  }

  it('reports the effect, the seed spread and the margin over the random fixes', () => {
    const v = judgeFix([0.1, 0.2, 0.15], [0.8, 0.9, 0.85], [0.3, 0.4, 0.5]);
    expect(v.effect).toBeCloseTo(0.7, 10);
    expect(v.spread).toBeCloseTo(0.1, 10);
    expect(v.vsRandom).toBeCloseTo(0.45, 10);
  });
});

describe('randomBaselineFor', () => {
  const arm = (id: string): RemedyArm => ({
    fixes: [{ id, params: {}, changes: { edits: [], reinitialized: [] } }],
    runs: [],
  });
  it('leaves out random draws of the fix being judged', () => {
    const random = [arm('lr-down'), arm('reinit-fan'), arm('standardize-inputs')];
    expect(randomBaselineFor(random, 'standardize-inputs').map((a) => a.fixes[0].id)).toEqual([
      'lr-down',
      'reinit-fan',
    ]);
  });
  it('keeps them all when every draw was that fix', () => {
    expect(randomBaselineFor([arm('lr-down')], 'lr-down')).toHaveLength(1);
  });
});
