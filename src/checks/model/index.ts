// The checks of the 'model' section, in report order.
import type { AnyCheck } from '../../core/check.ts';
import initDeep from './init-deep.ts';
import initShallow from './init-shallow.ts';
import pretrained from './pretrained.ts';
import simplify from './simplify.ts';
export const modelChecks: AnyCheck[] = [simplify, initShallow, initDeep, pretrained];
