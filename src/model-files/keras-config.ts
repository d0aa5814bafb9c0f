// Reading Keras config entries (a name or `{class_name, config}`, snake_case or camelCase keys).
import { isObject, type Json } from './common.ts';

/** `categorical_crossentropy` / `CategoricalCrossentropy` → `categoricalCrossentropy`. */
export function camel(name: string): string {
  if (/^[A-Z]+$/.test(name)) return name;
  const c = name.replace(/[_-]+(.)/g, (_, ch: string) => ch.toUpperCase());
  return c[0].toLowerCase() + c.slice(1);
}

/** Name of a Keras object given as a string or `{class_name, config}`; `preferConfigName` for metric wrappers. */
export function nameOf(entry: unknown, preferConfigName = false): { name: string | null; config: Json } {
  if (typeof entry === 'string') return { name: entry, config: {} };
  if (isObject(entry)) {
    const config = isObject(entry.config) ? entry.config : {};
    const cls = entry.class_name ?? entry.className;
    if (preferConfigName && typeof config.name === 'string') return { name: config.name, config };
    if (typeof cls === 'string') return { name: cls, config };
    if (typeof config.name === 'string') return { name: config.name, config };
  }
  return { name: null, config: {} };
}

export function num(cfg: Json, ...keys: string[]): number | undefined {
  for (const k of keys) if (typeof cfg[k] === 'number') return cfg[k] as number;
  return undefined;
}

export function bool(cfg: Json, ...keys: string[]): boolean | undefined {
  for (const k of keys) if (typeof cfg[k] === 'boolean') return cfg[k] as boolean;
  return undefined;
}
