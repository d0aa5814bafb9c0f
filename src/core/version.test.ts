import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TOOL_NAME, TOOL_VERSION } from './version.ts';

describe('version', () => {
  it('matches package.json (bump both together)', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect({ name: TOOL_NAME, version: TOOL_VERSION }).toEqual({ name: pkg.name, version: pkg.version });
  });
});
