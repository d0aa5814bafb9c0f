// nn-doctor library API.

export { ALL_CHECKS } from './checks/index.ts';
export { type CheckupOptions, checkup, type ProgressEvent } from './checkup.ts';
export { buildReport } from './core/build-report.ts';
export { CHECK_IDS, type CheckId, SECTIONS, type Status } from './core/check.ts';
export type { Dataset } from './core/dataset.ts';
export { UsageError } from './core/errors.ts';
export type * from './core/evidence.ts';
export { type CheckResult, type Report, SCHEMA_VERSION } from './core/report.ts';
export { loadDataset } from './data/index.ts';
export { loadMnist } from './data/mnist.ts';
export { renderHtml } from './render/html/index.ts';
export { renderMarkdown } from './render/markdown.ts';
export { renderTerminal } from './render/terminal.ts';
export { diagnoseLogdir } from './tensorboard/diagnose.ts';
export { selectBackend } from './tfjs/backend.ts';
export { loadModelFromFile } from './tfjs/model-files/index.ts';
