import { describe, expect, it } from 'vitest';
import { captureConsole } from './console-notes.ts';

describe('captureConsole', () => {
  it('collects console lines once each with a count, and gives the console back as it was', () => {
    const printed: string[] = [];
    const fake = {
      log: (s: string) => printed.push(s),
      info: (s: string) => printed.push(s),
      warn: (s: string) => printed.push(s),
      error: (s: string) => printed.push(s),
      debug: (s: string) => printed.push(s),
    };
    const own = { ...fake };
    const capture = captureConsole(fake as unknown as Console);
    fake.warn(
      '\n============================\nHi, looks like you are running TensorFlow.js in Node.js.\n============================',
    );
    for (let i = 0; i < 7; i++)
      fake.warn(
        'The shape of the input tensor ([null,4]) does not match the expectation of layer dense_1: [null,3]',
      );
    fake.log('');
    capture.restore();
    capture.restore();
    fake.warn('after');
    expect(capture.notes()).toEqual([
      'TF.js: Hi, looks like you are running TensorFlow.js in Node.js.',
      'TF.js: The shape of the input tensor ([null,4]) does not match the expectation of layer dense_1: [null,3] (7 times)',
    ]);
    expect(printed).toEqual(['after']);
    for (const m of Object.keys(own) as (keyof typeof own)[]) expect(fake[m]).toBe(own[m]);
  });
});
