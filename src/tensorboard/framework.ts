// Which framework wrote a log, from its tags: remedies are then written in that framework's code
// (src/checks/remedy-code.ts). PyTorch names parameters as named_parameters() does (`fc1.weight`,
// `0.bias`; python/nn_doctor_log.py adds `grad_norm/<param>`, `update_ratio/<param>`); Keras's
// TensorBoard callback writes `epoch_loss`/`batch_loss` and kernels as `dense/kernel_0`. A log
// that shows neither (JAX, CatBoost, …) gets framework-neutral advice.
import type { Framework } from '../core/evidence.ts';

const PYTORCH =
  /(^|[/.])(weight|bias)(\.grad)?$|^(grad_norm|update_ratio)\/.+\.(weight|bias)$|\.(weight|bias)[/.]/;
const KERAS =
  /(^|\/)(epoch|batch|evaluation)_(loss|accuracy|learning_rate)|(^|\/)(kernel|bias|gamma|beta)_0$|\/(kernel|bias):0$/;

export function detectFramework(tags: readonly string[]): Framework | null {
  // PyTorch's parameter names end `.weight`/`.bias` (after a module path), never `/weight`.
  const torch = tags.some((t) => PYTORCH.test(t) && /\.(weight|bias)/.test(t));
  const keras = tags.some((t) => KERAS.test(t));
  if (torch && !keras) return 'pytorch';
  if (keras && !torch) return 'keras';
  return null;
}
