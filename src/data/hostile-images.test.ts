// Hostile image folders and image files, built here: symlinks to devices, FIFOs and files outside
// the folder; a GIF whose one frame is far larger than its screen; PNGs whose pixel data is larger
// than the limit or inflates past what their header declares. Each is refused in one line naming
// the file, before anything large is allocated or decoded.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
// @ts-expect-error: pngjs ships no types for its internals
import { getImagePasses } from 'pngjs/lib/interlace.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../tfjs/backend.ts';
import { decodeImage, MAX_IMAGE_PIXELS, MAX_PNG_DATA_BYTES, pngDataBytes } from './image-decode.ts';
import { type ImageTarget, loadImageFolder } from './image-folder.ts';
import { encodePng, rawGif, rawPng, rgba } from './image-testing.ts';
import { expectUsageError, makeTempDir } from './testing.ts';
import { crc32 } from './zip.ts';

const tmp = makeTempDir('nn-doctor-hostile-images-');
beforeAll(() => selectBackend('cpu'));
afterAll(() => tmp.cleanup());

const target: ImageTarget = { inputShape: [null, 4, 4, 1], rescalesInputs: false };
const png = () =>
  encodePng(
    4,
    4,
    rgba(4, 4, () => [10, 20, 30]),
  );
let folders = 0;

/** A folder with classes `a` (one real image) and `b` (one real image plus what `plant` adds). */
function folder(plant: (classB: string, root: string) => void): string {
  const root = join(tmp.dir, `f${folders++}`);
  for (const c of ['a', 'b']) {
    mkdirSync(join(root, c), { recursive: true });
    writeFileSync(join(root, c, '0.png'), png());
  }
  plant(join(root, 'b'), root);
  return root;
}

describe('image folders read only regular files inside the folder given', () => {
  it('a symlink to /dev/zero is refused before it is opened', () => {
    const dir = folder((b) => symlinkSync('/dev/zero', join(b, 'x.png')));
    expectUsageError(
      () => loadImageFolder(dir, target),
      /--data .*\/b\/x\.png: is a symlink that leads out of the image folder/,
    );
  });

  it('a FIFO inside the folder, linked or not, is refused without waiting for a writer', () => {
    const dir = folder((b) => {
      execFileSync('mkfifo', [join(b, 'fifo.bin')]);
      symlinkSync('fifo.bin', join(b, 'x.png'));
    });
    expectUsageError(
      () => loadImageFolder(dir, target),
      /--data .*\/b\/x\.png: is not a regular file \(a FIFO, device or socket\)/,
    );
  });

  it('a symlink to an image outside the folder, or a class folder linked from outside, is refused', () => {
    const outside = join(tmp.dir, 'outside');
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'secret.png'), png());
    const file = folder((b) => symlinkSync(join(outside, 'secret.png'), join(b, 'x.png')));
    expectUsageError(() => loadImageFolder(file, target), /\/b\/x\.png: is a symlink that leads out/);
    const cls = folder((_, root) => symlinkSync(outside, join(root, 'c')));
    expectUsageError(() => loadImageFolder(cls, target), /--data .*\/c: is a symlink that leads out/);
    const dangling = folder((b) => symlinkSync(join(b, 'missing.png'), join(b, 'x.png')));
    expectUsageError(() => loadImageFolder(dangling, target), /\/b\/x\.png: is a symlink that leads out/);
  });

  it('a symlink to another image of the folder is read like the image', () => {
    const dir = folder((b, root) => symlinkSync(join(root, 'a', '0.png'), join(b, 'x.png')));
    const data = loadImageFolder(dir, target);
    expect(data.yShape).toEqual([3]);
    expect(Array.from(data.y)).toEqual([0, 1, 1]);
  });
});

describe('image bombs: every size a file declares is bounded before decoding', () => {
  it('a GIF frame of 65535×65535 on a 1×1 screen (tens of bytes) is refused from its frame header', () => {
    const bomb = rawGif([1, 1], [0, 0, 65535, 65535]);
    expect(bomb.length).toBeLessThan(40);
    expectUsageError(
      () => decodeImage(bomb, '--data b/x.gif'),
      new RegExp(`--data b/x\\.gif: frame 0 is 65535×65535 pixels, over the ${MAX_IMAGE_PIXELS}-pixel limit`),
    );
  });

  it('a GIF frame under the limit but outside its screen is refused', () => {
    expectUsageError(
      () => decodeImage(rawGif([10, 10], [5, 0, 8, 8]), 'x.gif'),
      /frame 0 \(8×8 at 5,0\) lies outside the 10×10 screen/,
    );
    // A frame inside its screen decodes (the stream ends early; the rest stays transparent).
    expect(decodeImage(rawGif([10, 10], [2, 2, 8, 8]), 'x.gif').width).toBe(10);
  });

  it('an interlaced PNG whose pixel data inflates past its header is refused at the header size', () => {
    // 1×1 8-bit gray, interlaced: 2 bytes of pixel data declared; 64 MiB of zeros deflate to ~64 KB.
    const bomb = rawPng({ width: 1, height: 1, interlace: 1, raw: new Uint8Array(64 * 2 ** 20) });
    expect(bomb.length).toBeLessThan(100_000);
    expect(pngDataBytes(bomb)).toBe(2);
    expectUsageError(
      () => decodeImage(bomb, 'x.png'),
      /x\.png: holds pixel data that inflates past the 2 bytes its header declares/,
    );
  });

  it("a PNG's pixel data is bounded in bytes from its bit depth, not only in pixels", () => {
    // 5000×5000 16-bit RGBA: 25 M pixels (at the pixel limit) but 200 MB of pixel data.
    const header = rawPng({ width: 5000, height: 5000, depth: 16, colorType: 6, raw: new Uint8Array(1) });
    expect(pngDataBytes(header)).toBe(5000 * (5000 * 8 + 1));
    expectUsageError(
      () => decodeImage(header, 'x.png'),
      new RegExp(
        `declares 200005000 bytes of pixel data \\(16-bit samples\\), over the ${MAX_PNG_DATA_BYTES}-byte limit`,
      ),
    );
  });

  it('pngDataBytes agrees with pngjs on honest interlaced and plain PNGs (they decode)', () => {
    for (const [width, height, depth, colorType] of [
      [1, 1, 8, 0],
      [7, 5, 8, 2],
      [9, 13, 16, 6],
      [3, 17, 1, 0],
      [33, 2, 4, 3],
    ]) {
      for (const interlace of [0, 1] as const) {
        const probe = rawPng({ width, height, depth, colorType, interlace, raw: new Uint8Array(1) });
        const need = pngDataBytes(probe) ?? -1;
        const bytes = rawPng({ width, height, depth, colorType, interlace, raw: new Uint8Array(need) });
        const withPalette = colorType === 3 ? insertPalette(bytes) : bytes; // colour type 3 needs a PLTE chunk
        const img = decodeImage(withPalette, 'x.png');
        expect([img.width, img.height]).toEqual([width, height]);
        // The same count from pngjs's own pass geometry (lib/interlace.js), which it decodes by.
        const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colorType as 0 | 2 | 3 | 4 | 6];
        const passes: { width: number; height: number }[] = interlace
          ? getImagePasses(width, height)
          : [{ width, height }];
        const rows = passes.reduce(
          (a, p) => a + p.height * (Math.ceil((p.width * channels * depth) / 8) + 1),
          0,
        );
        expect(need).toBe(rows);
      }
    }
  });
});

/** Inserts a 16-colour PLTE chunk after IHDR (palette PNGs need one). */
function insertPalette(png: Uint8Array): Uint8Array {
  const plteData = new Uint8Array(48);
  const chunk = new Uint8Array(12 + 48);
  const v = new DataView(chunk.buffer);
  v.setUint32(0, 48);
  chunk.set(new TextEncoder().encode('PLTE'), 4);
  chunk.set(plteData, 8);
  v.setUint32(56, crc32(chunk.subarray(4, 56)));
  return new Uint8Array(Buffer.concat([png.subarray(0, 33), chunk, png.subarray(33)]));
}
