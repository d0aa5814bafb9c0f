// What the Keras → TF.js translation does with each Keras layer class: build it as is, rename it,
// remove it (no-op at inference), or refuse it; which arguments TF.js ignores (dropped on purpose)
// and which non-default values change the computation (refused). README's "Keras files" section
// lists the same. TF.js 4.22 silently ignores config keys it does not know, so a dropped argument
// is one whose every value computes the same function; anything else must be refused here.
import { isObject, type Json } from '../common.ts';

/** Keras layer classes TF.js Layers 4.22 builds under the same name. */
export const SUPPORTED_LAYERS = new Set([
  'Activation',
  'Add',
  'AlphaDropout',
  'Average',
  'AveragePooling1D',
  'AveragePooling2D',
  'AveragePooling3D',
  'BatchNormalization',
  'Bidirectional',
  'CategoryEncoding',
  'CenterCrop',
  'Concatenate',
  'Conv1D',
  'Conv2D',
  'Conv2DTranspose',
  'Conv3D',
  'Conv3DTranspose',
  'ConvLSTM2D',
  'Cropping2D',
  'Dense',
  'DepthwiseConv2D',
  'Dot',
  'Dropout',
  'ELU',
  'Embedding',
  'Flatten',
  'GaussianDropout',
  'GaussianNoise',
  'GlobalAveragePooling1D',
  'GlobalAveragePooling2D',
  'GlobalMaxPooling1D',
  'GlobalMaxPooling2D',
  'GRU',
  'InputLayer',
  'LayerNormalization',
  'LeakyReLU',
  'LSTM',
  'Masking',
  'Maximum',
  'MaxPooling1D',
  'MaxPooling2D',
  'MaxPooling3D',
  'Minimum',
  'Multiply',
  'Permute',
  'PReLU',
  'ReLU',
  'RepeatVector',
  'Rescaling',
  'Reshape',
  'Resizing',
  'SeparableConv2D',
  'SimpleRNN',
  'Softmax',
  'SpatialDropout1D',
  'ThresholdedReLU',
  'TimeDistributed',
  'UpSampling2D',
  'ZeroPadding2D',
]);

/** Keras class names (aliases, older spellings) → the TF.js class. */
export const LAYER_RENAMES: Record<string, string> = {
  Functional: 'Model',
  Convolution1D: 'Conv1D',
  Convolution2D: 'Conv2D',
  Convolution3D: 'Conv3D',
  Deconvolution2D: 'Conv2DTranspose',
  MaxPool1D: 'MaxPooling1D',
  MaxPool2D: 'MaxPooling2D',
  MaxPool3D: 'MaxPooling3D',
  AvgPool1D: 'AveragePooling1D',
  AvgPool2D: 'AveragePooling2D',
  AvgPool3D: 'AveragePooling3D',
  GlobalAvgPool1D: 'GlobalAveragePooling1D',
  GlobalAvgPool2D: 'GlobalAveragePooling2D',
  GlobalMaxPool1D: 'GlobalMaxPooling1D',
  GlobalMaxPool2D: 'GlobalMaxPooling2D',
  SeparableConvolution2D: 'SeparableConv2D',
};

/**
 * Layers without weights that compute the identity at inference: removed from the graph (their
 * consumers read their input), with a note. Keras' augmentation layers act only in training, so
 * the checkup's training runs go without augmentation.
 */
export const REMOVED_LAYERS: Record<string, string> = {
  Identity: 'an identity layer',
  ActivityRegularization: 'an activity regularizer (adds a loss term only)',
  RandomFlip: 'a training-time augmentation layer',
  RandomRotation: 'a training-time augmentation layer',
  RandomZoom: 'a training-time augmentation layer',
  RandomTranslation: 'a training-time augmentation layer',
  RandomContrast: 'a training-time augmentation layer',
  RandomBrightness: 'a training-time augmentation layer',
};

/** Why a layer class cannot be built, for the classes people actually meet. */
export const REFUSED_LAYERS: Record<string, string> = {
  Lambda: 'a Lambda layer holds Python code, which TF.js cannot run; replace it with built-in layers',
  TFOpLambda:
    'it wraps a raw TensorFlow op (a tf.* call in a functional model), which TF.js Layers cannot rebuild',
  SlicingOpLambda:
    'it wraps a tensor slice (x[...] in a functional model), which TF.js Layers cannot rebuild',
  Normalization: 'TF.js Layers has no Normalization layer; normalize the inputs before the model instead',
  TextVectorization: 'TF.js Layers has no text preprocessing layers',
  StringLookup: 'TF.js Layers has no lookup layers',
  IntegerLookup: 'TF.js Layers has no lookup layers',
  Hashing: 'TF.js Layers has no Hashing layer',
  RandomCrop: 'it changes the image size, and TF.js Layers has no RandomCrop layer',
  RandomHeight: 'it changes the image size during training, which the checkup cannot reproduce',
  RandomWidth: 'it changes the image size during training, which the checkup cannot reproduce',
  Subtract: 'TF.js Layers has no Subtract layer',
  LocallyConnected1D: 'TF.js Layers has no locally connected layers',
  LocallyConnected2D: 'TF.js Layers has no locally connected layers',
  SpatialDropout2D: 'TF.js Layers has only SpatialDropout1D',
  SpatialDropout3D: 'TF.js Layers has only SpatialDropout1D',
};

/** Why a Keras 3 operation node (e.g. `x / 127.5` written in a functional model) cannot be built. */
export const KERAS_OP_REFUSAL =
  'it is a Keras operation written in a functional model (e.g. x / 127.5 or x[…]), which TF.js Layers cannot rebuild; use layers (Rescaling, Reshape, Cropping…) instead';

/** Class names of Keras 3 operations that show up as nodes of functional models. */
export const KERAS_OPS = new Set([
  'TrueDivide',
  'Divide',
  'FloorDivide',
  'GetItem',
  'Cast',
  'ExpandDims',
  'Squeeze',
  'Transpose',
  'Matmul',
  'Power',
  'Sqrt',
  'Exp',
  'Log',
  'Abs',
  'Mean',
  'Sum',
  'Max',
  'Min',
  'Clip',
]);

/** Per-class arguments Keras writes but does not use (TF.js refuses them for that class). */
export const UNUSED_ARGS: Record<string, string[]> = {
  // SeparableConv2D uses depthwise_* and pointwise_*; Keras 2 still writes the base Conv's kernel_*.
  SeparableConv2D: ['kernel_initializer', 'kernel_regularizer', 'kernel_constraint'],
};

/** Arguments TF.js ignores whatever their value: dropped so the translated config says what is built. */
export const DROPPED_ARGS = [
  'module',
  'registered_name',
  'build_config',
  'shared_object_id',
  'autocast',
  'use_cudnn', // Keras 3 RNNs: an implementation choice, same function
  'implementation', // Keras 2 RNNs: 0/1/2 are implementation choices, same function
  'synchronized', // Keras 3 BatchNormalization: cross-replica statistics, one replica here
  'fused', // Keras 2 BatchNormalization: an implementation choice
  'optional', // Keras 3 InputLayer
  'ragged', // InputLayer: checked false below, else refused
  'quantization_config', // checked null below, else refused
  // Checked to be off (ARG_CHECKS) before they are dropped:
  'lora_rank',
  'lora_alpha',
  'groups',
  'renorm',
  'renorm_clipping',
  'renorm_momentum',
  'virtual_batch_size',
  'adjustment',
  'rms_scaling',
  'reset_after',
  'time_major',
];

type Check = (v: unknown) => string | null;

const mustBe =
  (ok: (v: unknown) => boolean, what: string): Check =>
  (v) =>
    v === undefined || ok(v) ? null : what;
const falsy = (v: unknown) => v == null || v === false || v === 0;
const isNull = (v: unknown) => v == null;

/** Argument values that change the computation in a way TF.js cannot reproduce → refused. */
export const ARG_CHECKS: Record<string, Record<string, Check>> = {
  '*': {
    lora_rank: mustBe(falsy, 'LoRA adapters (lora_rank) are not supported'),
    stateful: mustBe(
      falsy,
      'a stateful RNN carries its state from batch to batch, which the checkup (shuffled batches) cannot respect',
    ),
    quantization_config: mustBe(isNull, 'quantized layers are not supported'),
  },
  InputLayer: {
    sparse: mustBe(falsy, 'sparse inputs are not supported'),
    ragged: mustBe(falsy, 'ragged inputs are not supported'),
  },
  Conv1D: { groups: mustBe((v) => v === 1, 'grouped convolution (groups > 1) is not in TF.js') },
  Conv2D: { groups: mustBe((v) => v === 1, 'grouped convolution (groups > 1) is not in TF.js') },
  Conv3D: { groups: mustBe((v) => v === 1, 'grouped convolution (groups > 1) is not in TF.js') },
  BatchNormalization: {
    renorm: mustBe(falsy, 'batch renormalization (renorm=True) is not in TF.js'),
    virtual_batch_size: mustBe(isNull, 'virtual_batch_size is not in TF.js'),
    adjustment: mustBe(isNull, 'a custom adjustment function is not supported'),
  },
  LayerNormalization: { rms_scaling: mustBe(falsy, 'RMS scaling (rms_scaling=True) is not in TF.js') },
  Embedding: { sparse: mustBe(falsy, 'sparse embeddings are not supported') },
  GRU: {
    reset_after: mustBe(
      falsy,
      "reset_after=True (the Keras default since TF 2) is not implemented by TF.js's GRU; retrain with GRU(reset_after=False)",
    ),
    time_major: mustBe(falsy, 'time_major=True is not in TF.js'),
  },
  LSTM: { time_major: mustBe(falsy, 'time_major=True is not in TF.js') },
  SimpleRNN: { time_major: mustBe(falsy, 'time_major=True is not in TF.js') },
};

/** Per-class argument renames (Keras spelling → the spelling TF.js reads). */
export const ARG_RENAMES: Record<string, Record<string, string>> = {
  InputLayer: { batch_shape: 'batch_input_shape', shape: 'input_shape' },
  LeakyReLU: { negative_slope: 'alpha' },
};

/** Keras activation names → TF.js names; absent means the same name; null means refused. */
export const ACTIVATIONS: Record<string, string | null> = {
  silu: 'swish',
  swish: 'swish',
  exponential: null,
  leaky_relu: null,
  hard_silu: null,
  hard_swish: null,
  celu: null,
  glu: null,
  log_sigmoid: null,
  sparse_plus: null,
  soft_shrink: null,
  hard_shrink: null,
  squareplus: null,
  tanh_shrink: null,
  threshold: null,
  sparsemax: null,
};

/** TF.js activation names (snake_case spellings TF.js accepts). */
export const TFJS_ACTIVATIONS = new Set([
  'elu',
  'selu',
  'relu',
  'relu6',
  'linear',
  'sigmoid',
  'hard_sigmoid',
  'softplus',
  'softsign',
  'tanh',
  'softmax',
  'log_softmax',
  'gelu',
  'mish',
  'swish',
]);

/** Initializer class renames (Keras → TF.js). */
export const INITIALIZER_RENAMES: Record<string, string> = {
  LecunNormal: 'LeCunNormal',
  LecunUniform: 'LeCunUniform',
  IdentityInitializer: 'Identity',
  OrthogonalInitializer: 'Orthogonal',
  glorot_uniform: 'GlorotUniform',
  glorot_normal: 'GlorotNormal',
  he_normal: 'HeNormal',
  he_uniform: 'HeUniform',
  lecun_normal: 'LeCunNormal',
  lecun_uniform: 'LeCunUniform',
  zeros: 'Zeros',
  ones: 'Ones',
  orthogonal: 'Orthogonal',
  random_normal: 'RandomNormal',
  random_uniform: 'RandomUniform',
  truncated_normal: 'TruncatedNormal',
};

export const TFJS_INITIALIZERS = new Set([
  'Zeros',
  'Ones',
  'Constant',
  'RandomUniform',
  'RandomNormal',
  'TruncatedNormal',
  'Identity',
  'VarianceScaling',
  'GlorotUniform',
  'GlorotNormal',
  'HeNormal',
  'HeUniform',
  'LeCunNormal',
  'LeCunUniform',
  'Orthogonal',
]);

export const TFJS_CONSTRAINTS = new Set(['MaxNorm', 'UnitNorm', 'NonNeg', 'MinMaxNorm']);

/** Keras config keys that hold an initializer / regularizer / constraint. */
export function objectKind(key: string): 'initializer' | 'regularizer' | 'constraint' | null {
  if (key.endsWith('_initializer')) return 'initializer';
  if (key.endsWith('_regularizer')) return 'regularizer';
  if (key.endsWith('_constraint')) return 'constraint';
  return null;
}

/** `{class_name, config}` of a serialized Keras object, with wrappers stripped; null for null. */
export function unwrapObject(v: unknown): { className: string; config: Json } | null {
  if (v == null) return null;
  if (typeof v === 'string') return { className: v, config: {} };
  if (!isObject(v)) return null;
  const cls = v.class_name ?? v.className;
  if (typeof cls !== 'string') return null;
  return { className: cls, config: isObject(v.config) ? v.config : {} };
}
