/**
 * Field schemas: the building blocks of every record schema. Each is a zod schema that only
 * checks a wire value (no transforms: conversion is the normaliser's job), tagged in
 * {@link fieldMeta} with what kind of field it is. The tags drive the null/empty cleaner, the
 * normaliser and `parseRecord`'s fast path (which check and convert with the same `./coerce`
 * readers these checks use) and the wire renderer, so the schemas stay the one source of truth
 * for which fields are booleans, dates, references of which type, and so on. A field's kind and
 * its zod check must agree: `test/models/fast-path.test.ts` holds them to it.
 *
 * @module
 */
import * as z from 'zod';
import {
  normalizeDate,
  normalizeDateTime,
  parseBoolean,
  parseStatus,
  vocabularyNormalizer,
} from './coerce';
import type { Ref } from './types';

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
        | 'href'
        | 'year';
    }
  | {
      kind: 'vocabulary';
      normalize: (value: string) => string;
      /** Closed vocabularies only: the allowed (normalised) values. */
      allowed?: ReadonlySet<string>;
    }
  | { kind: 'ref' | 'refList'; refType: RefType }
  | { kind: 'objectList' };

/** Kind tags of the field schemas below (metadata is inherited by `.min()` and other clones). */
export const fieldMeta = z.registry<FieldMeta>();

function tag<T extends z.ZodType>(schema: T, meta: FieldMeta): T {
  fieldMeta.add(schema, meta);
  return schema;
}

/** A string field that is valid when `read` can read it. `message` must never contain the value. */
function readableString(read: (value: string) => unknown, message: string): z.ZodString {
  return z.string().refine((value) => read(value) !== undefined, { error: message });
}

/** A OneRoster boolean as sent on the wire (1.1 JSON booleans, 1.2 strings, real-world variants). */
export type WireBoolean = boolean | string | number;

/** Free text. Empty strings are kept: for names and codes, "" is a value, not an absence. */
export const text = (): z.ZodString => tag(z.string(), { kind: 'text' });

/** A record or reference id: a non-empty string. */
export const sourcedId = (): z.ZodString =>
  tag(z.string().min(1, { error: 'must be a non-empty string' }), { kind: 'sourcedId' });

/** `status`: `active` | `tobedeleted`; `inactive` and other casings are read leniently. */
export const status = (): z.ZodString =>
  tag(readableString(parseStatus, 'must be active or tobedeleted'), { kind: 'status' });

/** A date-time in any form `normalizeDateTime` reads (normalised to a UTC instant). */
export const dateTime = (): z.ZodString =>
  tag(readableString(normalizeDateTime, 'must be an ISO 8601 date-time'), { kind: 'dateTime' });

/** A calendar date `YYYY-MM-DD` (a date-time is accepted; its date part is kept). */
export const date = (): z.ZodString =>
  tag(readableString(normalizeDate, 'must be a date (YYYY-MM-DD)'), { kind: 'date' });

/** A boolean in any of the encodings `parseBoolean` reads. */
export const boolean = (): z.ZodType<WireBoolean, WireBoolean> =>
  tag(
    z.custom<WireBoolean>((value) => parseBoolean(value) !== undefined, {
      error: 'must be a boolean (true/false, "true"/"false")',
    }),
    { kind: 'boolean' },
  );

/**
 * An extensible vocabulary value: any non-empty string (1.2 allows `ext:` values and servers send
 * others), rewritten to the spec's spelling when it matches one of `values` ignoring case.
 */
export const vocabulary = (values: readonly string[]): z.ZodString =>
  tag(z.string().min(1, { error: 'must be a non-empty string' }), {
    kind: 'vocabulary',
    normalize: vocabularyNormalizer(values),
  });

/**
 * A closed vocabulary (`roleType`): one of `values`, matched ignoring case. Unknown values fail,
 * since the normalised type has no room for them.
 */
export const closedVocabulary = (values: readonly string[]): z.ZodString => {
  const normalize = vocabularyNormalizer(values);
  const allowed: ReadonlySet<string> = new Set(values);
  return tag(
    z.string().refine((value) => allowed.has(normalize(value)), {
      error: `must be one of ${values.join(', ')}`,
    }),
    { kind: 'vocabulary', normalize, allowed },
  );
};

/** Whether `value` is a list of strings, or one non-empty (comma-separated) string. */
function isStringList(value: unknown): boolean {
  // "" fails so that the cleaner removes it (see ./clean): an empty string is no list.
  if (typeof value === 'string') return value !== '';
  if (!Array.isArray(value)) return false;
  for (const item of value) if (typeof item !== 'string') return false;
  return true;
}

/**
 * A list of strings, or one comma-separated string (1.1 `periods`, CSV-fed servers). One predicate
 * rather than a zod array, which would copy the list even when only validating.
 */
export const stringList = (): z.ZodType<string[] | string, string[] | string> =>
  tag(z.custom<string[] | string>(isStringList, { error: 'must be a list of strings' }), {
    kind: 'stringList',
  });

/** A `YYYY` year (`academicSession.schoolYear`); some servers send a number (made a string). */
export const year = (): z.ZodType<string | number, string | number> =>
  tag(z.union([z.string(), z.number().int()]), { kind: 'year' });

/** `metadata`: a free-form object, kept as sent (same object, not copied). */
export const metadata = (): z.ZodType<Record<string, unknown>, Record<string, unknown>> =>
  tag(
    z.custom<Record<string, unknown>>(
      (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
      { error: 'must be an object' },
    ),
    { kind: 'metadata' },
  );

/** A reference's `href`: absolute, relative (`~/ims/...` is seen) or absent; never dereferenced. */
const href = (): z.ZodString =>
  // "" fails here so that the cleaner removes it (see ./clean).
  tag(z.string().min(1, { error: 'must be a non-empty string' }), { kind: 'href' });

/** A normalised reference: `type` is always the target's 1.2 type. */
export type NormalizedRef = Ref & { type: RefType; [extra: string]: unknown };

const refObject = z.looseObject({
  href: href().exactOptional(),
  sourcedId: sourcedId(),
  type: text().exactOptional(),
});

/** A reference as sent: only `sourcedId` is required; vendors' extra keys are kept. */
export type WireRef = z.output<typeof refObject>;

/**
 * A `GUIDRef` to a record of `refType`. Tolerant of real servers: `href` and `type` may be missing,
 * `href` may be relative, and a 1.1 `type` such as `term` or `student` is accepted. Normalisation
 * sets `type` to `refType`, so references compare equal whatever the server sent.
 */
export const ref = (refType: RefType): typeof refObject =>
  tag(refObject.clone(), { kind: 'ref', refType });

/** A list of references to records of `refType`. */
export const refList = (refType: RefType): z.ZodArray<typeof refObject> =>
  tag(z.array(ref(refType)), { kind: 'refList', refType });

/** A list of nested objects (roles, userIds, userProfiles, credentials). */
export const objectList = <T extends z.ZodObject>(element: T): z.ZodArray<T> =>
  tag(z.array(element), { kind: 'objectList' });
