/**
 * `fields` names the normalised fields, but a OneRoster 1.1 server knows only its own names: a
 * projection asking for `roles` or `primaryOrg` must send `role,orgs`, and the records that come
 * back must still be validated (with the fields actually requested) and normalised.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import type { OneRosterVersion } from '../../src/models/types';
import { createResources } from '../../src/resources';
import { captureEvents, contextFor, fakeTransport } from './fake-transport';

const V1P1 = 'https://sis.test/ims/oneroster/v1p1';
const V1P2 = 'https://sis.test/ims/oneroster/rostering/v1p2';

const school = { sourcedId: 's-1', type: 'org', href: `${V1P1}/orgs/s-1` };
const v1p1User = (n: number): Record<string, unknown> => ({
  sourcedId: `u-${n}`,
  status: 'active',
  dateLastModified: '2024-09-01T12:00:00.000Z',
  givenName: `Given${n}`,
  familyName: `Family${n}`,
  role: 'student',
  orgs: [school],
});
const v1p2User = (n: number): Record<string, unknown> => {
  const { role: _role, orgs: _orgs, ...rest } = v1p1User(n);
  return { ...rest, roles: [{ roleType: 'primary', role: 'student', org: school }] };
};

/** A server that returns only the fields asked for, as OneRoster servers do. */
function server(version: OneRosterVersion, users: Record<string, unknown>[]) {
  const project = (user: Record<string, unknown>, fields: string | null) =>
    fields === null
      ? user
      : Object.fromEntries(fields.split(',').flatMap((f) => (f in user ? [[f, user[f]]] : [])));
  const transport = fakeTransport(
    (url) => {
      const fields = url.searchParams.get('fields');
      const offset = Number(url.searchParams.get('offset') ?? 0);
      return {
        body: {
          users: offset === 0 ? users.map((user) => project(user, fields)) : [],
          user: project(users[0] ?? {}, fields),
          orgs: [],
        },
        headers: { 'x-total-count': String(users.length) },
      };
    },
    version === '1.1' ? V1P1 : V1P2,
  );
  const events = captureEvents();
  const resources = createResources(contextFor(transport, { version, onEvent: events.listener }));
  return { transport, events, resources };
}

const sentFields = (url: URL) => url.searchParams.get('fields');

describe('fields on a 1.1 server', () => {
  it('sends role,orgs for roles, and returns the records normalised, none skipped', async () => {
    const { transport, events, resources } = server('1.1', [v1p1User(1), v1p1User(2)]);
    const page = await resources.users.list({ fields: ['sourcedId', 'roles'] });
    expect(transport.requests.map((r) => sentFields(r.url))).toEqual(['sourcedId,role,orgs']);
    expect(page.skipped).toBe(0);
    expect(events.events).toEqual([]);
    expect(page.items).toHaveLength(2);
    expect(page.items[0]?.roles).toEqual([
      { roleType: 'primary', role: 'student', org: { ...school, type: 'org' } },
    ]);
    expect(page.items[0]).not.toHaveProperty('role');
  });

  it('sends role,orgs for primaryOrg, once even with roles too, in the caller order', async () => {
    const { transport, resources } = server('1.1', [v1p1User(1)]);
    const [user] = await resources.users
      .list({ fields: ['givenName', 'primaryOrg', 'roles', 'sourcedId'] })
      .toArray();
    expect(sentFields(transport.requests[0]?.url as URL)).toBe('givenName,role,orgs,sourcedId');
    expect(user?.primaryOrg).toEqual(school);
    expect(user?.givenName).toBe('Given1');
  });

  it('still validates what comes back: a user without orgs is invalid (strict throws)', async () => {
    const { orgs: _orgs, ...withoutOrgs } = v1p1User(1);
    const { resources } = server('1.1', [withoutOrgs]);
    const error = await resources.users
      .list({ fields: ['sourcedId', 'roles'] }, { validation: 'strict' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toContain('orgs');
  });

  it('maps the names for get() and for nested user collections too', async () => {
    const { transport, resources } = server('1.1', [v1p1User(1)]);
    const user = await resources.users.get('u-1', { fields: ['roles'] });
    expect(user.roles?.[0]?.role).toBe('student');
    await resources.schools.listStudents('s-1', { fields: ['sourcedId', 'primaryOrg'] });
    expect(transport.requests.map((r) => sentFields(r.url))).toEqual([
      'role,orgs',
      'sourcedId,role,orgs',
    ]);
  });

  it('leaves other names, and other kinds, as they are', async () => {
    const { transport, resources } = server('1.1', [v1p1User(1)]);
    await resources.users.list({ fields: ['sourcedId', 'role', 'email'] });
    await resources.orgs.list({ fields: ['sourcedId', 'roles'] }, { validation: 'off' });
    expect(transport.requests.map((r) => sentFields(r.url))).toEqual([
      'sourcedId,role,email',
      'sourcedId,roles',
    ]);
  });
});

describe('fields on a 1.2 server', () => {
  it('sends roles and primaryOrg as they are', async () => {
    const { transport, events, resources } = server('1.2', [v1p2User(1)]);
    const page = await resources.users.list({ fields: ['sourcedId', 'roles', 'primaryOrg'] });
    expect(sentFields(transport.requests[0]?.url as URL)).toBe('sourcedId,roles,primaryOrg');
    expect(events.events).toEqual([]);
    expect(page.items[0]?.roles?.[0]?.role).toBe('student');
  });
});
