/**
 * Micro-benchmark of `parseRecord` (run: `npx tsx bench/models-parse.ts [pageSize]`).
 *
 * Pages of 1000 records (the client's default `pageSize`), 20 pages per round.
 *
 * For users and enrollments of both versions it prints records per second of the following; and
 * again for the users of a generated district (`district users`): their optional fields vary from
 * user to user, so a page holds records of many shapes, as real pages do (the synthetic records
 * above all have one shape, which flatters any code that reads fields by name):
 * - `JSON.parse`: parsing the page body alone (the client's floor),
 * - `touch`: a plain loop that only reads each record's fields (the cost of any per-record work),
 * - `parseRecord`: validation and normalisation of already parsed records (strict mode),
 * - `JSON.parse + parseRecord`: what the client does per page, and its ratio to `JSON.parse` alone
 *   (the budget is 1.3x).
 * Time is the process's CPU time (`process.cpuUsage`, all threads, so GC work counts), not wall
 * time: on a shared machine other processes preempt us, which wall time would count as ours. The
 * variants run interleaved, round after round, and each figure is the best round.
 */
import { type ModelKind, parseRecord } from '../src/models';
import type { OneRosterVersion } from '../src/models/types';
import { renderUserPages } from './paging/pages';

const PAGE = Number(process.argv[2] ?? 1000);
const PAGES = 20;
const COUNT = PAGE * PAGES;
const ROUNDS = 15;
const BASE = 'https://sis.example.org/ims/oneroster';

function ref(path: string, sourcedId: string, type: string) {
  return { href: `${BASE}/${path}/${sourcedId}`, sourcedId, type };
}

function user(i: number, version: OneRosterVersion): Record<string, unknown> {
  const school = ref('orgs', `school-${i % 12}`, 'org');
  const common = {
    sourcedId: `user-${i}-7c9e6679-7425-40de-944b`,
    status: 'active',
    dateLastModified: `2024-09-${String((i % 28) + 1).padStart(2, '0')}T12:34:56.789Z`,
    metadata: { 'ext:grade.level.code': '09' },
    username: `student${i}`,
    userIds: [{ type: 'LDAP', identifier: `ldap-${i}` }],
    givenName: `Given${i}`,
    familyName: `Family${i}`,
    middleName: 'M',
    identifier: String(100_000 + i),
    email: `student${i}@district.example.org`,
    agents: [ref('users', `parent-${i}`, 'user')],
    grades: ['09'],
  };
  return version === '1.2'
    ? {
        ...common,
        enabledUser: 'true',
        roles: [{ roleType: 'primary', role: 'student', org: school }],
        primaryOrg: school,
      }
    : { ...common, enabledUser: true, role: 'student', orgs: [school] };
}

function enrollment(i: number, version: OneRosterVersion): Record<string, unknown> {
  return {
    sourcedId: `enrollment-${i}-1b9d6bcd-bbfd-4b2d`,
    status: 'active',
    dateLastModified: `2024-09-${String((i % 28) + 1).padStart(2, '0')}T12:34:56.789Z`,
    user: ref('users', `user-${i}`, 'user'),
    class: ref('classes', `class-${i % 800}`, 'class'),
    school: ref('orgs', `school-${i % 12}`, 'org'),
    role: 'student',
    primary: version === '1.2' ? 'false' : false,
    beginDate: '2024-08-20',
    endDate: '2025-06-01',
  };
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Best CPU milliseconds of each variant over ROUNDS interleaved rounds, after a warm-up round. */
function best(variants: Record<string, () => unknown>): Record<string, number> {
  const result: Record<string, number> = {};
  for (let round = -1; round < ROUNDS; round++) {
    for (const [name, fn] of Object.entries(variants)) {
      const start = cpuMs();
      fn();
      const ms = cpuMs() - start;
      if (round >= 0) result[name] = Math.min(result[name] ?? Number.POSITIVE_INFINITY, ms);
    }
  }
  return result;
}

const rate = (ms: number) =>
  `${((COUNT / ms) * 1000).toLocaleString('en-US', { maximumFractionDigits: 0 })}/s`;

function run(kind: ModelKind, version: OneRosterVersion): void {
  const make = kind === 'users' ? user : enrollment;
  const bodies = Array.from({ length: PAGES }, (_, page) =>
    JSON.stringify({
      [kind]: Array.from({ length: PAGE }, (_, i) => make(page * PAGE + i, version)),
    }),
  );
  measure(kind, kind, version, bodies);
}

/** The district's users, rendered for both versions by the paging benchmark's pages. */
function runDistrict(): void {
  const sets = renderUserPages({ count: PAGES * PAGE, pageSize: PAGE, seed: 7 });
  for (const pages of sets) {
    const bodies = pages.bodies.map((body) => body.toString('utf8'));
    measure('district users', 'users', pages.version, bodies);
  }
}

function measure(
  label: string,
  kind: ModelKind,
  version: OneRosterVersion,
  bodies: readonly string[],
): void {
  const records = bodies.flatMap(
    (body) => (JSON.parse(body) as Record<string, Record<string, unknown>[]>)[kind] ?? [],
  );
  const options = { version, mode: 'strict' } as const;
  for (const raw of records) {
    const result = parseRecord(kind, raw, options);
    if (!result.ok) throw result.error;
  }

  const ms = best({
    json: () => {
      for (const body of bodies) JSON.parse(body);
    },
    touch: () => {
      let n = 0;
      for (const raw of records) for (const key in raw) if (raw[key] !== undefined) n++;
      return n;
    },
    parse: () => {
      for (const raw of records) parseRecord(kind, raw, options);
    },
    both: () => {
      for (const body of bodies) {
        const page = (JSON.parse(body) as Record<string, unknown[]>)[kind] ?? [];
        const items: unknown[] = [];
        for (const raw of page) {
          const result = parseRecord(kind, raw, options);
          if (result.ok) items.push(result.record);
        }
      }
    },
  });
  const jsonMs = ms.json ?? Number.NaN;
  const touchMs = ms.touch ?? Number.NaN;
  const parseMs = ms.parse ?? Number.NaN;
  const bothMs = ms.both ?? Number.NaN;
  console.log(
    [
      `${label.padEnd(14)} ${version}`,
      `JSON.parse ${rate(jsonMs)}`,
      `touch ${rate(touchMs)}`,
      `parseRecord ${rate(parseMs)}`,
      `JSON.parse+parseRecord ${rate(bothMs)}`,
      `ratio ${(bothMs / jsonMs).toFixed(2)}x`,
    ].join(' | '),
  );
}

console.log(
  `${PAGES} pages of ${PAGE} records, CPU time, best of ${ROUNDS} rounds, Node ${process.version}`,
);
for (const kind of ['users', 'enrollments'] as const) {
  for (const version of ['1.1', '1.2'] as const) run(kind, version);
}
runDistrict();
