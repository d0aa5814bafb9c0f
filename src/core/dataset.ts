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

/** The labels of a dataset as the probes read them (one of the three forms is set). */
export interface LabelView {
  /** Class id per record (classification), else null. */
  classIds: Int32Array | null;
  classes: number | null;
  /** Regression targets (record-major, [records, width]), else null. */
  targets: Float32Array | null;
  /** Multi-label targets (record-major, [records, classes], 0/1 or soft), else null. */
  multiHot?: Float32Array | null;
}
