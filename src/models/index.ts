/**
 * Record models: validate and normalise OneRoster wire records, and render normalised records back
 * as wire JSON. (First simple version; the zod schemas replace the checks below.)
 *
 * @module
 */
import { ValidationError, type ValidationIssue } from '../errors';
import type { OneRosterVersion, RecordTypes, SyncResource, ValidationMode } from './types';

export * from './types';

/** A record kind that can be parsed: the kinds the sync engine stores. */
export type ModelKind = SyncResource;

/** Options of {@link parseRecord}. */
export interface ParseOptions {
  version: OneRosterVersion;
  mode: ValidationMode;
  /** The `fields` projection requested from the server, if any. */
  fields?: readonly string[] | undefined;
}

/** The outcome of {@link parseRecord}. */
export type ParseResult<T> = { ok: true; record: T } | { ok: false; error: ValidationError };

const RAW = Symbol.for('@smartpass/oneroster.raw');

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function toBool(v: unknown): unknown {
  if (typeof v === 'string') {
    const s = v.toLowerCase();
    if (s === 'true' || s === 't' || s === '1') return true;
    if (s === 'false' || s === 'f' || s === '0') return false;
  }
  return v;
}

const BOOLEANS: Partial<Record<ModelKind, string[]>> = {
  users: ['enabledUser'],
  enrollments: ['primary'],
  demographics: [
    'americanIndianOrAlaskaNative',
    'asian',
    'blackOrAfricanAmerican',
    'nativeHawaiianOrOtherPacificIslander',
    'white',
    'demographicRaceTwoOrMoreRaces',
    'hispanicOrLatinoEthnicity',
  ],
};

/**
 * Validate one wire record of `kind` and normalise it (see `types.ts`). Never throws for bad data.
 *
 * @example
 * ```ts
 * const result = parseRecord('users', json, { version: '1.2', mode: 'strict' });
 * if (result.ok) console.log(result.record.roles[0]?.role);
 * ```
 */
export function parseRecord<K extends ModelKind>(
  kind: K,
  raw: unknown,
  options: ParseOptions,
): ParseResult<RecordTypes[K]> {
  if (!isObj(raw)) {
    return fail(kind, undefined, [{ path: '', message: 'must be an object' }]);
  }
  const out: Obj = {};
  for (const [key, value] of Object.entries(raw)) if (value !== null) out[key] = value;
  if (out.status === 'inactive') out.status = 'tobedeleted';
  for (const key of BOOLEANS[kind] ?? []) if (key in out) out[key] = toBool(out[key]);
  if (kind === 'users' && options.version === '1.1' && !('roles' in out)) {
    const orgs = Array.isArray(out.orgs) ? out.orgs : [];
    out.roles = orgs.map((org) => ({ roleType: 'primary', role: out.role, org }));
    if (orgs.length > 0) out.primaryOrg = orgs[0];
    delete out.role;
    delete out.orgs;
    if (!('enabledUser' in out)) out.enabledUser = true;
  }
  const sourcedId = typeof raw.sourcedId === 'string' ? raw.sourcedId : undefined;
  if (options.mode !== 'off') {
    const issues: ValidationIssue[] = [];
    const wanted = (f: string) => !options.fields || options.fields.includes(f);
    if (wanted('sourcedId') && (typeof out.sourcedId !== 'string' || out.sourcedId === '')) {
      issues.push({ path: 'sourcedId', message: 'must be a non-empty string' });
    }
    if (wanted('status') && out.status !== 'active' && out.status !== 'tobedeleted') {
      issues.push({ path: 'status', message: 'must be active or tobedeleted' });
    }
    if (
      wanted('dateLastModified') &&
      (typeof out.dateLastModified !== 'string' || Number.isNaN(Date.parse(out.dateLastModified)))
    ) {
      issues.push({ path: 'dateLastModified', message: 'must be an ISO 8601 date-time' });
    }
    if (issues.length > 0) return fail(kind, sourcedId, issues);
  }
  Object.defineProperty(out, RAW, { value: raw, enumerable: false });
  return { ok: true, record: out as RecordTypes[K] };
}

function fail(
  kind: string,
  sourcedId: string | undefined,
  issues: ValidationIssue[],
): { ok: false; error: ValidationError } {
  return { ok: false, error: new ValidationError({ resource: kind, sourcedId, issues }) };
}

/**
 * The wire object a normalised record was parsed from (kept on a non-enumerable symbol).
 *
 * @example
 * ```ts
 * const raw = rawRecord(user); // the JSON object the server sent
 * ```
 */
export function rawRecord(record: object): unknown {
  return (record as Record<symbol, unknown>)[RAW];
}

/**
 * Render a normalised record as the given version's wire JSON (used by the mock server).
 *
 * @example
 * ```ts
 * const wire = toWire('users', user, '1.1'); // { role: 'student', orgs: [...], ... }
 * ```
 */
export function toWire<K extends ModelKind>(
  kind: K,
  record: RecordTypes[K],
  version: OneRosterVersion,
): Record<string, unknown> {
  const out: Obj = { ...record };
  for (const key of BOOLEANS[kind] ?? []) {
    if (typeof out[key] === 'boolean' && version === '1.2') out[key] = String(out[key]);
  }
  if (kind === 'users' && version === '1.1') {
    const roles = (out.roles ?? []) as Array<{ role: string; org: unknown }>;
    out.role = roles[0]?.role;
    out.orgs = roles.map((r) => r.org);
    delete out.roles;
    delete out.primaryOrg;
  }
  return out;
}
