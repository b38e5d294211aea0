/**
 * Field plans: what each field of a record schema is (from the {@link fieldMeta} tags), read once
 * per schema by walking its shape. The cleaner, the unchecked normaliser and the wire renderer use
 * them, so they never keep their own copies of "which fields are booleans" or "what type does this
 * reference have".
 *
 * @module
 */
import type * as z from 'zod';
import { type FieldMeta, fieldMeta } from './fields';

/** One field of an object schema. */
export interface FieldPlan {
  readonly key: string;
  /** `undefined` for fields built without a tag (kept as is by every walker). */
  readonly meta: FieldMeta | undefined;
  /** Whether the field may be absent. */
  readonly optional: boolean;
  /** For references, lists of references and lists of objects: the plan of one element. */
  readonly element: ObjectPlan | undefined;
  /** Whether the schema fills the field in when it is absent, and with what. */
  readonly hasDefault: boolean;
  readonly defaultValue: unknown;
  /** For lists: the fewest items allowed (1.2 `class.terms`: 1). */
  readonly minItems: number;
}

/** The fields of an object schema. */
export interface ObjectPlan {
  readonly fields: readonly FieldPlan[];
  readonly byKey: ReadonlyMap<string, FieldPlan>;
  /** The fields normalisation may change (converted kinds, nested structures, defaults). */
  readonly converted: readonly FieldPlan[];
}

// Kinds whose values are kept exactly as sent.
const KEPT_AS_SENT: ReadonlySet<string> = new Set(['text', 'sourcedId', 'metadata', 'href']);

const plans = new WeakMap<z.ZodObject, ObjectPlan>();

type AnySchema = z.core.$ZodType;

/** Peel `optional`/`default` wrappers; the tag sits on the schema inside them. */
function unwrap(schema: AnySchema): {
  inner: AnySchema;
  optional: boolean;
  hasDefault: boolean;
  defaultValue: unknown;
} {
  let inner = schema;
  let optional = false;
  let hasDefault = false;
  let defaultValue: unknown;
  for (;;) {
    const def = inner._zod.def;
    if (def.type === 'default') {
      hasDefault = true;
      defaultValue = (def as z.core.$ZodDefaultDef).defaultValue;
    }
    if (def.type === 'optional' || def.type === 'default' || def.type === 'prefault') {
      optional = true;
      inner = (def as z.core.$ZodOptionalDef).innerType;
    } else {
      return { inner, optional, hasDefault, defaultValue };
    }
  }
}

/** The object schema inside a tagged element: a pipe's input, or an array's element. */
function elementObject(schema: AnySchema): z.ZodObject | undefined {
  const def = schema._zod.def;
  if (def.type === 'object') return schema as z.ZodObject;
  if (def.type === 'pipe') return elementObject((def as z.core.$ZodPipeDef).in);
  if (def.type === 'array') return elementObject((def as z.core.$ZodArrayDef).element);
  return undefined;
}

/** The `min(n)` bound of a list schema (0 when none). */
function minItems(schema: AnySchema): number {
  let minimum = 0;
  for (const check of schema._zod.def.checks ?? []) {
    const def = check._zod.def as { check: string; minimum?: unknown };
    if (def.check === 'min_length' && typeof def.minimum === 'number') {
      minimum = Math.max(minimum, def.minimum);
    }
  }
  return minimum;
}

/**
 * The plan of an object schema (computed once, then cached).
 *
 * @example
 * ```ts
 * planOf(enrollmentObject).byKey.get('primary')?.meta; // { kind: 'boolean' }
 * ```
 */
export function planOf(schema: z.ZodObject): ObjectPlan {
  const cached = plans.get(schema);
  if (cached) return cached;
  const fields: FieldPlan[] = [];
  for (const [key, fieldSchema] of Object.entries(schema.shape as Record<string, AnySchema>)) {
    const { inner, optional, hasDefault, defaultValue } = unwrap(fieldSchema);
    // The registry maps its metadata type through zod helpers, which do not keep ReadonlySet.
    const meta = fieldMeta.get(inner as z.ZodType) as FieldMeta | undefined;
    const nested =
      meta?.kind === 'ref' || meta?.kind === 'refList' || meta?.kind === 'objectList'
        ? elementObject(inner)
        : undefined;
    const element = nested ? planOf(nested) : undefined;
    fields.push({
      key,
      meta,
      optional,
      element,
      hasDefault,
      defaultValue,
      minItems: minItems(inner),
    });
  }
  const plan: ObjectPlan = {
    fields,
    byKey: new Map(fields.map((f) => [f.key, f])),
    converted: fields.filter(
      (f) => f.hasDefault || (f.meta !== undefined && !KEPT_AS_SENT.has(f.meta.kind)),
    ),
  };
  plans.set(schema, plan);
  return plan;
}
