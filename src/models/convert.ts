/**
 * Field conversion: turn a record's checked (or, with `validation: 'off'`, unchecked) wire values
 * into their normalised form, field by field as the plan says: status, booleans, dates, vocabulary
 * spelling, comma-separated lists, reference types, defaults. The same `./coerce` functions decide
 * what the checks accept, so a value that passed its check always converts.
 *
 * Odd values (possible in `off` mode) are left as they are; nothing here throws.
 *
 * Copy-on-write: the top-level object is always new (the caller owns it); nested objects and
 * arrays are copied only when something in them changes, and are otherwise shared with the input.
 * Nothing is deep-cloned, and the input is never modified.
 *
 * @module
 */
import * as z from 'zod';
import { isObject } from './clean';
import { normalizeDate, normalizeDateTime, parseBoolean, parseStatus, splitList } from './coerce';
import type { RefType } from './fields';
import type { FieldPlan, ObjectPlan } from './plan';

type Obj = Record<string, unknown>;

/** `list` with `fn` applied to each item; `list` itself when no item changed. */
function mapList(list: unknown[], fn: (item: unknown) => unknown): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    const next = fn(item);
    if (next !== item) {
      out ??= list.slice();
      out[i] = next;
    }
  }
  return out ?? list;
}

function convertRef(value: unknown, refType: RefType): unknown {
  if (!isObject(value) || value.type === refType) return value;
  return { ...value, type: refType };
}

/** Converts one field's value; returns the value itself when nothing changes. */
type Converter = (value: unknown) => unknown;

const keep: Converter = (value) => value;

/** The converter of a field, specialised by kind (built once per plan, not per record). */
function converterOf(field: FieldPlan): Converter {
  const meta = field.meta;
  if (meta === undefined) return keep;
  switch (meta.kind) {
    case 'status':
      return (value) => parseStatus(value) ?? value;
    case 'boolean':
      return (value) => parseBoolean(value) ?? value;
    case 'dateTime':
      return (value) => (typeof value === 'string' ? (normalizeDateTime(value) ?? value) : value);
    case 'date':
      return (value) => (typeof value === 'string' ? (normalizeDate(value) ?? value) : value);
    case 'vocabulary': {
      const { normalize } = meta;
      return (value) => (typeof value === 'string' ? normalize(value) : value);
    }
    case 'stringList':
      return (value) => (typeof value === 'string' ? splitList(value) : value);
    case 'year':
      return (value) => (typeof value === 'number' ? String(value) : value);
    case 'ref': {
      const { refType } = meta;
      return (value) => convertRef(value, refType);
    }
    case 'refList': {
      const { refType } = meta;
      const one: Converter = (item) => convertRef(item, refType);
      return (value) => (Array.isArray(value) ? mapList(value, one) : value);
    }
    case 'objectList': {
      const element = field.element;
      if (element === undefined) return keep;
      const one: Converter = (item) => (isObject(item) ? convertNested(item, element) : item);
      return (value) => (Array.isArray(value) ? mapList(value, one) : value);
    }
    default:
      return keep;
  }
}

const converters = new WeakMap<ObjectPlan, readonly Converter[]>();

function convertersOf(plan: ObjectPlan): readonly Converter[] {
  let list = converters.get(plan);
  if (list === undefined) {
    list = plan.converted.map(converterOf);
    converters.set(plan, list);
  }
  return list;
}

/** A nested object converted copy-on-write: `value` itself when nothing changes. */
function convertNested(value: Obj, plan: ObjectPlan): Obj {
  const fields = plan.converted;
  const convert = convertersOf(plan);
  let out: Obj | undefined;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as FieldPlan;
    const current = value[field.key];
    let next: unknown;
    if (current !== undefined) next = (convert[i] as Converter)(current);
    else if (field.hasDefault) next = field.defaultValue;
    if (next !== current) {
      out ??= { ...value };
      out[field.key] = next;
    }
  }
  return out ?? value;
}

/** The generic top-level conversion: a loop over the plan's fields. */
function convertByLoop(record: Obj, plan: ObjectPlan): Obj {
  const fields = plan.converted;
  const convert = convertersOf(plan);
  const out: Obj = { ...record };
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as FieldPlan;
    const current = out[field.key];
    if (current !== undefined) {
      const next = (convert[i] as Converter)(current);
      if (next !== current) out[field.key] = next;
    } else if (field.hasDefault) {
      out[field.key] = field.defaultValue;
    }
  }
  return out;
}

type RecordConverter = (record: Obj) => Obj;

/**
 * The same conversion as {@link convertByLoop}, generated as straight-line code with literal
 * property names: every record of a kind has the same shape, so each access is then a monomorphic
 * inline cache hit instead of a generic keyed lookup (about twice as fast, and this runs for every
 * record of a pull). Keys are our own schema keys, quoted with `JSON.stringify`.
 */
function generateConverter(plan: ObjectPlan): RecordConverter | undefined {
  const convert = convertersOf(plan);
  const lines = ['const o = { ...r };', 'let v;', 'let n;'];
  plan.converted.forEach((field, i) => {
    const key = JSON.stringify(field.key);
    lines.push(`v = o[${key}];`);
    lines.push(`if (v !== undefined) { n = c${i}(v); if (n !== v) o[${key}] = n; }`);
    if (field.hasDefault) lines.push(`else o[${key}] = d${i};`);
  });
  lines.push('return o;');
  const names = plan.converted.flatMap((_, i) => [`c${i}`, `d${i}`]);
  const values = plan.converted.flatMap((field, i) => [convert[i], field.defaultValue]);
  try {
    const factory = new Function(...names, `return function convert(r) {\n${lines.join('\n')}\n};`);
    return factory(...values) as RecordConverter;
  } catch {
    // `new Function` is refused where a Content Security Policy forbids eval.
    return undefined;
  }
}

const recordConverters = new WeakMap<ObjectPlan, RecordConverter>();

/**
 * A converted copy of `record` (a new top-level object, which the caller may modify). Call
 * `cleanRecord` first so that `null` values are gone.
 *
 * @example
 * ```ts
 * convertRecord({ sourcedId: 'e-1', primary: 'TRUE' }, planFor('enrollments', '1.2'));
 * // { sourcedId: 'e-1', primary: true }
 * ```
 */
export function convertRecord(record: Obj, plan: ObjectPlan): Obj {
  let converter = recordConverters.get(plan);
  if (converter === undefined) {
    const generated = z.config().jitless ? undefined : generateConverter(plan);
    converter = generated ?? ((value) => convertByLoop(value, plan));
    recordConverters.set(plan, converter);
  }
  return converter(record);
}
