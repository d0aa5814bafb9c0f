// The HDF5 walk (src/model-files/keras/hdf5.ts) on the issue-17 link graphs, in this process:
// the real MNIST weights file, a hard-link cycle, a 40-level diamond, 300 nested groups and a
// 3,000-deep chain; then the walk before (keys + kind per link, no visited set, as in 87561db's
// weights.ts) against today's on 100 and 300 nested groups, side by side in one run. The "before"
// calls today's kind(), which also asks whether each link is external: it overstates the old
// time a little.
//
//   npx tsx bench/hdf5-walk.ts
import { loadavg } from 'node:os';
import { Hdf5File } from '../src/model-files/keras/hdf5.ts';
import { editHdf5, editZip, fixtureBytes } from '../src/model-files/keras/testing.ts';

let w: Uint8Array = new Uint8Array();
editZip(fixtureBytes('MNIST-models', 'mnist_model.keras'), (m) => {
  w = m['model.weights.h5'];
});
type H5Node = {
  get(p: string): H5Node;
  create_group(n: string): unknown;
  create_hard_link(t: string, n: string): unknown;
};
const g = (f: H5Node, p: string) => f.get(p);
const chainOf = (n: number) => (f: H5Node) => {
  f.create_group('c');
  for (let i = 0; i < n; i++) f.create_group(`c/g${i}`);
  for (let i = 0; i < n - 1; i++) g(f, `c/g${i}`).create_hard_link(`/c/g${i + 1}`, 'n');
  g(f, 'layers').create_hard_link('/c/g0', 'chain');
};
const cases: [string, (f: H5Node) => void][] = [
  ['real file (mnist_model.keras weights)', () => {}],
  ['cycle', (f) => g(f, 'layers/dense').create_hard_link('/layers/dense', 'cell')],
  [
    '40-level diamond',
    (f) => {
      f.create_group('d');
      for (let i = 0; i <= 40; i++) f.create_group(`d/g${i}`);
      for (let i = 0; i < 40; i++) {
        g(f, `d/g${i}`).create_hard_link(`/d/g${i + 1}`, 'a');
        g(f, `d/g${i}`).create_hard_link(`/d/g${i + 1}`, 'b');
      }
      g(f, 'layers').create_hard_link('/d/g0', 'diamond');
    },
  ],
  ['300 nested groups', chainOf(300)],
  ['3,000-deep chain', chainOf(3000)],
];
console.log(
  'load average',
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' '),
);
for (const [name, edit] of cases) {
  const bytes = await editHdf5(w, (f) => edit(f as unknown as H5Node));
  const file = await Hdf5File.open(bytes, (p) => new Error(p));
  const t = performance.now();
  let out = '';
  try {
    out = `${file.walk('layers').size} objects`;
  } catch (e) {
    out = (e as Error).message.slice(0, 70).replace(/(\/[an])+/g, '/…');
  }
  console.log(`${name}: ${(performance.now() - t).toFixed(0)} ms — ${out}`);
  file.close();
}
// The walk before (87561db's datasetsUnder: keys + kind per link, no visited set), same file, same run.
const oldWalk = (file: Hdf5File, path: string) => {
  const out: string[] = [];
  const walk = (p: string) => {
    for (const k of file.keys(p)) {
      const child = `${p}/${k}`;
      const kind = file.kind(child);
      if (kind === 'dataset') out.push(child);
      else if (kind === 'group') walk(child);
    }
  };
  walk(path);
  return out;
};
for (const n of [100, 300]) {
  const bytes = await editHdf5(w, (f) => chainOf(n)(f as unknown as H5Node));
  const file = await Hdf5File.open(bytes, (p) => new Error(p));
  let t = performance.now();
  oldWalk(file, 'layers');
  const before = performance.now() - t;
  t = performance.now();
  try {
    file.walk('layers');
  } catch {}
  console.log(
    `${n} nested groups: before ${(before / 1000).toFixed(1)} s, after ${(performance.now() - t).toFixed(0)} ms`,
  );
  file.close();
}
console.log(
  'load average',
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' '),
);
