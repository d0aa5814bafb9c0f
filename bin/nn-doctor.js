#!/usr/bin/env node
// The installed command: runs the compiled CLI in this very process — no child process, so
// signals (Ctrl-C, SIGTERM) and exit codes are the CLI's own. `dist/` is built by `npm run build`,
// which npm runs on install, `npm ci` and `npm pack` (the `prepare` script); in the repository,
// `npm start` runs the TypeScript sources through tsx instead.
const entry = new URL('../dist/cli/main.js', import.meta.url);
try {
  await import(entry.href);
} catch (err) {
  if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes(entry.pathname)) {
    process.stderr.write(
      'nn-doctor: the compiled CLI (dist/) is missing: run `npm run build` in its folder\n',
    );
    process.exit(3);
  }
  throw err;
}
