/**
 * Editing generated records for sweep tests: list every path to a value, and make a copy with
 * one value replaced or deleted.
 */

/** Stands for "remove the value at this path" in {@link withValue}. */
export const DELETE = Symbol('delete');

/** Every path to a value in `value` (objects and array items, not inside metadata). */
export function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [];
  const entries = Array.isArray(value)
    ? value.map((v, i) => [i, v] as const)
    : Object.entries(value);
  const out: (string | number)[][] = [];
  for (const [key, inner] of entries) {
    if (key === 'metadata') continue;
    const path = [...prefix, key];
    out.push(path, ...paths(inner, path));
  }
  return out;
}

/** A deep copy of `record` with the value at `path` replaced by `value` (or removed: {@link DELETE}). */
export function withValue(record: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(record) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (value === DELETE) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
  } else {
    node[last] = value;
  }
  return copy;
}
