/**
 * Generator benchmark: time and peak memory to generate a district and read every record, for
 * 10k and 100k users (~100k and ~1M enrollments), against two baselines measured in the same
 * run: JSON.parse of the same records (what reading them from a file would cost), and holding
 * them all in arrays (what a non-lazy dataset would cost in memory).
 *
 * Each scenario runs in its own process so peak RSS is its own.
 *
 * Run: `npx tsx bench/testing/generate.ts`
 */
import { execFileSync } from 'node:child_process';
import { generateDistrict, mutate } from '../../src/testing';

const SIZES = {
  '10k': {
    seed: 1,
    schools: 10,
    studentsPerSchool: 900,
    teachersPerSchool: 60,
    adminsPerSchool: 3,
    classesPerSchool: 150,
    coursesPerSchool: 30,
    classesPerStudent: 10,
    guardianShare: 0.08,
  },
  '100k': {
    seed: 1,
    schools: 50,
    studentsPerSchool: 1800,
    teachersPerSchool: 100,
    adminsPerSchool: 4,
    classesPerSchool: 300,
    coursesPerSchool: 60,
    classesPerStudent: 10,
    guardianShare: 0.05,
  },
} as const;

type Size = keyof typeof SIZES;
type Mode = 'lazy' | 'arrays' | 'json' | 'mutate';

interface Result {
  users: number;
  enrollments: number;
  ms: number;
  peakRssMb: number;
  baseRssMb: number;
}

function scenario(size: Size, mode: Mode): Result {
  const baseRssMb = process.memoryUsage().rss / 1e6;
  const dataset = generateDistrict(SIZES[size]);
  const users = dataset.users.size;
  const enrollments = dataset.enrollments.size;
  if (mode === 'json') {
    // Baseline: the same records as JSON text, parsed. Text built first and not timed.
    const text = [
      JSON.stringify(dataset.users.toArray()),
      JSON.stringify(dataset.enrollments.toArray()),
    ];
    const started = performance.now();
    let n = 0;
    for (const t of text) n += (JSON.parse(t) as unknown[]).length;
    const ms = performance.now() - started;
    if (n !== users + enrollments) throw new Error('count mismatch');
    return { users, enrollments, ms, peakRssMb: process.resourceUsage().maxRSS / 1e3, baseRssMb };
  }
  if (mode === 'mutate') {
    // A day of changes: 1% of users updated, 100 new students, 100 tombstones, 50 students
    // removed, 1,000 schedule changes (each builds the lookups it needs from a full scan).
    const started = performance.now();
    const { changes } = mutate(dataset, {
      seed: 2,
      update: 0.01,
      add: 100,
      markToBeDeleted: 100,
      hardDelete: 50,
      moveEnrollments: 1000,
    });
    const ms = performance.now() - started;
    if (changes.movedEnrollments.length !== 1000) throw new Error('moves missing');
    return { users, enrollments, ms, peakRssMb: process.resourceUsage().maxRSS / 1e3, baseRssMb };
  }
  const started = performance.now();
  let n = 0;
  if (mode === 'arrays') {
    const users = dataset.users.toArray();
    const enrollments = dataset.enrollments.toArray();
    n = users.length + enrollments.length;
  } else {
    for (const user of dataset.users) n += user.roles.length > 0 ? 1 : 0;
    for (const enrollment of dataset.enrollments) n += enrollment.class.sourcedId ? 1 : 0;
  }
  const ms = performance.now() - started;
  if (n !== users + enrollments) throw new Error('count mismatch');
  return { users, enrollments, ms, peakRssMb: process.resourceUsage().maxRSS / 1e3, baseRssMb };
}

const [, , childSize, childMode] = process.argv;
if (childSize) {
  process.stdout.write(JSON.stringify(scenario(childSize as Size, childMode as Mode)));
} else {
  const run = (size: Size, mode: Mode): Result =>
    JSON.parse(
      execFileSync(process.execPath, [...process.execArgv, import.meta.filename, size, mode], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      }),
    ) as Result;
  console.log('generateDistrict: generate + read every user and enrollment (one process each)\n');
  for (const size of Object.keys(SIZES) as Size[]) {
    const lazy = run(size, 'lazy');
    const arrays = run(size, 'arrays');
    const json = run(size, 'json');
    const records = lazy.users + lazy.enrollments;
    console.log(
      `${size}: ${lazy.users.toLocaleString('en-US')} users, ${lazy.enrollments.toLocaleString('en-US')} enrollments`,
    );
    console.log(
      `  lazy read      ${lazy.ms.toFixed(0).padStart(6)} ms  ${((records / lazy.ms) * 1000).toFixed(0).padStart(9)} records/s  peak RSS ${lazy.peakRssMb.toFixed(0)} MB (process start ${lazy.baseRssMb.toFixed(0)} MB)`,
    );
    console.log(
      `  JSON.parse     ${json.ms.toFixed(0).padStart(6)} ms  (baseline: parse the same records)  ratio lazy/parse ${(lazy.ms / json.ms).toFixed(2)}x`,
    );
    const changed = run(size, 'mutate');
    console.log(
      `  mutate (1% updates, 100 adds, 100 tombstones, 50 deletes, 1,000 moves) ${changed.ms.toFixed(0)} ms, peak RSS ${changed.peakRssMb.toFixed(0)} MB`,
    );
    console.log(
      `  held in arrays ${arrays.ms.toFixed(0).padStart(6)} ms  peak RSS ${arrays.peakRssMb.toFixed(0)} MB  ratio memory lazy/arrays ${(lazy.peakRssMb / arrays.peakRssMb).toFixed(2)}x`,
    );
  }
}
