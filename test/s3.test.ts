// Log directories in object storage, over real HTTP: an S3-compatible server (s3rver, from npm)
// started by the test on 127.0.0.1, read through @aws-sdk/client-s3. `diagnose s3://…` must give
// the report the same files give on disk; `watch s3://…` must pick up appended records (a longer
// object: S3 has no append) and new runs, fetching only the new bytes.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDiagnoseArgs } from '../src/cli/diagnose.ts';
import { parseWatchArgs } from '../src/cli/watch.ts';
import { UsageError } from '../src/core/errors.ts';
import type { Report } from '../src/core/report.ts';
import { diagnoseLogdir } from '../src/tensorboard/diagnose.ts';
import type { ObjectStore } from '../src/tensorboard/object-store.ts';
import { EventFileWriter, fakeClock } from '../src/tensorboard/testing/writers.ts';
import { ObjectTailIO } from '../src/watch/logdir/object-tail.ts';
import { watchLogdir } from '../src/watch/logdir/watch-logdir.ts';
import { cli } from './run-cli.ts';

const root = mkdtempSync(join(tmpdir(), 'nn-doctor-s3-'));
const BUCKET = 'logs';
let server: S3rver;
let endpoint = '';
let client: S3Client;
const ENV = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION'] as const;
const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));

beforeAll(async () => {
  server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: join(root, 'server'),
    configureBuckets: [{ name: BUCKET, configs: [] }],
  });
  const { port } = await server.run();
  endpoint = `http://127.0.0.1:${port}`;
  // The SDK's standard chain reads these (s3rver accepts its own fixed key pair).
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  process.env.AWS_REGION = 'us-east-1';
  client = new S3Client({ endpoint, forcePathStyle: true, region: 'us-east-1' });
});
afterAll(async () => {
  client?.destroy();
  await server?.close();
  for (const k of ENV) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  rmSync(root, { recursive: true, force: true });
});

const put = (key: string, body: Uint8Array) =>
  client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));

/** Uploads every file under `dir` to `prefix/…`. */
async function upload(dir: string, prefix: string) {
  const walk = (d: string): string[] =>
    readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
  for (const file of walk(dir))
    await put(`${prefix}/${relative(dir, file).split(sep).join('/')}`, readFileSync(file));
}

const loss = (k: number, scale = 1) => scale * (2 * Math.exp(-k / 20) + 0.1);

function rankWriter(r: number, steps: number, nanAt?: number): EventFileWriter {
  const w = new EventFileWriter('pytorch', { clock: fakeClock(1_700_000_000 + r * 0.01, 0.05) });
  for (let k = 0; k < steps; k++) {
    w.scalar('train/loss', nanAt !== undefined && k >= nanAt ? Number.NaN : loss(k), k);
    if (k % 4 === 0) w.scalar('weight_norm/fc1.weight', 5 + 0.01 * k, k);
  }
  return w;
}

/** The parts of a report that must not depend on where the files were read from. */
function comparable(report: Report) {
  return {
    verdict: report.verdict,
    diagnosis: report.diagnosis,
    checks: report.checks.map(({ durationMs: _d, ...c }) => c),
    evidence: report.evidence,
    warnings: report.warnings,
    logs: report.logs,
    tensorboard: (report.settings as { tensorboard?: unknown }).tensorboard,
  };
}

describe('s3:// through an S3-compatible server over HTTP', () => {
  it('diagnose of an s3:// prefix gives the same report as the same files on disk', async () => {
    const local = join(root, 'job');
    rankWriter(0, 60).writeTo(join(local, 'rank_0'));
    rankWriter(1, 60, 31).writeTo(join(local, 'rank_1'));
    await upload(local, 'runs/job');
    const createdAt = new Date('2026-01-01T00:00:00Z');
    const onDisk = (await diagnoseLogdir(local, { createdAt })).report;
    const inBucket = (await diagnoseLogdir(`s3://${BUCKET}/runs/job`, { endpoint, createdAt })).report;
    expect(onDisk.checks.find((c) => c.id === 'distributed/non-finite')?.measured).toMatchObject({
      rank: 1,
      step: 31,
    });
    expect(comparable(inBucket)).toEqual(comparable(onDisk));
    expect(inBucket.settings).toMatchObject({ logdir: `s3://${BUCKET}/runs/job` });
  });

  it('the CLI: diagnose s3://… --endpoint exits 1 on the NaN rank and writes the JSON report', async () => {
    const out = join(root, 'report.json');
    const r = await cli([
      'diagnose',
      `s3://${BUCKET}/runs/job`,
      '--endpoint',
      endpoint,
      '--json',
      out,
      '--quiet',
    ]);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
    expect(report.checks.find((c) => c.id === 'distributed/non-finite')?.measured).toMatchObject({ rank: 1 });
  }, 120_000);

  it('--endpoint only with an s3:// log directory', () => {
    expect(() => parseDiagnoseArgs(['logs', '--endpoint', 'http://127.0.0.1:9000'])).toThrow(
      /--endpoint: only with an s3:\/\//,
    );
    expect(parseDiagnoseArgs(['s3://b/p', '--endpoint', 'http://127.0.0.1:9000'])).toMatchObject({
      logdir: 's3://b/p',
      endpoint: 'http://127.0.0.1:9000',
    });
    expect(parseWatchArgs(['s3://b/p', '--endpoint', 'http://h:1'])).toMatchObject({
      endpoint: 'http://h:1',
    });
  });

  it('bad input is a UsageError: an empty prefix, a missing bucket, a bad --endpoint, gs://', async () => {
    await expect(diagnoseLogdir(`s3://${BUCKET}/nothing-here`, { endpoint })).rejects.toThrow(
      /nothing-here: no TensorBoard event files/,
    );
    await expect(diagnoseLogdir('s3://no-such-bucket/x', { endpoint })).rejects.toThrow(UsageError);
    await expect(diagnoseLogdir(`s3://${BUCKET}/x`, { endpoint: 'ftp://x' })).rejects.toThrow(/--endpoint/);
    await expect(diagnoseLogdir('gs://b/x')).rejects.toThrow(/gs:\/\/ is not supported/);
  });

  it('watch of an s3:// prefix picks up appended records and new runs', async () => {
    const w0 = rankWriter(0, 20);
    const key0 = `live/rank_0/${w0.fileName()}`;
    await put(key0, w0.bytes().bytes);
    const stop = new AbortController();
    const notes: string[] = [];
    const steps: number[] = [];
    let phase = 0;
    const watched = watchLogdir(`s3://${BUCKET}/live`, {
      endpoint,
      pollMs: 50,
      signal: stop.signal,
      onNote: (line) => notes.push(line),
      onUpdate: (s) => {
        steps.push(s.step);
        if (phase === 0 && s.step === 19) {
          phase = 1;
          // The same object, longer (records appended), and a second rank's run.
          void put(key0, rankWriter(0, 60).bytes().bytes).then(() => {
            const w1 = rankWriter(1, 60, 40);
            return put(`live/rank_1/${w1.fileName()}`, w1.bytes().bytes);
          });
        }
        if (notes.some((n) => /new run: rank_1/.test(n)) && s.step === 59) stop.abort();
      },
    });
    const timer = setTimeout(() => stop.abort(), 60_000);
    const { report } = await watched;
    clearTimeout(timer);
    expect(steps).toContain(19);
    expect(steps).toContain(59);
    expect(notes).toContain('new run: rank_0');
    expect(notes).toContain('new run: rank_1');
    expect(report.checks.find((c) => c.id === 'distributed/non-finite')?.measured).toMatchObject({
      rank: 1,
      step: 40,
    });
    expect(report.watch?.findings.some((f) => f.id === 'distributed/non-finite')).toBe(true);
  }, 90_000);
});

describe('ObjectTailIO fetches only the new bytes', () => {
  it('a grown object is read from the end of its last complete record', async () => {
    const reads: [number, number][] = [];
    let size = 100;
    const store: ObjectStore = {
      url: 's3://b/p',
      listRuns: async () =>
        new Map([['.', [{ key: 'p/events.out.tfevents.1', name: 'events.out.tfevents.1', size }]]]),
      read: async (_key, start, end) => {
        reads.push([start, end]);
        return new Uint8Array(end - start);
      },
    };
    const io = new ObjectTailIO(store);
    await io.prefetch(() => 0);
    size = 250;
    await io.prefetch(() => 96);
    expect(io.open('p/events.out.tfevents.1').size).toBe(250);
    await io.prefetch(() => 250);
    expect(reads).toEqual([
      [0, 100],
      [96, 250],
    ]);
    expect(() => io.open('p/events.out.tfevents.1')).toThrow(); // nothing new: the tail skips it
  });
});
