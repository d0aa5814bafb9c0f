#!/usr/bin/env node
// Thin launcher: runs the TypeScript CLI in a child Node with tsx's loader, so a global install
// needs no build step. It stands in for the child: SIGINT/SIGTERM/SIGHUP are forwarded to it (the
// child removes its temporary files and exits), and the launcher exits as the child did — with
// the child's exit code, or 128 + n when a signal ended it. A child killed by SIGKILL without being
// asked (the kernel's OOM killer) or aborted by V8 (heap exhausted) is reported on stderr instead
// of passing for "a check failed".
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const loader = pathToFileURL(require.resolve('tsx')).href;
const child = spawn(
  process.execPath,
  ['--import', loader, join(here, '..', 'src', 'cli', 'main.ts'), ...process.argv.slice(2)],
  { stdio: 'inherit' },
);

const forwarded = new Set();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    forwarded.add(signal);
    child.kill(signal);
  });
}

child.on('error', (err) => {
  process.stderr.write(`nn-doctor: cannot start Node (${err.message})\n`);
  process.exit(3);
});

child.on('exit', (code, signal) => {
  if (signal === null) process.exit(code ?? 3);
  const status = 128 + (constants.signals[signal] ?? 0);
  if (!forwarded.has(signal)) {
    const why =
      signal === 'SIGKILL'
        ? 'was killed (SIGKILL) — most likely out of memory (the kernel OOM killer)'
        : signal === 'SIGABRT'
          ? 'aborted (SIGABRT) — most likely out of memory (JavaScript heap)'
          : `was ended by ${signal}`;
    process.stderr.write(`nn-doctor: the checkup process ${why}; no report was written\n`);
  }
  process.exit(status);
});
