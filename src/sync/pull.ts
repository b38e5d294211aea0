/**
 * Pull one resource from the server into the run's staging area, page by page: records are
 * hashed and staged in batches as they arrive, so memory holds one page and one batch, not the
 * resource (field-lessons §1.8). Storage keeps the last staged copy of a record, so duplicates
 * (`>=` deltas, users in several schools, records shifting between pages) need no filtering
 * here; only a 64-bit hash of each sourcedId seen is kept (`IdSet`, 8 bytes per record), to count
 * distinct records, to notice a listing that shifted, and to know which stored records a full
 * pull did not see.
 *
 * @module
 */
import { AbortError, isOneRosterError } from '../errors';
import { rawRecord } from '../models';
import type { RecordTypes, SyncResource } from '../models/types';
import type { ClientEvent } from '../options';
import { filter, type ListParams } from '../query';
import type { StagedRecord, StagedRun } from '../storage/types';
import { SyncError } from './errors';
import type { SyncEventInput } from './events';
import { serializeRecord } from './hash';
import { IdSet } from './id-set';
import type { ResolvedSyncOptions } from './options';
import { WalkStability } from './stability';
import { orgsInScope, type Stream, streamsFor } from './streams';
import { MAX_VERIFIED_ABSENT, verifyAbsent } from './verify-absent';

type AnyRecord = RecordTypes[SyncResource];

/** What a listing of the sync asks for besides paging. */
type ListingParams = Pick<ListParams, 'filter' | 'sort' | 'orderBy'>;

/** See `SyncOptions.sortBySourcedId`: offset paging is only stable over a stable order. */
const STABLE_ORDER: ListingParams = { sort: 'sourcedId', orderBy: 'asc' };

/** Everything a pull needs from its run. */
export interface PullContext {
  options: ResolvedSyncOptions;
  staged: StagedRun;
  /** Full runs sweep complete resources, so invalid records' stored copies must be re-staged. */
  full: boolean;
  signal: AbortSignal | undefined;
  emit: (event: SyncEventInput) => void;
  /**
   * Users staged in this run (kept only when a scoped run also pulls demographics), and whether
   * that set is every in-scope user.
   */
  scopedUsers: { ids: IdSet; complete: boolean } | undefined;
}

/** What pulling one resource produced. */
export interface PullResult {
  resource: SyncResource;
  /** `skipped`: an optional resource the server refused (403/404) before anything was staged. */
  outcome: 'staged' | 'skipped';
  /** Distinct valid records received (after scope filtering). */
  fetched: number;
  /** Distinct invalid records, plus invalid records without a readable sourcedId. */
  invalid: number;
  /** Every invalid record had a sourcedId, so a sweep cannot delete a record we failed to read. */
  sweepable: boolean;
  /** No sign that the collection changed while it was read (see `stability.ts`). */
  stable: boolean;
  /** The latest `dateLastModified` received, epoch ms. */
  maxSeenMs: number | undefined;
  warnings: string[];
}

/**
 * Pull `resource` completely (`since` undefined) or its changes since `since`.
 *
 * @throws whatever the client throws (typed), an `AbortError` when the signal fires, or a
 * `SyncError` for a scope that does not match the server.
 */
export async function pullResource(
  ctx: PullContext,
  resource: SyncResource,
  since: string | undefined,
): Promise<PullResult> {
  const { options, emit } = ctx;
  const scoped = options.schools !== undefined;
  // Scoped orgs are always read completely: whether an org is in scope depends on its parents.
  const changesOnly = since !== undefined && !(scoped && resource === 'orgs');
  const streams = streamsFor(options.client, resource, options.schools);
  const accept = scopeFilter(ctx, resource);
  // Scoped orgs need the whole (small) list before deciding which to keep.
  const heldOrgs: RecordTypes['orgs'][] | undefined =
    scoped && resource === 'orgs' ? [] : undefined;
  const startedMs = performance.now();
  const seen = new IdSet();
  const invalidIds = new Set<string>();
  const unstable: string[] = [];
  let untotalled = false;
  const warnings: string[] = [];
  const batcher = new Batcher(ctx.staged, resource, options.batchSize);
  let unreadableInvalid = 0;
  let invalidEventsInPage = 0;
  let maxSeenMs: number | undefined;
  let started = false;

  const start = (total: number | undefined) => {
    if (started) return;
    started = true;
    emit({
      type: 'resource_started',
      resource,
      pull: changesOnly ? 'changes' : 'complete',
      ...(changesOnly && since !== undefined ? { since } : {}),
      ...(total !== undefined ? { total } : {}),
    });
  };

  const onEvent = (event: ClientEvent) => {
    if (event.type === 'invalid_record') {
      invalidEventsInPage++;
      if (event.sourcedId === undefined || event.sourcedId === '') unreadableInvalid++;
      else invalidIds.add(event.sourcedId);
      emit({ type: 'invalid_record', resource, sourcedId: event.sourcedId });
    } else if (event.type === 'retry') {
      const { attempt, delayMs, reason } = event;
      emit({ type: 'retry', resource, attempt, delayMs, reason });
    } else if (event.type === 'rate_limit_wait') {
      emit({ type: 'rate_limit_wait', resource, delayMs: event.delayMs, reason: event.reason });
    }
  };

  /** `counted`: the listing's stability watch already added the id to `seen`. */
  const take = async (record: AnyRecord, counted = false): Promise<boolean> => {
    if (accept && !(await accept(record))) return false;
    if (!counted) seen.add(record.sourcedId);
    const modified = Date.parse(record.dateLastModified);
    if (!Number.isNaN(modified) && (maxSeenMs === undefined || modified > maxSeenMs)) {
      maxSeenMs = modified;
    }
    // A later copy of a record (it moved between pages, or changed during the pull) is staged
    // again: storage keeps the last one, the most recent view of the server.
    await batcher.add(toStaged(record));
    return true;
  };

  const params: ListingParams = {
    ...(options.sortBySourcedId ? STABLE_ORDER : {}),
    ...(changesOnly && since !== undefined
      ? { filter: filter.gte('dateLastModified', since) }
      : {}),
  };
  for (const stream of streams) {
    // One listing, unfiltered: its ids are the resource's ids, so do not keep them twice.
    const shared = streams.length === 1 && !accept && !heldOrgs;
    const watch = new WalkStability(shared ? seen : undefined);
    try {
      await readStream(stream, params, ctx, onEvent, async (items, total, skipped) => {
        start(streams.length === 1 ? total : undefined);
        // A page that skipped more records than it named (a client without per-call events)
        // has invalid records we cannot identify: treat them as unreadable.
        if (skipped > invalidEventsInPage) unreadableInvalid += skipped - invalidEventsInPage;
        invalidEventsInPage = 0;
        watch.page(total, skipped);
        for (const item of items) {
          watch.record(item.sourcedId);
          if (heldOrgs) heldOrgs.push(item as RecordTypes['orgs']);
          else await take(item, shared);
        }
        emit({
          type: 'page',
          resource,
          records: heldOrgs ? heldOrgs.length : seen.size,
          ...(streams.length === 1 && total !== undefined ? { total } : {}),
          ratePerSecond: rate(heldOrgs ? heldOrgs.length : seen.size, startedMs),
        });
      });
    } catch (error) {
      if (isOptionalRefusal(ctx, resource, error) && batcher.empty && seen.size === 0) {
        return skipped(ctx, resource, stream, error, startedMs, start);
      }
      throw error;
    }
    const problem = watch.verdict();
    if (problem) unstable.push(`${stream.label}: ${problem}`);
    if (!watch.hasTotal) untotalled = true;
  }

  if (heldOrgs && options.schools) {
    const { keep, missing } = orgsInScope(heldOrgs, options.schools);
    if (missing.length > 0) {
      throw new SyncError(
        `${missing.length > 1 ? 'schools' : 'school'} ${missing.map((id) => `"${id}"`).join(', ')} ` +
          "from the `schools` option not found among the server's orgs; nothing was changed. " +
          "Check the district's data sharing or the option",
      );
    }
    for (const org of heldOrgs) if (keep.has(org.sourcedId)) await take(org);
  }

  if (ctx.full) await restageInvalid(ctx, resource, invalidIds, seen, batcher);
  const sweepable = ctx.full && unreadableInvalid === 0;
  if (sweepable && unstable.length === 0 && untotalled && !heldOrgs) {
    // Without a total, nothing shows a record skipped by a concurrent deletion: ask for each.
    await batcher.flush();
    const known = (id: string) => seen.has(id) || invalidIds.has(id);
    const check = await verifyAbsent(ctx, resource, known, take, (r) => batcher.add(r));
    if (check.tooMany) {
      warnings.push(
        `${resource}: more than ${MAX_VERIFIED_ABSENT} stored records were absent from a read ` +
          'without a total count; they were deleted without confirming each one',
      );
    }
  }
  await batcher.flush();

  if (ctx.full && unreadableInvalid > 0) {
    warnings.push(
      `${resource}: ${unreadableInvalid} invalid record(s) without a readable sourcedId; ` +
        'absent records were not deleted this run',
    );
  }
  if (unstable.length > 0) {
    warnings.push(
      `${resource} changed while it was being read (${unstable.join('; ')}); ` +
        `${ctx.full ? 'absent records were not deleted and ' : ''}its cursor was kept, so the ` +
        'next run reads the changes again',
    );
  }
  if (ctx.scopedUsers && resource === 'users') {
    ctx.scopedUsers.ids.addAll(seen);
    ctx.scopedUsers.complete = !changesOnly;
  }
  start(undefined);
  const invalid = invalidIds.size + unreadableInvalid;
  const durationMs = Math.round(performance.now() - startedMs);
  emit({ type: 'resource_finished', resource, fetched: seen.size, invalid, durationMs });
  return {
    resource,
    outcome: 'staged',
    fetched: seen.size,
    invalid,
    sweepable,
    stable: unstable.length === 0,
    maxSeenMs,
    warnings,
  };
}

/** Collects staged records into `stage()` calls of `size` records. */
class Batcher {
  #batch: StagedRecord[] = [];
  #stagedAny = false;

  constructor(
    readonly staged: StagedRun,
    readonly resource: SyncResource,
    readonly size: number,
  ) {}

  /** Nothing added yet. */
  get empty(): boolean {
    return !this.#stagedAny && this.#batch.length === 0;
  }

  async add(record: StagedRecord): Promise<void> {
    this.#batch.push(record);
    if (this.#batch.length >= this.size) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.#batch.length === 0) return;
    const records = this.#batch;
    this.#batch = [];
    this.#stagedAny = true;
    await this.staged.stage(this.resource, records);
  }
}

async function readStream(
  stream: Stream<SyncResource>,
  params: ListingParams,
  ctx: PullContext,
  onEvent: (event: ClientEvent) => void,
  onPage: (
    items: readonly AnyRecord[],
    total: number | undefined,
    skipped: number,
  ) => Promise<void>,
): Promise<void> {
  const { signal } = ctx;
  const paginator = stream.open(params, {
    validation: ctx.options.validation,
    onEvent,
    ...(signal ? { signal } : {}),
  });
  for await (const page of paginator.pages()) {
    // The client checks the signal per request; checking per page also stops a fast server.
    if (signal?.aborted) throw new AbortError('The sync run was aborted', { cause: signal.reason });
    await onPage(page.items, page.totalCount, page.skipped ?? 0);
  }
}

/**
 * Records that failed validation in a full run: their stored copy must survive the sweep, so
 * it is staged again, unless a valid copy arrived in this run after all.
 */
async function restageInvalid(
  ctx: PullContext,
  resource: SyncResource,
  invalidIds: ReadonlySet<string>,
  seen: IdSet,
  batcher: Batcher,
): Promise<void> {
  const { storage, tenantId } = ctx.options;
  for (const id of invalidIds) {
    if (seen.has(id)) continue;
    const stored = await storage.get(resource, id, { tenantId });
    if (!stored) continue;
    const { sourcedId, status, dateLastModified, data, raw, hash } = stored;
    await batcher.add({ sourcedId, status, dateLastModified, data, raw, hash });
  }
}

function skipped(
  ctx: PullContext,
  resource: SyncResource,
  stream: Stream<SyncResource>,
  error: unknown,
  startedMs: number,
  start: (total: number | undefined) => void,
): PullResult {
  const code = isOneRosterError(error) ? error.code : 'unknown';
  start(undefined);
  ctx.emit({
    type: 'resource_finished',
    resource,
    fetched: 0,
    invalid: 0,
    durationMs: Math.round(performance.now() - startedMs),
    skipped: code,
  });
  return {
    resource,
    outcome: 'skipped',
    fetched: 0,
    invalid: 0,
    sweepable: false,
    stable: true,
    maxSeenMs: undefined,
    warnings: [
      `${resource} skipped: the server refused ${stream.label} (${code}); ` +
        'the stored records are kept as they are',
    ],
  };
}

/** The filter that keeps a scoped run's demographics to the users in scope. */
function scopeFilter(
  ctx: PullContext,
  resource: SyncResource,
): ((record: AnyRecord) => Promise<boolean>) | undefined {
  if (resource !== 'demographics' || !ctx.options.schools) return undefined;
  const users = ctx.scopedUsers;
  const { storage, tenantId } = ctx.options;
  return async (record) => {
    if (users?.ids.has(record.sourcedId)) return true;
    // Users pulled completely in this run are the whole scope; otherwise ask the store.
    if (users?.complete) return false;
    return (await storage.get('users', record.sourcedId, { tenantId })) !== null;
  };
}

function isOptionalRefusal(ctx: PullContext, resource: SyncResource, error: unknown): boolean {
  return (
    ctx.options.optionalResources.has(resource) &&
    isOneRosterError(error) &&
    (error.code === 'permission_denied' || error.code === 'not_found')
  );
}

function toStaged(record: AnyRecord): StagedRecord {
  // Serialised once: the hash is taken over the text storage then keeps (see `hash.ts`).
  const { json, hash } = serializeRecord(record);
  return {
    sourcedId: record.sourcedId,
    status: record.status,
    dateLastModified: record.dateLastModified,
    data: record,
    raw: rawRecord(record) ?? null,
    hash,
    dataJson: json,
  };
}

function rate(records: number, startedMs: number): number {
  const seconds = (performance.now() - startedMs) / 1000;
  return seconds > 0 ? Math.round(records / seconds) : 0;
}
