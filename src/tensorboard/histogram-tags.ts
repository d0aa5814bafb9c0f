// Histogram tags by the writers' conventions: a parameter's values, gradient or update, or a
// layer's activations. docs/tensorboard-tags.md lists them with the writers they come from.
//
//   PyTorch   add_histogram(name, p) on parameter names: 'fc1.weight', 'fc1.bias',
//             'layer1.0.conv1.weight'; gradients as 'fc1.weight.grad', 'fc1.weight/grad',
//             'grad/fc1.weight', 'gradients/fc1.weight', 'fc1.weight_grad'
//   Keras     '<layer>/kernel_0', '<layer>/bias_0', '<rnn>/recurrent_kernel_0' (TF2 tf.keras),
//             '<layer>/kernel/histogram' (Keras 3), '<layer>/kernel_0_grad' (write_grads)
//   any       activations: 'fc1.activation', 'fc1/activations', 'activations/fc1', 'fc1.out',
//             'act/fc1', optionally naming the function: 'activations/fc1/relu'; updates (ΔW):
//             'fc1.weight.update', 'updates/fc1.weight'
import type { Param, ParamKind, TagMeaning } from './tags.ts';

const GRAD_SEGMENTS = new Set(['grad', 'grads', 'gradient', 'gradients']);
const UPDATE_SEGMENTS = new Set(['update', 'updates', 'delta', 'deltas']);
const ACTIVATION_SEGMENTS = new Set(['activation', 'activations', 'act', 'acts', 'output', 'outputs', 'out']);
const LEADING_CONTAINERS = new Set([
  'weights',
  'params',
  'parameters',
  'param',
  'histogram',
  'histograms',
  'hist',
]);
const TRAILING_CONTAINERS = new Set(['histogram', 'histograms', 'hist']);
const ACTIVATION_FNS = new Set([
  'relu',
  'relu6',
  'leaky_relu',
  'leakyrelu',
  'elu',
  'selu',
  'gelu',
  'swish',
  'silu',
  'tanh',
  'sigmoid',
  'softmax',
  'linear',
]);

/** Norm and embedding layers: their "weight" is a scale or a lookup table, not a kernel. */
const NOT_A_KERNEL_LAYER =
  /(^|[._/])(bn\d*|batch_?norm\w*|batch_normalization\w*|norm\d*|ln\d*|ln_\w+|layer_?norm\w*|layer_normalization\w*|group_?norm\w*|gn\d*|embed\w*|wte|wpe)$/i;

/** Kind of a parameter from its last name segment (`weight`, `kernel_0`, `bias`, `gamma`…). */
function paramKind(name: string): ParamKind | null {
  const n = name.toLowerCase();
  if (/^(weight|weights|kernel|w)(_\d+)?$/.test(n) || /^weight_/.test(n) || n.includes('kernel'))
    return 'kernel';
  if (/^(bias|biases|b)(_\d+)?$/.test(n) || /^bias_/.test(n)) return 'bias';
  if (
    /^(gamma|beta|moving_mean|moving_variance|running_mean|running_var|num_batches_tracked|embeddings)(_\d+)?$/.test(
      n,
    )
  )
    return 'other';
  return null;
}

/** Splits `a.b/c` into segments with the separator before each (the first has none). */
function segmentsOf(tag: string): { sep: string; text: string }[] {
  const out: { sep: string; text: string }[] = [];
  let sep = '';
  let text = '';
  for (const ch of tag) {
    if (ch === '/' || ch === '.') {
      out.push({ sep, text });
      sep = ch;
      text = '';
    } else text += ch;
  }
  out.push({ sep, text });
  return out.filter((s) => s.text !== '');
}

function join(segments: { sep: string; text: string }[]): string {
  return segments.map((s, i) => (i === 0 ? s.text : s.sep + s.text)).join('');
}

/** A parameter path (`fc1.weight`, `dense/kernel_0`) → layer, weight, kind; null if the last segment is no parameter name. */
export function parseParam(path: string): Param | null {
  const segs = segmentsOf(path);
  if (segs.length === 0) return null;
  const last = segs[segs.length - 1].text;
  let kind = paramKind(last);
  if (kind === null) return null;
  const layer = segs.length > 1 ? join(segs.slice(0, -1)) : last;
  if (kind === 'kernel' && NOT_A_KERNEL_LAYER.test(layer)) kind = 'other';
  return { layer, weight: path, kind };
}

/** A histogram tag by the conventions, or null when it follows none of them. */
export function classifyHistogram(tag: string): TagMeaning | null {
  let segs = segmentsOf(tag);
  if (segs.length > 1 && LEADING_CONTAINERS.has(segs[0].text.toLowerCase())) segs = segs.slice(1);
  if (segs.length > 1 && TRAILING_CONTAINERS.has(segs[segs.length - 1].text.toLowerCase()))
    segs = segs.slice(0, -1);
  let of: 'value' | 'grad' | 'update' = 'value';
  const kept: { sep: string; text: string }[] = [];
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    const lower = s.text.toLowerCase();
    if (GRAD_SEGMENTS.has(lower)) of = 'grad';
    else if (UPDATE_SEGMENTS.has(lower)) of = 'update';
    else if (i === segs.length - 1 && /_(grad|grads|gradient)$/i.test(s.text)) {
      of = 'grad';
      kept.push({ sep: s.sep, text: s.text.replace(/_(grad|grads|gradient)$/i, '') });
    } else kept.push(s);
  }
  if (kept.length === 0) return null;
  // A parameter name last wins over activation words: 'out.weight' is the weight of a layer named 'out'.
  const param = parseParam(join(kept));
  if (param) return { type: 'param', of, param };
  if (of === 'value' && kept.some((s) => ACTIVATION_SEGMENTS.has(s.text.toLowerCase()))) {
    let rest = kept.filter((s) => !ACTIVATION_SEGMENTS.has(s.text.toLowerCase()));
    let fn: string | null = null;
    const last = rest[rest.length - 1]?.text.toLowerCase();
    if (rest.length > 1 && last !== undefined && ACTIVATION_FNS.has(last)) {
      fn = last;
      rest = rest.slice(0, -1);
    }
    if (rest.length === 0) return null;
    return { type: 'activation', layer: join(rest), fn };
  }
  // 'grads/fc1', 'updates/fc1': a layer's gradient or update, taken as its kernel's.
  if (of !== 'value') {
    const path = join(kept);
    return { type: 'param', of, param: { layer: path, weight: path, kind: 'kernel' } };
  }
  return null;
}
