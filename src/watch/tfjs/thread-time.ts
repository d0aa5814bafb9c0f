// The watcher's own time on the training thread (what bench/watch-overhead.ts reports as its
// cost): every stage that works on that thread adds to one account.
export class ThreadTime {
  ms = 0;

  /** Runs `work` and counts its time. */
  time<T>(work: () => T): T {
    const began = performance.now();
    try {
      return work();
    } finally {
      this.ms += performance.now() - began;
    }
  }

  /** Counts the time since `began` (a `performance.now()`). */
  since(began: number): void {
    this.ms += performance.now() - began;
  }
}
