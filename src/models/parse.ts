/**
 * `parseRecord`: validate one wire record and normalise it.
 *
 * @module
 */
import { ValidationError, type ValidationIssue } from '../errors';
import { planFor } from './checks';
import { cleanRecord, hasTopLevelNull, isObject } from './clean';
import { convertRecord } from './convert';
import { INVALID } from './fast-path';
import { issueMessage, toValidationIssues } from './issues';
import { finishRecord, normalizeRecord } from './normalize';
import { attachRaw } from './raw';
import { type Checker, checkerFor } from './schemas';
import type { OneRosterVersion, RecordTypes, SyncResource, ValidationMode } from './types';

/** A record kind that can be parsed: the kinds the sync engine stores. */
export type ModelKind = SyncResource;

/** Options of {@link parseRecord}. */
export interface ParseOptions {
  version: OneRosterVersion;
  /**
   * `strict` and `lenient` validate alike (the caller decides whether an invalid record throws or
   * is skipped); `off` does not validate but still normalises what it can read.
   */
  mode: ValidationMode;
  /**
   * The `fields` projection sent to the server, if any: only those fields are required (the
   * server returns nothing else). The result type stays the full interface.
   */
  fields?: readonly string[] | undefined;
}

/** The outcome of {@link parseRecord}: a normalised record, or why the record is invalid. */
export type ParseResult<T> = { ok: true; record: T } | { ok: false; error: ValidationError };

type Obj = Record<string, unknown>;

const PARSE_CONTEXT = { error: issueMessage };

/** sourcedIds are identifiers, not PII (the spec requires that), so errors may name them. */
function readableSourcedId(record: Obj): string | undefined {
  const id = record.sourcedId;
  return typeof id === 'string' && id.length > 0 && id.length <= 256 ? id : undefined;
}

function invalid(
  kind: ModelKind,
  sourcedId: string | undefined,
  issues: ValidationIssue[],
): { ok: false; error: ValidationError } {
  return { ok: false, error: new ValidationError({ resource: kind, sourcedId, issues }) };
}

/**
 * The general validating path: clean what needs cleaning, check and convert, explain a failure
 * with zod's detailed schema, then finish (the raw record is not linked yet). The whole-record
 * parser, when it has a result, returns the same record faster; tests compare the two.
 *
 * @internal
 */
export function checkAndNormalize(
  kind: ModelKind,
  version: OneRosterVersion,
  raw: Obj,
  checker: Checker,
): { ok: true; record: Obj } | { ok: false; error: ValidationError } {
  // Top-level nulls are common (some servers send them for every absent optional), so they go
  // up front; other things to clean are rare and are looked for only when a check fails.
  let input = hasTopLevelNull(raw) ? cleanRecord(raw, checker.plan) : raw;
  let converted = checker.fast(input);
  if (converted === INVALID && input === raw) {
    const cleaned = cleanRecord(raw, checker.plan);
    if (cleaned !== raw) {
      input = cleaned;
      converted = checker.fast(input);
    }
  }
  if (converted === INVALID) {
    // The slow path, only for invalid records: zod's runtime parser collects the issues.
    const result = checker.detailed.safeParse(input, PARSE_CONTEXT);
    if (!result.success) {
      return invalid(kind, readableSourcedId(raw), toValidationIssues(result.error));
    }
    // Unreachable while both agree (tested); zod is the reference, so its verdict stands.
    converted = convertRecord(input, checker.plan);
  }
  return { ok: true, record: finishRecord(kind, version, converted, checker.projection) };
}

/**
 * Validate one wire record of `kind` and normalise it to the shape of `./types` (1.2-like `roles[]`
 * and `primaryOrg`, real booleans, UTC instants for `dateLastModified`, `null` as absent, unknown
 * fields kept). The original object stays reachable through `rawRecord(record)`.
 *
 * Never throws for bad data: an invalid record gives `{ ok: false, error }`, a `ValidationError`
 * naming the resource, the sourcedId (when readable) and the failing paths, never the values.
 * The record is never modified; the result shares unchanged nested objects with it (nothing is
 * deep-cloned), so treat both as read-only.
 *
 * @example
 * ```ts
 * const result = parseRecord('users', body.user, { version: '1.1', mode: 'strict' });
 * if (!result.ok) throw result.error;
 * result.record.roles; // [{ roleType: 'primary', role: 'student', org: { sourcedId: 's-1', ... } }]
 * ```
 */
export function parseRecord<K extends ModelKind>(
  kind: K,
  raw: unknown,
  options: ParseOptions,
): ParseResult<RecordTypes[K]> {
  if (!isObject(raw)) return invalid(kind, undefined, [{ path: '', message: 'must be an object' }]);
  const { version, mode, fields } = options;
  let record: Obj;
  // The whole-record parser (it links the raw record itself) returns a valid record's result in
  // one pass; `off` gets the same result from it for valid records, only faster.
  const checker = checkerFor(kind, version, fields);
  const whole = checker.whole?.(raw);
  if (whole !== undefined) return { ok: true, record: whole as RecordTypes[K] };
  if (mode === 'off') {
    const plan = planFor(kind, version);
    const projection = fields === undefined ? undefined : new Set(fields);
    record = normalizeRecord(kind, version, cleanRecord(raw, plan), plan, projection);
  } else {
    const checked = checkAndNormalize(kind, version, raw, checker);
    if (!checked.ok) return checked;
    record = checked.record;
  }
  attachRaw(record, raw);
  return { ok: true, record: record as RecordTypes[K] };
}
