// `--fix DIR`: where the fixed model goes. The folder must be new or empty (nothing in it is ever
// replaced), must not be the model's own folder nor lie inside a folder the command reads, and no
// report output may land inside it. Checked before any work and again before writing; the files
// are written through output.ts (temporary files, then renames), and a folder created here is
// removed again when writing fails.
import { lstatSync, mkdirSync, readdirSync, realpathSync, rmdirSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { UsageError } from '../core/errors.ts';
import { type InputFile, type OutputFlags, planOutputs, writeAll } from './output.ts';

const inside = (path: string, folder: string) =>
  path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep);

function realOrNull(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

/** The real path DIR will have, and whether it exists. Throws a UsageError (exit 2) when it cannot be used. */
export function planFixDir(
  dir: string,
  inputs: readonly InputFile[],
  outputs: OutputFlags,
  modelPath: string | undefined,
): { target: string; exists: boolean } {
  const where = `--fix ${dir}`;
  if (dir === '') throw new UsageError('--fix: needs a folder path');
  if (dir.includes('\0')) throw new UsageError('--fix: the path contains a NUL byte');
  let st: Stats | null = null;
  try {
    st = lstatSync(dir);
  } catch {
    st = null;
  }
  let target: string;
  if (st) {
    const real = realOrNull(dir);
    if (!real)
      throw new UsageError(`${where}: is a symbolic link to a missing folder; give the folder itself`);
    if (!lstatSync(real).isDirectory()) throw new UsageError(`${where}: is not a folder`);
    target = real;
  } else {
    const parent = realOrNull(dirname(resolve(dir)));
    if (!parent) throw new UsageError(`${where}: folder ${dirname(resolve(dir))} does not exist`);
    target = join(parent, basename(resolve(dir)));
  }
  if (modelPath) {
    const modelDir = realOrNull(dirname(resolve(modelPath)));
    if (modelDir && target === modelDir)
      throw new UsageError(
        `${where}: is the folder of --model ${modelPath}; write the fixed model elsewhere`,
      );
  }
  for (const input of inputs) {
    const real = realOrNull(input.path);
    if (!real) continue;
    if (target === real || (input.folder && inside(target, real)))
      throw new UsageError(
        `${where}: is or lies inside ${input.what} ${input.path}, which this command reads`,
      );
  }
  if (st && readdirSync(target).length)
    throw new UsageError(
      `${where}: the folder is not empty; nn-doctor never writes over files — give a new or empty folder`,
    );
  for (const [flag, path] of Object.entries(outputs) as [string, string | undefined][]) {
    if (path === undefined) continue;
    const out = resolve(dirname(resolve(path)));
    const outReal = join(realOrNull(out) ?? out, basename(path));
    if (inside(outReal, target))
      throw new UsageError(
        `${where}: --${flag} ${path} would be written inside it; give the report another folder`,
      );
  }
  return { target, exists: st !== null };
}

/** Checks DIR again, creates it when new, and writes the files (all or nothing). */
export function writeFixDir(
  dir: string,
  files: Record<string, string | Uint8Array>,
  inputs: readonly InputFile[],
  outputs: OutputFlags,
  modelPath: string | undefined,
): string[] {
  const { target, exists } = planFixDir(dir, inputs, outputs, modelPath);
  if (!exists) {
    try {
      mkdirSync(target);
    } catch (err) {
      throw new UsageError(
        `--fix ${dir}: cannot create the folder (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
  }
  try {
    const planned = Object.entries(files).map(([name, content]) => ({
      // Flag `fix`: messages name it `--fix PATH`.
      out: planOutputs({ fix: join(target, name) } as OutputFlags, inputs)[0],
      content,
    }));
    writeAll(planned);
  } catch (err) {
    if (!exists) {
      try {
        rmdirSync(target);
      } catch {
        // not empty or gone: leave it
      }
    }
    throw err;
  }
  return Object.keys(files).map((name) => join(dir, name));
}
