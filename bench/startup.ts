// Start-up of the installed command, side by side with a bare `node -e ''` in the same run:
//
//   npx tsx bench/startup.ts [--runs 9] [--no-build]
//
// Builds dist/ (npm run build) unless --no-build, writes a 1.1 MB PyTorch-style TensorBoard log
// (100 steps of scalars, weight/gradient/activation histograms of a 3-layer MLP every 10 steps),
// then runs each command `runs` times, round-robin so that load changes hit every command alike,
// through bin/nn-doctor.js exactly as an installed `nn-doctor` runs. Prints wall-clock medians
// and each command's median minus the bare Node start. Targets (issue 11): `checks` ≤ 0.5 s,
// `diagnose` of a 1 MB log ≤ 1.5 s.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { plantRun } from '../src/tensorboard/testing/planted.ts';

const root = join(import.meta.dirname, '..');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 9;

if (!process.argv.includes('--no-build')) {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
}

const dir = mkdtempSync(join(tmpdir(), 'nn-doctor-startup-'));
const [logFile] = plantRun(join(dir, 'run'), 'pytorch', 'none');
const logMb = statSync(logFile).size / 1e6;
const bin = join(root, 'bin', 'nn-doctor.js');

const commands: { name: string; args: string[]; target?: number }[] = [
  { name: "node -e ''", args: ['-e', ''] },
  { name: 'nn-doctor --help', args: [bin, '--help'] },
  { name: 'nn-doctor checks', args: [bin, 'checks'], target: 0.5 },
  {
    name: `nn-doctor diagnose (${logMb.toFixed(2)} MB log)`,
    args: [bin, 'diagnose', join(dir, 'run'), '--quiet'],
    target: 1.5,
  },
  {
    name: 'nn-doctor diagnose, terminal report',
    args: [bin, 'diagnose', join(dir, 'run')],
  },
  {
    name: 'nn-doctor diagnose --json --md',
    args: [
      bin,
      'diagnose',
      join(dir, 'run'),
      '--json',
      join(dir, 'r.json'),
      '--md',
      join(dir, 'r.md'),
      '--quiet',
    ],
  },
  {
    name: 'nn-doctor diagnose --html',
    args: [bin, 'diagnose', join(dir, 'run'), '--html', join(dir, 'r.html'), '--quiet'],
  },
];

const times = commands.map(() => [] as number[]);
const load = loadavg();
try {
  for (let r = 0; r < RUNS; r++) {
    commands.forEach((c, i) => {
      const started = performance.now();
      const result = spawnSync(process.execPath, c.args, { cwd: dir, encoding: 'utf8' });
      times[i].push((performance.now() - started) / 1000);
      // diagnose exits 0 (no check failed) or 1; anything else is a broken bench.
      if (result.status !== 0 && result.status !== 1)
        throw new Error(`${c.name}: exit ${result.status}\n${result.stderr}`);
    });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const bare = median(times[0]);
console.log(
  `Node ${process.version}, ${RUNS} runs each, round-robin; load average ${load.map((l) => l.toFixed(2)).join(' ')}`,
);
console.log('command'.padEnd(44), 'median s', '  min s', ' − bare s', ' target');
commands.forEach((c, i) => {
  const m = median(times[i]);
  const verdict = c.target === undefined ? '' : `${m <= c.target ? 'met' : 'MISSED'} (≤ ${c.target} s)`;
  console.log(
    c.name.padEnd(44),
    m.toFixed(3).padStart(8),
    Math.min(...times[i])
      .toFixed(3)
      .padStart(7),
    (i === 0 ? '' : (m - bare).toFixed(3)).padStart(9),
    ` ${verdict}`,
  );
});
