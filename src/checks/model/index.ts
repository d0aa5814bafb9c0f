// The checks of the 'model' section, in report order.
import type { Check } from '../../core/check.ts';
import initDeep from './init-deep.ts';
import initShallow from './init-shallow.ts';
import pretrained from './pretrained.ts';
import simplify from './simplify.ts';

// biome-ignore lint/suspicious/noExplicitAny: checks differ in their threshold and evidence keys
export const modelChecks: Check<any, any>[] = [simplify, initShallow, initDeep, pretrained];
