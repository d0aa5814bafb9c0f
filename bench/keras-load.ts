// Loading Keras files: time and peak memory for the largest real fixture (.keras and .h5), and for
// a 67 MB Keras 2 .h5 written here with h5wasm (an MLP 4096-4096-10 in Keras 2's layout), to see
// how it scales. Each figure comes from this one run; the first load in a process includes
// instantiating h5wasm (the HDF5 library compiled to WebAssembly).
//
//   npx tsx bench/keras-load.ts
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturePath } from '../src/model-files/keras/testing.ts';
import { selectBackend } from '../src/tfjs/backend.ts';
import { loadModelFile } from '../src/tfjs/model-files/index.ts';

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** A Keras 2 full-model .h5 of an MLP, written with h5wasm the way Keras 2 lays it out. */
async function writeBigH5(path: string, widths: number[]): Promise<void> {
  const h5 = (await import('h5wasm')).default;
  const module = await h5.ready;
  const fs = module.FS as unknown as { readFile(p: string): Uint8Array; unlink(p: string): void };
  const layers = widths.slice(1).map((units, i) => ({
    class_name: 'Dense',
    config: {
      name: `dense_${i + 1}`,
      units,
      activation: i === widths.length - 2 ? 'softmax' : 'relu',
      ...(i === 0 ? { batch_input_shape: [null, widths[0]] } : {}),
    },
  }));
  const f = new h5.File('/big.h5', 'w');
  f.create_attribute('keras_version', '2.4.0');
  f.create_attribute('backend', 'tensorflow');
  f.create_attribute(
    'model_config',
    JSON.stringify({ class_name: 'Sequential', config: { name: 'sequential', layers } }),
  );
  f.create_attribute(
    'training_config',
    JSON.stringify({
      loss: 'categorical_crossentropy',
      optimizer_config: { class_name: 'Adam', config: { learning_rate: 0.001 } },
    }),
  );
  const g = f.create_group('model_weights');
  g.create_attribute(
    'layer_names',
    layers.map((l) => l.config.name),
  );
  layers.forEach((l, i) => {
    const lg = g.create_group(l.config.name);
    lg.create_attribute('weight_names', [`${l.config.name}/kernel:0`, `${l.config.name}/bias:0`]);
    const inner = lg.create_group(l.config.name);
    const kernel = new Float32Array(widths[i] * widths[i + 1]);
    for (let j = 0; j < kernel.length; j++) kernel[j] = Math.sin(j) * 0.01;
    inner.create_dataset({ name: 'kernel:0', data: kernel, shape: [widths[i], widths[i + 1]] });
    inner.create_dataset({ name: 'bias:0', data: new Float32Array(widths[i + 1]), shape: [widths[i + 1]] });
  });
  f.close();
  writeFileSync(path, fs.readFile('/big.h5'));
  fs.unlink('/big.h5');
}

async function time(path: string, runs: number): Promise<{ first: number; median: number; rssPeak: number }> {
  const times: number[] = [];
  let rssPeak = 0;
  for (let i = 0; i < runs; i++) {
    const before = process.memoryUsage().rss;
    let peak = before;
    const timer = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    const t0 = performance.now();
    const loaded = await loadModelFile(path);
    times.push(performance.now() - t0);
    peak = Math.max(peak, process.memoryUsage().rss);
    clearInterval(timer);
    rssPeak = Math.max(rssPeak, peak - before);
    loaded.model.dispose();
  }
  const rest = times.slice(1).sort((a, b) => a - b);
  return { first: times[0], median: rest[Math.floor(rest.length / 2)] ?? times[0], rssPeak };
}

await selectBackend('cpu');
console.log(
  `load average at start: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')} (timings are noisy under load)`,
);
const big = join(tmpdir(), `nn-doctor-bench-${process.pid}.h5`);
await writeBigH5(big, [4096, 4096, 10]);
for (const [name, path] of [
  [
    'largest real .keras (Keras 3.10 CNN, 37.6k params)',
    fixturePath('CNN_Project_MNIST_TFJS', 'Subhadip_Hensh_MNIST_CNN.keras'),
  ],
  ['largest real .h5 (Keras 3.1.1 CNN, 34.8k params)', fixturePath('MNIST-models', 'mnist_model.h5')],
  ['generated Keras 2 .h5, MLP 4096-4096-10 (16.8M params)', big],
] as const) {
  const size = statSync(path).size;
  const r = await time(path, 5);
  console.log(
    `${name}: ${mib(size)} file; first load ${r.first.toFixed(0)} ms, then median ${r.median.toFixed(0)} ms; peak RSS +${mib(r.rssPeak)}`,
  );
}
console.log(`max RSS of this process: ${mib(process.resourceUsage().maxRSS * 1024)}`);
rmSync(big, { force: true });
