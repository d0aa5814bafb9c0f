// `--map TAG=ROLE`: says what a tag means when the conventions (tags.ts) do not, and wins over them.
//
// TAG is a tag as logged, in any run; one `*` in it matches any text, which `*` in ROLE repeats
// (`--map 'w/*=weights:*'`). A role given to a tag in a validation run (`validation`, `val`,
// `eval`, `test` folders) becomes its validation counterpart, as with the conventions.
//
// Roles:
//   loss, val_loss                 training / validation loss (scalar)
//   accuracy, val_accuracy         accuracy (scalar)
//   lr                             learning rate (scalar)
//   reg_loss, data_loss            regularization / data part of the loss (scalar)
//   grad_norm                      global gradient norm (scalar)
//   grad_norm:<layer>              gradient norm of <layer>'s kernel (scalar)
//   update_ratio:<layer>           ‖ΔW‖/‖W‖ of <layer>'s kernel (scalar)
//   weights:<layer>, bias:<layer>  histogram of <layer>'s kernel / bias
//   grad:<layer>, bias_grad:<layer> histogram of the gradient of <layer>'s kernel / bias
//   update:<layer>                 histogram of <layer>'s kernel update ΔW per step
//   activation:<layer>[:<fn>]      histogram of <layer>'s outputs; <fn> (relu, tanh, sigmoid…)
//                                  names the activation when the values cannot tell it
//   ignore                         leave the tag out
import { UsageError } from '../core/errors.ts';
import { own, setOwn } from '../core/own.ts';
import type { TagMeaning } from './tags.ts';

export const ROLE_NAMES = [
  'loss',
  'val_loss',
  'accuracy',
  'val_accuracy',
  'lr',
  'reg_loss',
  'data_loss',
  'grad_norm',
  'grad_norm:<layer>',
  'update_ratio:<layer>',
  'weights:<layer>',
  'bias:<layer>',
  'grad:<layer>',
  'bias_grad:<layer>',
  'update:<layer>',
  'activation:<layer>[:<fn>]',
  'ignore',
] as const;

const ALIASES: Record<string, string> = {
  val_acc: 'val_accuracy',
  acc: 'accuracy',
  learning_rate: 'lr',
  weight: 'weights',
  kernel: 'weights',
  gradient: 'grad',
  gradients: 'grad',
  activations: 'activation',
  act: 'activation',
  biases: 'bias',
};

/** ROLE text → meaning; throws UsageError naming the flag when it is no role. */
export function parseRole(tag: string, role: string): TagMeaning {
  const flag = `--map ${tag}=${role}`;
  const colon = role.indexOf(':');
  const rawName = (colon < 0 ? role : role.slice(0, colon)).trim().toLowerCase();
  const name = own(ALIASES, rawName) ?? rawName;
  const arg = colon < 0 ? '' : role.slice(colon + 1).trim();
  const scalar = (
    r: 'loss' | 'accuracy' | 'lr' | 'reg_loss' | 'data_loss' | 'grad_norm',
    phase: 'val' | null = null,
  ): TagMeaning => {
    if (arg) throw new UsageError(`${flag}: role '${name}' takes no ':<layer>'`);
    return { type: 'scalar', role: r, phase, granularity: null };
  };
  const layer = (): string => {
    if (!arg) throw new UsageError(`${flag}: role '${name}' needs a layer name, e.g. ${name}:fc1`);
    return arg;
  };
  switch (name) {
    case 'loss':
    case 'accuracy':
    case 'lr':
    case 'reg_loss':
    case 'data_loss':
      return scalar(name);
    case 'val_loss':
      return scalar('loss', 'val');
    case 'val_accuracy':
      return scalar('accuracy', 'val');
    case 'grad_norm':
      if (!arg) return scalar('grad_norm');
      return { type: 'weight-scalar', role: 'grad_norm', param: { layer: arg, weight: tag, kind: 'kernel' } };
    case 'update_ratio':
      return {
        type: 'weight-scalar',
        role: 'update_ratio',
        param: { layer: layer(), weight: tag, kind: 'kernel' },
      };
    case 'weights':
      return { type: 'param', of: 'value', param: { layer: layer(), weight: tag, kind: 'kernel' } };
    case 'bias':
      return { type: 'param', of: 'value', param: { layer: layer(), weight: tag, kind: 'bias' } };
    case 'grad':
      return { type: 'param', of: 'grad', param: { layer: layer(), weight: tag, kind: 'kernel' } };
    case 'bias_grad':
      return { type: 'param', of: 'grad', param: { layer: layer(), weight: tag, kind: 'bias' } };
    case 'update':
      return { type: 'param', of: 'update', param: { layer: layer(), weight: tag, kind: 'kernel' } };
    case 'activation': {
      const spec = layer();
      const fnAt = spec.lastIndexOf(':');
      const fn =
        fnAt > 0
          ? spec
              .slice(fnAt + 1)
              .trim()
              .toLowerCase()
          : '';
      return { type: 'activation', layer: fnAt > 0 ? spec.slice(0, fnAt) : spec, fn: fn || null };
    }
    case 'ignore':
      if (arg) throw new UsageError(`${flag}: role 'ignore' takes no ':<layer>'`);
      return { type: 'ignore' };
    default:
      throw new UsageError(`${flag}: unknown role '${rawName}' (roles: ${ROLE_NAMES.join(', ')})`);
  }
}

export interface MapEntry {
  tag: string;
  role: string;
  /** Matches a tag; returns the role text with `*` filled in, or null. */
  match(tag: string): string | null;
}

/** Validates a `--map` record (TAG → ROLE): every role must parse; a TAG has at most one `*`. */
export function parseMap(map: Record<string, string> | undefined): MapEntry[] {
  const entries: MapEntry[] = [];
  for (const [tag, role] of Object.entries(map ?? {})) {
    if (tag.trim() === '') throw new UsageError(`--map =${role}: the tag is empty (expected TAG=ROLE)`);
    if (typeof role !== 'string' || role.trim() === '')
      throw new UsageError(`--map ${tag}=: the role is empty (expected TAG=ROLE)`);
    const stars = tag.split('*').length - 1;
    if (stars > 1) throw new UsageError(`--map ${tag}=${role}: at most one '*' in a tag`);
    if (stars === 0 && role.includes('*'))
      throw new UsageError(`--map ${tag}=${role}: '*' in the role needs a '*' in the tag`);
    parseRole(tag, role.replaceAll('*', 'x')); // validates the role's form now, not when a tag matches
    if (stars === 0) {
      entries.push({ tag, role, match: (t) => (t === tag ? role : null) });
    } else {
      const [before, after] = tag.split('*');
      entries.push({
        tag,
        role,
        match: (t) =>
          t.length >= before.length + after.length && t.startsWith(before) && t.endsWith(after)
            ? role.replaceAll('*', t.slice(before.length, t.length - after.length))
            : null,
      });
    }
  }
  return entries;
}

/** Parses `TAG=ROLE` strings (as given on the command line) into a map record. */
export function parseMapArgs(args: string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const arg of args) {
    const eq = arg.lastIndexOf('=');
    if (eq <= 0 || eq === arg.length - 1) throw new UsageError(`--map ${arg}: expected TAG=ROLE`);
    setOwn(map, arg.slice(0, eq), arg.slice(eq + 1)); // a tag named `__proto__` stays a tag
  }
  parseMap(map);
  return map;
}
