/**
 * The original wire object of a normalised record, kept on a non-enumerable symbol property so it
 * does not show up in `JSON.stringify`, object spread, `Object.keys` or `console.log`.
 *
 * @module
 */

// Symbol.for: two copies of this package (e.g. a CommonJS and an ESM load) read each other's.
const RAW = Symbol.for('@smartpass/oneroster.raw');

// One reused descriptor: `Object.defineProperty` runs for every record of large pulls.
const descriptor: PropertyDescriptor = { value: undefined };

/** Attach `raw` to `record` (non-enumerable, read-only). */
export function attachRaw(record: object, raw: unknown): void {
  descriptor.value = raw;
  Object.defineProperty(record, RAW, descriptor);
  descriptor.value = undefined;
}

/**
 * The wire object a normalised record was parsed from (kept on a non-enumerable symbol), or
 * `undefined` for an object that did not come from `parseRecord` (a copy made by spreading a
 * record does not carry it).
 *
 * @example
 * ```ts
 * const result = parseRecord('users', json, { version: '1.1', mode: 'strict' });
 * if (result.ok) rawRecord(result.record) === json; // true
 * ```
 */
export function rawRecord(record: object): unknown {
  return (record as Record<symbol, unknown>)[RAW];
}
