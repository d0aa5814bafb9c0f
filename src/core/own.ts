// Lookups in tables keyed by names that come from the user's files and flags (layer classes,
// activations, losses, optimizers, initializers, dtypes, tag roles). A plain object literal
// inherits Object.prototype, so `'constructor' in table` is true and `table.toString` is a
// function: a layer class named `constructor` would match a table entry it is not. Every such
// lookup goes through `own`, which sees the table's own entries only.

/** `table[key]` when `key` is one of the table's own entries; undefined otherwise. */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/**
 * Sets `table[key] = value` as an own data property: plain assignment to `__proto__` would replace
 * the object's prototype (with a user's object) instead of adding an entry.
 */
export function setOwn<T>(table: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(table, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Names every user-keyed table must treat as unknown (Object.prototype's members and `__proto__`). */
export const PROTOTYPE_NAMES: readonly string[] = [
  ...Object.getOwnPropertyNames(Object.prototype),
  'prototype',
];
