// Where the built-in MLP's `nn-doctor check` time goes from the CLI (issue 19: ≤ 1.5 s wall on 2
// cores), side by side in one run: bare Node, loading TF.js, TF.js with the wasm backend ready,
// and the check itself with --jobs 1 and the default jobs. Each command runs `runs` times,
// round-robin so that load changes hit every command alike, under /usr/bin/time for its CPU
// seconds (at a load of 10+ on two cores, CPU seconds say more than wall); the check's own report
// gives the checkup's share (timings.totalMs) and its probes'.
//
//   npx tsx bench/startup-check.ts [--runs 5] [--no-build]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, 'no-build': { type: 'boolean' } },
});
const RUNS = Number(values.runs);
const root = join(import.meta.dirname, '..');
if (!values['no-build']) execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });

const dir = mkdtempSync(join(tmpdir(), 'nn-doctor-startup-check-'));
const bin = join(root, 'bin', 'nn-doctor.js');
const wasmReady =
  "const tf = await import('@tensorflow/tfjs'); await import('@tensorflow/tfjs-backend-wasm'); await tf.setBackend('wasm'); await tf.ready();";

interface Command {
  name: string;
  args: string[];
  /** The report the command writes: its checkup time and probe times are read back. */
  report?: string;
}
const commands: Command[] = [
  { name: "node -e ''", args: ['-e', ''] },
  {
    name: 'import @tensorflow/tfjs',
    args: ['--input-type=module', '-e', "await import('@tensorflow/tfjs')"],
  },
  { name: 'TF.js + wasm backend ready', args: ['--input-type=module', '-e', wasmReady] },
  {
    name: 'nn-doctor check --jobs 1',
    args: [bin, 'check', '--quiet', '--jobs', '1', '--json', join(dir, 'j1.json')],
    report: join(dir, 'j1.json'),
  },
  {
    name: 'nn-doctor check (default jobs)',
    args: [bin, 'check', '--quiet', '--json', join(dir, 'jd.json')],
    report: join(dir, 'jd.json'),
  },
];

interface Sample {
  wall: number;
  cpu: number;
  checkup?: number;
  probes?: Record<string, number>;
}
const samples = commands.map(() => [] as Sample[]);
const loadBefore = loadavg();
try {
  for (let r = 0; r < RUNS; r++) {
    commands.forEach((c, i) => {
      const started = performance.now();
      const res = spawnSync('/usr/bin/time', ['-f', 'CPU %U %S', process.execPath, ...c.args], {
        cwd: root,
        encoding: 'utf8',
      });
      const wall = (performance.now() - started) / 1000;
      const m = /CPU ([\d.]+) ([\d.]+)\s*$/.exec(res.stderr);
      if (!m || (res.status !== 0 && res.status !== 1))
        throw new Error(`${c.name}: exit ${res.status}\n${res.stderr.slice(-2000)}`);
      const sample: Sample = { wall, cpu: Number(m[1]) + Number(m[2]) };
      if (c.report) {
        const report = JSON.parse(readFileSync(c.report, 'utf8'));
        sample.checkup = report.timings.totalMs / 1000;
        sample.probes = report.timings.probes;
      }
      samples[i].push(sample);
    });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const loadAfter = loadavg();
console.log(
  `Node ${process.version}, ${RUNS} runs each, round-robin; load average before ${loadBefore.map((l) => l.toFixed(1)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(1)).join(' ')}`,
);
console.log(
  'command'.padEnd(34),
  'wall s'.padStart(7),
  'CPU s'.padStart(7),
  'checkup s'.padStart(10),
  'outside checkup s'.padStart(18),
);
const bareWall = median(samples[0].map((s) => s.wall));
commands.forEach((c, i) => {
  const s = samples[i];
  const wall = median(s.map((x) => x.wall));
  const checkup = s[0].checkup === undefined ? null : median(s.map((x) => x.checkup as number));
  console.log(
    c.name.padEnd(34),
    wall.toFixed(2).padStart(7),
    median(s.map((x) => x.cpu))
      .toFixed(2)
      .padStart(7),
    (checkup === null ? '' : checkup.toFixed(2)).padStart(10),
    (checkup === null ? '' : (wall - checkup).toFixed(2)).padStart(18),
  );
});
const check = samples[3];
console.log(`\nprobes of 'check --jobs 1' (median s); bare node ${bareWall.toFixed(2)} s:`);
for (const name of Object.keys(check[0].probes ?? {}))
  console.log(`  ${name.padEnd(18)} ${median(check.map((x) => (x.probes?.[name] ?? 0) / 1000)).toFixed(2)}`);
console.log('target: check ≤ 1.5 s wall on 2 cores (issue 19)');
