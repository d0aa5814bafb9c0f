// The pixel ranges `--scale` accepts for image folders (kept apart from the image reader so the
// CLI can validate the flag without loading TF.js).
export const PIXEL_SCALES = ['auto', '0..1', '0..255', '-1..1'] as const;
export type PixelScale = (typeof PIXEL_SCALES)[number];
