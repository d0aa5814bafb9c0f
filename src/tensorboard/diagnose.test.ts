// End to end: log directories written as PyTorch, Keras and tfjs-node write them → diagnoseLogdir
// → the report. Planted faults must be named by the right checks; a healthy run must not fail.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.ts';
import type { Report } from '../core/report.ts';
import { diagnoseLogdir } from './diagnose.ts';
import { type Fault, plantRun } from './testing/planted.ts';
import { corruptRecord, EventFileWriter, truncateLastRecord, type WriterStyle } from './testing/writers.ts';

const root = mkdtempSync(join(tmpdir(), 'nn-doctor-tb-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => {
  const dir = join(root, `d${n++}`);
  mkdirSync(dir);
  return dir;
};

const STYLES: WriterStyle[] = ['pytorch', 'keras', 'tfjs'];
/** A kernel and a bias tag as each writer's users name them. */
const TAGS: Record<WriterStyle, [string, string]> = {
  pytorch: ['fc.weight', 'fc.bias'],
  keras: ['dense/kernel_0', 'dense/bias_0'],
  tfjs: ['dense_Dense1/kernel', 'dense_Dense1/bias'],
};
const status = (report: Report, id: string) => report.checks.find((c) => c.id === id)?.status;
const failing = (report: Report) => report.checks.filter((c) => c.status === 'fail').map((c) => c.id);

describe('diagnoseLogdir: bad input is a UsageError naming the path or flag', () => {
  it('a missing folder', async () => {
    await expect(diagnoseLogdir(join(root, 'nope'))).rejects.toThrow(UsageError);
    await expect(diagnoseLogdir(join(root, 'nope'))).rejects.toThrow(/nope: no such directory/);
  });

  it('a file, not a folder', async () => {
    const file = join(freshDir(), 'x.txt');
    writeFileSync(file, 'x');
    await expect(diagnoseLogdir(file)).rejects.toThrow(/x\.txt: not a directory/);
  });

  it('a folder without event files', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    await expect(diagnoseLogdir(dir)).rejects.toThrow(/no TensorBoard event files/);
  });

  it('event files with nothing readable in them', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'events.out.tfevents.1.host.1.0'), new Uint8Array(500).fill(7));
    await expect(diagnoseLogdir(dir)).rejects.toThrow(
      /no scalar or histogram summaries could be read.*corrupt record header/,
    );
  });

  it('a bad --map', async () => {
    const dir = freshDir();
    plantRun(dir, 'pytorch', 'none');
    await expect(diagnoseLogdir(dir, { map: { 'Loss/train': 'lossy' } })).rejects.toThrow(
      /--map Loss\/train=lossy: unknown role/,
    );
    await expect(diagnoseLogdir(dir, { map: { x: 'weights' } })).rejects.toThrow(UsageError);
  });
});

describe('diagnoseLogdir: planted runs', () => {
  const expected: Record<Exclude<Fault, 'none'>, string[]> = {
    exploding: ['loss/non-finite', 'other/exploding-gradients'],
    'dead-relu': ['activations/dead-relu'],
    'variance-skew': ['other/weight-variance'],
  };
  for (const style of STYLES) {
    it(`${style}: a healthy run raises no fail`, async () => {
      const dir = freshDir();
      plantRun(dir, style, 'none');
      const { report } = await diagnoseLogdir(dir, { createdAt: new Date(0) });
      expect(failing(report)).toEqual([]);
      expect(report.verdict).not.toBe('fail');
      expect(report.evidence.source).toBe('tensorboard');
      expect(report.warnings).toEqual([]);
      expect(report.createdAt).toBe('1970-01-01T00:00:00.000Z');
      for (const id of [
        'loss/non-finite',
        'loss/learning-rate',
        'loss/overfitting',
        'other/exploding-gradients',
        'other/gradient-flow',
        'other/weight-variance',
        'activations/dead-relu',
      ]) {
        expect(status(report, id), id).toBe('pass');
      }
    });

    for (const [fault, ids] of Object.entries(expected)) {
      it(`${style}: ${fault} is named by ${ids.join(', ')}`, async () => {
        const dir = freshDir();
        plantRun(dir, style, fault as Fault);
        const { report } = await diagnoseLogdir(dir);
        for (const id of ids) expect(status(report, id), id).toBe('fail');
        expect(report.verdict).toBe('fail');
        expect(report.diagnosis.ranked).toEqual(expect.arrayContaining(ids));
      });
    }
  }

  it('skipped checks say what to log', async () => {
    const dir = freshDir();
    plantRun(dir, 'keras', 'none', { grads: false, activations: false });
    const { report } = await diagnoseLogdir(dir);
    const summary = (id: string) => report.checks.find((c) => c.id === id)?.summary ?? '';
    expect(status(report, 'inputs/class-balance')).toBe('skip');
    expect(summary('inputs/class-balance')).toMatch(/nn-doctor check --data/);
    expect(status(report, 'other/gradient-flow')).toBe('skip');
    expect(status(report, 'activations/dead-relu')).toBe('skip');
    expect(status(report, 'other/weight-variance')).toBe('pass');
  });

  it('a log with scalars only: model checks skip with the histogram call to add', async () => {
    const dir = freshDir();
    new EventFileWriter('pytorch').scalar('loss', 1, 0).scalar('loss', 0.5, 1).writeTo(dir);
    const { report } = await diagnoseLogdir(dir);
    expect(report.checks.find((c) => c.id === 'model/init-shallow')?.summary).toMatch(
      /add_histogram\(name, p, step\)/,
    );
  });

  it('--only and --skip select checks', async () => {
    const dir = freshDir();
    plantRun(dir, 'pytorch', 'none');
    const { report } = await diagnoseLogdir(dir, { only: ['loss/'], skip: ['loss/steep-drop'] });
    expect(report.checks.every((c) => c.id.startsWith('loss/') && c.id !== 'loss/steep-drop')).toBe(true);
  });
});

describe('diagnoseLogdir: damaged files are used as far as they go, and reported', () => {
  for (const style of STYLES) {
    it(`${style}: a corrupt scalar and a corrupt histogram are warnings with file and byte offset; the rest is used`, async () => {
      const dir = freshDir();
      const [kernel, bias] = TAGS[style];
      const w = new EventFileWriter(style);
      const histogramRecords: number[] = [];
      for (let s = 0; s < 30; s++) {
        w.scalar('loss', 1 / (s + 1), s);
        if (s % 10 === 0) {
          w.histogram(kernel, [0.1, -0.2, 0.3, 0.05, -0.1, 0.2], s);
          histogramRecords.push(w.records.length - 1);
          w.histogram(bias, [0, 0.01], s);
        }
      }
      let file = w.bytes();
      const damaged = [5, histogramRecords[1]];
      for (const i of damaged) file = { ...file, bytes: corruptRecord(file, i) };
      writeFileSync(join(dir, w.fileName()), file.bytes);
      const { report } = await diagnoseLogdir(dir);
      expect(report.warnings).toEqual(
        damaged.map(
          (i) =>
            `${w.fileName()} at byte ${file.offsets[i]}: corrupt record (data CRC mismatch, ${file.offsets[i + 1] - file.offsets[i] - 16} bytes); record skipped`,
        ),
      );
      expect(report.evidence.training?.loss.values).toHaveLength(29);
      expect(report.evidence.model?.kernels).toEqual([expect.objectContaining({ fanIn: 3, fanOut: 2 })]);
    });

    it(`${style}: a truncated last record (still being written) is noted; the complete ones are used`, async () => {
      const dir = join(freshDir(), 'train');
      const w = new EventFileWriter(style);
      for (let s = 0; s < 30; s++) w.scalar('loss', 1 / (s + 1), s);
      w.histogram('fc.weight', [1, 2, 3], 30);
      const file = w.bytes();
      mkdirSync(dir);
      writeFileSync(join(dir, w.fileName()), truncateLastRecord(file));
      const { report } = await diagnoseLogdir(join(dir, '..'));
      expect(report.warnings).toHaveLength(1);
      expect(report.warnings[0]).toMatch(
        new RegExp(
          `^train/${w.fileName().replaceAll('.', '\\.')} at byte ${file.offsets[31]}: file ends inside a record .*still being written`,
        ),
      );
      expect(report.evidence.training?.loss.values).toHaveLength(30);
      expect(report.evidence.model).toBeUndefined();
    });
  }

  it('many damaged records are summed up after the first ten', async () => {
    const dir = freshDir();
    const w = new EventFileWriter('pytorch');
    for (let s = 0; s < 40; s++) w.scalar('loss', 1, s);
    let bytes = w.bytes();
    for (let i = 5; i < 35; i++) bytes = { ...bytes, bytes: corruptRecord(bytes, i) };
    writeFileSync(join(dir, w.fileName()), bytes.bytes);
    const { report } = await diagnoseLogdir(dir);
    expect(report.warnings).toHaveLength(11);
    expect(report.warnings[10]).toMatch(/20 more damaged records between bytes \d+ and \d+/);
  });

  it('a restart (SessionLog START) is noted with what it discarded', async () => {
    const dir = freshDir();
    const a = new EventFileWriter('pytorch', { startTime: 100 });
    for (let s = 0; s < 10; s++) a.scalar('loss', 1, s);
    a.writeTo(dir, 0);
    const b = new EventFileWriter('pytorch', { startTime: 200 });
    b.sessionStart(5);
    for (let s = 5; s < 10; s++) b.scalar('loss', 0.5, s);
    b.writeTo(dir, 1);
    const { report } = await diagnoseLogdir(dir);
    expect(report.warnings).toEqual([
      'run .: training restarted at step 5 (SessionLog START); 5 values logged earlier at steps ≥ 5 were discarded',
    ]);
    expect(report.evidence.training?.loss.values).toEqual([1, 1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.5]);
  });

  it('several experiments: each is diagnosed, the most recent one the checks can judge is detailed', async () => {
    const dir = freshDir();
    const curve = (w: EventFileWriter, from: number) => {
      for (let s = 0; s < 20; s++) w.scalar('loss', from / (1 + s), s);
      return w;
    };
    curve(new EventFileWriter('pytorch', { startTime: 100 }), 1).writeTo(join(dir, 'old'));
    curve(new EventFileWriter('pytorch', { startTime: 500 }), 2).writeTo(join(dir, 'mid'));
    // The newest holds only a hyper-parameter placeholder: nothing a check can judge.
    new EventFileWriter('pytorch', { startTime: 900 }).scalar('hp_metric', -1, 0).writeTo(join(dir, 'new'));
    const { report } = await diagnoseLogdir(dir);
    expect(report.evidence.training?.loss.values[0]).toBe(2);
    expect(report.logs?.experiment).toBe('mid');
    expect(report.logs?.chosenBecause).toMatch(
      /most recently written of 3 experiments that the checks could judge; newer 'new' holds nothing/,
    );
    expect(report.logs?.experiments.map((e) => [e.name, e.verdict, e.diagnosed])).toEqual([
      ['new', 'inconclusive', false],
      ['mid', 'pass', true],
      ['old', 'pass', false],
    ]);
    expect(report.settings.tensorboard).toMatchObject({ experiment: 'mid', files: 3 });
  });

  it('several experiments none of which can be judged: the newest with a tag read is detailed, inconclusive', async () => {
    const dir = freshDir();
    new EventFileWriter('pytorch', { startTime: 100 }).scalar('lr', 0.1, 0).writeTo(join(dir, 'a'));
    new EventFileWriter('pytorch', { startTime: 900 }).scalar('hp_metric', -1, 0).writeTo(join(dir, 'b'));
    const { report } = await diagnoseLogdir(dir);
    expect(report.verdict).toBe('inconclusive');
    expect(report.logs?.experiment).toBe('a');
    expect(report.logs?.chosenBecause).toMatch(
      /with a tag nn-doctor recognizes; none holds anything the checks could judge/,
    );
  });
});
