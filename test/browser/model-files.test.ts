// Model and data files read in a page (`File`s, through the browser bundle of nn-doctor) in
// headless Chromium: a Keras 3 `.keras`, a Keras `.h5` (h5wasm in the browser) and a TF.js
// Layers model.json with its shard load with the same weights as from disk in Node; a manifest path out
// of the model's folder is refused; an .npz reads as loadDataset reads it.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tfjs from '@tensorflow/tfjs';
import * as esbuild from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/index.ts';
import { encodeNpy, encodeNpz } from '../../src/data/testing.ts';
import { KERAS_FIXTURES } from '../../src/model-files/keras/testing.ts';
import { loadModelFile, saveModelToDir } from '../../src/tfjs/model-files/index.ts';
import { packageExports } from './package-exports.ts';
import { type StaticServer, serveStatic } from './static-server.ts';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const ROOT = join(import.meta.dirname, '..', '..');
const PAGE = join(ROOT, 'test-artifacts', 'model-files-page');
// A TF.js Layers model.json and its shard, saved here by model.save's format (saveModelToDir).
const TFJS_MODEL = join(PAGE, 'layers');

async function checksum(model: tfjs.LayersModel): Promise<number> {
  let sum = 0;
  for (const w of model.getWeights()) for (const v of await w.data()) sum += v;
  return sum;
}

describe.skipIf(!HAS_CHROMIUM)(
  `model and data files in a page, in headless Chromium${HAS_CHROMIUM ? '' : ` (SKIPPED: ${CHROMIUM} not found)`}`,
  () => {
    let browser: Browser;
    let server: StaticServer;
    let results: Record<string, { error?: string; format?: string; params?: number; checksum?: number }>;
    const errors: string[] = [];

    beforeAll(async () => {
      mkdirSync(join(PAGE, 'escape'), { recursive: true });
      const small = tfjs.sequential({
        layers: [
          tfjs.layers.dense({ units: 5, inputShape: [3], activation: 'relu' }),
          tfjs.layers.dense({ units: 2, activation: 'softmax' }),
        ],
      });
      small.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
      await saveModelToDir(small, TFJS_MODEL);
      small.dispose();
      copyFileSync(
        join(KERAS_FIXTURES, 'MNIST-models', 'mnist_model.keras'),
        join(PAGE, 'mnist_model.keras'),
      );
      copyFileSync(join(KERAS_FIXTURES, 'MNIST-models', 'mnist_model.h5'), join(PAGE, 'mnist_model.h5'));
      for (const f of ['model.json', 'group1-shard1of1.bin'])
        copyFileSync(join(TFJS_MODEL, f), join(PAGE, f));
      const json = JSON.parse(readFileSync(join(TFJS_MODEL, 'model.json'), 'utf8'));
      json.weightsManifest[0].paths = ['../group1-shard1of1.bin'];
      writeFileSync(join(PAGE, 'escape', 'model.json'), JSON.stringify(json));
      const x = Array.from({ length: 40 }, (_, i) => i / 7);
      writeFileSync(
        join(PAGE, 'train.npz'),
        encodeNpz(
          { 'x.npy': encodeNpy(x, [10, 4]), 'y.npy': encodeNpy([0, 1, 0, 1, 0, 1, 0, 1, 0, 1], [10]) },
          { compress: true },
        ),
      );
      writeFileSync(
        join(PAGE, 'index.html'),
        '<!doctype html><link rel="icon" href="data:,"><script type="module" src="page.js"></script>',
      );
      const built = await esbuild.build({
        entryPoints: [join(import.meta.dirname, 'model-files-page.ts')],
        bundle: true,
        platform: 'browser',
        format: 'esm',
        target: 'es2022',
        outfile: join(PAGE, 'page.js'),
        logLevel: 'silent',
        plugins: [packageExports],
      });
      expect(built.errors).toEqual([]);
      server = await serveStatic(PAGE);
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless'] });
      const page = await browser.newPage();
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      const done = page.waitForEvent('console', {
        predicate: (m) => m.text().startsWith('RESULT '),
        timeout: 240_000,
      });
      await page.goto(server.url);
      results = JSON.parse((await done).text().slice('RESULT '.length));
    }, 300_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    const cases: [string, string][] = [
      ['keras', join(KERAS_FIXTURES, 'MNIST-models', 'mnist_model.keras')],
      ['h5', join(KERAS_FIXTURES, 'MNIST-models', 'mnist_model.h5')],
      ['json', join(TFJS_MODEL, 'model.json')],
    ];
    for (const [label, path] of cases) {
      it(`${label}: the same model, weight for weight, as loadModelFile reads from disk in Node`, async () => {
        const onDisk = await loadModelFile(path);
        expect(results[label]).toEqual({
          format: onDisk.format,
          params: onDisk.model.countParams(),
          checksum: await checksum(onDisk.model),
        });
        onDisk.model.dispose();
      });
    }

    it('refuses a manifest path out of the model folder, naming the file', () => {
      expect(results.escape.error).toMatch(
        /^model\.json: weight path '\.\.\/group1-shard1of1\.bin' .*leads out/,
      );
    });

    it('reads an .npz as loadDataset does, with no error in the console', async () => {
      const onDisk = await loadDataset({ data: join(PAGE, 'train.npz') });
      expect(results.data).toEqual({
        xShape: onDisk.xShape,
        yShape: onDisk.yShape,
        checksum: onDisk.x.reduce((a, b) => a + b, 0),
      });
      expect(errors).toEqual([]);
    });
  },
);
