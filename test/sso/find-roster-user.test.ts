import { describe, expect, test } from 'vitest';
import type {
  Class,
  Enrollment,
  Org,
  RecordTypes,
  SyncResource,
  User,
} from '../../src/models/types';
import { findRosterUser } from '../../src/sso';
import { MemoryStorage } from '../../src/storage/memory';
import type { StagedRecord } from '../../src/storage/types';

const T = '2026-08-01T00:00:00.000Z';
const ref = (sourcedId: string, type: string) => ({ sourcedId, type });

const orgs: Org[] = [
  { sourcedId: 'dist', status: 'active', dateLastModified: T, name: 'District', type: 'district' },
  { sourcedId: 'sch-1', status: 'active', dateLastModified: T, name: 'North High', type: 'school' },
  { sourcedId: 'sch-2', status: 'active', dateLastModified: T, name: 'South High', type: 'school' },
];

function person(sourcedId: string, role: string, org: string, extra: Partial<User> = {}): User {
  return {
    sourcedId,
    status: 'active',
    dateLastModified: T,
    enabledUser: true,
    givenName: sourcedId,
    familyName: 'Test',
    roles: [{ roleType: 'primary', role, org: ref(org, 'org') }],
    ...extra,
  };
}

const users: User[] = [
  person('stu-1', 'student', 'sch-1', { username: 'Ada.Lovelace', email: 'ada@d.test' }),
  person('tea-1', 'teacher', 'sch-1', { username: 'grace', email: 'grace@d.test' }),
  person('adm-1', 'districtAdministrator', 'dist', { username: 'admin', email: 'shared@d.test' }),
  person('dup-1', 'student', 'sch-2', { username: 'twin', email: 'shared@d.test' }),
  person('dup-2', 'student', 'sch-2', { username: 'TWIN' }),
];

function klass(sourcedId: string, school: string): Class {
  return {
    sourcedId,
    status: 'active',
    dateLastModified: T,
    title: sourcedId,
    school: ref(school, 'org'),
    terms: [ref('term-1', 'academicSession')],
  };
}

const classes: Class[] = [
  klass('cls-1', 'sch-1'),
  klass('cls-2', 'sch-1'),
  klass('cls-3', 'sch-2'),
];

function enrollment(
  sourcedId: string,
  user: string,
  cls: string,
  role: string,
  status: 'active' | 'tobedeleted' = 'active',
): Enrollment {
  const school = classes.find((c) => c.sourcedId === cls)?.school.sourcedId ?? 'sch-1';
  return {
    sourcedId,
    status,
    dateLastModified: T,
    user: ref(user, 'user'),
    class: ref(cls, 'class'),
    school: ref(school, 'org'),
    role,
    primary: role === 'teacher',
  };
}

const enrollments: Enrollment[] = [
  enrollment('enr-1', 'stu-1', 'cls-1', 'student'),
  enrollment('enr-2', 'stu-1', 'cls-3', 'student'),
  enrollment('enr-3', 'tea-1', 'cls-1', 'teacher'),
  enrollment('enr-4', 'tea-1', 'cls-2', 'teacher'),
];

function staged<R extends SyncResource>(records: RecordTypes[R][]): StagedRecord<R>[] {
  return records.map((data) => ({
    sourcedId: data.sourcedId,
    status: data.status,
    dateLastModified: data.dateLastModified,
    data,
    raw: data,
    hash: `h-${data.sourcedId}`,
  }));
}

async function seeded(tenantId = '2'): Promise<MemoryStorage> {
  const storage = new MemoryStorage();
  const run = await storage.beginRun(tenantId, 'run-1');
  await run.stage('orgs', staged<'orgs'>(orgs));
  await run.stage('users', staged<'users'>(users));
  await run.stage('classes', staged<'classes'>(classes));
  await run.stage('enrollments', staged<'enrollments'>(enrollments));
  const resources: SyncResource[] = ['orgs', 'users', 'classes', 'enrollments'];
  await run.commit({
    sweep: resources,
    resources,
    state: { cursors: {}, incrementalRunsSinceFull: 0, runId: 'run-1' },
    report: {
      runId: 'run-1',
      tenantId,
      mode: 'full',
      requestedMode: 'full',
      status: 'succeeded',
      startedAt: T,
      finishedAt: T,
      durationMs: 1,
      dryRun: false,
      resources: {},
      warnings: [],
      errors: [],
    },
  });
  return storage;
}

describe('findRosterUser', () => {
  test('matches by (tenantId, sourcedId) and loads roles, schools and classes', async () => {
    const storage = await seeded();
    const match = await findRosterUser(storage, { tenantId: '2', sourcedId: 'stu-1' });
    expect(match?.matchedBy).toBe('sourcedId');
    expect(match?.user.sourcedId).toBe('stu-1');
    expect(match?.primaryRole).toBe('student');
    expect(match?.orgs.map((o) => o.sourcedId)).toEqual(['sch-1']);
    // The school of a class counts too (cls-3 is at South High).
    expect(match?.schools.map((o) => o.sourcedId).sort()).toEqual(['sch-1', 'sch-2']);
    expect(match?.classes.map((c) => [c.class.sourcedId, c.role])).toEqual([
      ['cls-1', 'student'],
      ['cls-3', 'student'],
    ]);
  });

  test('a teacher sees the classes they teach, marked primary', async () => {
    const storage = await seeded();
    const match = await findRosterUser(storage, { tenantId: '2', sourcedId: 'tea-1' });
    expect(match?.classes.map((c) => [c.class.sourcedId, c.role, c.primary])).toEqual([
      ['cls-1', 'teacher', true],
      ['cls-2', 'teacher', true],
    ]);
  });

  test('a stale or missing sourcedId falls back to LoginId = username (case-insensitive)', async () => {
    const storage = await seeded();
    const stale = await findRosterUser(storage, {
      tenantId: '2',
      sourcedId: 'old-id-from-sso-cache',
      loginId: 'ada.lovelace',
    });
    expect(stale?.matchedBy).toBe('loginId');
    expect(stale?.user.sourcedId).toBe('stu-1');
    const none = await findRosterUser(storage, { tenantId: '2', loginId: 'grace' });
    expect(none?.user.sourcedId).toBe('tea-1');
  });

  test('the email fallback is opt-in', async () => {
    const storage = await seeded();
    const key = { tenantId: '2', email: 'GRACE@d.test' };
    expect(await findRosterUser(storage, key)).toBeNull();
    const match = await findRosterUser(storage, key, { fallbacks: ['loginId', 'email'] });
    expect(match?.matchedBy).toBe('email');
    expect(match?.user.sourcedId).toBe('tea-1');
  });

  test('an ambiguous username or email never picks one of the candidates', async () => {
    const storage = await seeded();
    expect(await findRosterUser(storage, { tenantId: '2', loginId: 'twin' })).toBeNull();
    expect(
      await findRosterUser(
        storage,
        { tenantId: '2', email: 'shared@d.test' },
        { fallbacks: ['email'] },
      ),
    ).toBeNull();
  });

  test('another tenant is another roster', async () => {
    const storage = await seeded('2');
    expect(await findRosterUser(storage, { tenantId: '3', sourcedId: 'stu-1' })).toBeNull();
  });

  test('the storage tenant can be mapped from the ClassLink tenant id', async () => {
    const storage = await seeded('district-north');
    const tenantId = (id: string) => (id === '2' ? 'district-north' : undefined);
    const match = await findRosterUser(
      storage,
      { tenantId: '2', sourcedId: 'stu-1' },
      { tenantId },
    );
    expect(match?.tenantId).toBe('district-north');
    expect(
      await findRosterUser(storage, { tenantId: '9', sourcedId: 'stu-1' }, { tenantId }),
    ).toBeNull();
  });

  test('includeClasses: false skips the enrollment scan', async () => {
    const storage = await seeded();
    let listed = 0;
    const counting = {
      get: storage.get.bind(storage),
      list: ((resource, options) => {
        listed += 1;
        return storage.list(resource, options);
      }) as MemoryStorage['list'],
    };
    const match = await findRosterUser(
      counting,
      { tenantId: '2', sourcedId: 'stu-1' },
      { includeClasses: false },
    );
    expect(match?.classes).toEqual([]);
    expect(listed).toBe(0);
  });

  test('an unknown user is null', async () => {
    const storage = await seeded();
    expect(await findRosterUser(storage, { tenantId: '2', sourcedId: 'nobody' })).toBeNull();
  });
});
