/**
 * Render a normalised record as the wire JSON of a version: `toWire` (the models module owns
 * the version mapping) plus absolute `href`s on every reference, which the specification
 * requires (`GUIDRef`: href, sourcedId and type) and which the dataset does not store because
 * they depend on the origin the server is reached on.
 *
 * @module
 */
import { toWire } from '../../models/index';
import type { OneRosterVersion, RecordTypes, SyncResource } from '../../models/types';

type Wire = Record<string, unknown>;

/** Where a reference's `type` points to, as a collection path. */
const COLLECTION_OF_TYPE: Readonly<Record<string, string>> = {
  org: 'orgs',
  school: 'schools',
  academicSession: 'academicSessions',
  term: 'terms',
  gradingPeriod: 'gradingPeriods',
  course: 'courses',
  class: 'classes',
  user: 'users',
  student: 'students',
  teacher: 'teachers',
  enrollment: 'enrollments',
  demographics: 'demographics',
  resource: 'resources',
};

/** Reference fields per resource, with the ref type used when a reference carries none. */
const REF_FIELDS: Readonly<Record<SyncResource, Readonly<Record<string, string>>>> = {
  orgs: { parent: 'org', children: 'org' },
  academicSessions: { parent: 'academicSession', children: 'academicSession' },
  courses: { schoolYear: 'academicSession', org: 'org', resources: 'resource' },
  classes: {
    course: 'course',
    school: 'org',
    terms: 'academicSession',
    resources: 'resource',
  },
  enrollments: { user: 'user', class: 'class', school: 'org' },
  users: { primaryOrg: 'org', agents: 'user', orgs: 'org', resources: 'resource' },
  demographics: {},
};

function isObject(value: unknown): value is Wire {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withHref(ref: unknown, defaultType: string, hrefBase: string): unknown {
  if (!isObject(ref) || typeof ref.sourcedId !== 'string') return ref;
  if (typeof ref.href === 'string' && typeof ref.type === 'string') return ref;
  const type = typeof ref.type === 'string' ? ref.type : defaultType;
  const href =
    typeof ref.href === 'string'
      ? ref.href
      : `${hrefBase}/${COLLECTION_OF_TYPE[type] ?? `${type}s`}/${encodeURIComponent(ref.sourcedId)}`;
  // Spec order (href, sourcedId, type), then anything else the record carried.
  const out: Wire = { href, sourcedId: ref.sourcedId, type };
  for (const key of Object.keys(ref)) if (!(key in out)) out[key] = ref[key];
  return out;
}

function refsWithHref(value: unknown, defaultType: string, hrefBase: string): unknown {
  return Array.isArray(value)
    ? value.map((ref) => withHref(ref, defaultType, hrefBase))
    : withHref(value, defaultType, hrefBase);
}

/**
 * The wire JSON of a record for `version`, with absolute hrefs under `hrefBase` (the versioned
 * base URL the request came in on). Never mutates the record: `toWire` copies the top level and
 * every reference touched here is a new object.
 */
export function renderRecord<K extends SyncResource>(
  kind: K,
  record: RecordTypes[K],
  version: OneRosterVersion,
  hrefBase: string,
): Wire {
  const wire = toWire(kind, record, version);
  const fields = REF_FIELDS[kind];
  for (const key of Object.keys(wire)) {
    const defaultType = fields[key];
    if (defaultType !== undefined) wire[key] = refsWithHref(wire[key], defaultType, hrefBase);
  }
  if (kind === 'users' && Array.isArray(wire.roles)) {
    wire.roles = wire.roles.map((role: unknown) =>
      isObject(role) && role.org !== undefined
        ? { ...role, org: withHref(role.org, 'org', hrefBase) }
        : role,
    );
  }
  return wire;
}
