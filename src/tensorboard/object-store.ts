// Log directories in object storage: `s3://bucket/prefix` read through the official AWS SDK
// (`@aws-sdk/client-s3`, an optional dependency loaded with import() only for such paths).
// Credentials come from the SDK's standard chain (environment, shared config/credentials profile,
// SSO, instance/container roles); `--endpoint` points it at an S3-compatible store (MinIO, Ceph,
// R2, a local test server) with path-style addressing.
//
// A run is a "folder" (key prefix) that directly holds event objects, as on disk. `diagnose` reads
// one run at a time — its objects whole, then parsed and dropped — so memory is bounded by the
// largest run's bytes, not the prefix's; `watch` reads only the new bytes of each object (HTTP
// Range from the end of its last complete record). The bytes then go through the same record
// reader as local files (records.ts: CRCs, bounded record lengths, damage reported by offset).
import { UsageError } from '../core/errors.ts';
import { isEventFile } from './logdir.ts';

export interface ObjectUrl {
  scheme: 's3' | 'gs';
  bucket: string;
  /** Key prefix of the log directory, '' or ending in '/'. */
  prefix: string;
}

export function isObjectUrl(path: string): boolean {
  return /^(s3|gs):\/\//i.test(path);
}

export function parseObjectUrl(url: string): ObjectUrl {
  const m = /^(s3|gs):\/\/([^/]+)\/?(.*)$/i.exec(url);
  if (!m?.[2]) throw new UsageError(`${url}: not an object-storage path (s3://BUCKET/PREFIX)`);
  const scheme = m[1].toLowerCase() as 's3' | 'gs';
  const prefix = m[3] === '' || m[3].endsWith('/') ? m[3] : `${m[3]}/`;
  return { scheme, bucket: m[2], prefix };
}

/** An event object: its key, its name relative to the log directory, its size when listed. */
export interface StoredObject {
  key: string;
  name: string;
  size: number;
}

export interface ObjectStore {
  readonly url: string;
  /** Run name ('/'-separated, '.' for the prefix itself) → its event objects, sorted by name. */
  listRuns(): Promise<Map<string, StoredObject[]>>;
  /** Bytes [start, end) of an object (a ranged GET). */
  read(key: string, start: number, end: number): Promise<Uint8Array>;
}

/**
 * An object larger than this is not read into memory (reported as unreadable): a hostile or
 * mistaken multi-gigabyte object must not take the process down. Event files of real jobs are far
 * smaller (TensorBoard rotates nothing, but 1 GiB holds ~50 M scalar records).
 */
export const MAX_OBJECT_BYTES = 1 << 30;
/** Listing stops after this many keys (a prefix holding a whole data lake is not a log directory). */
export const MAX_LISTED_KEYS = 1_000_000;

export interface ObjectStoreOptions {
  /** An S3-compatible endpoint (https://minio.local:9000); path-style addressing. */
  endpoint?: string;
}

const S3_PACKAGE = '@aws-sdk/client-s3';

/** The store behind `url`; a UsageError when its SDK is not installed or the scheme is unsupported. */
export async function openObjectStore(url: string, options: ObjectStoreOptions = {}): Promise<ObjectStore> {
  const where = parseObjectUrl(url);
  if (where.scheme === 'gs')
    throw new UsageError(
      `${url}: gs:// is not supported yet; read the bucket through its S3-compatible XML API instead: s3://${where.bucket}/${where.prefix} --endpoint https://storage.googleapis.com (with HMAC keys in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)`,
    );
  if (options.endpoint !== undefined && !/^https?:\/\/[^\s]+$/.test(options.endpoint))
    throw new UsageError(`--endpoint: '${options.endpoint}' is not an http(s) URL`);
  let sdk: typeof import('@aws-sdk/client-s3');
  try {
    sdk = await import(S3_PACKAGE);
  } catch {
    throw new UsageError(
      `${url}: reading s3:// needs the optional package ${S3_PACKAGE}; install it beside nn-doctor (npm install ${S3_PACKAGE})`,
    );
  }
  const client = new sdk.S3Client({
    region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
    // Plain GETs and lists need no flexible checksums; S3-compatible stores may not know them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const fail = (err: unknown): never => {
    const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const status = e.$metadata?.httpStatusCode;
    throw new UsageError(
      `${url}: ${e.name ?? 'error'}${status ? ` (HTTP ${status})` : ''}: ${e.message ?? String(err)}`,
    );
  };
  return {
    url,
    async listRuns() {
      const runs = new Map<string, StoredObject[]>();
      let token: string | undefined;
      let listed = 0;
      do {
        const page = await client
          .send(
            new sdk.ListObjectsV2Command({
              Bucket: where.bucket,
              Prefix: where.prefix,
              ContinuationToken: token,
            }),
          )
          .catch(fail);
        for (const o of page.Contents ?? []) {
          if (!o.Key?.startsWith(where.prefix)) continue;
          const name = o.Key.slice(where.prefix.length);
          const slash = name.lastIndexOf('/');
          if (!isEventFile(name.slice(slash + 1))) continue;
          const run = slash < 0 ? '.' : name.slice(0, slash);
          const list = runs.get(run) ?? [];
          list.push({ key: o.Key, name, size: o.Size ?? 0 });
          runs.set(run, list);
        }
        listed += page.KeyCount ?? page.Contents?.length ?? 0;
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token && listed < MAX_LISTED_KEYS);
      for (const list of runs.values()) list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      return new Map([...runs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    },
    async read(key, start, end) {
      if (end <= start) return new Uint8Array(0);
      const out = await client.send(
        new sdk.GetObjectCommand({ Bucket: where.bucket, Key: key, Range: `bytes=${start}-${end - 1}` }),
      );
      const bytes = (await out.Body?.transformToByteArray()) ?? new Uint8Array(0);
      // A store that ignores Range answers 200 with the whole object: keep only what was asked.
      const whole = out.$metadata.httpStatusCode === 200 && !out.ContentRange && start > 0;
      return whole ? bytes.subarray(start, end) : bytes.subarray(0, end - start);
    },
  };
}
