// Files given in memory (browser-safe): a page's `File`s (a file input, a dropped folder) or bytes
// with a name, with their size known before a byte is read.

/**
 * A file in memory: a browser `File` (from an `<input type="file">` or a drop; in a folder upload
 * its `webkitRelativePath` places it), or bytes with a name (`path` places them in a folder).
 */
export type InputFile = (Blob & { name: string; webkitRelativePath?: string }) | BytesFile;

/** A given file: its place among the files given, its size (known before reading), its bytes on demand. */
export interface GivenFile {
  /** Path inside the upload, without the top folder a folder upload adds (`model.json`, `sub/x.bin`). */
  key: string;
  name: string;
  size: number;
  read(start?: number, end?: number): Promise<Uint8Array>;
}

type BytesFile = { name: string; path?: string; bytes: Uint8Array };

/** Bytes with a name, not a Blob (whose `bytes` is a method). */
const isBytesFile = (file: InputFile): file is BytesFile =>
  (file as { bytes?: unknown }).bytes instanceof Uint8Array;

export function givenFile(file: InputFile): GivenFile {
  if (isBytesFile(file)) {
    const { bytes } = file;
    return {
      key: file.path ?? file.name,
      name: file.name,
      size: bytes.length,
      read: async (start = 0, end = bytes.length) => bytes.subarray(start, end),
    };
  }
  const blob = file as Blob & { name: string; webkitRelativePath?: string };
  const relative = blob.webkitRelativePath ?? '';
  return {
    // A folder upload names files `folder/model.json`: paths in the manifest are relative to the folder.
    key: relative.includes('/') ? relative.slice(relative.indexOf('/') + 1) : blob.name,
    name: blob.name,
    size: blob.size,
    read: async (start = 0, end = blob.size) => new Uint8Array(await blob.slice(start, end).arrayBuffer()),
  };
}
