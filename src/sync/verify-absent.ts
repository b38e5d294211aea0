/**
 * Confirm deletions that a paged read cannot prove. A full run deletes what it did not see; but
 * when a server sends no total count, a record deleted before the current offset while we page
 * shifts the rest left and one record is never served, with no sign of it. So, for such reads,
 * every stored record the pull did not see is asked for by id before it may be swept: a 404
 * confirms the deletion, a record that is still there is staged (and so kept).
 *
 * Deletions are few in a normal run, so this costs a handful of requests; above
 * {@link MAX_VERIFIED_ABSENT} the sweep goes ahead unverified, with a warning.
 *
 * @module
 */
import { isOneRosterError } from '../errors';
import type { RecordTypes, SyncResource, User } from '../models/types';
import type { StagedRecord } from '../storage/types';
import type { PullContext } from './pull';
import type { SyncCollection } from './source';

/** Most absent records confirmed one by one per resource and run. */
export const MAX_VERIFIED_ABSENT = 200;

type AnyRecord = RecordTypes[SyncResource];

/** What verification found. */
export interface AbsentCheck {
  /** Absent records confirmed gone (404, `tobedeleted`, or out of the sync's scope). */
  confirmed: number;
  /** Records the read missed that the server still has; staged again. */
  kept: number;
  /** More absent records than {@link MAX_VERIFIED_ABSENT}: none were checked. */
  tooMany: boolean;
}

/**
 * Check every stored live record of `resource` the read did not return (`known` is false). The
 * run's staged records of `resource` must be flushed to storage first.
 *
 * @param take stages a record the server still has, as if the read had returned it; resolves
 * `false` when the record is outside the sync's scope and was not staged
 * @param keepStored stages the stored copy of a record that exists but failed validation
 */
export async function verifyAbsent(
  ctx: PullContext,
  resource: SyncResource,
  known: (sourcedId: string) => boolean,
  take: (record: AnyRecord) => Promise<boolean>,
  keepStored: (record: StagedRecord) => Promise<void>,
): Promise<AbsentCheck> {
  const { storage, tenantId, client, validation, schools } = ctx.options;
  // The plan is a cheap set operation in storage; scanning the stored records is not, so only
  // scan when the sweep would delete something.
  const planned = await ctx.staged.plan({ resources: [resource], sweep: [resource] });
  if ((planned[resource]?.deleted ?? 0) === 0) return { confirmed: 0, kept: 0, tooMany: false };
  const absent: string[] = [];
  for await (const record of storage.list(resource, { tenantId })) {
    if (known(record.sourcedId)) continue;
    absent.push(record.sourcedId);
    if (absent.length > MAX_VERIFIED_ABSENT) return { confirmed: 0, kept: 0, tooMany: true };
  }
  const collection = client[resource] as SyncCollection<AnyRecord>;
  const scope = schools ? new Set(schools) : undefined;
  let confirmed = 0;
  let kept = 0;
  for (const id of absent) {
    let record: AnyRecord;
    try {
      record = await collection.get(id, undefined, {
        validation,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
    } catch (error) {
      if (isOneRosterError(error) && error.code === 'not_found') {
        confirmed++;
        continue;
      }
      if (isOneRosterError(error) && error.code === 'validation_failed') {
        // It exists but cannot be read: keep the stored copy, as for invalid records in a page.
        const stored = await storage.get(resource, id, { tenantId });
        if (stored) {
          const { sourcedId, status, dateLastModified, data, raw, hash } = stored;
          await keepStored({ sourcedId, status, dateLastModified, data, raw, hash });
        }
        kept++;
        continue;
      }
      throw error;
    }
    if (record.status === 'tobedeleted' || (scope && !inScope(resource, record, scope))) {
      confirmed++;
      continue;
    }
    if (await take(record)) kept++;
    else confirmed++;
  }
  return { confirmed, kept, tooMany: false };
}

/**
 * Whether a record belongs to a scoped sync, by the same rule as the nested endpoints it is
 * pulled from (`streams.ts`). Resources pulled from top-level listings are always in scope.
 */
function inScope(resource: SyncResource, record: AnyRecord, schools: ReadonlySet<string>): boolean {
  const ref = (value: unknown) =>
    schools.has((value as { sourcedId?: string } | undefined)?.sourcedId ?? '');
  switch (resource) {
    case 'courses':
      return ref((record as RecordTypes['courses']).org);
    case 'classes':
      return ref((record as RecordTypes['classes']).school);
    case 'enrollments':
      return ref((record as RecordTypes['enrollments']).school);
    case 'users':
      return (record as User).roles.some(
        (role) => (role.role === 'student' || role.role === 'teacher') && ref(role.org),
      );
    default:
      return true;
  }
}
