/**
 * The benchmark's data: `count` user records rendered once per OneRoster version as page bodies,
 * so that serving a page costs one socket write and the server is never the bottleneck.
 *
 * Records come from the testing kit's district generator (seeded, so every run serves the same
 * bytes) and are rendered with the models' `toWire`, exactly what a 1.1 or 1.2 server sends.
 */
import { toWire } from '../../src/models';
import type { OneRosterVersion } from '../../src/models/types';
import { generateDistrict } from '../../src/testing';

export interface RenderedPages {
  version: OneRosterVersion;
  /** Page bodies in offset order; page `i` holds records `i * pageSize` up to the next page. */
  bodies: Buffer[];
  total: number;
  pageSize: number;
  bytes: number;
}

/**
 * Render the same `count` users in pages of `pageSize`, once for each version.
 *
 * @example
 * ```ts
 * const [v1p1, v1p2] = renderUserPages({ count: 200_000, pageSize: 1000, seed: 7 });
 * ```
 */
export function renderUserPages(options: {
  count: number;
  pageSize: number;
  seed: number;
}): [RenderedPages, RenderedPages] {
  const { count, pageSize, seed } = options;
  // 40 schools of 3,300 students, their staff and guardians: a little over 200,000 users.
  const schools = Math.max(1, Math.ceil(count / 5_000));
  const district = generateDistrict({
    seed,
    schools,
    studentsPerSchool: 3_300,
    teachersPerSchool: 150,
    classesPerSchool: 150,
    coursesPerSchool: 60,
  });
  if (district.users.size < count) {
    throw new Error(`the generated district has ${district.users.size} users, fewer than ${count}`);
  }
  const users = [];
  for (const user of district.users) {
    if (users.length >= count) break;
    users.push(user);
  }
  return [render(users, '1.1', pageSize), render(users, '1.2', pageSize)];
}

function render(
  users: readonly Parameters<typeof toWire<'users'>>[1][],
  version: OneRosterVersion,
  pageSize: number,
): RenderedPages {
  const bodies: Buffer[] = [];
  let bytes = 0;
  for (let start = 0; start < users.length; start += pageSize) {
    const page = users.slice(start, start + pageSize).map((user) => toWire('users', user, version));
    const body = Buffer.from(JSON.stringify({ users: page }));
    bodies.push(body);
    bytes += body.length;
  }
  return { version, bodies, total: users.length, pageSize, bytes };
}
