// A worker thread's console output goes to its parent as messages, where the caller's console
// prints it: a worker's own console writes to the process's stderr behind the caller's back (the
// CLI routes TF.js's console output, such as its Node.js banner, into the report's notes, and a
// library caller's console hooks would never see it). Imported first by worker.ts, so that it is
// in place before TF.js loads.
import { format } from 'node:util';
import { parentPort } from 'node:worker_threads';

export const CONSOLE_LEVELS = ['log', 'info', 'warn', 'error', 'debug'] as const;
export type ConsoleLevel = (typeof CONSOLE_LEVELS)[number];

const port = parentPort;
if (port) {
  for (const level of CONSOLE_LEVELS) {
    console[level] = (...args: unknown[]) =>
      port.postMessage({ type: 'console', level, text: format(...args) });
  }
}
