// An esbuild plugin for the browser tests: `nn-doctor` resolved through package.json's "exports".
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as esbuild from 'esbuild';

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * Resolves `nn-doctor` and `nn-doctor/…` as a bundler resolves an installed package: the subpath's
 * "exports" entry under the bundler's conditions, the first that matches. The entry names a file
 * of dist/ (the build), read here from its source in src/.
 */
export const packageExports: esbuild.Plugin = {
  name: 'nn-doctor-exports',
  setup(build) {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const conditions = ['browser', 'import', 'default'];
    build.onResolve({ filter: /^nn-doctor(\/.*)?$/ }, (args) => {
      let entry = pkg.exports[args.path.replace(/^nn-doctor/, '.')];
      while (entry && typeof entry === 'object') {
        const key = Object.keys(entry).find((k) => conditions.includes(k));
        entry = key ? entry[key] : undefined;
      }
      if (typeof entry !== 'string') return { errors: [{ text: `no browser export for ${args.path}` }] };
      return { path: join(ROOT, entry.replace(/^\.\/dist\/(.*)\.js$/, 'src/$1.ts')) };
    });
  },
};
