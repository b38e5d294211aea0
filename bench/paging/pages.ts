/**
 * The benchmark's data: `count` user records rendered once as OneRoster 1.1 page bodies, so that
 * serving a page costs one socket write and the server is never the bottleneck.
 *
 * Records come from the testing kit's district generator (seeded, so every run serves the same
 * bytes) and are rendered with the models' `toWire`, exactly what a 1.1 server sends.
 */
import { toWire } from '../../src/models';
import { generateDistrict } from '../../src/testing';

export interface RenderedPages {
  /** Page bodies in offset order; page `i` holds records `i * pageSize` up to the next page. */
  bodies: Buffer[];
  total: number;
  pageSize: number;
  bytes: number;
}

/**
 * Render `count` users in pages of `pageSize`.
 *
 * @example
 * ```ts
 * const pages = renderUserPages({ count: 200_000, pageSize: 1000, seed: 7 });
 * ```
 */
export function renderUserPages(options: {
  count: number;
  pageSize: number;
  seed: number;
}): RenderedPages {
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
  const bodies: Buffer[] = [];
  let page: Record<string, unknown>[] = [];
  let bytes = 0;
  let index = 0;
  for (const user of district.users) {
    if (index++ >= count) break;
    page.push(toWire('users', user, '1.1'));
    if (page.length === pageSize) {
      bodies.push(Buffer.from(JSON.stringify({ users: page })));
      bytes += bodies.at(-1)?.length ?? 0;
      page = [];
    }
  }
  if (page.length > 0) {
    bodies.push(Buffer.from(JSON.stringify({ users: page })));
    bytes += bodies.at(-1)?.length ?? 0;
  }
  return { bodies, total: count, pageSize, bytes };
}
