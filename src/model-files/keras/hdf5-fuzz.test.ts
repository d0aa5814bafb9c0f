// Fuzzing the HDF5 walk over random link graphs: groups joined by hard and soft links at random
// (trees, DAGs, cycles, dangling links, links back to the root) and long chains around the depth
// limit. Property: the walk refuses (a UsageError) exactly when the graph reachable from the root
// is not a tree of at most MAX_HDF5_DEPTH levels, and otherwise lists every reachable object once.
// Bounded by run count (seeded), not by time: each case visits each object once.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.ts';
import { Hdf5File, MAX_HDF5_DEPTH } from './hdf5.ts';
import { editHdf5, editZip, fixtureBytes } from './testing.ts';

const fail = (p: string) => new UsageError(p);
type H5File = Parameters<Parameters<typeof editHdf5>[1]>[0];

let base: Uint8Array | null = null;
function baseFile(): Uint8Array {
  if (!base) {
    editZip(fixtureBytes('MNIST-models', 'mnist_model.keras'), (m) => {
      base = m['model.weights.h5'];
    });
  }
  return base as unknown as Uint8Array;
}

interface Edge {
  from: number;
  to: number;
  soft: boolean;
}
interface Graph {
  nodes: number;
  edges: Edge[];
  /** Nodes that hold a dataset `d`. */
  datasets: boolean[];
  /** A soft link to nowhere under this node (-1: none). */
  dangling: number;
}

const graph: fc.Arbitrary<Graph> = fc.integer({ min: 1, max: 7 }).chain((nodes) =>
  fc.record({
    nodes: fc.constant(nodes),
    edges: fc.array(
      fc.record({
        from: fc.integer({ min: 0, max: nodes - 1 }),
        to: fc.integer({ min: 0, max: nodes - 1 }),
        soft: fc.boolean(),
      }),
      { maxLength: 10 },
    ),
    datasets: fc.array(fc.boolean(), { minLength: nodes, maxLength: nodes }),
    dangling: fc.integer({ min: -4, max: nodes - 1 }),
  }),
);

/** The file: groups /pool/g<i>, each edge a link /pool/g<from>/e<k> → g<to>, and /root → g0. */
async function build(g: Graph): Promise<Uint8Array> {
  return editHdf5(baseFile(), (f) => {
    const group = (p: string) => f.get(p) as H5File;
    f.create_group('pool');
    for (let i = 0; i < g.nodes; i++) {
      f.create_group(`pool/g${i}`);
      if (g.datasets[i]) group(`pool/g${i}`).create_dataset({ name: 'd', data: new Float32Array([i]) });
    }
    g.edges.forEach((e, k) => {
      const at = group(`pool/g${e.from}`);
      if (e.soft) at.create_soft_link(`/pool/g${e.to}`, `e${k}`);
      else at.create_hard_link(`/pool/g${e.to}`, `e${k}`);
    });
    if (g.dangling >= 0) group(`pool/g${g.dangling}`).create_soft_link('/nowhere', 'gone');
    f.create_hard_link('/pool/g0', 'root');
  });
}

/** What the walk must do: refuse, or list this many groups and datasets. */
function expected(g: Graph): { refused: boolean; groups: number; datasets: number } {
  const reached = new Set<number>([0]);
  const incoming = new Map<number, number>();
  const queue = [0];
  let refused = false;
  while (queue.length) {
    const n = queue.shift() as number;
    if (g.dangling === n) refused = true;
    for (const e of g.edges.filter((x) => x.from === n)) {
      incoming.set(e.to, (incoming.get(e.to) ?? 0) + 1);
      if (!reached.has(e.to)) {
        reached.add(e.to);
        queue.push(e.to);
      }
    }
  }
  if ((incoming.get(0) ?? 0) > 0 || [...incoming.values()].some((c) => c > 1)) refused = true;
  const datasets = [...reached].filter((n) => g.datasets[n]).length;
  return { refused, groups: reached.size - 1, datasets };
}

async function walk(bytes: Uint8Array): Promise<Map<string, 'group' | 'dataset'> | UsageError> {
  const file = await Hdf5File.open(bytes, fail);
  try {
    return file.walk('root');
  } catch (err) {
    if (err instanceof UsageError) return err;
    throw err;
  } finally {
    file.close();
  }
}

describe('HDF5 walk over random link graphs', () => {
  it('refuses exactly the graphs that are not trees; lists trees in full (60 seeded graphs)', async () => {
    await fc.assert(
      fc.asyncProperty(graph, async (g) => {
        const want = expected(g);
        const got = await walk(await build(g));
        if (want.refused) {
          expect(got).toBeInstanceOf(UsageError);
          expect((got as Error).message).toMatch(/same object as|cannot be followed/);
        } else {
          expect(got).toBeInstanceOf(Map);
          const kinds = [...(got as Map<string, string>).values()];
          expect(kinds.filter((k) => k === 'group')).toHaveLength(want.groups);
          expect(kinds.filter((k) => k === 'dataset')).toHaveLength(want.datasets);
        }
      }),
      { numRuns: 60, seed: 1717 },
    );
  });

  it('chains are refused exactly past the depth limit (8 seeded lengths around it)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: MAX_HDF5_DEPTH - 3, max: MAX_HDF5_DEPTH + 3 }), async (length) => {
        // root → c1 → … → c<length>: the deepest group is `length` levels below the root.
        const bytes = await editHdf5(baseFile(), (f) => {
          f.create_group('c');
          for (let i = 0; i <= length; i++) f.create_group(`c/g${i}`);
          for (let i = 0; i < length; i++) (f.get(`c/g${i}`) as H5File).create_hard_link(`/c/g${i + 1}`, 'n');
          f.create_hard_link('/c/g0', 'root');
        });
        const got = await walk(bytes);
        if (length > MAX_HDF5_DEPTH) expect((got as Error).message).toMatch(/nested over \d+ levels deep/);
        else expect((got as Map<string, string>).size).toBe(length);
      }),
      { numRuns: 8, seed: 99 },
    );
  });
});
