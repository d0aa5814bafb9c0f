// The checks of the 'inputs' section, in report order.
import type { AnyCheck } from '../../core/check.ts';
import classBalance from './class-balance.ts';
import labelSignal from './label-signal.ts';
import meanCentering from './mean-centering.ts';
import nonFinite from './non-finite.ts';
import overfitSmall from './overfit-small.ts';
import rebalancing from './rebalancing.ts';
import standardCorpus from './standard-corpus.ts';
import targetScale from './target-scale.ts';
export const inputsChecks: AnyCheck[] = [
  nonFinite,
  overfitSmall,
  standardCorpus,
  meanCentering,
  targetScale,
  classBalance,
  rebalancing,
  labelSignal,
];
