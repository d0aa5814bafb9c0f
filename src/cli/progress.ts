// Progress on stderr while probes run: which probe and how far. Silent with --quiet or when
// stderr is not a terminal (CI logs, pipes).
import type { ProgressEvent } from '../checkup.ts';

export interface Progress {
  update(event: ProgressEvent): void;
  done(): void;
}

export function createProgress(quiet: boolean, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (quiet || !stream.isTTY) return { update() {}, done() {} };
  let last = 0;
  let shown = false;
  return {
    update({ probe, done, total }) {
      const now = Date.now();
      if (done !== 0 && done !== total && now - last < 100) return;
      last = now;
      const width = 24;
      const filled = Math.round((done / Math.max(1, total)) * width);
      stream.write(
        `\r\u001b[2K  ${probe.padEnd(18)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`,
      );
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\u001b[2K');
    },
  };
}
