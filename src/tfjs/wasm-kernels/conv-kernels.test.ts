import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  compareKernel,
  type HostTensor,
  host,
  randomHost,
  relativeError,
  runKernelOn,
  TOLERANCE,
} from './testing.ts';

type Pad =
  | 'same'
  | 'valid'
  | number
  | [[number, number], [number, number], [number, number], [number, number]];
type Case = {
  name: string;
  x: [number, number, number, number]; // NHWC
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: Pad;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dataFormat?: 'NHWC' | 'NCHW';
};

const cases: Case[] = [
  { name: '3×3 same s1', x: [2, 7, 7, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { name: '3×3 valid s1', x: [2, 7, 5, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'valid' },
  { name: '3×3 same s2 odd', x: [2, 9, 7, 2], filter: [3, 3, 2, 5], strides: 2, pad: 'same' },
  {
    name: '3×3 valid s2 even (unused last row)',
    x: [1, 8, 8, 3],
    filter: [3, 3, 3, 2],
    strides: 2,
    pad: 'valid',
  },
  {
    name: '5×5 same s1 (LeNet conv1 shape)',
    x: [2, 12, 12, 1],
    filter: [5, 5, 1, 6],
    strides: 1,
    pad: 'same',
  },
  { name: '2×4 same s[2,1]', x: [3, 7, 6, 2], filter: [2, 4, 2, 3], strides: [2, 1], pad: 'same' },
  { name: '4×4 same s3', x: [1, 11, 10, 2], filter: [4, 4, 2, 3], strides: 3, pad: 'same' },
  { name: '5×5 valid s2 odd', x: [2, 11, 9, 2], filter: [5, 5, 2, 3], strides: 2, pad: 'valid' },
  { name: '2×4 same s2', x: [2, 7, 9, 3], filter: [2, 4, 3, 2], strides: 2, pad: 'same' },
  { name: '1×1 valid s1 (pointwise)', x: [2, 5, 6, 4], filter: [1, 1, 4, 3], strides: 1, pad: 'valid' },
  { name: '1×1 valid s2', x: [2, 7, 7, 3], filter: [1, 1, 3, 2], strides: 2, pad: 'valid' },
  {
    name: 'explicit pads',
    x: [2, 6, 7, 2],
    filter: [3, 2, 2, 3],
    strides: [1, 2],
    pad: [
      [0, 0],
      [2, 1],
      [0, 3],
      [0, 0],
    ],
  },
  {
    name: 'numeric pad 1, ceil',
    x: [1, 8, 8, 2],
    filter: [3, 3, 2, 2],
    strides: 2,
    pad: 1,
    dimRoundingMode: 'ceil',
  },
  {
    name: 'numeric pad 2, floor',
    x: [1, 7, 9, 2],
    filter: [3, 3, 2, 2],
    strides: 2,
    pad: 2,
    dimRoundingMode: 'floor',
  },
  // Cin·KH·KW above 64: the filter gradient takes the convolution route, below it im2col + a product.
  { name: '3×3 same s1, 8 channels', x: [2, 7, 7, 8], filter: [3, 3, 8, 4], strides: 1, pad: 'same' },
  { name: '3×3 same s2, 8 channels', x: [2, 9, 8, 8], filter: [3, 3, 8, 3], strides: 2, pad: 'same' },
  {
    name: '5×5 valid s1, 3 channels (75 rows)',
    x: [2, 9, 8, 3],
    filter: [5, 5, 3, 2],
    strides: 1,
    pad: 'valid',
  },
  { name: 'filter as large as input', x: [2, 5, 5, 2], filter: [5, 5, 2, 3], strides: 1, pad: 'valid' },
  {
    name: 'NCHW same s2',
    x: [2, 7, 6, 3],
    filter: [3, 3, 3, 4],
    strides: 2,
    pad: 'same',
    dataFormat: 'NCHW',
  },
  {
    name: 'NCHW valid s1',
    x: [1, 6, 5, 2],
    filter: [2, 3, 2, 3],
    strides: 1,
    pad: 'valid',
    dataFormat: 'NCHW',
  },
];

function layout(c: Case): { xShape: number[]; dyShape: number[] } {
  const info = tf.backend_util.computeConv2DInfo(
    c.x,
    c.filter,
    c.strides,
    1,
    c.pad,
    c.dimRoundingMode,
    false,
    'channelsLast',
  );
  const [b, oh, ow, co] = info.outShape;
  if (c.dataFormat === 'NCHW') {
    return { xShape: [c.x[0], c.x[3], c.x[1], c.x[2]], dyShape: [b, co, oh, ow] };
  }
  return { xShape: [...c.x], dyShape: [b, oh, ow, co] };
}

function explicitFor(c: Case): Pad {
  // Explicit paddings are given in the layout of the data.
  if (c.dataFormat === 'NCHW' && Array.isArray(c.pad)) return [c.pad[0], c.pad[3], c.pad[1], c.pad[2]];
  return c.pad;
}

describe('Conv2DBackpropFilter on wasm matches cpu', () => {
  for (const [i, c] of cases.entries()) {
    it(c.name, async () => {
      const { xShape, dyShape } = layout(c);
      const { error, wasm } = await compareKernel(
        'Conv2DBackpropFilter',
        { x: randomHost(xShape, 100 + i), dy: randomHost(dyShape, 200 + i) },
        {
          strides: c.strides,
          pad: explicitFor(c),
          dataFormat: c.dataFormat ?? 'NHWC',
          dimRoundingMode: c.dimRoundingMode,
          filterShape: c.filter,
        },
      );
      expect(wasm.shape).toEqual(c.filter);
      expect(error).toBeLessThan(TOLERANCE);
    });
  }
});

describe('Conv2DBackpropInput on wasm (replacement) matches cpu', () => {
  for (const [i, c] of cases.entries()) {
    it(c.name, async () => {
      const { xShape, dyShape } = layout(c);
      const { error, wasm } = await compareKernel(
        'Conv2DBackpropInput',
        { dy: randomHost(dyShape, 300 + i), filter: randomHost(c.filter, 400 + i) },
        {
          strides: c.strides,
          pad: explicitFor(c),
          dataFormat: c.dataFormat ?? 'NHWC',
          dimRoundingMode: c.dimRoundingMode,
          inputShape: xShape,
        },
      );
      expect(wasm.shape).toEqual(xShape);
      expect(error).toBeLessThan(TOLERANCE);
    });
  }
});

type DepthwiseCase = {
  name: string;
  x: [number, number, number, number];
  filter: [number, number, number, number]; // KH, KW, C, M
  strides: number | [number, number];
  dilations: number | [number, number];
  pad: Pad;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

const depthwiseCases: DepthwiseCase[] = [
  { name: '3×3 same s1 M1', x: [2, 7, 7, 3], filter: [3, 3, 3, 1], strides: 1, dilations: 1, pad: 'same' },
  { name: '3×3 valid s1 M2', x: [2, 6, 7, 3], filter: [3, 3, 3, 2], strides: 1, dilations: 1, pad: 'valid' },
  {
    name: '3×3 same s2 M1 odd',
    x: [2, 9, 7, 4],
    filter: [3, 3, 4, 1],
    strides: 2,
    dilations: 1,
    pad: 'same',
  },
  {
    name: '3×3 valid s2 M3 even',
    x: [1, 8, 8, 2],
    filter: [3, 3, 2, 3],
    strides: 2,
    dilations: 1,
    pad: 'valid',
  },
  {
    name: '5×5 same s[1,2]',
    x: [2, 9, 10, 2],
    filter: [5, 5, 2, 1],
    strides: [1, 2],
    dilations: 1,
    pad: 'same',
  },
  { name: '2×3 same s3 M2', x: [1, 10, 11, 3], filter: [2, 3, 3, 2], strides: 3, dilations: 1, pad: 'same' },
  {
    name: '3×3 same dilation 2',
    x: [2, 9, 9, 3],
    filter: [3, 3, 3, 1],
    strides: 1,
    dilations: 2,
    pad: 'same',
  },
  {
    name: '3×3 valid dilation [2,3] M2',
    x: [1, 10, 11, 2],
    filter: [3, 3, 2, 2],
    strides: 1,
    dilations: [2, 3],
    pad: 'valid',
  },
  { name: '1×1 valid s1 M2', x: [2, 5, 5, 3], filter: [1, 1, 3, 2], strides: 1, dilations: 1, pad: 'valid' },
  {
    name: 'explicit pads M2',
    x: [2, 6, 7, 2],
    filter: [3, 3, 2, 2],
    strides: 2,
    dilations: 1,
    pad: [
      [0, 0],
      [1, 2],
      [2, 0],
      [0, 0],
    ],
  },
  {
    name: 'numeric pad 1 ceil',
    x: [1, 8, 7, 2],
    filter: [3, 3, 2, 1],
    strides: 2,
    dilations: 1,
    pad: 1,
    dimRoundingMode: 'ceil',
  },
];

function depthwiseDy(c: DepthwiseCase): number[] {
  return tf.backend_util.computeConv2DInfo(
    c.x,
    c.filter,
    c.strides,
    c.dilations,
    c.pad,
    c.dimRoundingMode,
    true,
  ).outShape;
}

function pairOf(v: number | [number, number]): [number, number] {
  return typeof v === 'number' ? [v, v] : v;
}

/**
 * The cpu backend's depthwise backprop kernels ignore `dilations` (tfjs gradients never pass one),
 * so for dilated cases the reference is the cpu kernel on the equivalent undilated problem: a filter
 * of the effective size with zeros between the taps.
 */
function expandFilterShape(c: DepthwiseCase): [number, number, number, number] {
  const [dh, dw] = pairOf(c.dilations);
  const [kh, kw, ch, m] = c.filter;
  return [(kh - 1) * dh + 1, (kw - 1) * dw + 1, ch, m];
}

function expandFilter(c: DepthwiseCase, filter: HostTensor): HostTensor {
  const [dh, dw] = pairOf(c.dilations);
  const [kh, kw, ch, m] = c.filter;
  const shape = expandFilterShape(c);
  const out = new Float32Array(tf.util.sizeFromShape(shape));
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++)
      for (let k = 0; k < ch * m; k++)
        out[(i * dh * shape[1] + j * dw) * ch * m + k] = filter.values[(i * kw + j) * ch * m + k];
  return host(out, shape);
}

function pickTaps(c: DepthwiseCase, expanded: ArrayLike<number>): Float32Array {
  const [dh, dw] = pairOf(c.dilations);
  const [kh, kw, ch, m] = c.filter;
  const width = (kw - 1) * dw + 1;
  const out = new Float32Array(kh * kw * ch * m);
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++)
      for (let k = 0; k < ch * m; k++)
        out[(i * kw + j) * ch * m + k] = expanded[(i * dh * width + j * dw) * ch * m + k];
  return out;
}

const dilated = (c: DepthwiseCase) => pairOf(c.dilations).some((d) => d > 1);

describe('DepthwiseConv2dNativeBackpropFilter on wasm matches cpu', () => {
  for (const [i, c] of depthwiseCases.entries()) {
    it(c.name, async () => {
      const inputs = { x: randomHost(c.x, 500 + i), dy: randomHost(depthwiseDy(c), 600 + i) };
      const attrs = {
        strides: c.strides,
        dilations: c.dilations,
        pad: c.pad,
        dimRoundingMode: c.dimRoundingMode,
      };
      if (dilated(c)) {
        const wasm = await runKernelOn('wasm', 'DepthwiseConv2dNativeBackpropFilter', inputs, {
          ...attrs,
          filterShape: c.filter,
        });
        const cpu = await runKernelOn('cpu', 'DepthwiseConv2dNativeBackpropFilter', inputs, {
          ...attrs,
          dilations: 1,
          filterShape: expandFilterShape(c),
        });
        expect(wasm.shape).toEqual(c.filter);
        expect(relativeError(wasm.values, pickTaps(c, cpu.values))).toBeLessThan(TOLERANCE);
        return;
      }
      const { error, wasm } = await compareKernel('DepthwiseConv2dNativeBackpropFilter', inputs, {
        ...attrs,
        filterShape: c.filter,
      });
      expect(wasm.shape).toEqual(c.filter);
      expect(error).toBeLessThan(TOLERANCE);
    });
  }
});

describe('DepthwiseConv2dNativeBackpropInput on wasm matches cpu', () => {
  for (const [i, c] of depthwiseCases.entries()) {
    it(c.name, async () => {
      const dy = randomHost(depthwiseDy(c), 700 + i);
      const filter = randomHost(c.filter, 800 + i);
      const attrs = {
        strides: c.strides,
        dilations: c.dilations,
        pad: c.pad,
        dimRoundingMode: c.dimRoundingMode,
        inputShape: c.x,
      };
      if (dilated(c)) {
        const wasm = await runKernelOn('wasm', 'DepthwiseConv2dNativeBackpropInput', { dy, filter }, attrs);
        const cpu = await runKernelOn(
          'cpu',
          'DepthwiseConv2dNativeBackpropInput',
          { dy, filter: expandFilter(c, filter) },
          { ...attrs, dilations: 1 },
        );
        expect(wasm.shape).toEqual(c.x);
        expect(relativeError(wasm.values, cpu.values)).toBeLessThan(TOLERANCE);
        return;
      }
      const { error, wasm } = await compareKernel(
        'DepthwiseConv2dNativeBackpropInput',
        { dy, filter },
        attrs,
      );
      expect(wasm.shape).toEqual(c.x);
      expect(error).toBeLessThan(TOLERANCE);
    });
  }
});
