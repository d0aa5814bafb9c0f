// Image-folder options that the CLI needs before any image is read (kept apart from the image
// reader, so that validating flags loads neither TF.js nor the image decoders).
import { statSync } from 'node:fs';
import type * as tf from '@tensorflow/tfjs';

export const PIXEL_SCALES = ['auto', '0..1', '0..255', '-1..1'] as const;
export type PixelScale = (typeof PIXEL_SCALES)[number];

export const DEFAULT_MAX_PER_CLASS = 500;

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Whether a model rescales its own inputs: a Rescaling layer before any layer with weights. */
export function modelRescalesInputs(model: tf.LayersModel): boolean {
  for (const layer of model.layers) {
    if (layer.getClassName() === 'Rescaling') return true;
    if (layer.weights.length > 0) return false;
  }
  return false;
}
