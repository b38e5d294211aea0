/**
 * Field schemas: the building blocks of every record schema. Each is a zod schema that validates a
 * wire value and converts it to its normalised form, and is tagged in {@link fieldMeta} with what
 * kind of field it is. The tags let the null/empty cleaner, the unchecked normaliser
 * (`validation: 'off'`) and the wire renderer walk a record schema's shape instead of keeping their
 * own lists of boolean fields, reference types and so on: the schemas stay the one source of truth.
 *
 * @module
 */
import * as z from 'zod';
import {
  normalizeDate,
  normalizeDateTime,
  parseBoolean,
  parseStatus,
  splitList,
  vocabularyNormalizer,
} from './coerce';
import type { RecordStatus, Ref } from './types';

/** The 1.2 reference types (`GUIDRef.type`), which 1.1 also uses for these targets. */
export type RefType = 'org' | 'academicSession' | 'course' | 'class' | 'user' | 'resource';

/** What a field is, as far as cleaning, unchecked normalisation and wire rendering care. */
export type FieldMeta =
  | {
      kind:
        | 'text'
        | 'sourcedId'
        | 'status'
        | 'dateTime'
        | 'date'
        | 'boolean'
        | 'stringList'
        | 'metadata'
        | 'href';
    }
  | { kind: 'vocabulary'; normalize: (value: string) => string }
  | { kind: 'ref' | 'refList'; refType: RefType }
  | { kind: 'objectList' };

/** Kind tags of the field schemas below (metadata is inherited by `.min()` and other clones). */
export const fieldMeta = z.registry<FieldMeta>();

function tag<T extends z.ZodType>(schema: T, meta: FieldMeta): T {
  fieldMeta.add(schema, meta);
  return schema;
}

/** Report a custom issue from a transform; the message must never contain the value. */
function reject(ctx: z.RefinementCtx, message: string): never {
  ctx.issues.push({ code: 'custom', message, input: undefined });
  return z.NEVER;
}

/** A OneRoster boolean as sent on the wire (1.1 JSON booleans, 1.2 strings, real-world variants). */
export type WireBoolean = boolean | string | number;

/** Free text. Empty strings are kept: for names and codes, "" is a value, not an absence. */
export const text = (): z.ZodString => tag(z.string(), { kind: 'text' });

/** A record or reference id: a non-empty string. */
export const sourcedId = (): z.ZodString =>
  tag(z.string().min(1, { error: 'must be a non-empty string' }), { kind: 'sourcedId' });

/** `status`: `active` | `tobedeleted`; `inactive` and other casings are read leniently. */
export const status = (): z.ZodType<RecordStatus, string> =>
  tag(
    z
      .string()
      .transform(
        (value, ctx) => parseStatus(value) ?? reject(ctx, 'must be active or tobedeleted'),
      ),
    { kind: 'status' },
  );

/** A date-time, normalised to a UTC instant `YYYY-MM-DDTHH:mm:ss.sssZ` (see `normalizeDateTime`). */
export const dateTime = (): z.ZodType<string, string> =>
  tag(
    z
      .string()
      .transform(
        (value, ctx) => normalizeDateTime(value) ?? reject(ctx, 'must be an ISO 8601 date-time'),
      ),
    { kind: 'dateTime' },
  );

/** A calendar date `YYYY-MM-DD` (a date-time's date part is accepted). */
export const date = (): z.ZodType<string, string> =>
  tag(
    z
      .string()
      .transform(
        (value, ctx) => normalizeDate(value) ?? reject(ctx, 'must be a date (YYYY-MM-DD)'),
      ),
    { kind: 'date' },
  );

/** A boolean from any of the encodings `parseBoolean` reads. */
export const boolean = (): z.ZodType<boolean, WireBoolean> =>
  tag(
    z
      .unknown()
      .transform(
        (value, ctx) =>
          parseBoolean(value) ?? reject(ctx, 'must be a boolean (true/false, "true"/"false")'),
      ) as unknown as z.ZodType<boolean, WireBoolean>,
    { kind: 'boolean' },
  );

/**
 * An extensible vocabulary value: any non-empty string (1.2 allows `ext:` values and servers send
 * others), rewritten to the spec's spelling when it matches one of `values` ignoring case.
 */
export const vocabulary = <T extends string>(
  values: readonly T[],
): z.ZodType<T | (string & {}), string> => {
  const normalize = vocabularyNormalizer(values);
  return tag(
    z
      .string()
      .min(1, { error: 'must be a non-empty string' })
      .transform((value) => normalize(value)),
    { kind: 'vocabulary', normalize },
  );
};

/**
 * A closed vocabulary (`roleType`): one of `values`, matched ignoring case. Unknown values fail,
 * since the normalised type has no room for them.
 */
export const closedVocabulary = <T extends string>(values: readonly T[]): z.ZodType<T, string> => {
  const normalize = vocabularyNormalizer(values);
  const allowed = new Set<string>(values);
  const message = `must be one of ${values.join(', ')}`;
  return tag(
    z.string().transform((value, ctx) => {
      const normalized = normalize(value);
      return allowed.has(normalized) ? (normalized as T) : reject(ctx, message);
    }),
    { kind: 'vocabulary', normalize },
  );
};

/** A list of strings; a comma-separated string is split (1.1 `periods`, CSV-fed servers). */
export const stringList = (): z.ZodType<string[], string[] | string> =>
  tag(z.union([z.array(z.string()), z.string().transform(splitList)]), { kind: 'stringList' });

/** `metadata`: a free-form object, kept as sent (same object, not copied). */
export const metadata = (): z.ZodType<Record<string, unknown>> =>
  tag(
    z.custom<Record<string, unknown>>(
      (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
      { error: 'must be an object' },
    ),
    { kind: 'metadata' },
  );

/** A reference's `href`: absolute, relative (`~/ims/...` is seen) or absent; never dereferenced. */
const href = (): z.ZodString => tag(z.string(), { kind: 'href' });

/** A normalised reference: `type` is always the target's 1.2 type. */
export type NormalizedRef = Ref & { type: RefType; [extra: string]: unknown };

/** A reference as sent: only `sourcedId` is required; vendors' extra keys are kept. */
export type WireRef = { sourcedId: string; href?: string; type?: string; [extra: string]: unknown };

const refShape = {
  href: href().exactOptional(),
  sourcedId: sourcedId(),
  type: z.string().exactOptional(),
};

/**
 * A `GUIDRef` to a record of `refType`. Tolerant of real servers: `href` and `type` may be missing,
 * `href` may be relative, and a 1.1 `type` such as `term` or `student` is accepted. The normalised
 * `type` is always `refType`, so references compare equal whatever the server sent.
 */
export const ref = (refType: RefType): z.ZodType<NormalizedRef, WireRef> =>
  tag(
    z.looseObject(refShape).transform((value) => {
      // zod built this object for us (the input is never mutated).
      value.type = refType;
      return value as NormalizedRef;
    }) as unknown as z.ZodType<NormalizedRef, WireRef>,
    { kind: 'ref', refType },
  );

/** A list of references to records of `refType`. */
export const refList = (refType: RefType): z.ZodArray<z.ZodType<NormalizedRef, WireRef>> =>
  tag(z.array(ref(refType)), { kind: 'refList', refType });

/** A list of nested objects (roles, userIds, userProfiles, credentials). */
export const objectList = <T extends z.ZodObject>(element: T): z.ZodArray<T> =>
  tag(z.array(element), { kind: 'objectList' });
