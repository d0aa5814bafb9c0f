// Fuzzing image headers: GIFs with random screen and frame geometry, PNGs with random IHDR
// (sizes, bit depth, colour type, interlacing) over pixel data of random length. Property: decoding
// either refuses with a UsageError (never another error) — exactly when a declared size is over
// the limits or a frame lies outside its screen — or returns an image of its declared size.
// Bounded by run count (seeded); accepted images are kept small so each case is cheap.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.ts';
import { decodeImage, MAX_IMAGE_PIXELS, MAX_PNG_DATA_BYTES, pngDataBytes } from './image-decode.ts';
import { rawGif, rawPng } from './image-testing.ts';

function decode(bytes: Uint8Array): ReturnType<typeof decodeImage> | UsageError {
  try {
    return decodeImage(bytes, 'x');
  } catch (err) {
    if (err instanceof UsageError) return err;
    throw err; // any other error fails the property
  }
}

/** Sides that are either small (cheap to decode) or past the limit together. */
const side = fc.oneof(fc.integer({ min: 1, max: 48 }), fc.integer({ min: 6000, max: 65535 }));

describe('image header fuzz', () => {
  it('GIF: refused exactly when the screen or the frame is over the limit or outside (300 seeded)', () => {
    fc.assert(
      fc.property(
        side,
        side,
        fc.tuple(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 65535 }), side, side),
        (w, h, [x, y, fw, fh]) => {
          const got = decode(rawGif([w, h], [x, y, fw, fh]));
          const over = w * h > MAX_IMAGE_PIXELS || fw * fh > MAX_IMAGE_PIXELS;
          const outside = x + fw > w || y + fh > h;
          if (over || outside) expect(got).toBeInstanceOf(UsageError);
          else expect(got).toMatchObject({ width: w, height: h });
        },
      ),
      { numRuns: 300, seed: 4242 },
    );
  });

  it('PNG: never an unbounded inflate nor another error; oversize headers refused (200 seeded)', () => {
    fc.assert(
      fc.property(
        side,
        side,
        fc.constantFrom(1, 2, 4, 8, 16),
        fc.constantFrom(0, 2, 4, 6),
        fc.constantFrom(0 as const, 1 as const),
        fc.integer({ min: 0, max: 2 ** 18 }),
        (width, height, depth, colorType, interlace, length) => {
          const probe = rawPng({ width, height, depth, colorType, interlace, raw: new Uint8Array(1) });
          const need = pngDataBytes(probe);
          const bytes = rawPng({ width, height, depth, colorType, interlace, raw: new Uint8Array(length) });
          const got = decode(bytes);
          if (width * height > MAX_IMAGE_PIXELS || (need ?? 0) > MAX_PNG_DATA_BYTES)
            expect(got).toBeInstanceOf(UsageError);
          else if (interlace === 1 && need !== null && length > need) expect(got).toBeInstanceOf(UsageError);
          else if (!(got instanceof UsageError)) expect([got.width, got.height]).toEqual([width, height]);
        },
      ),
      { numRuns: 200, seed: 2424 },
    );
  });
});
