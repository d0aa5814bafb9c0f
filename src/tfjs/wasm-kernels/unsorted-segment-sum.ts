/**
 * UnsortedSegmentSum for the wasm backend (missing upstream: tfjs#8082) — the gradient of Gather, so
 * what Embedding layers need to train.
 *
 * out[s, ...] = Σ_{i : ids[i] = s} x[i, ...] is exactly a ScatterNd with ids as 1-element indices,
 * which the wasm backend runs natively and which accumulates duplicates. Ids outside [0, numSegments)
 * contribute nothing (as in TensorFlow and the cpu backend); they are detected with one pass over the
 * int32 ids and routed to a scratch row that is sliced off.
 */
import type {
  KernelConfig,
  KernelFunc,
  TensorInfo,
  UnsortedSegmentSumAttrs,
  UnsortedSegmentSumInputs,
} from '@tensorflow/tfjs';
import { type BackendWasm, sizeOf, withScope } from './wasm-ops.ts';

export function unsortedSegmentSum(args: {
  inputs: UnsortedSegmentSumInputs;
  backend: BackendWasm;
  attrs: UnsortedSegmentSumAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  const segmentIds = inputs.segmentIds as TensorInfo;
  const { numSegments } = attrs;
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new Error(`UnsortedSegmentSum on wasm supports float32 and int32 data, got ${x.dtype}.`);
  }
  const idsRank = segmentIds.shape.length;
  for (let i = 0; i < idsRank; i++) {
    if (segmentIds.shape[i] !== x.shape[i]) {
      throw new Error(
        `UnsortedSegmentSum: segmentIds shape [${segmentIds.shape}] must be a prefix of data shape [${x.shape}].`,
      );
    }
  }
  const count = sizeOf(segmentIds.shape);
  const rest = x.shape.slice(idsRank);
  const outShape = [numSegments, ...rest];
  return withScope(backend, (s) => {
    if (count === 0 || sizeOf(outShape) === 0) {
      return s.run('Fill', {}, { shape: outShape, value: 0, dtype: x.dtype });
    }
    let ids = s.cast(segmentIds, 'int32');
    const values = backend.typedArrayFromHeap(ids) as Int32Array;
    let invalid = false;
    for (let i = 0; i < count; i++) {
      const v = values[i];
      if (v < 0 || v >= numSegments) {
        invalid = true;
        break;
      }
    }
    let rows = numSegments;
    if (invalid) {
      const fixed = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const v = values[i];
        fixed[i] = v < 0 || v >= numSegments ? numSegments : v;
      }
      ids = s.own(backend.makeOutput([count], 'int32', undefined, fixed));
      rows = numSegments + 1;
    }
    const indices = s.reshape(ids, [count, 1]);
    const updates = s.reshape(x, [count, ...rest]);
    const scattered = s.run('ScatterNd', { indices, updates }, { shape: [rows, ...rest] });
    if (rows === numSegments) return scattered;
    return s.slice(
      scattered,
      outShape.map(() => 0),
      outShape,
    );
  });
}

export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum as unknown as KernelFunc,
};
