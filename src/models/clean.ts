/**
 * `null` and empty-string handling, applied before validation.
 *
 * - `null` is treated as absent everywhere in a record's known structure (top-level fields,
 *   references, roles, user ids, profiles) and for unknown top-level fields: the key is dropped.
 *   Servers send `null` for absent optionals although no schema allows it (oneroster.md §9).
 *   Values inside `metadata` and inside unknown fields are vendor data and are left alone.
 *   (`undefined`, which JSON cannot carry but objects built in code can, is treated the same.)
 * - `""` is treated as absent only for optional fields whose type has no empty value: dates,
 *   booleans, vocabularies, references, lists, `metadata` and `href`. Dropping those loses nothing.
 *   Free-text fields (names, codes, email, ...) keep `""`, which can be a deliberate value.
 *
 * The input is never modified: a copy is made of each object that changes, and an input with
 * nothing to remove is returned as is (no allocation on the common path).
 *
 * @module
 */
import type { FieldMeta } from './fields';
import type { ObjectPlan } from './plan';

type Obj = Record<string, unknown>;

const EMPTY_IS_ABSENT: ReadonlySet<FieldMeta['kind']> = new Set([
  'date',
  'dateTime',
  'boolean',
  'vocabulary',
  'ref',
  'refList',
  'objectList',
  'stringList',
  'metadata',
  'href',
]);

const DROP = Symbol('drop');

/** Whether `value` is a plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Whether any top-level value of `record` is `null` (or `undefined`): a cheap test that catches the
 * common case of servers that send `null` for every absent optional.
 */
export function hasTopLevelNull(record: Obj): boolean {
  for (const key in record) {
    if (record[key] == null) return true;
  }
  return false;
}

function cleanList(list: unknown[], element: ObjectPlan): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    const next = isObject(item) ? cleanRecord(item, element) : item;
    if (next !== item) {
      out ??= list.slice();
      out[i] = next;
    }
  }
  return out ?? list;
}

/**
 * `record` without `null` values and without `""` where empty means absent (see the module
 * comment). Returns `record` itself when there is nothing to remove.
 *
 * @example
 * ```ts
 * cleanRecord({ sourcedId: 'o-1', identifier: null }, planOf(orgObject)); // { sourcedId: 'o-1' }
 * ```
 */
export function cleanRecord(record: Obj, plan: ObjectPlan): Obj {
  let out: Obj | undefined;
  for (const key of Object.keys(record)) {
    const value = record[key];
    const field = plan.byKey.get(key);
    let next: unknown = value;
    if (value == null) {
      next = DROP;
    } else if (field?.meta !== undefined) {
      if (value === '') {
        if (field.optional && EMPTY_IS_ABSENT.has(field.meta.kind)) next = DROP;
      } else if (field.element !== undefined) {
        if (isObject(value)) next = cleanRecord(value, field.element);
        else if (Array.isArray(value)) next = cleanList(value, field.element);
      }
    }
    if (next !== value) {
      out ??= { ...record };
      if (next === DROP) delete out[key];
      else out[key] = next;
    }
  }
  return out ?? record;
}
