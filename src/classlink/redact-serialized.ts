/**
 * Keep secrets out of logs for objects users are likely to log whole (tenants, credentials):
 * `JSON.stringify` and Node's `console.log` show `[REDACTED]` for the secret fields, while the
 * fields themselves stay ordinary properties the code can read and spread.
 *
 * @module
 */

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * Give `target` a `toJSON` and a Node inspect hook that replace `keys` by `[REDACTED]`. Both are
 * non-enumerable, so they do not show up in `Object.keys` or object spreads.
 */
export function redactWhenSerialized<T extends object>(target: T, keys: readonly (keyof T)[]): T {
  const redacted = (): Record<string, unknown> => {
    const copy: Record<string, unknown> = { ...(target as Record<string, unknown>) };
    for (const key of keys) if (key in copy) copy[key as string] = '[REDACTED]';
    return copy;
  };
  Object.defineProperty(target, 'toJSON', { value: redacted, enumerable: false });
  Object.defineProperty(target, INSPECT, {
    value: (
      _depth: number,
      options: unknown,
      inspect: (value: unknown, options: unknown) => string,
    ) => inspect(redacted(), options),
    enumerable: false,
  });
  return target;
}
