// `nn-doctor check`: the checkup of a TF.js model on the user's data (or the built-in example).
// TF.js and the data readers are imported when the checkup runs, not when the CLI starts: the
// other commands (and --help) never load them.
import type * as tf from '@tensorflow/tfjs';
import { ALL_CHECKS } from '../checks/index.ts';
import type { CheckupOptions } from '../checkup.ts';
import type { Dataset } from '../core/dataset.ts';
import { UsageError } from '../core/errors.ts';
import type { Report } from '../core/report.ts';
import { isDirectory, PIXEL_SCALES, type PixelScale } from '../data/image-options.ts';
import type { ImageTarget } from '../data/index.ts';
import { isMnistName } from '../data/index.ts';
import { readLoss, TFJS_LOSS_NAMES } from '../model-files/loss-metrics.ts';
import type { FixFiles } from '../tfjs/fix-files.ts';
import { idList, numberFlag, OUTPUT_FLAGS, parse, thresholdOverrides } from './args.ts';
import { captureConsole } from './console-notes.ts';
import type { InputFile } from './output.ts';
import { createProgress, type Progress } from './progress.ts';

export const CHECK_USAGE = `usage: nn-doctor check [--model model.json|model.keras|model.h5] [--data PATH|DIR|mnist] [--labels PATH]
                        [--val PATH|DIR [--val-labels PATH]] [--scale auto|0..1|0..255|-1..1] [--max-per-class N]
                        [--loss NAME] [--optimizer NAME] [--lr N] [--batch-size N] [--seed N]
                        [--backend tensorflow|wasm|cpu] [--jobs N] [--only IDS] [--skip IDS]
                        [--threshold CHECK_ID.NAME=VALUE ...] [--verify off|on|thorough] [--fix DIR]
                        [--json FILE] [--html FILE] [--md FILE] [--quiet]

--verify on: when a check fails, try candidate fixes on clones of the model (3 seeds each, next to
  the setup as it is and to fixes drawn at random) and report which verifiably help; a chain of up
  to 3 fixes. Costs several times the checkup (progress shows the extra runs). thorough: also for
  warnings, 5 seeds, 5 random fixes, 4 candidates. Default off.
--jobs N: up to N experiments run side by side, N − 1 of them in worker threads (default: the
  number of cores; 1 runs them one after the other). The same seed gives the same report whatever N.
--fix DIR: write the model with the verified fix(es) there (model.json, weights, fix.json with the
  changes and any data transform's parameters); implies --verify on. DIR must be new or empty and
  not the model's folder. Nothing is written when no fix verified.`;

/** `--verify` levels → the library's mode and the cost of the fix experiments. */
export const VERIFY_LEVELS = {
  off: { verify: 'never' },
  on: { verify: 'auto' },
  thorough: { verify: 'always', remedyBudget: { seeds: 5, randomDraws: 5, candidates: 4, stages: 3 } },
} as const satisfies Record<string, Pick<CheckupOptions, 'verify' | 'remedyBudget'>>;

export const FLAGS = {
  model: { type: 'string' },
  data: { type: 'string' },
  labels: { type: 'string' },
  val: { type: 'string' },
  'val-labels': { type: 'string' },
  scale: { type: 'string' },
  'max-per-class': { type: 'string' },
  loss: { type: 'string' },
  optimizer: { type: 'string' },
  lr: { type: 'string' },
  'batch-size': { type: 'string' },
  seed: { type: 'string' },
  backend: { type: 'string' },
  jobs: { type: 'string' },
  only: { type: 'string', multiple: true },
  skip: { type: 'string', multiple: true },
  threshold: { type: 'string', multiple: true },
  verify: { type: 'string' },
  fix: { type: 'string' },
  ...OUTPUT_FLAGS,
} as const;

export interface CheckCommand {
  options: Omit<CheckupOptions, 'model' | 'data' | 'onProgress'>;
  modelPath?: string;
  data: string;
  labels?: string;
  val?: string;
  valLabels?: string;
  /** For image folders: pixel scale and sampling (see data/image-folder.ts). */
  images: { scale?: PixelScale; maxPerClass?: number };
  outputs: { json?: string; html?: string; md?: string };
  /** `--fix DIR`: where the fixed model goes. */
  fix?: string;
  quiet: boolean;
  help: boolean;
}

export function parseCheckArgs(args: string[]): CheckCommand {
  const { values, positionals } = parse(args, FLAGS, true);
  if (positionals.length)
    throw new UsageError(`check: unexpected argument '${positionals[0]}' (flags start with --)`);
  if (values.labels !== undefined && values.data === undefined)
    throw new UsageError('--labels: needs --data');
  if (values['val-labels'] !== undefined && values.val === undefined)
    throw new UsageError('--val-labels: needs --val');
  if (values.labels !== undefined && isMnistName(values.data ?? ''))
    throw new UsageError(
      `--labels ${values.labels}: not used with --data ${values.data} (MNIST comes with its labels)`,
    );
  if (values['val-labels'] !== undefined && isMnistName(values.val ?? ''))
    throw new UsageError(
      `--val-labels ${values['val-labels']}: not used with --val ${values.val} (MNIST comes with its labels)`,
    );
  const known = new Set(ALL_CHECKS.map((c) => c.id));
  const only = idList('only', values.only);
  const skip = idList('skip', values.skip);
  if (only && !only.some((id) => [...known].some((k) => k === id || k.startsWith(id.replace(/\/?$/, '/'))))) {
    throw new UsageError('--only: selects no check');
  }
  const scale = values.scale;
  if (scale !== undefined && !(PIXEL_SCALES as readonly string[]).includes(scale)) {
    throw new UsageError(`--scale: '${scale}' is not one of ${PIXEL_SCALES.join(', ')}`);
  }
  const level = values.verify ?? (values.fix !== undefined ? 'on' : 'off');
  if (!Object.hasOwn(VERIFY_LEVELS, level))
    throw new UsageError(`--verify: '${level}' is not one of ${Object.keys(VERIFY_LEVELS).join(', ')}`);
  if (values.fix !== undefined && level === 'off')
    throw new UsageError('--fix: needs the fix experiments; drop --verify off (or use --verify on)');
  if (values.fix === '') throw new UsageError('--fix: needs a folder path');
  return {
    options: {
      ...VERIFY_LEVELS[level as keyof typeof VERIFY_LEVELS],
      loss: lossFlag(values.loss),
      optimizer: values.optimizer,
      lr: numberFlag('lr', values.lr, { positive: true }),
      batchSize: numberFlag('batch-size', values['batch-size'], { integer: true, positive: true }),
      seed: numberFlag('seed', values.seed, { integer: true, min: 0 }),
      backend: values.backend,
      jobs: numberFlag('jobs', values.jobs, { integer: true, positive: true }),
      only,
      skip,
      thresholds: thresholdOverrides(values.threshold),
    },
    modelPath: values.model,
    data: values.data ?? 'mnist',
    labels: values.labels,
    val: values.val,
    valLabels: values['val-labels'],
    images: {
      scale: scale as PixelScale | undefined,
      maxPerClass: numberFlag('max-per-class', values['max-per-class'], { integer: true, positive: true }),
    },
    outputs: { json: values.json, html: values.html, md: values.md },
    fix: values.fix,
    quiet: values.quiet ?? false,
    help: values.help ?? false,
  };
}

/** Every file the checkup reads: model.json, the weight files it lists, the data files. */
export async function checkInputFiles(cmd: CheckCommand): Promise<InputFile[]> {
  const files: InputFile[] = [];
  if (cmd.modelPath) {
    const { modelInputFiles } = await import('../tfjs/model-files/index.ts');
    const [json, ...shards] = modelInputFiles(cmd.modelPath);
    files.push({ path: json, what: '--model' });
    for (const s of shards) files.push({ path: s, what: `a weight file of --model ${cmd.modelPath}` });
  }
  const data: [string, string | undefined][] = [
    ['--data', isMnistName(cmd.data) ? undefined : cmd.data],
    ['--labels', cmd.labels],
    ['--val', cmd.val && !isMnistName(cmd.val) ? cmd.val : undefined],
    ['--val-labels', cmd.valLabels],
  ];
  // A folder of images is read whole: no output may land anywhere inside it.
  for (const [flag, path] of data)
    if (path !== undefined) files.push({ path, what: flag, ...(isDirectory(path) ? { folder: true } : {}) });
  return files;
}

/** `--loss`: a TF.js Layers loss; Keras spellings (`sparse_categorical_crossentropy`, `mse`) are mapped. */
function lossFlag(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const { loss } = readLoss(value);
  if (!loss) {
    throw new UsageError(`--loss: unknown loss '${value}' (TF.js Layers has ${TFJS_LOSS_NAMES.join(', ')})`);
  }
  return loss;
}

export async function runCheck(cmd: CheckCommand, progress?: Progress): Promise<Report> {
  return (await runCheckAndFix(cmd, progress)).report;
}

/** The checkup, and with `--fix` the files of the fixed model (null when no fix verified). */
export async function runCheckAndFix(
  cmd: CheckCommand,
  progress: Progress = createProgress(cmd.quiet),
): Promise<{ report: Report; fix: FixFiles | null }> {
  // TF.js's own console lines (its Node.js banner, shape warnings for each clone) go into the
  // report's notes, once each, instead of onto stderr between the progress lines.
  const tfConsole = captureConsole();
  try {
    const result = await checkAndFix(cmd, progress);
    result.report.warnings.push(...tfConsole.notes());
    return result;
  } finally {
    tfConsole.restore();
  }
}

async function checkAndFix(
  cmd: CheckCommand,
  progress: Progress,
): Promise<{ report: Report; fix: FixFiles | null }> {
  const [
    { checkup },
    { loadDataset, modelRescalesInputs },
    { exampleData, exampleModel },
    { selectBackend },
    { outputUnits },
  ] = await Promise.all([
    import('../node/checkup.ts'),
    import('../data/index.ts'),
    import('../example/mnist-mlp.ts'),
    import('../tfjs/backend.ts'),
    import('../tfjs/task.ts'),
  ]);
  // The backend first: the model's weights are created on it.
  await selectBackend(cmd.options.backend);
  const loaded = cmd.modelPath ? await loadUserModel(cmd.modelPath, cmd.options.loss) : null;
  const model = loaded?.model ?? exampleModel();
  const image = imageTarget(cmd, model, modelRescalesInputs(model));
  const data =
    cmd.data === 'mnist' ? exampleData() : await loadDataset({ data: cmd.data, labels: cmd.labels, image });
  const validation = cmd.val
    ? await loadDataset({
        data: cmd.val,
        labels: cmd.valLabels,
        dataFlag: '--val',
        labelsFlag: '--val-labels',
        image,
      })
    : undefined;
  checkImageFlags(cmd, data, validation);
  const classes = 'classNames' in data ? (data.classNames as string[]).length : 0;
  const units = outputUnits(model);
  const classNote =
    classes > 0 && units > 1 && classes !== units
      ? [`--data ${cmd.data}: ${classes} class folders but the model outputs ${units} classes`]
      : [];
  const notes = [
    ...(loaded ? [`--model ${cmd.modelPath}: read as ${loaded.format}`] : []),
    ...(loaded?.notes.map((n) => `--model ${cmd.modelPath}: ${n}`) ?? []),
    ...(data.notes ?? []),
    ...(validation?.notes ?? []),
    ...classNote,
  ];
  try {
    const report = await checkup({
      ...cmd.options,
      model,
      data,
      validation,
      validationFlags: cmd.val
        ? { data: cmd.val, labels: cmd.valLabels, dataFlag: '--val', labelsFlag: '--val-labels' }
        : undefined,
      dataFlags: { data: cmd.data, labels: cmd.labels },
      notes,
      // A Keras file's user trains in Keras: remedies are written as Keras code.
      framework: loaded && /keras/i.test(loaded.format) ? 'keras' : 'tfjs',
      onProgress: progress.update,
    });
    const fix = cmd.fix ? await (await import('../tfjs/fix-files.ts')).fixedModelFiles(model, report) : null;
    return { report, fix };
  } finally {
    progress.done();
  }
}

/** What image folders must become for this model (the flags, its input shape, its own rescaling). */
function imageTarget(cmd: CheckCommand, model: tf.LayersModel, rescalesInputs: boolean): ImageTarget {
  return {
    inputShape: model.inputs[0].shape,
    rescalesInputs,
    scale: cmd.images.scale,
    maxPerClass: cmd.images.maxPerClass,
    seed: cmd.options.seed,
  };
}

/** --scale and --max-per-class apply to image folders only; train and validation classes must agree. */
function checkImageFlags(cmd: CheckCommand, data: Dataset, validation: Dataset | undefined): void {
  const isImages = (d: Dataset | undefined) => d !== undefined && 'classNames' in d;
  if (!isImages(data) && !isImages(validation)) {
    for (const [flag, value] of [
      ['--scale', cmd.images.scale],
      ['--max-per-class', cmd.images.maxPerClass],
    ] as const) {
      if (value !== undefined)
        throw new UsageError(`${flag}: applies only to --data DIR (a folder of class folders of images)`);
    }
  }
  if (isImages(data) && isImages(validation)) {
    const a = (data as { classNames: string[] }).classNames;
    const b = (validation as { classNames: string[] }).classNames;
    if (a.join('\0') !== b.join('\0')) {
      throw new UsageError(
        `--val ${cmd.val}: its class folders (${b.join(', ')}) differ from --data's (${a.join(', ')})`,
      );
    }
  }
}

/** Loads the model file; a training config TF.js cannot apply is fine when --loss replaces it. */
async function loadUserModel(path: string, loss: string | undefined) {
  const { loadModelFile } = await import('../tfjs/model-files/index.ts');
  const loaded = await loadModelFile(path);
  if (loaded.trainingConfigProblem && loss === undefined) {
    loaded.model.dispose();
    throw new UsageError(
      `--model ${path}: ${loaded.trainingConfigProblem} (give --loss and --optimizer to train it with a supported setup)`,
    );
  }
  if (!loaded.compiled && loss === undefined) {
    loaded.model.dispose();
    throw new UsageError(
      `--model ${path}: has no training config (loss, optimizer); give --loss (and --optimizer, --lr)`,
    );
  }
  return loaded;
}
