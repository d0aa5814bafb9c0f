// The worst input of each class from the hostile-input review, through the real CLI, each in a
// fresh process: exit code, wall time and peak RSS. Also the event reader on an all-zero sparse
// file, old (byte-by-byte resync, as of 7184043) vs new (zero runs skipped), side by side.
//
//   npx tsx bench/hostile-inputs.ts [--gb 4] [--only hdf5,images]
//   (--gb: what the bombs would inflate to; --only: just these classes, without the event-reader
//   comparison)
//
// Fixtures are generated in a temporary folder: a deflate stream of zeros is built by repeating one
// sync-flushed segment (byte-aligned, its back-references only reach zeros), so a bomb of N GB
// costs ~1 MB per GB to write and no memory. Figures are noisy on a loaded machine: the load
// average is printed with them.
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { jsonReplacer } from '../src/core/report-json.ts';
import { rawGif } from '../src/data/image-testing.ts';
import { encodeIdx, encodeNpy } from '../src/data/testing.ts';
import { editHdf5, editZip, fixtureBytes, setZipJson, zipJson } from '../src/model-files/keras/testing.ts';
import { faultyReport } from '../src/render/testing/fixtures.ts';
import { fileSource, readRecords } from '../src/tensorboard/records.ts';

const gb = Number(process.argv[process.argv.indexOf('--gb') + 1] || 4);
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt > 0 ? new Set(process.argv[onlyAt + 1].split(',')) : null;
const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'nn-doctor-hostile-bench-'));
const at = (name: string) => join(dir, name);

/** A raw deflate stream of `head` followed by about `total` zero bytes, written segment by segment. */
function zeroBomb(head: Uint8Array, total: number): Uint8Array {
  const SEG = 64 * 2 ** 20;
  const zero = new Uint8Array(SEG);
  // Sync-flushed: byte-aligned, no final block; a segment of zeros only refers back to zeros.
  const first = deflateRawSync(Buffer.concat([head, zero]), { finishFlush: constants.Z_SYNC_FLUSH });
  const parts: Buffer[] = [first];
  const seg = deflateRawSync(Buffer.concat([zero, zero]), { finishFlush: constants.Z_SYNC_FLUSH });
  const repeats = Math.max(0, Math.floor(total / (2 * SEG)) - 1);
  for (let i = 0; i < repeats; i++) parts.push(seg);
  parts.push(Buffer.from([0x03, 0x00])); // a final, empty fixed-Huffman block
  return Buffer.concat(parts);
}

function run(args: string[]): { code: number | null; ms: number; rssMiB: number; line: string } {
  const started = performance.now();
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      'data:text/javascript,process.on("exit",()=>process.stderr.write("\\nmaxrss "+process.resourceUsage().maxRSS+"\\n"))',
      join(root, 'src', 'cli', 'main.ts'),
      ...args,
    ],
    { cwd: root, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 },
  );
  const ms = performance.now() - started;
  const rss = Number(/maxrss (\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024;
  const line = r.stderr.split('\n').find((l) => l.startsWith('nn-doctor:')) ?? '';
  return { code: r.status, ms, rssMiB: rss, line };
}

// ---- fixtures ----
const y = encodeNpy([0, 1, 0, 1], [4], '<i4');
writeFileSync(at('y.npy'), y);
writeFileSync(at('x.npy'), encodeNpy(new Float32Array(8), [4, 2]));

// .npz whose member x.npy claims 4×2 float32 but inflates to `gb` GB of zeros.
const npyHead = encodeNpy(new Float32Array(8), [4, 2]);
const member = zeroBomb(npyHead, gb * 2 ** 30);
/** A one-member zip written by hand (local header, data, directory), the directory as given. */
function zipWithMember(name: string, data: Uint8Array, size: number, crc: number): Uint8Array {
  const n = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(size, 22);
  local.writeUInt16LE(n.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(size, 24);
  central.writeUInt16LE(n.length, 28);
  central.writeUInt32LE(0, 42);
  const body = Buffer.concat([local, n, data]);
  const dirStart = body.length;
  const cd = Buffer.concat([central, n]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(dirStart, 16);
  return Buffer.concat([body, cd, end]);
}
const npzBomb = zipWithMember('x.npy', member, npyHead.length, crc32(npyHead));
writeFileSync(at('bomb.npz'), npzBomb);
// .gz IDX whose header claims 4 bytes of data, inflating to `gb` GB.
const idxHead = encodeIdx([1, 2, 3, 4], [4], 'ubyte');
const gz = Buffer.concat([
  Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]),
  zeroBomb(idxHead, gb * 2 ** 30),
  Buffer.alloc(8),
]);
writeFileSync(at('bomb-idx3-ubyte.gz'), gz);

// Models: units 1e8 over a valid weights file; string weights [1e8]; a topology just under the
// parameter limit (TF.js builds it, then finds no weights); a weight path out of the folder.
function model(name: string, layers: unknown[], manifest: unknown[], bin = new Uint8Array(0)): string {
  const d = at(name);
  mkdirSync(d);
  writeFileSync(
    join(d, 'model.json'),
    JSON.stringify({
      modelTopology: { class_name: 'Sequential', config: { name, layers } },
      weightsManifest: manifest,
    }),
  );
  writeFileSync(join(d, 'w.bin'), bin);
  return join(d, 'model.json');
}
const dense = (units: number, input: number) => ({
  class_name: 'Dense',
  config: { name: 'd', units, batch_input_shape: [null, input] },
});
const units1e8 = model(
  'units',
  [dense(1e8, 4)],
  [{ paths: ['w.bin'], weights: [{ name: 'd/kernel', shape: [4, 17], dtype: 'float32' }] }],
  new Uint8Array(272),
);
const strings = model(
  'strings',
  [dense(2, 4)],
  [{ paths: ['w.bin'], weights: [{ name: 's', shape: [1e8], dtype: 'string' }] }],
);
const near = model('near-limit', [dense(7992, 7992)], []);
writeFileSync(at('secret.bin'), new Uint8Array(40));
const kernel = [
  { name: 'd/kernel', shape: [4, 2], dtype: 'float32' },
  { name: 'd/bias', shape: [2], dtype: 'float32' },
];
const valid = model('valid', [dense(2, 4)], [{ paths: ['w.bin'], weights: kernel }], new Uint8Array(40));
const outOfFolder = model('escape', [dense(2, 4)], [{ paths: ['..%2Fsecret.bin'], weights: kernel }]);

// 1 GB all-zero event file (sparse: costs no disk).
mkdirSync(at('logs'));
const fd = openSync(at('logs/events.out.tfevents.1'), 'w');
writeSync(fd, new Uint8Array(1), 0, 1, 2 ** 30 - 1);
closeSync(fd);

// A saved report whose first status is markup.
const report = faultyReport() as unknown as { checks: { status: string }[] };
report.checks[0].status = '<img src=x onerror=alert(1)>';
writeFileSync(at('report.json'), JSON.stringify(report, jsonReplacer));

// ---- issue 17: Keras HDF5 link graphs, image folders, prototype names, decompression, images ----
/** A zip written by hand: members as given (`data` already compressed with `method`). */
function zipOf(members: { name: string; data: Uint8Array; size: number; crc: number; method: number }[]) {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const n = Buffer.from(m.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(m.method, 8);
    local.writeUInt32LE(m.crc, 14);
    local.writeUInt32LE(m.data.length, 18);
    local.writeUInt32LE(m.size, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(m.method, 10);
    central.writeUInt32LE(m.crc, 16);
    central.writeUInt32LE(m.data.length, 20);
    central.writeUInt32LE(m.size, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, Buffer.from(m.data));
    centrals.push(central, n);
    offset += 30 + n.length + m.data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
const stored = (name: string, text: string) => {
  const data = Buffer.from(text);
  return { name, data, size: data.length, crc: crc32(data), method: 0 };
};
/** CRC-32 of `n` zero bytes, chunk by chunk (no n-byte buffer). */
function zerosCrc(n: number): number {
  const chunk = new Uint8Array(64 * 2 ** 20);
  let c = 0;
  for (let left = n; left > 0; left -= chunk.length)
    c = crc32(chunk.subarray(0, Math.min(left, chunk.length)), c);
  return c;
}

const kerasFixture = fixtureBytes('MNIST-models', 'mnist_model.keras');
let weightsH5: Uint8Array = new Uint8Array();
editZip(kerasFixture, (m) => {
  weightsH5 = m['model.weights.h5'];
});
type H5Group = { create_group(n: string): unknown; create_hard_link(t: string, n: string): unknown };
async function hostileKeras(name: string, edit: (f: H5Group) => void): Promise<string> {
  const h5 = await editHdf5(weightsH5, (f) => edit(f as unknown as H5Group));
  writeFileSync(
    at(name),
    editZip(kerasFixture, (m) => {
      m['model.weights.h5'] = h5;
    }),
  );
  return at(name);
}
const group = (f: H5Group, path: string) => (f as unknown as { get(p: string): H5Group }).get(path);
const diamond = await hostileKeras('diamond.keras', (f) => {
  f.create_group('d');
  for (let i = 0; i <= 40; i++) f.create_group(`d/g${i}`);
  for (let i = 0; i < 40; i++) {
    group(f, `d/g${i}`).create_hard_link(`/d/g${i + 1}`, 'a');
    group(f, `d/g${i}`).create_hard_link(`/d/g${i + 1}`, 'b');
  }
  group(f, 'layers').create_hard_link('/d/g0', 'diamond');
});
const chain = await hostileKeras('chain.keras', (f) => {
  f.create_group('c');
  for (let i = 0; i < 3000; i++) f.create_group(`c/g${i}`);
  for (let i = 0; i < 2999; i++) group(f, `c/g${i}`).create_hard_link(`/c/g${i + 1}`, 'n');
  group(f, 'layers').create_hard_link('/c/g0', 'chain');
});
const cycle = await hostileKeras('cycle.keras', (f) => {
  group(f, 'layers/dense').create_hard_link('/layers/dense', 'cell');
});
// A layer class named `constructor` (once dropped as an identity layer: the checkup ran on another model).
writeFileSync(
  at('constructor.keras'),
  editZip(kerasFixture, (m) => {
    const text = JSON.stringify(zipJson(m, 'config.json')).replace(
      '"class_name":"Dropout"',
      '"class_name":"constructor"',
    );
    setZipJson(m, 'config.json', JSON.parse(text));
  }),
);
// A .keras of a 67-parameter model whose model.weights.h5 honestly holds `gb` GB (of zeros: sizes
// and CRC-32 are the true ones).
const SEG = 64 * 2 ** 20; // zeroBomb's segment: it writes SEG + 2·SEG·repeats zeros after its head
const weightsMember = zeroBomb(new Uint8Array(0), gb * 2 ** 30);
const inflated = SEG + 2 * SEG * Math.max(0, Math.floor((gb * 2 ** 30) / (2 * SEG)) - 1);
const layers67 = [
  { class_name: 'InputLayer', config: { batch_shape: [null, 66], dtype: 'float32', name: 'input' } },
  { class_name: 'Dense', config: { name: 'dense', units: 1, activation: 'linear', use_bias: true } },
];
writeFileSync(
  at('weights-bomb.keras'),
  zipOf([
    stored(
      'config.json',
      JSON.stringify({ class_name: 'Sequential', config: { name: 's', layers: layers67 } }),
    ),
    stored('metadata.json', JSON.stringify({ keras_version: '3.4.1' })),
    { name: 'model.weights.h5', data: weightsMember, size: inflated, crc: zerosCrc(inflated), method: 8 },
  ]),
);
// A .gz IDX whose header claims 2^31 ubyte values (over 2^28), `gb` GB of zeros behind it.
const bigIdxHead = encodeIdx([0], [1], 'ubyte').slice(0, 8);
new DataView(bigIdxHead.buffer, bigIdxHead.byteOffset).setUint32(4, 2 ** 31);
const bigIdx = Buffer.concat([
  Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]),
  zeroBomb(bigIdxHead, gb * 2 ** 30),
  Buffer.alloc(8),
]);
writeFileSync(at('big-idx1-ubyte.gz'), bigIdx);
// Image folders for the MNIST .keras (28×28×1): a link to /dev/zero; a 35-byte GIF bomb; an
// interlaced 1×1 PNG whose pixel data inflates to `gb` GB.
function imageFolder(name: string, plant: (cls: string) => void): string {
  const d = at(name);
  for (const c of ['a', 'b']) mkdirSync(join(d, c), { recursive: true });
  writeFileSync(join(d, 'a', '0.gif'), rawGif([28, 28], [0, 0, 28, 28]));
  plant(join(d, 'b'));
  return d;
}
const devZero = imageFolder('dev-zero', (b) => symlinkSync('/dev/zero', join(b, 'x.png')));
const gifBomb = imageFolder('gif-bomb', (b) =>
  writeFileSync(join(b, 'x.gif'), rawGif([1, 1], [0, 0, 65535, 65535])),
);
const pngChunk = (type: string, data: Uint8Array) => {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, crc]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(1, 0);
ihdr.writeUInt32BE(1, 4);
ihdr.set([8, 0, 0, 0, 1], 8); // 8-bit gray, interlaced
const pngBombBytes = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  pngChunk('IHDR', ihdr),
  pngChunk(
    'IDAT',
    Buffer.concat([Buffer.from([0x78, 0x01]), zeroBomb(new Uint8Array(0), gb * 2 ** 30), Buffer.alloc(4)]),
  ),
  pngChunk('IEND', new Uint8Array(0)),
]);
const pngBomb = imageFolder('png-bomb', (b) => writeFileSync(join(b, 'x.png'), pngBombBytes));
const mnistKeras = join(root, 'test', 'fixtures', 'keras', 'MNIST-models', 'mnist_model.keras');

const cases: [string, string, string[]][] = [
  ['outputs', 'model.json given as --json', ['check', '--model', valid, '--json', valid, '--loss', 'mse']],
  ['paths', "weight path '..%2Fsecret.bin'", ['check', '--model', outOfFolder, '--loss', 'mse']],
  [
    'bombs',
    `.npz member claiming 32 data bytes, ${gb} GB of deflate (${(npzBomb.length / 2 ** 20).toFixed(1)} MB)`,
    ['check', '--data', at('bomb.npz'), '--quiet'],
  ],
  ['bombs', `same .npz through --val`, ['check', '--val', at('bomb.npz'), '--quiet']],
  [
    'bombs',
    `.gz IDX claiming 4 data bytes, ${gb} GB (${(gz.length / 2 ** 20).toFixed(1)} MB)`,
    ['check', '--data', at('bomb-idx3-ubyte.gz'), '--labels', at('y.npy'), '--quiet'],
  ],
  ['sizes', 'Dense units 1e8 over a 272-byte weights file', ['check', '--model', units1e8, '--loss', 'mse']],
  ['sizes', 'string weights of shape [1e8]', ['check', '--model', strings, '--loss', 'mse']],
  [
    'sizes',
    'Dense 7992×7992 (just under 2^26 params), no weights',
    ['check', '--model', near, '--loss', 'mse'],
  ],
  ['sizes', '1 GB all-zero sparse event file', ['diagnose', at('logs'), '--quiet']],
  ['reports', 'a status of <img src=x onerror=…>', ['report', at('report.json'), '--md', at('r.md')]],
  ['flags', '--lr 0x10', ['check', '--lr', '0x10']],
  ['hdf5', '.keras: 40-level diamond of hard links (2^40 paths)', ['check', '--model', diamond]],
  ['hdf5', '.keras: 3,000-deep chain of groups', ['check', '--model', chain]],
  ['hdf5', '.keras: hard-link cycle', ['check', '--model', cycle]],
  ['names', ".keras: a layer class 'constructor'", ['check', '--model', at('constructor.keras')]],
  [
    'decompress',
    `.keras, 67 parameters, model.weights.h5 of ${gb} GB (${(weightsMember.length / 2 ** 20).toFixed(1)} MB)`,
    ['check', '--model', at('weights-bomb.keras')],
  ],
  [
    'decompress',
    `.gz IDX claiming 2^31 values, ${gb} GB (${(bigIdx.length / 2 ** 20).toFixed(1)} MB)`,
    ['check', '--data', at('big-idx1-ubyte.gz'), '--labels', at('y.npy'), '--quiet'],
  ],
  ['images', 'class/x.png → /dev/zero', ['check', '--model', mnistKeras, '--data', devZero, '--quiet']],
  [
    'images',
    '35-byte GIF, 1×1 screen, 65535×65535 frame',
    ['check', '--model', mnistKeras, '--data', gifBomb, '--quiet'],
  ],
  [
    'images',
    `interlaced 1×1 PNG, ${gb} GB of pixel data (${(pngBombBytes.length / 2 ** 20).toFixed(1)} MB)`,
    ['check', '--model', mnistKeras, '--data', pngBomb, '--quiet'],
  ],
];

console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (figures are noisy under load)`,
);
console.log('| class | input | exit | time | peak RSS | message |');
console.log('|---|---|---|---|---|---|');
for (const [cls, what, args] of cases) {
  if (only && !only.has(cls)) continue;
  const r = run(args);
  console.log(
    `| ${cls} | ${what} | ${r.code} | ${(r.ms / 1000).toFixed(1)} s | ${r.rssMiB.toFixed(0)} MiB | ${r.line.slice(11, 130).replaceAll('|', '\\|')} |`,
  );
}

// The event reader alone on the zero file, old vs new, in this process.
const oldSrc = spawnSync('git', ['show', '7184043:src/tensorboard/records.ts'], {
  cwd: root,
  encoding: 'utf8',
});
if (oldSrc.status === 0 && !only) {
  const oldPath = join(root, 'src', 'tensorboard', `.records-old-${process.pid}.ts`);
  writeFileSync(oldPath, oldSrc.stdout);
  try {
    const old = await import(oldPath);
    for (const [name, read, source] of [
      ['new', readRecords, fileSource],
      ['old (7184043)', old.readRecords, old.fileSource],
    ] as const) {
      const t0 = performance.now();
      read(source(at('logs/events.out.tfevents.1')), () => {});
      console.log(`event reader, 1 GB of zeros, ${name}: ${((performance.now() - t0) / 1000).toFixed(2)} s`);
    }
  } finally {
    rmSync(oldPath, { force: true });
  }
}
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
rmSync(dir, { recursive: true, force: true });
