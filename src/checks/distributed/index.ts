// The checks of the 'distributed' section (ranks of a data-parallel job compared), in report order.
import type { AnyCheck } from '../../core/check.ts';
import lossSkew from './loss-skew.ts';
import nonFinite from './non-finite.ts';
import replicaDivergence from './replica-divergence.ts';
import stepSync from './step-sync.ts';
import stragglers from './stragglers.ts';
export const distributedChecks: AnyCheck[] = [nonFinite, lossSkew, replicaDivergence, stepSync, stragglers];
