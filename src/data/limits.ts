// Size limits on data files, checked against what a file's own header claims before the data is
// decompressed or decoded: a few KB of deflate can claim (and inflate to) gigabytes. The limits
// are fixed and documented (README, `nn-doctor check --help`); past one, the file is refused with
// exit 2 and one line naming the limit.
import { inputError, MAX_INPUT_FILE_BYTES, sizeOf } from './common.ts';

export const DATA_LIMITS = {
  /** One input file as stored on disk (compressed or not). */
  maxFileBytes: MAX_INPUT_FILE_BYTES,
  /** Values in one array (.npy, an .npz member, an IDX file, a CSV table): 1 GiB as float32. */
  maxArrayValues: 2 ** 28,
  /** Bytes one array's data takes decompressed (its header's shape × element size). */
  maxArrayBytes: 2 ** 30,
  /** CSV text, decompressed: parsed cell by cell into strings, several times its size in memory. */
  maxCsvBytes: 2 ** 28,
} as const;

/** Refuses an array whose header claims more values or bytes than the limits, before any is read. */
export function checkArraySize(
  shape: readonly number[],
  elementSize: number,
  where: string,
  by: string,
): void {
  const values = sizeOf(shape);
  if (values > DATA_LIMITS.maxArrayValues) {
    throw inputError(
      where,
      `${by} claims ${values} values (shape ${shape.join('×')}); the limit is ${DATA_LIMITS.maxArrayValues} values per array`,
    );
  }
  if (values * elementSize > DATA_LIMITS.maxArrayBytes) {
    throw inputError(
      where,
      `${by} claims ${values * elementSize} bytes of data; the limit is ${DATA_LIMITS.maxArrayBytes} bytes per array`,
    );
  }
}
