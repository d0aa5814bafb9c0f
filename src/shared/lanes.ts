// Runs jobs in one lane "here" (the caller's thread, one job at a time: its TF.js engine trains
// one model at a time) and up to `remotes` lanes "there" (worker threads), whichever is free
// first; results come back to each caller, so the outcome does not depend on where a job ran.
// Pure: it knows jobs only as functions of a job value.

export type Runner<J, T> = (job: J) => Promise<T>;

interface Queued<J, T> {
  job: J;
  resolve(value: T): void;
  reject(err: unknown): void;
}

export class Lanes<J, T> {
  private readonly queue: Queued<J, T>[] = [];
  private hereBusy = false;
  private thereBusy = 0;

  /** `there` null (or `remotes` 0): every job runs here, one after the other. */
  constructor(
    private readonly here: Runner<J, T>,
    private readonly there: Runner<J, T> | null,
    private readonly remotes: number,
  ) {}

  run(job: J): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.drain();
    });
  }

  private drain(): void {
    while (this.queue.length > 0) {
      if (!this.hereBusy) {
        this.hereBusy = true;
        this.start(this.queue.shift() as Queued<J, T>, this.here, () => {
          this.hereBusy = false;
        });
      } else if (this.there && this.thereBusy < this.remotes) {
        this.thereBusy++;
        this.start(this.queue.shift() as Queued<J, T>, this.there, () => {
          this.thereBusy--;
        });
      } else return;
    }
  }

  private start(item: Queued<J, T>, runner: Runner<J, T>, free: () => void): void {
    let running: Promise<T>;
    try {
      running = runner(item.job);
    } catch (err) {
      running = Promise.reject(err);
    }
    running.then(item.resolve, item.reject).finally(() => {
      free();
      this.drain();
    });
  }
}
