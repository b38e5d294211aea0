/**
 * The fast path of `parseRecord` for the common case, a valid record: one pass that checks each
 * field and converts it, returning the normalised copy, or {@link INVALID} at the first problem
 * (then zod's detailed schema explains what is wrong).
 *
 * Why not zod alone: for a 1.2 user, zod's compiled validator costs about as much as a quarter of
 * `JSON.parse` of the record (it allocates closures and copies objects inside lists even when only
 * validating), and conversion is a second pass on top. The budget for all of `parseRecord` is 30%.
 *
 * One source of truth: the checks below are per field *kind*, read from the tags on the zod field
 * schemas (`./plan`), and call the same `./coerce` readers as the zod checks; record rules come
 * from `./checks`. `test/models/fast-path.test.ts` checks that every field accepts exactly what its
 * zod schema accepts, and that whole records are accepted exactly when the detailed schema accepts
 * them.
 *
 * @module
 */
import * as z from 'zod';
import { type RecordRule, recordRules } from './checks';
import { isObject } from './clean';
import { normalizeDate, parseBoolean, parseStatus, readDateTime, splitList } from './coerce';
import type { Projection } from './normalize';
import type { FieldPlan, ObjectPlan } from './plan';
import type { OneRosterVersion, SyncResource } from './types';

/** Returned by a fast check for a value or record that is not valid. */
export const INVALID: unique symbol = Symbol('invalid');

type Obj = Record<string, unknown>;

/** Checks and converts one present value: the converted value (the same one when unchanged), or INVALID. */
export type Step = (value: unknown) => unknown;

const keep: Step = (value) => value;

function isStringArray(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  for (const item of value) if (typeof item !== 'string') return false;
  return true;
}

/** A list step: every item through `item`, at least `min` items; copy-on-write. */
function listStep(item: Step, min: number): Step {
  return (value) => {
    if (!Array.isArray(value) || value.length < min) return INVALID;
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const current: unknown = value[i];
      const next = item(current);
      if (next === INVALID) return INVALID;
      if (next !== current) {
        out ??= value.slice();
        out[i] = next;
      }
    }
    return out ?? value;
  };
}

/** One field as the object steps see it. */
export interface StepField {
  key: string;
  step: Step;
  /** Whether the field may be absent (optional in the schema, or left out by a projection). */
  optional: boolean;
  hasDefault: boolean;
  defaultValue: unknown;
}

/**
 * How an object is checked: `fields` in order, then (references) `type` set to `fixedType`, then
 * the record `rules`. A nested object is converted copy-on-write (itself when nothing changes); a
 * record (`top`) is always copied, since the caller attaches the raw record and finishes it.
 */
interface ObjectSpec {
  fields: readonly StepField[];
  fixedType: string | undefined;
  rules: readonly RecordRule[];
  top: boolean;
}

function rulesHold(rules: readonly RecordRule[], record: Obj): boolean {
  for (const rule of rules) if (!rule.valid(record)) return false;
  return true;
}

/** The interpreted object step: a loop over the fields. */
function objectByLoop(spec: ObjectSpec): Step {
  const { fields, fixedType, rules, top } = spec;
  return (value) => {
    if (!isObject(value)) return INVALID;
    let out: Obj | undefined = top ? { ...value } : undefined;
    for (const field of fields) {
      const current = value[field.key];
      if (current === undefined) {
        if (field.hasDefault) {
          out ??= { ...value };
          out[field.key] = field.defaultValue;
        } else if (!field.optional) {
          return INVALID;
        }
        continue;
      }
      const next = field.step(current);
      if (next === INVALID) return INVALID;
      if (next !== current) {
        out ??= { ...value };
        out[field.key] = next;
      }
    }
    if (fixedType !== undefined && (out ?? value).type !== fixedType) {
      out ??= { ...value };
      out.type = fixedType;
    }
    const result = out ?? value;
    return rulesHold(rules, result) ? result : INVALID;
  };
}

/**
 * The same step as {@link objectByLoop}, generated as straight-line code with literal property
 * names: every object at one place in a record has the same shape, so each access is then a
 * monomorphic inline cache hit instead of a generic keyed lookup (this runs for every record of a
 * pull). Keys are our own schema keys, quoted with `JSON.stringify`; the code calls only the steps
 * and rules passed in. `undefined` when `new Function` is refused (a Content Security Policy).
 */
function objectGenerated(spec: ObjectSpec): Step | undefined {
  const { fields, fixedType, rules, top } = spec;
  const copy = 'if (o === undefined) o = { ...r };';
  const lines = [
    'if (typeof r !== "object" || r === null || Array.isArray(r)) return I;',
    top ? 'const o = { ...r };' : 'let o;',
    'let v;',
    'let n;',
  ];
  fields.forEach((field, i) => {
    const key = JSON.stringify(field.key);
    const absent = field.hasDefault
      ? `${top ? '' : copy} o[${key}] = d${i};`
      : field.optional
        ? ''
        : 'return I;';
    lines.push(`v = r[${key}];`);
    lines.push(`if (v === undefined) { ${absent} }`);
    lines.push(
      `else { n = s${i}(v); if (n === I) return I; if (n !== v) { ${top ? '' : copy} o[${key}] = n; } }`,
    );
  });
  if (fixedType !== undefined) {
    const type = JSON.stringify(fixedType);
    lines.push(
      `if ((o === undefined ? r : o).type !== ${type}) { ${top ? '' : copy} o.type = ${type}; }`,
    );
  }
  lines.push(top ? 'const x = o;' : 'const x = o === undefined ? r : o;');
  lines.push(rules.length > 0 ? 'return rules(x) ? x : I;' : 'return x;');
  const names = ['I', 'rules', ...fields.flatMap((_, i) => [`s${i}`, `d${i}`])];
  const values = [
    INVALID,
    (record: Obj) => rulesHold(rules, record),
    ...fields.flatMap((field) => [field.step, field.defaultValue]),
  ];
  try {
    const factory = new Function(...names, `return function check(r) {\n${lines.join('\n')}\n};`);
    return factory(...values) as Step;
  } catch {
    return undefined;
  }
}

/** Builds the steps of one parser; `jit` says whether code may be generated. */
class StepBuilder {
  constructor(private readonly jit: boolean) {}

  object(spec: ObjectSpec): Step {
    return (this.jit ? objectGenerated(spec) : undefined) ?? objectByLoop(spec);
  }

  fields(plan: ObjectPlan, projection: Projection): StepField[] {
    return plan.fields.map((field) => ({
      key: field.key,
      step: this.field(field),
      optional: field.optional || (projection !== undefined && !projection.has(field.key)),
      hasDefault: field.hasDefault,
      defaultValue: field.defaultValue,
    }));
  }

  nested(plan: ObjectPlan | undefined, fixedType?: string): Step {
    if (plan === undefined) return keep;
    const fields = this.fields(plan, undefined);
    return this.object({ fields, fixedType, rules: [], top: false });
  }

  /** The check-and-convert step of a field, by its kind (mirrors the zod schemas of `./fields`). */
  field(field: FieldPlan): Step {
    const meta = field.meta;
    if (meta === undefined) return keep;
    switch (meta.kind) {
      case 'text':
        return (value) => (typeof value === 'string' ? value : INVALID);
      case 'sourcedId':
      case 'href':
        return (value) => (typeof value === 'string' && value.length > 0 ? value : INVALID);
      case 'status':
        return (value) => (typeof value === 'string' ? (parseStatus(value) ?? INVALID) : INVALID);
      case 'dateTime':
        return (value) => (typeof value === 'string' ? (readDateTime(value) ?? INVALID) : INVALID);
      case 'date':
        return (value) => (typeof value === 'string' ? (normalizeDate(value) ?? INVALID) : INVALID);
      case 'boolean':
        return (value) => parseBoolean(value) ?? INVALID;
      case 'vocabulary': {
        const { normalize, allowed } = meta;
        if (allowed !== undefined) {
          return (value) => {
            if (typeof value !== 'string') return INVALID;
            const normalized = normalize(value);
            return allowed.has(normalized) ? normalized : INVALID;
          };
        }
        return (value) =>
          typeof value === 'string' && value.length > 0 ? normalize(value) : INVALID;
      }
      case 'stringList':
        return (value) =>
          typeof value === 'string'
            ? value === ''
              ? INVALID
              : splitList(value)
            : isStringArray(value)
              ? value
              : INVALID;
      case 'year':
        return (value) =>
          typeof value === 'string' ? value : Number.isSafeInteger(value) ? String(value) : INVALID;
      case 'metadata':
        return (value) => (isObject(value) ? value : INVALID);
      case 'ref':
        return this.nested(field.element, meta.refType);
      case 'refList':
        return listStep(this.nested(field.element, meta.refType), field.minItems);
      case 'objectList':
        return listStep(this.nested(field.element), field.minItems);
    }
  }
}

/**
 * The check-and-convert step of every field of `plan` (nested objects as generated code), for the
 * whole-record parser of `./record-parser`; `undefined` when code may not be generated.
 */
export function generatedFieldSteps(
  plan: ObjectPlan,
  projection: Projection,
): StepField[] | undefined {
  if (z.config().jitless) return undefined;
  return new StepBuilder(true).fields(plan, projection);
}

/** A record's fast parse: a converted copy, or INVALID. */
export type FastParse = (record: Obj) => Obj | typeof INVALID;

/**
 * The fast parse of `kind` records for `version` and `projection`, from the kind's field plan.
 * Code is generated unless zod runs jitless (`z.config({ jitless: true })`, the switch for
 * environments without `new Function`), where loops do the same.
 *
 * @example
 * ```ts
 * const parse = fastParser('enrollments', '1.2', planFor('enrollments', '1.2'), undefined);
 * parse(json) === INVALID; // false for a valid enrollment
 * ```
 */
export function fastParser(
  kind: SyncResource,
  version: OneRosterVersion,
  plan: ObjectPlan,
  projection: Projection,
): FastParse {
  const builder = new StepBuilder(!z.config().jitless);
  const fields = builder.fields(plan, projection);
  const rules = recordRules(kind, version, projection);
  return builder.object({ fields, fixedType: undefined, rules, top: true }) as FastParse;
}
