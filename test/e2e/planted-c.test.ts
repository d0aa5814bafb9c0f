// Root-cause ranking on planted faults: a cause that only warns but explains a failure, a
// one-unit softmax, unscaled regression targets.
import { describePlanted, PLANTED_CAUSES } from './planted.ts';

describePlanted('planted root causes on real MNIST', PLANTED_CAUSES);
