/**
 * `toWire`: render a normalised record as 1.1 or 1.2 wire JSON (the mock server's output).
 *
 * The 1.1 user `role` vocabulary (`administrator, aide, guardian, parent, proctor, relative,
 * student, teacher`) lacks five 1.2 roles; a 1.1 rendering sends each as `administrator`
 * (`V1P1_USER_ROLE_OF`; the table is also in `README.md`, "Versions").
 *
 * @module
 */

import { planFor } from './checks';
import { isObject } from './clean';
import type { RefType } from './fields';
import { v1p1RoleAndOrgs } from './normalize';
import type { FieldPlan, ObjectPlan } from './plan';
import type { OneRosterVersion, RecordTypes, Ref, SyncResource, User } from './types';

/** Options of {@link toWire}. */
export interface ToWireOptions {
  /**
   * Base for reference `href`s, e.g. `https://sis.example/ims/oneroster/rostering/v1p2` or a
   * relative `/ims/oneroster/v1p1`: each reference gets `${hrefBase}/${collection}/${sourcedId}`.
   * Without it, references keep the `href` they have, or none.
   */
  hrefBase?: string | undefined;
}

type Obj = Record<string, unknown>;

/**
 * The 1.1 user `role` sent for each 1.2 role that 1.1 lacks. Besides teaching roles, 1.1 has only
 * `administrator`, `aide` and `proctor` for staff; district, site and system administrators,
 * principals and counselors manage or oversee students across classes rather than assist in or
 * supervise one, so `administrator` is the closest. The reverse is lossy by nature: a 1.1
 * `administrator` stays `administrator` when parsed. Roles outside both vocabularies (`ext:`
 * extensions, vendor values a server sent) are kept as they are: there is no closest 1.1 value to
 * choose, and the parser accepted them as sent. A Map, so a role named like an `Object.prototype`
 * member (`constructor`) cannot hit an inherited property.
 */
const V1P1_USER_ROLE_OF: ReadonlyMap<string, string> = new Map([
  ['districtAdministrator', 'administrator'],
  ['siteAdministrator', 'administrator'],
  ['systemAdministrator', 'administrator'],
  ['principal', 'administrator'],
  ['counselor', 'administrator'],
]);

const COLLECTIONS: Record<RefType, string> = {
  org: 'orgs',
  academicSession: 'academicSessions',
  course: 'courses',
  class: 'classes',
  user: 'users',
  resource: 'resources',
};

interface Context {
  version: OneRosterVersion;
  hrefBase: string | undefined;
}

function renderRef(ref: Obj, refType: RefType, ctx: Context): Obj {
  const sourcedId = ref.sourcedId;
  const { href: ownHref, sourcedId: _id, type: _type, ...extra } = ref;
  const href =
    ctx.hrefBase !== undefined && typeof sourcedId === 'string'
      ? `${ctx.hrefBase}/${COLLECTIONS[refType]}/${encodeURIComponent(sourcedId)}`
      : ownHref;
  // Spec order: href, sourcedId, type.
  return href === undefined
    ? { sourcedId, type: refType, ...extra }
    : { href, sourcedId, type: refType, ...extra };
}

function renderValue(value: unknown, field: FieldPlan | undefined, ctx: Context): unknown {
  const meta = field?.meta;
  if (meta === undefined) return value;
  switch (meta.kind) {
    case 'boolean':
      // 1.2 encodes booleans as the strings "true" and "false".
      return typeof value === 'boolean' && ctx.version === '1.2' ? String(value) : value;
    case 'ref':
      return isObject(value) ? renderRef(value, meta.refType, ctx) : value;
    case 'refList':
      return Array.isArray(value)
        ? value.map((item) => (isObject(item) ? renderRef(item, meta.refType, ctx) : item))
        : value;
    case 'objectList': {
      const element = field?.element;
      return Array.isArray(value) && element !== undefined
        ? value.map((item) => (isObject(item) ? renderObject(item, element, ctx) : item))
        : value;
    }
    default:
      return value;
  }
}

function renderObject(record: Obj, plan: ObjectPlan, ctx: Context): Obj {
  const out: Obj = {};
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (value === undefined) continue;
    const rendered = renderValue(value, plan.byKey.get(key), ctx);
    // An own `__proto__` key (JSON.parse makes one; vendor fields pass through) must stay a plain
    // property: assigning it would set the output's prototype.
    if (key === '__proto__') {
      Object.defineProperty(out, key, {
        value: rendered,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      out[key] = rendered;
    }
  }
  return out;
}

/**
 * Render a normalised record as the given version's wire JSON (used by the mock server).
 *
 * - 1.2: booleans as `"true"`/`"false"`, `roles[]` and `primaryOrg` as they are.
 * - 1.1: JSON booleans; a user's `roles` become `role` (the primary role; a 1.2-only role becomes
 *   `administrator`, see `V1P1_USER_ROLE_OF`) and `orgs` (each org once, the primary org first),
 *   which loses secondary roles (see `v1p1RoleAndOrgs`); a class's `periods` become one
 *   comma-separated string. Other fields, including 1.2-only ones such as
 *   `preferredFirstName`, are kept (real 1.1 servers send such extras too).
 * - References are `{ href, sourcedId, type }` with the target's type (`org`, `academicSession`,
 *   `course`, `class`, `user`, `resource`; the same names in both versions). `href` comes from
 *   `options.hrefBase`, else the reference's own, else it is omitted.
 * - Absent optionals are omitted. The record is not modified.
 *
 * @example
 * ```ts
 * toWire('users', user, '1.1', { hrefBase: 'https://sis.example/ims/oneroster/v1p1' });
 * // { sourcedId: 'u-1', ..., enabledUser: true, role: 'student',
 * //   orgs: [{ href: 'https://sis.example/ims/oneroster/v1p1/orgs/s-1', sourcedId: 's-1', type: 'org' }] }
 * ```
 */
export function toWire<K extends SyncResource>(
  kind: K,
  record: RecordTypes[K],
  version: OneRosterVersion,
  options: ToWireOptions = {},
): Record<string, unknown> {
  const hrefBase = options.hrefBase?.replace(/\/+$/, '');
  const ctx: Context = { version, hrefBase };
  const plan = planFor(kind, version);
  const out = renderObject(record as Obj, plan, ctx);
  if (version === '1.1') {
    // A user without roles (e.g. parsed from a `fields` projection) has no role or orgs to render.
    if (kind === 'users' && (record as User).roles !== undefined) {
      const { role, orgs } = v1p1RoleAndOrgs(record as User);
      delete out.roles;
      delete out.primaryOrg;
      if (role !== undefined) out.role = V1P1_USER_ROLE_OF.get(role) ?? role;
      out.orgs = renderValue(orgs as Ref[], plan.byKey.get('orgs'), ctx);
    } else if (kind === 'classes' && Array.isArray(out.periods)) {
      out.periods = out.periods.join(',');
    }
  }
  return out;
}
