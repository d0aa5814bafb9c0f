/** Training records in memory, as loaded from disk or built by the library API. */
export interface Dataset {
  /** Features, record-major. */
  x: Float32Array;
  /** [records, ...featureShape]. */
  xShape: number[];
  /** Labels: integer class ids ([records]), one-hot rows or regression targets ([records, k]). */
  y: Float32Array;
  yShape: number[];
  /** File name or 'mnist'. */
  source: string;
  /** What reading it assumed or left out (e.g. images sampled, pixel scale), for the report. */
  notes?: string[];
}
