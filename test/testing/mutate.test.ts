import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors';
import { SYNC_RESOURCES, type SyncResource } from '../../src/models/types';
import {
  createMockOneRoster,
  type Dataset,
  generateDistrict,
  type MutateOptions,
  mutate,
} from '../../src/testing';
import { checkIntegrity } from './fixtures';

const district = () => generateDistrict({ seed: 31, schools: 2, studentsPerSchool: 60 });

function snapshot(dataset: Dataset) {
  const out = new Map<string, string>();
  for (const kind of SYNC_RESOURCES) {
    for (const r of dataset.collection(kind)) out.set(`${kind}/${r.sourcedId}`, JSON.stringify(r));
  }
  return out;
}

const everything: MutateOptions = {
  seed: 7,
  add: { students: 4, teachers: 2, classes: 2 },
  update: {
    users: 0.1,
    classes: 3,
    orgs: 1,
    enrollments: 5,
    courses: 1,
    academicSessions: 1,
    demographics: 2,
  },
  markToBeDeleted: { users: 3, classes: 1 },
  hardDelete: { users: 2, classes: 1, enrollments: 3 },
  moveEnrollments: 6,
};

describe('mutate', () => {
  it('is deterministic', () => {
    const a = district();
    const b = district();
    expect(mutate(a, everything).changes).toEqual(mutate(b, everything).changes);
    expect([...snapshot(a)]).toEqual([...snapshot(b)]);
    // A second round on the same dataset picks other records (the dataset revision is mixed in).
    const again = mutate(a, { seed: 7, update: 5 }).changes.updated.users;
    const first = mutate(district(), { seed: 7, update: 5 }).changes.updated.users;
    expect(again).not.toEqual(first);
  });

  it('stamps every change with one instant later than everything, and reports exactly the changes', () => {
    const dataset = district();
    const before = snapshot(dataset);
    const previousLatest = dataset.latestModified;
    const { changes, at } = mutate(dataset, everything);
    expect(Date.parse(at)).toBe(Date.parse(previousLatest) + 3_600_000);
    expect(dataset.latestModified).toBe(at);
    const after = snapshot(dataset);

    const reported = new Map<string, string>();
    for (const list of ['created', 'updated', 'tobedeleted', 'hardDeleted'] as const) {
      for (const kind of SYNC_RESOURCES) {
        for (const id of changes[list][kind]) {
          const key = `${kind}/${id}`;
          expect(reported.has(key), `${key} reported twice`).toBe(false);
          reported.set(key, list);
        }
      }
    }
    // Exactly the reported records differ, and each the way its list says.
    for (const key of new Set([...before.keys(), ...after.keys()])) {
      const was = before.get(key);
      const now = after.get(key);
      const list = reported.get(key);
      if (was === now) {
        expect(list, key).toBeUndefined();
        expect(Date.parse(JSON.parse(now as string).dateLastModified)).toBeLessThan(Date.parse(at));
        continue;
      }
      if (was === undefined) expect(list, key).toBe('created');
      else if (now === undefined) expect(list, key).toBe('hardDeleted');
      else
        expect(list, key).toBe(
          JSON.parse(now).status === 'tobedeleted' ? 'tobedeleted' : 'updated',
        );
      if (now !== undefined) expect(JSON.parse(now).dateLastModified).toBe(at);
    }
    expect(checkIntegrity(dataset)).toEqual([]);
  });

  it('adds students with enrollments and demographics, teachers and classes with enrollments', () => {
    const dataset = district();
    const { changes } = mutate(dataset, { add: { students: 3, teachers: 1, classes: 1 } });
    expect(changes.created.users).toHaveLength(4);
    expect(changes.created.classes).toHaveLength(1);
    const classesPerStudent = dataset.options?.classesPerStudent ?? 0;
    expect(changes.created.enrollments).toHaveLength(3 * classesPerStudent + 1 + 1);
    const students = changes.created.users.filter(
      (id) => dataset.users.get(id)?.roles[0]?.role === 'student',
    );
    expect(changes.created.demographics.sort()).toEqual(students.sort());
    for (const id of students) {
      const mine = dataset.enrollments.toArray().filter((e) => e.user.sourcedId === id);
      expect(mine).toHaveLength(classesPerStudent);
      expect(new Set(mine.map((e) => e.class.sourcedId)).size).toBe(classesPerStudent);
      const school = dataset.users.get(id)?.primaryOrg?.sourcedId;
      expect(mine.every((e) => e.school.sourcedId === school)).toBe(true);
    }
    const [klass] = changes.created.classes;
    const teachers = dataset.enrollments
      .toArray()
      .filter((e) => e.class.sourcedId === klass && e.role === 'teacher');
    expect(teachers.map((e) => e.primary)).toEqual([true]);
    expect(checkIntegrity(dataset)).toEqual([]);
  });

  it('marks tobedeleted with cascades to enrollments and demographics', () => {
    const dataset = district();
    const { changes } = mutate(dataset, { markToBeDeleted: 2 });
    expect(changes.tobedeleted.users).toHaveLength(2);
    for (const id of changes.tobedeleted.users) {
      expect(dataset.users.get(id)?.status).toBe('tobedeleted');
      expect(dataset.demographics.get(id)?.status).toBe('tobedeleted');
      const mine = dataset.enrollments.toArray().filter((e) => e.user.sourcedId === id);
      expect(mine.every((e) => e.status === 'tobedeleted')).toBe(true);
      expect(
        mine.map((e) => e.sourcedId).every((e) => changes.tobedeleted.enrollments.includes(e)),
      ).toBe(true);
    }
  });

  it('hard-deletes with cascades: no reference is left dangling', () => {
    const dataset = district();
    const guardianOf = dataset.users
      .toArray()
      .find((u) => u.roles[0]?.role === 'student' && u.agents);
    expect(guardianOf).toBeDefined();
    const { changes } = mutate(dataset, { hardDelete: { users: 60, classes: 2 } });
    expect(changes.hardDeleted.users).toHaveLength(60);
    expect(changes.hardDeleted.classes).toHaveLength(2);
    for (const id of changes.hardDeleted.classes) {
      expect(dataset.enrollments.toArray().some((e) => e.class.sourcedId === id)).toBe(false);
    }
    for (const id of changes.hardDeleted.users) expect(dataset.demographics.has(id)).toBe(false);
    // Guardians of deleted students lost the agent link and are reported as updated.
    expect(changes.updated.users.length).toBeGreaterThan(0);
    expect(checkIntegrity(dataset)).toEqual([]);
  });

  it('never reuses the sourcedId of a deleted record for a new one', () => {
    const dataset = district();
    const deleted = mutate(dataset, { hardDelete: { users: 5, enrollments: 40 } }).changes
      .hardDeleted;
    const created = mutate(dataset, { add: 5 }).changes.created;
    expect(created.users.filter((id) => deleted.users.includes(id))).toEqual([]);
    expect(created.enrollments.filter((id) => deleted.enrollments.includes(id))).toEqual([]);
    // Also for records added and then deleted again.
    const again = mutate(dataset, { hardDelete: { users: created.users.length } }).changes
      .hardDeleted.users;
    const next = mutate(dataset, { add: 3 }).changes.created.users;
    expect(next.filter((id) => again.includes(id) || created.users.includes(id))).toEqual([]);
  });

  it('moves enrollments to another class of the same school', () => {
    const dataset = district();
    const before = new Map(dataset.enrollments.toArray().map((e) => [e.sourcedId, e]));
    const { changes } = mutate(dataset, { moveEnrollments: 10 });
    expect(changes.movedEnrollments).toHaveLength(10);
    for (const id of changes.movedEnrollments) {
      const was = before.get(id);
      const now = dataset.enrollments.get(id);
      expect(now?.class.sourcedId).not.toBe(was?.class.sourcedId);
      expect(dataset.classes.get(now?.class.sourcedId as string)?.school.sourcedId).toBe(
        was?.school.sourcedId,
      );
      expect(changes.updated.enrollments).toContain(id);
      const same = dataset.enrollments
        .toArray()
        .filter((e) => e.user.sourcedId === now?.user.sourcedId);
      expect(new Set(same.map((e) => e.class.sourcedId)).size).toBe(same.length);
    }
    expect(checkIntegrity(dataset)).toEqual([]);
  });

  it('shares are fractions below 1, counts from 1', () => {
    const dataset = district();
    const users = dataset.users.size;
    expect(mutate(dataset, { update: 0.25 }).changes.updated.users).toHaveLength(
      Math.round(users * 0.25),
    );
    expect(mutate(dataset, { update: { classes: 1 } }).changes.updated.classes).toHaveLength(1);
    expect(mutate(dataset, { update: 1_000_000 }).changes.updated.users).toHaveLength(users);
  });

  it('shows up in a served incremental query', async () => {
    const dataset = district();
    const mock = createMockOneRoster({ dataset, version: '1.2' });
    const since = dataset.latestModified;
    const { changes } = mutate(dataset, {
      seed: 3,
      add: 2,
      update: 3,
      markToBeDeleted: 1,
      hardDelete: 1,
    });
    const res = await mock.fetch(
      `${mock.baseUrl}/users?limit=1000&filter=${encodeURIComponent(`dateLastModified>'${since}'`)}`,
    );
    const served = ((await res.json()) as { users: Array<{ sourcedId: string }> }).users.map(
      (u) => u.sourcedId,
    );
    const want = [...changes.created.users, ...changes.updated.users, ...changes.tobedeleted.users];
    expect(served.sort()).toEqual(want.sort());
  });

  it.each([
    [{ at: '2000-01-01T00:00:00Z' }, 'at'],
    [{ at: 'later' }, 'at'],
    [{ update: -1 }, 'update.users'],
    [{ update: 2.5 }, 'update.users'],
    [{ hardDelete: { orgs: 1 } }, 'hardDelete.orgs'],
    [{ update: { widgets: 1 } }, 'update.widgets'],
    [{ add: 'many' }, 'add'],
  ] as Array<[MutateOptions, string]>)('rejects %j', (options, option) => {
    try {
      mutate(district(), options);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as ConfigurationError).option).toBe(option);
    }
  });

  it('accepts an explicit instant and leaves an untouched dataset as it was for 0 shares', () => {
    const dataset = district();
    const before = snapshot(dataset);
    const { changes, at } = mutate(dataset, { update: 0, at: new Date('2030-01-01T00:00:00Z') });
    expect(at).toBe('2030-01-01T00:00:00.000Z');
    const total = (['created', 'updated', 'tobedeleted', 'hardDeleted'] as const).reduce(
      (n, list) =>
        n + SYNC_RESOURCES.reduce((m, k: SyncResource) => m + changes[list][k].length, 0),
      0,
    );
    expect(total).toBe(0);
    expect([...snapshot(dataset)]).toEqual([...before]);
  });
});
