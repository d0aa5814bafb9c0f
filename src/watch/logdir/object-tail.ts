// Watching a log directory in object storage: before each poll of the tail (tail.ts), list the
// prefix and fetch, for every event object that grew, only its new bytes — an HTTP Range from the
// end of its last complete record. The tail then reads those bytes as it reads a local file.
import type { ObjectStore, StoredObject } from '../../tensorboard/object-store.ts';
import type { ByteSource } from '../../tensorboard/records.ts';
import type { TailIO } from './tail.ts';

/** At most this many new bytes of one object per poll (the rest comes at the next poll). */
export const MAX_BYTES_PER_POLL = 64 << 20;

export class ObjectTailIO implements TailIO {
  private listing = new Map<string, StoredObject[]>();
  private readonly names = new Map<string, string>();
  private fetched = new Map<string, { base: number; bytes: Uint8Array }>();

  constructor(private readonly store: ObjectStore) {}

  /** Lists the prefix and fetches the new bytes of every object past `offsetOf(key)`. */
  async prefetch(offsetOf: (key: string) => number): Promise<void> {
    this.listing = await this.store.listRuns();
    this.fetched = new Map();
    for (const objects of this.listing.values()) {
      for (const o of objects) {
        this.names.set(o.key, o.name);
        const base = offsetOf(o.key);
        if (o.size <= base) continue;
        try {
          const bytes = await this.store.read(o.key, base, Math.min(o.size, base + MAX_BYTES_PER_POLL));
          this.fetched.set(o.key, { base, bytes });
        } catch {
          // unreadable for now (deleted, throttled): tried again at the next poll
        }
      }
    }
  }

  findRuns(): Map<string, string[]> {
    return new Map([...this.listing].map(([run, objects]) => [run, objects.map((o) => o.key)]));
  }

  open(key: string): ByteSource {
    const f = this.fetched.get(key);
    if (!f) throw new Error('no new bytes fetched');
    const { base, bytes } = f;
    return {
      size: base + bytes.length,
      read(target, offset, length, position) {
        const at = position - base;
        const n = Math.max(0, Math.min(length, bytes.length - at));
        if (at < 0 || n === 0) return 0;
        target.set(bytes.subarray(at, at + n), offset);
        return n;
      },
      close() {},
    };
  }

  name(key: string): string {
    return this.names.get(key) ?? key;
  }
}
