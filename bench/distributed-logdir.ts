// diagnose of a large log directory — RUNS runs of MB megabytes each (default 1,000 × 1 MB) —
// read from disk and through an S3-compatible server (s3rver on 127.0.0.1, over HTTP), side by
// side in one run: wall time and peak RSS of a fresh child process per reading, beside
// TensorBoard's own loader (EventMultiplexer) on the local copy when the `tensorboard` Python
// package is installed for /usr/bin/python3.
//
//   npx tsx bench/distributed-logdir.ts [--runs 1000] [--mb 1] [--keep] [--before DIR]
//
// --before DIR measures another checkout's diagnose on the same files in the same run (e.g. the
// commit before streaming: `git archive <commit> | tar -x -C DIR` and `ln -s $PWD/node_modules DIR/`).
//
// Each run is one rank of a 2-rank job (`job_<i>/rank_<r>`): per step a loss and 8 weight norms
// as PyTorch's add_scalar writes them (simple_value), so every run is an experiment with its own
// checks and every pair a job with the cross-rank checks.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { fileVersionEvent, simpleScalarEvent } from '../src/tensorboard/testing/events.ts';
import { frameRecords } from '../src/tensorboard/testing/record-writer.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Child mode: diagnose one log directory with the checkout at `root`, print seconds and peak RSS as JSON. */
async function child(root: string, logdir: string, endpoint?: string) {
  const { diagnoseLogdir } = (await import(
    join(root, 'src', 'tensorboard', 'diagnose.ts')
  )) as typeof import('../src/tensorboard/diagnose.ts');
  const t0 = performance.now();
  const { report } = await diagnoseLogdir(logdir, { endpoint });
  const s = (performance.now() - t0) / 1000;
  const experiments = report.logs?.experiments.length ?? 0;
  console.log(
    JSON.stringify({
      s,
      maxRssMiB: process.resourceUsage().maxRSS / 1024,
      experiments,
      verdict: report.verdict,
    }),
  );
}

function eventFile(mb: number, rank: number): Uint8Array {
  const records: Uint8Array[] = [fileVersionEvent(1_700_000_000 + rank * 0.01)];
  let bytes = 0;
  for (let step = 0; bytes < mb * 1e6; step++) {
    const t = 1_700_000_000 + rank * 0.01 + step * 0.1;
    const r = simpleScalarEvent(t, step, 'train/loss', 2 * Math.exp(-step / 5000) + 0.1);
    records.push(r);
    bytes += r.length + 16;
    for (let p = 0; p < 8; p++) {
      const w = simpleScalarEvent(t, step, `weight_norm/layer${p}.weight`, 5 + step * 1e-5);
      records.push(w);
      bytes += w.length + 16;
    }
  }
  return frameRecords(records).bytes;
}

/** A fresh child process per reading (asynchronous: the S3 server runs in this process). */
function runChild(
  args: string[],
): Promise<{ s: number; maxRssMiB: number; experiments: number; verdict: string }> {
  const self = fileURLToPath(import.meta.url);
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', self, 'child', ...args], { env: process.env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('close', (code) =>
      code === 0 ? done(JSON.parse(out.trim().split('\n').pop() ?? '{}')) : fail(new Error(err)),
    );
  });
}

const TB_LOADER = `
import resource, sys, time
from tensorboard.backend.event_processing import plugin_event_multiplexer as pem
t0 = time.time()
m = pem.EventMultiplexer(tensor_size_guidance={"scalars": 0})
m.AddRunsFromDirectory(sys.argv[1])
m.Reload()
print('{"s": %f, "maxRssMiB": %f, "runs": %d}' % (time.time() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, len(m.Runs())))
`;

async function main() {
  if (process.argv[2] === 'child') return child(process.argv[3], process.argv[4], process.argv[5]);
  const runs = arg('runs', 1000);
  const mb = arg('mb', 1);
  const root = mkdtempSync(join(tmpdir(), 'nn-doctor-bench-logdir-'));
  const logdir = join(root, 'logs');
  const files = [eventFile(mb, 0), eventFile(mb, 1)];
  const tmpl = [join(root, 'r0'), join(root, 'r1')];
  const { writeFileSync } = await import('node:fs');
  for (let r = 0; r < 2; r++) writeFileSync(tmpl[r], files[r]);
  const keys: string[] = [];
  for (let i = 0; i < runs; i++) {
    const rank = i % 2;
    const dir = join(logdir, `job_${Math.floor(i / 2)}`, `rank_${rank}`);
    mkdirSync(dir, { recursive: true });
    copyFileSync(tmpl[rank], join(dir, 'events.out.tfevents.1700000000.bench.1.0'));
    keys.push(`job_${Math.floor(i / 2)}/rank_${rank}/events.out.tfevents.1700000000.bench.1.0`);
  }
  console.log(
    `${runs} runs × ${(files[0].length / 1e6).toFixed(2)} MB; load average ${loadavg()[0].toFixed(1)}`,
  );

  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: join(root, 's3'),
    configureBuckets: [{ name: 'bench', configs: [] }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  process.env.AWS_REGION = 'us-east-1';
  const client = new S3Client({ endpoint, forcePathStyle: true, region: 'us-east-1' });
  for (const key of keys) {
    const local = join(logdir, ...key.split('/'));
    await client.send(
      new PutObjectCommand({ Bucket: 'bench', Key: `logs/${key}`, Body: readFileSync(local) }),
    );
  }
  client.destroy();

  const here = fileURLToPath(new URL('..', import.meta.url));
  const beforeAt = process.argv.indexOf('--before');
  const checkouts: [string, string][] = [['this checkout', here]];
  if (beforeAt >= 0)
    checkouts.unshift([`before (${process.argv[beforeAt + 1]})`, process.argv[beforeAt + 1]]);
  for (const [label, dir] of checkouts) {
    const local = await runChild([dir, logdir]);
    console.log(
      `${label}: diagnose, local:       ${local.s.toFixed(1)} s, peak RSS ${local.maxRssMiB.toFixed(0)} MiB (${local.experiments} experiments, ${local.verdict})`,
    );
    const s3 = await runChild([dir, 's3://bench/logs', endpoint]);
    console.log(
      `${label}: diagnose, s3 (s3rver): ${s3.s.toFixed(1)} s, peak RSS ${s3.maxRssMiB.toFixed(0)} MiB (${s3.experiments} experiments, ${s3.verdict})`,
    );
  }
  const tb = spawnSync('/usr/bin/python3', ['-c', TB_LOADER, logdir], { encoding: 'utf8' });
  if (tb.status === 0) {
    const r = JSON.parse(tb.stdout.trim());
    console.log(
      `TensorBoard EventMultiplexer, local: ${r.s.toFixed(1)} s, peak RSS ${r.maxRssMiB.toFixed(0)} MiB (${r.runs} runs)`,
    );
  } else console.log('TensorBoard loader: not measured (no `tensorboard` package for /usr/bin/python3)');
  console.log(`load average after: ${loadavg()[0].toFixed(1)}`);
  await server.close();
  if (!process.argv.includes('--keep')) rmSync(root, { recursive: true, force: true });
}

await main();
