/**
 * `mutate()`: day-N changes to a dataset for sync tests. Changes a chosen share of records,
 * stamps every change with one new `dateLastModified` later than anything in the dataset, keeps
 * references valid, and reports exactly what changed.
 *
 * @module
 */
import { ConfigurationError } from '../../errors';
import type { Enrollment, OneRosterRecord, SyncResource, User } from '../../models/types';
import { SYNC_RESOURCES } from '../../models/types';
import { createRandom, type Seed } from '../random';
import type { Dataset } from './dataset';
import { Editor } from './editor';

/**
 * How many records to change: a number in (0, 1) is a share of the live records of that kind;
 * an integer >= 1 is a count (capped at what exists); 0 changes nothing.
 */
export type Share = number;

/** Resources `hardDelete` supports (the others would leave dangling references). */
export type HardDeletable = 'users' | 'classes' | 'enrollments' | 'demographics';

/** What {@link mutate} changes. Every field is optional. */
export interface MutateOptions {
  /** Drives which records are picked and how they change. @default 1 */
  seed?: Seed;
  /**
   * New records. A number means students. Each new student gets enrollments in
   * `classesPerStudent` classes of its school and a demographics record; a new teacher gets a
   * non-primary enrollment in one class; a new class gets a primary teacher enrollment.
   */
  add?: Share | { students?: Share; teachers?: Share; classes?: Share };
  /** Records whose content changes (names, e-mail, rooms, dates, ...). A number means users. */
  update?: Share | Partial<Record<SyncResource, Share>>;
  /**
   * Records set to `status: 'tobedeleted'`. A number means users. Users are picked among
   * students, and their enrollments and demographics are marked too; a class's enrollments are
   * marked with it.
   */
  markToBeDeleted?: Share | Partial<Record<SyncResource, Share>>;
  /**
   * Records removed outright. A number means users (students only). Cascades so no reference
   * dangles: a user's enrollments and demographics are removed and guardians' `agents` updated;
   * a class's enrollments are removed (not tombstoned). Enrollments are picked among students'.
   */
  hardDelete?: Share | Partial<Record<HardDeletable, Share>>;
  /** Student enrollments moved to another class of the same school (a schedule change). */
  moveEnrollments?: Share;
  /**
   * The `dateLastModified` of every change. Must be later than `dataset.latestModified`.
   * @default one hour after `dataset.latestModified`
   */
  at?: string | Date;
}

/** sourcedIds per resource. */
export type IdsByResource = Record<SyncResource, string[]>;

/** What a mutation changed. Each sourcedId appears in at most one of created/updated/tobedeleted/hardDeleted. */
export interface MutationChanges {
  created: IdsByResource;
  /** Content changes, including records touched by a cascade and moved enrollments. */
  updated: IdsByResource;
  tobedeleted: IdsByResource;
  hardDeleted: IdsByResource;
  /** Enrollments whose class changed (also listed in `updated.enrollments`). */
  movedEnrollments: string[];
}

/** The result of {@link mutate}. */
export interface MutationResult {
  /** The same dataset object, changed in place. */
  dataset: Dataset;
  changes: MutationChanges;
  /** The `dateLastModified` stamped on every change. */
  at: string;
}

function count(share: Share | undefined, available: number, option: string): number {
  if (share === undefined || share === 0) return 0;
  if (typeof share !== 'number' || !Number.isFinite(share) || share < 0) {
    throw new ConfigurationError(
      option,
      `must be 0, a share in (0, 1) or a count >= 1, got ${String(share)}`,
    );
  }
  if (share < 1) return Math.round(share * available);
  if (!Number.isInteger(share)) {
    throw new ConfigurationError(option, `a count must be an integer, got ${share}`);
  }
  return Math.min(share, available);
}

function perResource<K extends string>(
  value: Share | Partial<Record<K, Share>> | undefined,
  shorthand: K,
  allowed: readonly K[],
  option: string,
): Partial<Record<K, Share>> {
  if (value === undefined) return {};
  if (typeof value === 'number') return { [shorthand]: value } as Partial<Record<K, Share>>;
  if (typeof value !== 'object' || value === null) {
    throw new ConfigurationError(option, 'must be a number or an object of numbers per resource');
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key as K)) {
      throw new ConfigurationError(
        `${option}.${key}`,
        `is not supported; use one of ${allowed.join(', ')}`,
      );
    }
  }
  return value;
}

/**
 * Change a dataset the way a district's data changes from one day to the next, for
 * incremental-sync tests. Mutates `dataset` in place (a mock server serving it sees the changes
 * at once) and returns what changed, per resource, so tests can assert on it.
 *
 * Operations run in this order, never touching a record twice: hard deletes, tobedeleted
 * marks, updates, enrollment moves, additions.
 *
 * @throws {ConfigurationError} naming the option when an option is invalid.
 *
 * @example
 * ```ts
 * const district = generateDistrict({ seed: 1 });
 * const { changes } = mutate(district, { seed: 2, add: 5, update: 0.1, markToBeDeleted: 3 });
 * changes.created.users;      // the 5 new students
 * changes.created.enrollments; // their enrollments
 * ```
 */
export function mutate(dataset: Dataset, options: MutateOptions = {}): MutationResult {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigurationError('options', 'must be an object');
  }
  const latest = Date.parse(dataset.latestModified);
  let atMs = latest + 3_600_000;
  if (options.at !== undefined) {
    atMs = options.at instanceof Date ? options.at.getTime() : Date.parse(options.at);
    if (Number.isNaN(atMs)) throw new ConfigurationError('at', 'must be a date-time');
    if (atMs <= latest) {
      throw new ConfigurationError(
        'at',
        `must be later than the dataset's latest dateLastModified (${dataset.latestModified})`,
      );
    }
  }
  const at = new Date(atMs).toISOString();
  const random = createRandom(options.seed ?? 1, 'mutate', dataset.revision);
  const editor = new Editor(dataset, at, random);

  const hard = perResource<HardDeletable>(
    options.hardDelete,
    'users',
    ['users', 'classes', 'enrollments', 'demographics'],
    'hardDelete',
  );
  const marks = perResource<SyncResource>(
    options.markToBeDeleted,
    'users',
    SYNC_RESOURCES,
    'markToBeDeleted',
  );
  const updates = perResource<SyncResource>(options.update, 'users', SYNC_RESOURCES, 'update');
  const additions = perResource<'students' | 'teachers' | 'classes'>(
    options.add,
    'students',
    ['students', 'teachers', 'classes'],
    'add',
  );

  const size = (kind: SyncResource) => dataset.collection(kind).size;
  for (const kind of ['enrollments', 'demographics', 'classes', 'users'] as const) {
    const n = count(hard[kind], size(kind), `hardDelete.${kind}`);
    for (const id of editor.pick(kind, n, (r) => isPickable(kind, r))) editor.hardDelete(kind, id);
  }
  for (const kind of SYNC_RESOURCES) {
    const n = count(marks[kind], size(kind), `markToBeDeleted.${kind}`);
    const test = (r: OneRosterRecord) => r.status === 'active' && isPickable(kind, r);
    for (const id of editor.pick(kind, n, test)) editor.markToBeDeleted(kind, id);
  }
  for (const kind of SYNC_RESOURCES) {
    const n = count(updates[kind], size(kind), `update.${kind}`);
    for (const id of editor.pick(kind, n, (r) => r.status === 'active')) editor.update(kind, id);
  }
  const moves = count(options.moveEnrollments, size('enrollments'), 'moveEnrollments');
  const movable = (r: OneRosterRecord) =>
    r.status === 'active' && (r as Enrollment).role === 'student';
  // A move can fail (no other class left for that student): draw spares, then everything.
  for (const batch of [moves * 2 + 8, Number.POSITIVE_INFINITY]) {
    if (editor.changes.movedEnrollments.length >= moves) break;
    for (const id of editor.pick('enrollments', batch, movable)) {
      if (editor.changes.movedEnrollments.length >= moves) break;
      editor.move(id);
    }
  }
  const students = count(additions.students, editor.studentCount(), 'add.students');
  for (let i = 0; i < students; i++) editor.addStudent();
  const teachers = count(additions.teachers, editor.teacherCount(), 'add.teachers');
  for (let i = 0; i < teachers; i++) editor.addTeacher();
  const classes = count(additions.classes, dataset.classes.size, 'add.classes');
  for (let i = 0; i < classes; i++) editor.addClass();

  dataset.noteModified(at);
  return { dataset, changes: editor.changes, at };
}

/**
 * Deletions pick students and students' enrollments only: removing a teacher or a primary
 * teacher enrollment would leave a class without its primary teacher.
 */
function isPickable(kind: SyncResource, record: OneRosterRecord): boolean {
  if (kind === 'users') return (record as User).roles.some((r) => r.role === 'student');
  if (kind === 'enrollments') return (record as Enrollment).role === 'student';
  return true;
}

/**
 * Hard-delete records with the same cascades as `mutate({ hardDelete })` (for users, classes,
 * enrollments and demographics); other kinds are removed alone, which may leave references to
 * them dangling, as a provider changing data mid-sync can. Returns what changed.
 */
export function hardDeleteRecords(
  dataset: Dataset,
  kind: SyncResource,
  ids: readonly string[],
  at: string,
): MutationChanges {
  const editor = new Editor(dataset, at, createRandom(1, 'hard-delete'));
  for (const id of ids) {
    if (
      kind === 'users' ||
      kind === 'classes' ||
      kind === 'enrollments' ||
      kind === 'demographics'
    ) {
      editor.hardDelete(kind, id);
    } else if (dataset.collection(kind).delete(id)) {
      editor.changes.hardDeleted[kind].push(id);
    }
  }
  dataset.noteModified(at);
  return editor.changes;
}
