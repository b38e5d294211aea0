/**
 * Black-box fidelity of the mock OneRoster server: plain `fetch` requests (no client code of this
 * package) checked against the facts in shared/reference/oneroster.md. Expected answers are
 * computed here from the dataset, independently of the server's own code.
 */
import { describe, expect, it } from 'vitest';
import {
  createMockOneRoster,
  type Dataset,
  generateDistrict,
  type MockOneRoster,
  type MockOneRosterOptions,
  mutate,
} from '../../src/testing';
import { fillPath, pathIds, rosteringOperations } from './fixtures';

type Json = Record<string, unknown>;
type Wire = Record<string, unknown> & { sourcedId: string };

const dataset = generateDistrict({ seed: 21, schools: 2, studentsPerSchool: 40 });
const VERSIONS = ['1.1', '1.2'] as const;

function server(version: '1.1' | '1.2', options: Partial<MockOneRosterOptions> = {}) {
  return createMockOneRoster({ dataset, version, ...options });
}

async function get(mock: MockOneRoster, path: string) {
  const res = await mock.fetch(`${mock.baseUrl}${path}`);
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: (text ? JSON.parse(text) : null) as Json,
  };
}

const q = (filter: string) => `filter=${encodeURIComponent(filter)}`;
const ids = (records: unknown) => (records as Wire[]).map((r) => r.sourcedId);
const sorted = (list: string[]) => [...list].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** Independent expectation: records of a collection matching a predicate, in sourcedId order. */
function expected<T extends { sourcedId: string }>(records: Iterable<T>, test: (r: T) => boolean) {
  return sorted([...records].filter(test).map((r) => r.sourcedId));
}

describe.each(VERSIONS)('OneRoster %s mock: endpoints', (version) => {
  const mock = server(version, { maxPageSize: 100_000 });
  const p = pathIds(dataset);
  const operations = rosteringOperations(version);

  it('covers the 41 Rostering operations of the specification', () => {
    expect(operations).toHaveLength(41);
  });

  it.each(operations.map((op) => [op.path, op.responseWrapperKey] as const))(
    '%s answers under "%s"',
    async (template, key) => {
      const { status, body } = await get(mock, `${fillPath(template, p)}`);
      expect(status).toBe(200);
      expect(Object.keys(body)).toEqual([key]);
    },
  );

  it.each(operations.filter((op) => op.path.includes('{')).map((op) => [op.path] as const))(
    '%s with an unknown id is 404 unknownobject',
    async (template) => {
      const path = template.replace(/\{[^}]+\}/g, 'does-not-exist');
      const { status, body } = await get(mock, path);
      expect(status).toBe(404);
      expect(body.imsx_codeMajor).toBe('failure');
      expect(JSON.stringify(body.imsx_CodeMinor)).toContain('unknownobject');
      // 1.1's imsx_StatusInfo.Type requires a message reference; 1.2's flat body has none.
      expect('imsx_messageRefIdentifier' in body).toBe(version === '1.1');
    },
  );

  it('returns the right records for subsets and nested collections', async () => {
    const all = { limit: 'limit=100000' };
    const check = async (path: string, want: string[]) => {
      const { body } = await get(mock, `${path}?${all.limit}`);
      const payload = Object.values(body)[0];
      expect(ids(payload), path).toEqual(want);
    };
    const users = dataset.users.toArray();
    const enrollments = dataset.enrollments.toArray();
    const classes = dataset.classes.toArray();
    const hasRole = (u: (typeof users)[number], role: string) =>
      u.roles.some((r) => r.role === role);
    await check(
      '/schools',
      expected(dataset.orgs, (o) => o.type === 'school'),
    );
    await check(
      '/terms',
      expected(dataset.academicSessions, (s) => s.type === 'term'),
    );
    await check(
      '/gradingPeriods',
      expected(dataset.academicSessions, (s) => s.type === 'gradingPeriod'),
    );
    await check(
      '/students',
      expected(users, (u) => hasRole(u, 'student')),
    );
    await check(
      '/teachers',
      expected(users, (u) => hasRole(u, 'teacher')),
    );
    const inClass = (role: string) =>
      new Set(
        enrollments
          .filter((e) => e.class.sourcedId === p.class && e.role === role)
          .map((e) => e.user.sourcedId),
      );
    await check(`/classes/${p.class}/students`, sorted([...inClass('student')]));
    await check(`/classes/${p.class}/teachers`, sorted([...inClass('teacher')]));
    await check(
      `/schools/${p.school}/classes/${p.class}/students`,
      sorted([...inClass('student')]),
    );
    await check(
      `/schools/${p.school}/classes/${p.class}/enrollments`,
      expected(enrollments, (e) => e.class.sourcedId === p.class),
    );
    await check(
      `/schools/${p.school}/enrollments`,
      expected(enrollments, (e) => e.school.sourcedId === p.school),
    );
    await check(
      `/schools/${p.school}/classes`,
      expected(classes, (k) => k.school.sourcedId === p.school),
    );
    await check(
      `/schools/${p.school}/courses`,
      expected(dataset.courses, (c) => c.org?.sourcedId === p.school),
    );
    await check(
      `/schools/${p.school}/students`,
      expected(users, (u) =>
        u.roles.some((r) => r.role === 'student' && r.org.sourcedId === p.school),
      ),
    );
    await check(
      `/courses/${p.course}/classes`,
      expected(classes, (k) => k.course?.sourcedId === p.course),
    );
    const classesOf = (user: string, role?: string) =>
      sorted([
        ...new Set(
          enrollments
            .filter((e) => e.user.sourcedId === user && (role === undefined || e.role === role))
            .map((e) => e.class.sourcedId),
        ),
      ]);
    await check(`/students/${p.student}/classes`, classesOf(p.student, 'student'));
    await check(`/teachers/${p.teacher}/classes`, classesOf(p.teacher, 'teacher'));
    await check(`/users/${p.teacher}/classes`, classesOf(p.teacher));
    await check(
      `/terms/${p.term}/classes`,
      expected(classes, (k) => k.terms.some((t) => t.sourcedId === p.term)),
    );
    await check(
      `/terms/${p.term}/gradingPeriods`,
      expected(
        dataset.academicSessions,
        (s) => s.type === 'gradingPeriod' && s.parent?.sourcedId === p.term,
      ),
    );
  });

  it('refuses a subset endpoint for the wrong kind of record (404)', async () => {
    const district = dataset.orgs.toArray().find((o) => o.type === 'district')?.sourcedId;
    expect((await get(mock, `/schools/${district}`)).status).toBe(404);
    expect((await get(mock, `/teachers/${p.student}`)).status).toBe(404);
    expect((await get(mock, `/terms/${p.gradingPeriod}`)).status).toBe(404);
    const other = dataset.orgs.toArray().filter((o) => o.type === 'school')[1]?.sourcedId;
    expect((await get(mock, `/schools/${other}/classes/${p.class}/students`)).status).toBe(404);
  });

  it('tolerates a trailing slash', async () => {
    const a = await get(mock, '/orgs/');
    const b = await get(mock, '/orgs');
    expect(a.status).toBe(200);
    expect(a.body).toEqual(b.body);
    expect((await get(mock, `/users/${p.student}/`)).status).toBe(200);
  });

  it('answers an unknown endpoint with 404 and a non-GET with 405', async () => {
    expect((await get(mock, '/widgets')).status).toBe(404);
    const res = await mock.fetch(`${mock.baseUrl}/users`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
  });
});

describe('wire shapes per version', () => {
  const student = dataset.users.toArray().find((u) => u.roles[0]?.role === 'student' && u.agents);
  const teacherEnrollment = dataset.enrollments.toArray().find((e) => e.role === 'teacher');

  it('1.1: role + orgs, JSON booleans', async () => {
    const mock = server('1.1');
    const { body } = await get(mock, `/users/${student?.sourcedId}`);
    const user = body.user as Json;
    expect(user.role).toBe('student');
    expect(user.orgs).toEqual([
      {
        href: `${mock.baseUrl}/orgs/${student?.roles[0]?.org.sourcedId}`,
        sourcedId: student?.roles[0]?.org.sourcedId,
        type: 'org',
      },
    ]);
    expect(user.roles).toBeUndefined();
    expect(user.enabledUser).toBe(student?.enabledUser);
    const e = (await get(mock, `/enrollments/${teacherEnrollment?.sourcedId}`)).body
      .enrollment as Json;
    expect(typeof e.primary).toBe('boolean');
  });

  it('1.2: roles[] + primaryOrg, string booleans, absolute hrefs', async () => {
    const mock = server('1.2');
    const { body } = await get(mock, `/users/${student?.sourcedId}`);
    const user = body.user as Json;
    expect(user.role).toBeUndefined();
    expect(user.roles).toEqual([
      {
        roleType: 'primary',
        role: 'student',
        org: {
          href: `${mock.baseUrl}/orgs/${student?.roles[0]?.org.sourcedId}`,
          sourcedId: student?.roles[0]?.org.sourcedId,
          type: 'org',
        },
      },
    ]);
    expect(user.enabledUser).toBe(String(student?.enabledUser));
    expect((user.agents as Json[])[0]?.type).toBe('user');
    const e = (await get(mock, `/enrollments/${teacherEnrollment?.sourcedId}`)).body
      .enrollment as Json;
    expect(e.primary === 'true' || e.primary === 'false').toBe(true);
  });

  it('1.1: roles 1.1 lacks are served as administrator, and filters see that value', async () => {
    // oneroster.md §5: 1.1 user roles; `siteAdministrator`/`districtAdministrator` are 1.2 only.
    const V1P2_ONLY = ['districtAdministrator', 'siteAdministrator'];
    const admin = dataset.users.toArray().find((u) => u.roles[0]?.role === 'siteAdministrator');
    expect(admin).toBeDefined();
    const v11 = server('1.1', { maxPageSize: 100_000 });
    const v12 = server('1.2', { maxPageSize: 100_000 });
    const one = (await get(v11, `/users/${admin?.sourcedId}`)).body.user as Json;
    expect(one.role).toBe('administrator');
    const roles = ((await get(v12, `/users/${admin?.sourcedId}`)).body.user as Json).roles;
    expect((roles as Json[])[0]?.role).toBe('siteAdministrator');
    const admins = expected(dataset.users.toArray(), (u) =>
      u.roles.some((r) => r.role === 'administrator' || V1P2_ONLY.includes(r.role)),
    );
    expect(admins.length).toBeGreaterThan(1);
    const filtered = await get(v11, `/users?limit=100000&${q("role='administrator'")}`);
    expect(ids(filtered.body.users)).toEqual(admins);
    const none = await get(v11, `/users?limit=100000&${q("role='siteAdministrator'")}`);
    expect(ids(none.body.users)).toEqual([]);
  });

  it('hrefs are canonical under baseUrl in every mode; Link follows the request origin', async () => {
    const mock = createMockOneRoster({
      dataset,
      version: '1.2',
      baseUrl: 'https://district.example.test/proxy-1',
    });
    const listener = await mock.listen();
    try {
      const res = await fetch(`${listener.baseUrl}/classes?limit=1`);
      const [klass] = ((await res.json()) as { classes: Json[] }).classes;
      expect(String((klass?.school as Json | undefined)?.href)).toBe(
        `https://district.example.test/proxy-1/ims/oneroster/rostering/v1p2/orgs/${String((klass?.school as Json | undefined)?.sourcedId)}`,
      );
      expect(listener.baseUrl).toBe(`${listener.url}/proxy-1/ims/oneroster/rostering/v1p2`);
      expect(res.headers.get('link')).toContain(
        `<${listener.baseUrl}/classes?limit=1&offset=1>; rel="next"`,
      );
    } finally {
      await listener.close();
    }
  });
});

describe.each(VERSIONS)('OneRoster %s mock: paging', (version) => {
  const total = dataset.users.size;

  it('defaults to 100 records and counts them all', async () => {
    const { body, headers } = await get(server(version), '/users');
    expect((body.users as unknown[]).length).toBe(100);
    expect(headers.get('x-total-count')).toBe(String(total));
  });

  it('pages with limit and offset in sourcedId order', async () => {
    const mock = server(version);
    const { body } = await get(mock, '/users?limit=7&offset=30');
    expect(ids(body.users)).toEqual(dataset.users.slice(30, 37).map((u) => u.sourcedId));
    const beyond = await get(mock, `/users?offset=${total + 5}`);
    expect(beyond.status).toBe(200);
    expect(beyond.body.users).toEqual([]);
  });

  it('clamps limit to maxPageSize silently', async () => {
    const { status, body, headers } = await get(
      server(version, { maxPageSize: 25 }),
      '/users?limit=1000',
    );
    expect(status).toBe(200);
    expect((body.users as unknown[]).length).toBe(25);
    expect(headers.get('link')).toContain('limit=25&offset=25>; rel="next"');
  });

  it.each([
    'limit=abc',
    'limit=-1',
    'limit=0',
    'limit=1.5',
    'offset=-1',
    'offset=x',
    'orderBy=up&sort=sourcedId',
  ])('rejects %s with 400', async (query) => {
    const { status, body } = await get(server(version), `/users?${query}`);
    expect(status).toBe(400);
    expect(body.imsx_codeMajor).toBe('failure');
  });

  it.each([
    ['both', ['x-total-count', 'link']],
    ['total', ['x-total-count']],
    ['link', ['link']],
    ['none', []],
    ['classlink', ['x-total-count', 'x-count']],
  ] as const)('pagingHeaders %s', async (mode, present) => {
    const { headers, body } = await get(
      server(version, { pagingHeaders: mode }),
      '/users?limit=10&offset=20',
    );
    for (const name of ['x-total-count', 'link', 'x-count']) {
      expect(headers.has(name), name).toBe((present as readonly string[]).includes(name));
    }
    if (mode === 'classlink')
      expect(headers.get('x-count')).toBe(String((body.users as unknown[]).length));
  });

  it('Link has same-origin next/last/first/prev that walk the whole collection', async () => {
    const mock = server(version);
    const first = await mock.fetch(
      `${mock.baseUrl}/users?limit=40&offset=40&filter=${encodeURIComponent("status='active'")}`,
    );
    const link = first.headers.get('link') ?? '';
    const rels: Record<string, URL> = Object.fromEntries(
      [...link.matchAll(/<([^>]+)>; rel="(\w+)"/g)].map((m) => [m[2], new URL(m[1] as string)]),
    );
    expect(Object.keys(rels).sort()).toEqual(['first', 'last', 'next', 'prev']);
    for (const url of Object.values(rels)) {
      expect(url.origin).toBe(new URL(mock.baseUrl).origin);
      expect(url.searchParams.get('filter')).toBe("status='active'");
    }
    expect(rels.next?.searchParams.get('offset')).toBe('80');
    expect(rels.prev?.searchParams.get('offset')).toBe('0');
    expect(rels.last?.searchParams.get('offset')).toBe(String(Math.floor((total - 1) / 40) * 40));
    // Follow next links from the start until there is none.
    const seen: string[] = [];
    let url: string | undefined = `${mock.baseUrl}/users?limit=60`;
    for (let guard = 0; url && guard < 100; guard++) {
      const res: Response = await mock.fetch(url);
      seen.push(...ids(((await res.json()) as Json).users));
      url = /<([^>]+)>; rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
    }
    expect(seen).toEqual([...dataset.users.ids()]);
  });
});

describe.each(VERSIONS)('OneRoster %s mock: sort and fields', (version) => {
  const mock = server(version);
  const collator = new Intl.Collator('und');
  const byName = (desc: boolean) =>
    dataset.users
      .toArray()
      .sort(
        (a, b) =>
          (desc ? -1 : 1) * collator.compare(a.familyName, b.familyName) ||
          (a.sourcedId < b.sourcedId ? -1 : 1),
      )
      .map((u) => u.sourcedId);

  it('sorts by a field, ascending and descending, ties by sourcedId', async () => {
    const asc = await get(mock, '/users?sort=familyName&limit=100000');
    expect(ids(asc.body.users)).toEqual(byName(false));
    const desc = await get(mock, '/users?sort=familyName&orderBy=desc&limit=100000');
    expect(ids(desc.body.users)).toEqual(byName(true));
  });

  it('sorts by sourcedId, ascending and descending, alone and with a filter', async () => {
    const all = dataset.users.toArray().map((u) => u.sourcedId);
    const asc = [...all].sort(collator.compare);
    const page = async (query: string) =>
      ids((await get(mock, `/users?${query}&limit=100000`)).body.users);
    expect(await page('sort=sourcedId')).toEqual(asc);
    expect(await page('sort=sourcedId&orderBy=asc')).toEqual(asc);
    expect(await page('sort=sourcedId&orderBy=desc')).toEqual([...asc].reverse());
    const active = new Set(
      dataset.users
        .toArray()
        .filter((u) => u.status === 'active')
        .map((u) => u.sourcedId),
    );
    const filtered = await page(
      `filter=${encodeURIComponent("status='active'")}&sort=sourcedId&orderBy=desc`,
    );
    expect(filtered).toEqual([...asc].reverse().filter((id) => active.has(id)));
  });

  it('handles an unknown sort field per version', async () => {
    const { status, body } = await get(mock, '/users?sort=nickname&limit=5');
    if (version === '1.2') {
      expect(status).toBe(400);
    } else {
      // 1.1: default order plus a warning (oneroster.md §7.2).
      expect(status).toBe(200);
      expect(ids(body.users)).toEqual(dataset.users.slice(0, 5).map((u) => u.sourcedId));
      expect(JSON.stringify(body.statusInfoSet)).toContain('invalid_sort_field');
    }
  });

  it('projects fields, comma-separated or repeated', async () => {
    for (const query of [
      'fields=sourcedId,givenName',
      'fields=sourcedId&fields=givenName',
      'fields=givenName,%20sourcedId',
    ]) {
      const { body } = await get(mock, `/users?limit=3&${query}`);
      for (const user of body.users as Json[])
        expect(Object.keys(user)).toEqual(['sourcedId', 'givenName']);
    }
    const one = await get(mock, `/users/${dataset.users.at(0)?.sourcedId}?fields=familyName`);
    expect(one.body).toEqual({ user: { familyName: dataset.users.at(0)?.familyName } });
  });

  it('handles an unknown or blank selection field per version', async () => {
    const unknown = await get(mock, '/users?limit=2&fields=sourcedId,nickname');
    const blank = await get(mock, '/users?limit=2&fields=');
    expect(blank.status).toBe(400);
    if (version === '1.2') {
      expect(unknown.status).toBe(400);
      expect(JSON.stringify(unknown.body)).toContain('invalid_selection_field');
      expect(String(unknown.body.imsx_description)).toContain('nickname');
    } else {
      // 1.1: all data and a success/warning (oneroster.md §7.3).
      expect(unknown.status).toBe(200);
      expect(Object.keys((unknown.body.users as Json[])[0] ?? {})).toContain('familyName');
      expect(unknown.body.statusInfoSet).toMatchObject([
        { imsx_codeMajor: 'success', imsx_severity: 'warning' },
      ]);
      expect(JSON.stringify(blank.body)).toContain('invalid_blank_selection_field');
    }
  });
});

describe.each(VERSIONS)('OneRoster %s mock: filters', (version) => {
  const mock = server(version);
  const users = dataset.users.toArray();
  const run = async (filter: string, path = '/users') => {
    const res = await get(mock, `${path}?limit=100000&${q(filter)}`);
    expect(res.status, `${filter}: ${JSON.stringify(res.body).slice(0, 200)}`).toBe(200);
    return ids(Object.values(res.body)[0]);
  };
  const pivot = users[Math.floor(users.length / 2)] as (typeof users)[number];

  it.each([
    ['=', (a: string, b: string) => a === b],
    ['!=', (a: string, b: string) => a !== b],
    ['>', (a: string, b: string) => a > b],
    ['>=', (a: string, b: string) => a >= b],
    ['<', (a: string, b: string) => a < b],
    ['<=', (a: string, b: string) => a <= b],
  ])('operator %s on a string field', async (op, test) => {
    expect(await run(`givenName${op}'${pivot.givenName}'`)).toEqual(
      expected(users, (u) => test(u.givenName, pivot.givenName)),
    );
  });

  it('~ is a case-insensitive "contains"', async () => {
    expect(await run("familyName~'SON'")).toEqual(
      expected(users, (u) => u.familyName.toLowerCase().includes('son')),
    );
  });

  it("doubles a quote inside a value ('' escape)", async () => {
    // The name lists carry O'Brien, O'Connor and D'Andre on purpose.
    const named = users.find((u) => u.familyName.includes("'"));
    if (!named) throw new Error('the dataset should hold a family name with an apostrophe');
    const want = expected(users, (u) => u.familyName === named.familyName);
    expect(await run(`familyName='${named.familyName.replaceAll("'", "''")}'`)).toEqual(want);
    // An undoubled quote ends the value early: the rest is a syntax error, not a silent match.
    expect((await get(mock, `/users?${q(`familyName='${named.familyName}'`)}`)).status).toBe(400);
  });

  it('compares dateLastModified as instants, not strings', async () => {
    const instant = Date.parse(pivot.dateLastModified);
    const want = expected(users, (u) => Date.parse(u.dateLastModified) > instant);
    // The same instant written with an offset: string comparison would get this wrong.
    const shifted = new Date(instant + 2 * 3_600_000)
      .toISOString()
      .replace('Z', '+02:00')
      .replace('.000', '');
    expect(await run(`dateLastModified>'${shifted}'`)).toEqual(want);
    expect(await run(`dateLastModified>='2025-06-01'`)).toEqual(
      expected(users, (u) => Date.parse(u.dateLastModified) >= Date.parse('2025-06-01T00:00:00Z')),
    );
  });

  it('compares booleans as their wire text in both versions', async () => {
    expect(await run("enabledUser='false'")).toEqual(expected(users, (u) => !u.enabledUser));
  });

  it('AND, OR, and a repeated operator', async () => {
    const [a, b, c] = [users[3], users[50], users[90]].map((u) => u?.sourcedId);
    expect(await run(`sourcedId='${a}' OR sourcedId='${b}' OR sourcedId='${c}'`)).toEqual(
      sorted([a, b, c] as string[]),
    );
    expect(await run(`status='active' AND givenName='${pivot.givenName}'`)).toEqual(
      expected(users, (u) => u.status === 'active' && u.givenName === pivot.givenName),
    );
  });

  it('filters by role with the version field name, and dot paths into references', async () => {
    const teachers = expected(users, (u) => u.roles[0]?.role === 'teacher');
    if (version === '1.1') expect(await run("role='teacher'")).toEqual(teachers);
    else
      expect(await run("roles.role='teacher'")).toEqual(
        expected(users, (u) => u.roles.some((r) => r.role === 'teacher')),
      );
    const klass = dataset.classes.at(0)?.sourcedId;
    expect(await run(`class.sourcedId='${klass}'`, '/enrollments')).toEqual(
      expected(dataset.enrollments, (e) => e.class.sourcedId === klass),
    );
  });

  it.each([
    ["nickname='x'", 'invalid_filter_field', 'nickname'],
    ["givenName='x' AND familyName='y' OR status='active'", 'invalid_filter_field', 'mixed'],
    ['givenName=x', 'invalid_filter_field', 'quotes'],
    ["givenName='x", 'invalid_filter_field', 'unterminated'],
    ["givenName='x' and status='active'", 'invalid_filter_field', 'AND'],
    ["dateLastModified>'yesterday'", 'invalid_filter_field', 'date-time'],
  ])('rejects %s with 400 %s', async (filter, minor, hint) => {
    const res = await get(mock, `/users?${q(filter)}`);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(minor);
    expect(String(res.body.imsx_description).toLowerCase()).toContain(hint.toLowerCase());
  });

  it('filters nested collections too', async () => {
    const school = dataset.orgs.toArray().find((o) => o.type === 'school')?.sourcedId;
    const got = await run(`grades='${'KG'}'`, `/schools/${school}/students`);
    expect(got).toEqual(
      expected(
        users,
        (u) =>
          u.roles.some((r) => r.role === 'student' && r.org.sourcedId === school) &&
          (u.grades ?? []).includes('KG'),
      ),
    );
  });
});

describe('datasets change under a running server', () => {
  it('never serves a stale rendering of a changed record (render cache), warmed or not', async () => {
    const local: Dataset = generateDistrict({ seed: 3, schools: 1, studentsPerSchool: 10 });
    const mock = createMockOneRoster({ dataset: local, version: '1.1' });
    expect(mock.warm(['users', 'orgs'])).toBe(local.users.size + local.orgs.size);
    const user = local.users.at(1);
    if (!user) throw new Error('no user');
    const first = await get(mock, '/users?limit=3');
    expect((first.body.users as Json[])[1]?.givenName).toBe(user.givenName);
    local.users.set({ ...structuredClone(user), givenName: 'Renamed' });
    const second = await get(mock, '/users?limit=3');
    expect((second.body.users as Json[])[1]?.givenName).toBe('Renamed');
    local.users.delete(user.sourcedId);
    const third = await get(mock, '/users?limit=3');
    expect(ids(third.body.users)).not.toContain(user.sourcedId);
  });

  it('answers delta filters (dateLastModified) exactly, before and after changes in place and to the set of records', async () => {
    const local: Dataset = generateDistrict({ seed: 5, schools: 2, studentsPerSchool: 30 });
    const mock = createMockOneRoster({ dataset: local, version: '1.2' });
    const school = local.orgs.toArray().find((o) => o.type === 'school')?.sourcedId;
    const check = async () => {
      const users = local.users.toArray();
      const enrollments = local.enrollments.toArray();
      const instants = users.map((u) => Date.parse(u.dateLastModified)).sort((a, b) => a - b);
      const pivotMs = instants[Math.floor(instants.length * 0.9)] as number;
      const pivot = new Date(pivotMs).toISOString();
      const at = (r: { dateLastModified: string }) => Date.parse(r.dateLastModified);
      const cases: Array<[string, string, string[]]> = [
        ['/users', `dateLastModified>='${pivot}'`, expected(users, (u) => at(u) >= pivotMs)],
        ['/users', `dateLastModified>'${pivot}'`, expected(users, (u) => at(u) > pivotMs)],
        ['/users', `dateLastModified<'${pivot}'`, expected(users, (u) => at(u) < pivotMs)],
        ['/users', `dateLastModified<='${pivot}'`, expected(users, (u) => at(u) <= pivotMs)],
        ['/users', `dateLastModified='${pivot}'`, expected(users, (u) => at(u) === pivotMs)],
        ['/users', `dateLastModified!='${pivot}'`, expected(users, (u) => at(u) !== pivotMs)],
        [
          '/users',
          `dateLastModified>='${pivot}' AND status='tobedeleted'`,
          expected(users, (u) => at(u) >= pivotMs && u.status === 'tobedeleted'),
        ],
        [
          '/users',
          `dateLastModified>='${pivot}' OR status='tobedeleted'`,
          expected(users, (u) => at(u) >= pivotMs || u.status === 'tobedeleted'),
        ],
        [
          '/enrollments',
          `dateLastModified>='${pivot}'`,
          expected(enrollments, (e) => at(e) >= pivotMs),
        ],
        [
          `/schools/${school}/enrollments`,
          `dateLastModified>='${pivot}'`,
          expected(enrollments, (e) => at(e) >= pivotMs && e.school.sourcedId === school),
        ],
      ];
      for (const [path, filter, want] of cases) {
        const res = await get(mock, `${path}?limit=100000&${q(filter)}`);
        expect(ids(Object.values(res.body)[0]), `${path} ${filter}`).toEqual(want);
      }
    };
    await check();
    mutate(local, {
      seed: 1,
      update: { users: 0.1, enrollments: 0.1 },
      markToBeDeleted: { users: 0.05 },
    });
    await check();
    mutate(local, { seed: 2, add: { students: 3 }, hardDelete: { users: 2 } });
    await check();
    // A value that is not a date-time never matches a comparison (and is not mistaken by the index).
    const odd = local.users.at(4);
    if (!odd) throw new Error('no user');
    local.users.set({ ...structuredClone(odd), dateLastModified: 'not a date' });
    await check();
  });

  it('serves changes at once (views are recomputed)', async () => {
    const local: Dataset = generateDistrict({ seed: 3, schools: 1, studentsPerSchool: 10 });
    const mock = createMockOneRoster({ dataset: local, version: '1.2' });
    const before = await get(mock, "/users?filter=status%3D'tobedeleted'");
    expect(before.body.users).toEqual([]);
    const user = local.users.at(0);
    if (!user) throw new Error('no user');
    local.users.set({ ...structuredClone(user), status: 'tobedeleted' });
    const after = await get(mock, "/users?filter=status%3D'tobedeleted'");
    expect(ids(after.body.users)).toEqual([user.sourcedId]);
  });
});
