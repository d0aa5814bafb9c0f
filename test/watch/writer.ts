// A training job writing TensorBoard logs while `nn-doctor watch` reads them (run as a child
// process by test/watch-cli.test.ts). PyTorch-style records, appended a few steps at a time:
//   steps 0–79 healthy; the gradient norm explodes from step 80; the loss is NaN at step 120;
//   one record is left cut in half for a while (a writer mid-write); then the job restarts from a
//   checkpoint at step 100 in a new file (SessionLog START) and a validation sub-run appears.
// With a third argument `layers`, per-layer gradient norms as python/nn_doctor_log.py writes them
// too: fc2 follows the global norm, fc1 gets none at all (0 at every step: a dead layer).
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  fileVersionEvent,
  sessionLogEvent,
  simpleScalarEvent,
} from '../../src/tensorboard/testing/events.ts';
import { frameRecord } from '../../src/tensorboard/testing/record-writer.ts';

const [logdir, pauseArg, layersArg] = process.argv.slice(2);
const layers = layersArg === 'layers';
const pause = Number(pauseArg ?? 300);
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const now = () => Date.now() / 1000;

/** A new event file in `dir`; returns a function that appends one framed event. */
function file(dir: string, index: number) {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `events.out.tfevents.${Math.floor(now())}.writer.${process.pid}.${index}`);
  appendFileSync(path, frameRecord(fileVersionEvent(now())));
  const write = (record: Uint8Array) => appendFileSync(path, frameRecord(record));
  return Object.assign(write, { path });
}

const loss = (s: number) => (s === 120 ? Number.NaN : 0.3 + 2 * Math.exp(-s / 30) + 0.02 * Math.sin(s));
const grad = (s: number) => (s >= 80 ? 5e4 : 1 + 0.1 * Math.cos(s));

function step(write: (r: Uint8Array) => void, s: number) {
  write(simpleScalarEvent(now(), s, 'train/loss', loss(s)));
  write(simpleScalarEvent(now(), s, 'grad_norm', grad(s)));
  if (layers) {
    write(simpleScalarEvent(now(), s, 'grad_norm/fc1.weight', 0));
    write(simpleScalarEvent(now(), s, 'grad_norm/fc2.weight', grad(s)));
  }
}

const main = async () => {
  const train = join(logdir, 'train');
  const write = file(train, 0);
  for (let s = 0; s <= 125; s++) {
    step(write, s);
    if (s % 10 === 9) await sleep(pause);
    if (s === 64) {
      // A record half written: the watcher must wait for the rest, not report damage.
      const framed = frameRecord(simpleScalarEvent(now(), 64, 'note/half', 1));
      const cut = Math.floor(framed.length / 2);
      appendFileSync(write.path, framed.subarray(0, cut));
      await sleep(pause * 3);
      appendFileSync(write.path, framed.subarray(cut));
    }
  }
  await sleep(pause);
  // Restart from the checkpoint of step 100: a new file, a SessionLog START, steps 100.. again.
  const resumed = file(train, 1);
  resumed(sessionLogEvent(now(), 100, 1));
  for (let s = 100; s < 130; s++) {
    resumed(simpleScalarEvent(now(), s, 'train/loss', 0.4));
    resumed(simpleScalarEvent(now(), s, 'grad_norm', 1));
    if (s % 10 === 9) await sleep(pause);
  }
  const val = file(join(logdir, 'validation'), 0);
  for (let s = 0; s < 130; s += 10) val(simpleScalarEvent(now(), s, 'loss', loss(Math.min(s, 110)) + 0.1));
};

void main();
