/**
 * The normaliser of `validation: 'off'`: no checks, but the same shape conversions as the schemas
 * (nulls, booleans, status, dates, vocabulary spelling, lists, reference types, 1.1 user roles),
 * applied only where a value can be read. Odd values are left as they are; nothing throws.
 *
 * @module
 */
import { cleanRecord, isObject } from './clean';
import { normalizeDate, normalizeDateTime, parseBoolean, parseStatus, splitList } from './coerce';
import type { FieldPlan, ObjectPlan } from './plan';

type Obj = Record<string, unknown>;

function normalizeValue(value: unknown, field: FieldPlan): unknown {
  const meta = field.meta;
  if (meta === undefined) return value;
  switch (meta.kind) {
    case 'status':
      return parseStatus(value) ?? value;
    case 'boolean':
      return parseBoolean(value) ?? value;
    case 'dateTime':
      return typeof value === 'string' ? (normalizeDateTime(value) ?? value) : value;
    case 'date':
      return typeof value === 'string' ? (normalizeDate(value) ?? value) : value;
    case 'vocabulary':
      return typeof value === 'string' ? meta.normalize(value) : value;
    case 'stringList':
      return typeof value === 'string' ? splitList(value) : value;
    case 'ref':
      return isObject(value) ? normalizeRef(value, meta.refType, field.element) : value;
    case 'refList':
      return Array.isArray(value)
        ? value.map((item) =>
            isObject(item) ? normalizeRef(item, meta.refType, field.element) : item,
          )
        : value;
    case 'objectList':
      return Array.isArray(value) && field.element !== undefined
        ? value.map((item) =>
            isObject(item) ? normalizeObject(item, field.element as ObjectPlan) : item,
          )
        : value;
    default:
      return value;
  }
}

function normalizeRef(value: Obj, refType: string, plan: ObjectPlan | undefined): Obj {
  const out = plan === undefined ? { ...value } : normalizeObject(value, plan);
  out.type = refType;
  return out;
}

/**
 * A normalised copy of `record` (top level always copied; nested objects copied when converted).
 * Call {@link cleanRecord} first.
 */
export function normalizeObject(record: Obj, plan: ObjectPlan): Obj {
  const out: Obj = { ...record };
  for (const field of plan.fields) {
    const value = out[field.key];
    if (value !== undefined) out[field.key] = normalizeValue(value, field);
  }
  return out;
}

/**
 * Clean and normalise `record` without validating it. Returns a new object.
 *
 * @example
 * ```ts
 * normalizeUnchecked({ sourcedId: 'e-1', primary: 'TRUE', extra: null }, plan);
 * // { sourcedId: 'e-1', primary: true }
 * ```
 */
export function normalizeUnchecked(record: Obj, plan: ObjectPlan): Obj {
  return normalizeObject(cleanRecord(record, plan), plan);
}
