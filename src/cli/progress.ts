// Progress on stderr while probes run: which experiment and how far. On a terminal, one bar
// redrawn in place; elsewhere (CI logs, `| cat`, a notebook cell) plain lines — the first after
// FIRST_LINE_MS (an input refused at once stays a one-line error), then at most one every few
// seconds — naming the experiment, its steps and an estimate of what is
// left of it (from its own rate so far). Silent with --quiet.
import type { ProgressEvent } from '../checkup.ts';

export interface Progress {
  update(event: ProgressEvent): void;
  done(): void;
}

/** Seconds between two plain progress lines: often enough to show life, rare enough for a log. */
export const LINE_INTERVAL_MS = 5000;
/** When the first plain line may come: a run that ends (or is refused) sooner prints none. */
export const FIRST_LINE_MS = 2000;

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

function duration(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

export function createProgress(
  quiet: boolean,
  stream: ProgressStream = process.stderr,
  now: () => number = () => performance.now(),
): Progress {
  if (quiet) return { update() {}, done() {} };
  return stream.isTTY ? bar(stream) : lines(stream, now);
}

function bar(stream: ProgressStream): Progress {
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

function lines(stream: ProgressStream, now: () => number): Progress {
  const started = now();
  let lastLine = started - LINE_INTERVAL_MS + FIRST_LINE_MS;
  let experiments = 0;
  // The current experiment: its name, when it started (the first step's time: it rates the steps).
  let current: { probe: string; startedAt: number; firstDone: number } | null = null;
  return {
    update({ probe, done, total }) {
      const t = now();
      if (current?.probe !== probe) {
        experiments++;
        current = { probe, startedAt: t, firstDone: done };
      }
      if (t - lastLine < LINE_INTERVAL_MS) return;
      lastLine = t;
      const steps = total > 1 ? ` ${done}/${total} steps` : '';
      const rated = done - current.firstDone;
      const left =
        total > 1 && rated > 0 && done < total
          ? `, about ${duration(((t - current.startedAt) / rated) * (total - done))} left in it`
          : '';
      stream.write(
        `nn-doctor: ${duration(t - started)} in, experiment ${experiments}: ${probe}${steps}${left}\n`,
      );
    },
    done() {},
  };
}
