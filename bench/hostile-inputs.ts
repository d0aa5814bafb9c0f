// The worst input of each class from the hostile-input review, through the real CLI, each in a
// fresh process: exit code, wall time and peak RSS. Also the event reader on an all-zero sparse
// file, old (byte-by-byte resync, as of 7184043) vs new (zero runs skipped), side by side.
//
//   npx tsx bench/hostile-inputs.ts [--gb 4]      (--gb: what the bombs would inflate to)
//
// Fixtures are generated in a temporary folder: a deflate stream of zeros is built by repeating one
// sync-flushed segment (byte-aligned, its back-references only reach zeros), so a bomb of N GB
// costs ~1 MB per GB to write and no memory. Figures are noisy on a loaded machine: the load
// average is printed with them.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { jsonReplacer } from '../src/core/report-json.ts';
import { encodeIdx, encodeNpy } from '../src/data/testing.ts';
import { faultyReport } from '../src/render/testing/fixtures.ts';
import { fileSource, readRecords } from '../src/tensorboard/records.ts';

const gb = Number(process.argv[process.argv.indexOf('--gb') + 1] || 4);
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
];

console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (figures are noisy under load)`,
);
console.log('| class | input | exit | time | peak RSS | message |');
console.log('|---|---|---|---|---|---|');
for (const [cls, what, args] of cases) {
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
if (oldSrc.status === 0) {
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
