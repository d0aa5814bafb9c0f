// Runs the benchmarks one after another, each in its own process with its default settings, so
// that one bench's memory and TF.js state cannot colour the next one's figures. Each prints its own
// side-by-side ratios; compare figures within one bench's output only (the machine is shared).
//
//   npm run bench                 # every bench below, in this order
//   npm run bench -- checkup startup   # only these (file names without .ts)
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const here = import.meta.dirname;
const all = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run-all.ts')
  .map((f) => f.slice(0, -3))
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length) {
  console.error(`bench: no bench named ${unknown.join(', ')} (there are: ${all.join(', ')})`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length ? wanted : all) {
  console.log(`\n=== bench/${name}.ts`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(here, `${name}.ts`)], {
    stdio: 'inherit',
  });
  if (run.status !== 0) {
    failed++;
    console.error(`bench/${name}.ts exited with ${run.status ?? run.signal}`);
  }
}
process.exit(failed ? 1 : 0);
