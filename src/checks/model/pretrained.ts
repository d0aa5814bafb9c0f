import { noCauses } from '../../core/causes.ts';
import { defineCheck } from '../../core/check.ts';
import { AT_START } from '../../core/live.ts';

/** Where a public ImageNet checkpoint for each standard family can be had, for a TF.js model. */
const CHECKPOINTS: Record<string, string> = {
  resnet:
    'Keras ResNet50 with ImageNet weights (tf.keras.applications.ResNet50(weights="imagenet"), converted with tensorflowjs_converter --input_format=keras)',
  mobilenet:
    'the ImageNet-trained MobileNet published for TF.js (the @tensorflow-models/mobilenet package, or tf.keras.applications.MobileNetV2(weights="imagenet") converted with tensorflowjs_converter)',
  vgg: 'Keras VGG16/VGG19 with ImageNet weights (tf.keras.applications.VGG16(weights="imagenet"), converted with tensorflowjs_converter)',
  inception:
    'Keras InceptionV3 with ImageNet weights (tf.keras.applications.InceptionV3(weights="imagenet"), converted with tensorflowjs_converter)',
  efficientnet:
    'Keras EfficientNet with ImageNet weights (tf.keras.applications.EfficientNetB0(weights="imagenet"), converted with tensorflowjs_converter)',
  densenet:
    'Keras DenseNet121 with ImageNet weights (tf.keras.applications.DenseNet121(weights="imagenet"), converted with tensorflowjs_converter)',
  xception:
    'Keras Xception with ImageNet weights (tf.keras.applications.Xception(weights="imagenet"), converted with tensorflowjs_converter)',
};

const NAMES: Record<string, string> = {
  resnet: 'ResNet',
  mobilenet: 'MobileNet',
  vgg: 'VGG',
  inception: 'Inception',
  efficientnet: 'EfficientNet',
  densenet: 'DenseNet',
  xception: 'Xception',
};

export default defineCheck({
  id: 'model/pretrained',
  section: 'model',
  title: 'A standard architecture starts from a public checkpoint',
  why: 'Standard architectures trained from scratch need far more data and time than the same network fine-tuned from public ImageNet weights, and are much harder to get learning at all.',
  needs: ['model'],
  reasons: ['no-family', 'fresh-init'],
  causeRank: 250,
  live: AT_START,
  thresholds: {},
  evaluate({ model }) {
    const measured = { family: model.family, freshInit: model.freshInit, params: model.params };
    if (model.family === null) return { status: 'skip', measured, reason: 'no-family' };
    if (model.freshInit) return { status: 'warn', measured, reason: 'fresh-init' };
    return { status: 'pass', measured };
  },
  explain({ status }, { model }) {
    if (status === 'skip') {
      return {
        summary: 'The architecture is not a recognized standard family (ResNet, Inception, MobileNet, VGG…).',
        remedy: null,
      };
    }
    const family = NAMES[String(model.family).toLowerCase()] ?? String(model.family);
    if (status === 'pass') {
      return {
        summary: `The model is a ${family} whose weights are not at fresh initialization (expected: pretrained or already trained).`,
        remedy: null,
      };
    }
    const checkpoint =
      CHECKPOINTS[String(model.family).toLowerCase()] ??
      `a public ImageNet checkpoint of ${family} (e.g. from tf.keras.applications, converted with tensorflowjs_converter)`;
    return {
      summary: `The model is a ${family} at fresh initialization (every kernel at its initializer's scale): it is being trained from scratch.`,
      remedy: `Start from ${checkpoint}: load it with tf.loadLayersModel, replace the classification head with one for your classes, train the head with the base frozen (layer.trainable = false), then fine-tune the top blocks with a low learning rate (≈ 1e-5–1e-4). Resize inputs to the checkpoint's input size and preprocess them the way it was trained.`,
    };
  },
  causes: noCauses,
});
