// nn-doctor library API (docs/library.md has a runnable example for each entry point).
// TF.js is a peer dependency: everything here works on the caller's @tensorflow/tfjs instance and
// active backend.

export {
  type CheckupOptions,
  checkup,
  type DataInput,
  type ProgressEvent,
  type VerifyMode,
} from './checkup.ts';
export type { BuildReportInput } from './core/build-report.ts';
export { CHECK_IDS, type CheckId, defineCheck, SECTIONS, type Status } from './core/check.ts';
export type { Dataset } from './core/dataset.ts';
export { UsageError } from './core/errors.ts';
export type * from './core/evidence.ts';
export { type ThresholdOverrides, validateRunOptions } from './core/options.ts';
export type { RemediesReport, TriedFix } from './core/remedies.ts';
export {
  type CheckResult,
  type LiveFinding,
  type Report,
  SCHEMA_VERSION,
  type WatchReport,
} from './core/report.ts';
export { renderJson } from './core/report-json.ts';
export { parseReport } from './core/report-parse.ts';
export { TOOL_VERSION } from './core/version.ts';
export { loadDataset } from './data/index.ts';
export { loadMnist, mnistAvailable } from './data/mnist.ts';
export {
  ALL_CHECKS,
  buildReport,
  checksWith,
  defineExtraCheck,
  type ExtraCheck,
  type ReportInput,
} from './registry.ts';
export { renderHtml } from './render/html/index.ts';
export { renderMarkdown } from './render/markdown.ts';
export { renderTerminal } from './render/terminal.ts';
export { type DiagnoseOptions, diagnoseLogdir } from './tensorboard/diagnose.ts';
export { selectBackend } from './tfjs/backend.ts';
export { loadModelFromFile } from './tfjs/model-files/index.ts';
export { type WatchLogdirOptions, watchLogdir } from './watch/logdir/watch-logdir.ts';
export { type LiveServer, type ServeOptions, serveLive } from './watch/serve/server.ts';
export {
  DEFAULT_ACTIVATIONS_EVERY,
  DEFAULT_EVERY,
  type Watcher,
  type WatchOptions,
  watch,
} from './watch/tfjs/watcher.ts';
