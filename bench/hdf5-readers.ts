// h5wasm (used) vs jsfive (the pure-JS alternative) reading every dataset of an HDF5 file, side by
// side in one run: a real Keras 3 weights file (the largest fixture's model.weights.h5) and a
// 64 MiB file of float32 datasets written here with h5wasm. jsfive is not a dependency:
//
//   npm i --no-save jsfive && npx tsx bench/hdf5-readers.ts
import { loadavg } from 'node:os';
import { unzipSync } from 'fflate';
import { fixtureBytes } from '../src/model-files/keras/testing.ts';

type Group = { keys: string[] | (() => string[]); get(k: string): unknown };

async function main(): Promise<void> {
  let jsfive: { File: new (b: ArrayBuffer, name: string) => Group };
  try {
    jsfive = (await import(String('jsfive'))) as typeof jsfive;
  } catch {
    console.log('jsfive is not installed: npm i --no-save jsfive');
    return;
  }
  const h5 = (await import('h5wasm')).default;
  const module = await h5.ready;
  const fs = module.FS as unknown as {
    writeFile(p: string, d: Uint8Array): void;
    readFile(p: string): Uint8Array;
    unlink(p: string): void;
  };

  const big = new h5.File('/big.h5', 'w');
  const layers = big.create_group('layers');
  for (let i = 0; i < 8; i++) {
    const d = new Float32Array(2048 * 1024);
    for (let j = 0; j < d.length; j++) d[j] = Math.sin(i + j);
    layers
      .create_group(`dense_${i}`)
      .create_group('vars')
      .create_dataset({ name: '0', data: d, shape: [2048, 1024] });
  }
  big.close();
  const files: [string, Uint8Array][] = [
    [
      'real Keras 3.10 model.weights.h5 (0.5 MB)',
      unzipSync(fixtureBytes('CNN_Project_MNIST_TFJS', 'Subhadip_Hensh_MNIST_CNN.keras'))['model.weights.h5'],
    ],
    ['64 MiB of float32 datasets', fs.readFile('/big.h5')],
  ];
  fs.unlink('/big.h5');

  const readJsfive = (bytes: Uint8Array): number => {
    const f = new jsfive.File(bytes.slice().buffer, 'x');
    let n = 0;
    const walk = (g: Group) => {
      for (const k of typeof g.keys === 'function' ? g.keys() : g.keys) {
        const o = g.get(k) as Group & { dtype?: unknown; value?: ArrayLike<number> };
        if (o.dtype === undefined) walk(o);
        else n += typeof o.value === 'object' ? (o.value?.length ?? 0) : 1;
      }
    };
    walk(f);
    return n;
  };
  const readH5wasm = (bytes: Uint8Array): number => {
    fs.writeFile('/r.h5', bytes);
    const f = new h5.File('/r.h5', 'r');
    let n = 0;
    const walk = (g: InstanceType<typeof h5.Group>) => {
      for (const k of g.keys()) {
        const o = g.get(k);
        if (o instanceof h5.Group) walk(o);
        else if (o instanceof h5.Dataset) {
          const v = o.value as ArrayLike<number> | number | bigint;
          n += typeof v === 'object' ? v.length : 1;
        }
      }
    };
    walk(f);
    f.close();
    fs.unlink('/r.h5');
    return n;
  };

  console.log(
    `load average at start: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  for (const [name, bytes] of files) {
    for (const [reader, read] of [
      ['jsfive', readJsfive],
      ['h5wasm', readH5wasm],
    ] as const) {
      const ms: number[] = [];
      let values = 0;
      for (let i = 0; i < 4; i++) {
        const t0 = performance.now();
        values = read(bytes);
        ms.push(performance.now() - t0);
      }
      const warm = ms.slice(1).sort((a, b) => a - b)[1];
      console.log(
        `${name}, ${reader}: ${values} values; first ${ms[0].toFixed(0)} ms, warm median ${warm.toFixed(0)} ms`,
      );
    }
  }
}

await main();
