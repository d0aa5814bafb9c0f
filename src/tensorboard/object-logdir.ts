// A log directory in object storage → the same runs as a local one (logdir.ts's RunSource): one
// run at a time, its objects fetched whole (a few at once), parsed by the same record reader and
// dropped, so memory holds the largest run's bytes, never the whole prefix's.
import { type RunSource, readRun } from './logdir.ts';
import { MAX_OBJECT_BYTES, type ObjectStore, type StoredObject } from './object-store.ts';
import { bufferSource, type ReadOptions } from './records.ts';

/** Objects fetched at once within a run. */
const PARALLEL = 8;

async function fetchAll(store: ObjectStore, objects: StoredObject[]): Promise<(Uint8Array | Error)[]> {
  const out: (Uint8Array | Error)[] = new Array(objects.length);
  let next = 0;
  const worker = async () => {
    while (next < objects.length) {
      const i = next++;
      const o = objects[i];
      if (o.size > MAX_OBJECT_BYTES) {
        out[i] = new Error(`${o.size} bytes, over the ${MAX_OBJECT_BYTES}-byte limit for one event object`);
        continue;
      }
      out[i] = await store
        .read(o.key, 0, o.size)
        .catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, objects.length) }, worker));
  return out;
}

/** The runs under a prefix: each read on demand, its objects fetched whole (a few at once) and parsed. */
export function objectRunSource(
  store: ObjectStore,
  runs: Map<string, StoredObject[]>,
  options: ReadOptions = {},
): RunSource {
  return {
    runs: new Map([...runs].map(([name, objects]) => [name, objects.length])),
    async read(name) {
      const objects = runs.get(name) ?? [];
      const bodies = await fetchAll(store, objects);
      const inputs = objects.map((o, i) => ({
        name: o.name,
        open: () => {
          const body = bodies[i];
          if (body instanceof Error) throw body;
          return bufferSource(body);
        },
      }));
      return readRun(name, inputs, options);
    },
  };
}
