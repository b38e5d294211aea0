/**
 * Pull one resource from the server into the run's staging area, page by page: records are
 * hashed and staged in batches as they arrive, so memory holds one page and one batch, not the
 * resource (field-lessons §1.8). Only the sourcedIds seen are kept, to de-duplicate (`>=`
 * deltas, users in several schools, records shifting between pages) and to count.
 *
 * @module
 */
import { AbortError, isOneRosterError } from '../errors';
import { rawRecord } from '../models';
import type { RecordTypes, SyncResource } from '../models/types';
import type { ClientEvent } from '../options';
import { filter } from '../query';
import type { StagedRecord, StagedRun } from '../storage/types';
import { SyncError } from './errors';
import type { SyncEventInput } from './events';
import { recordHash } from './hash';
import type { ResolvedSyncOptions } from './options';
import { orgsInScope, type Stream, streamsFor } from './streams';

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
  scopedUsers: { ids: Set<string>; complete: boolean } | undefined;
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
  /** Safe to sweep: a full run and every invalid record had a sourcedId. */
  sweepable: boolean;
  /** The latest `dateLastModified` received, epoch ms. */
  maxSeenMs: number | undefined;
  warnings: string[];
  /** Set for `skipped`: the error code. */
  skipReason?: string;
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
  const { options, staged, emit, signal } = ctx;
  const scoped = options.schools !== undefined;
  // Scoped orgs are always read completely: whether an org is in scope depends on its parents.
  const changesOnly = since !== undefined && !(scoped && resource === 'orgs');
  const streams = streamsFor(options.client, resource, options.schools);
  const startedMs = performance.now();
  const seen = new Set<string>();
  const invalidIds = new Set<string>();
  const warnings: string[] = [];
  let unreadableInvalid = 0;
  let invalidEventsInPage = 0;
  let maxSeenMs: number | undefined;
  let started = false;
  let stagedAny = false;
  let batch: StagedRecord[] = [];
  // Scoped orgs need the whole (small) list before deciding which to keep.
  const heldOrgs: RecordTypes['orgs'][] | undefined =
    scoped && resource === 'orgs' ? [] : undefined;

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
    switch (event.type) {
      case 'invalid_record':
        invalidEventsInPage++;
        if (event.sourcedId === undefined || event.sourcedId === '') unreadableInvalid++;
        else invalidIds.add(event.sourcedId);
        emit({ type: 'invalid_record', resource, sourcedId: event.sourcedId });
        break;
      case 'retry':
        emit({
          type: 'retry',
          resource,
          attempt: event.attempt,
          delayMs: event.delayMs,
          reason: event.reason,
        });
        break;
      case 'rate_limit_wait':
        emit({ type: 'rate_limit_wait', resource, delayMs: event.delayMs, reason: event.reason });
        break;
      default:
        break;
    }
  };

  const flush = async () => {
    if (batch.length === 0) return;
    const records = batch;
    batch = [];
    stagedAny = true;
    await staged.stage(resource, records);
  };

  const accept = scopeFilter(ctx, resource);

  const take = async (record: RecordTypes[SyncResource]) => {
    if (accept && !(await accept(record))) return;
    const id = record.sourcedId;
    if (!seen.has(id)) seen.add(id);
    // A later copy of a record (it moved between pages, or changed during the pull) is staged
    // again: storage keeps the last one, which is the most recent view of the server.
    const modified = Date.parse(record.dateLastModified);
    if (!Number.isNaN(modified) && (maxSeenMs === undefined || modified > maxSeenMs)) {
      maxSeenMs = modified;
    }
    batch.push(toStaged(record));
    if (batch.length >= options.batchSize) await flush();
  };

  const params =
    changesOnly && since !== undefined ? { filter: filter.gte('dateLastModified', since) } : {};
  for (const stream of streams) {
    try {
      await readStream(stream, params, {
        options,
        signal,
        onEvent,
        onPage: async (items, total, skipped) => {
          start(streams.length === 1 ? total : undefined);
          // A page that skipped more records than it reported (a client without per-call
          // events) has invalid records we cannot name: treat them as unreadable.
          if (skipped > invalidEventsInPage) unreadableInvalid += skipped - invalidEventsInPage;
          invalidEventsInPage = 0;
          for (const item of items) {
            if (heldOrgs) heldOrgs.push(item as RecordTypes['orgs']);
            else await take(item);
          }
          emit({
            type: 'page',
            resource,
            records: seen.size,
            ...(streams.length === 1 && total !== undefined ? { total } : {}),
            ratePerSecond: rate(seen.size, startedMs),
          });
        },
      });
    } catch (error) {
      if (isOptionalRefusal(ctx, resource, error) && !stagedAny && seen.size === 0) {
        const code = isOneRosterError(error) ? error.code : 'unknown';
        start(undefined);
        emit({
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
          maxSeenMs: undefined,
          warnings: [
            `${resource} skipped: the server refused ${stream.label} (${code}); ` +
              'the stored records are kept as they are',
          ],
          skipReason: code,
        };
      }
      throw error;
    }
  }

  if (heldOrgs && options.schools) {
    const { keep, missing } = orgsInScope(heldOrgs, options.schools);
    if (missing.length > 0) {
      throw new SyncError(
        `school${missing.length > 1 ? 's' : ''} ${missing.map((id) => `"${id}"`).join(', ')} ` +
          "from the `schools` option not found among the server's orgs; nothing was changed. " +
          "Check the district's data sharing or the option",
      );
    }
    for (const org of heldOrgs) if (keep.has(org.sourcedId)) await take(org);
  }

  // Records that failed validation in a full run: their stored copy must survive the sweep,
  // so stage it again unless a valid copy arrived in this run.
  let sweepable = ctx.full;
  if (ctx.full) {
    for (const id of invalidIds) {
      if (seen.has(id)) continue;
      const stored = await options.storage.get(resource, id, { tenantId: options.tenantId });
      if (stored) {
        batch.push({
          sourcedId: stored.sourcedId,
          status: stored.status,
          dateLastModified: stored.dateLastModified,
          data: stored.data,
          raw: stored.raw,
          hash: stored.hash,
        });
        if (batch.length >= options.batchSize) await flush();
      }
    }
    if (unreadableInvalid > 0) {
      sweepable = false;
      warnings.push(
        `${resource}: ${unreadableInvalid} invalid record(s) without a readable sourcedId; ` +
          'absent records were not deleted this run',
      );
    }
  }
  await flush();
  if (ctx.scopedUsers && resource === 'users') {
    for (const id of seen) ctx.scopedUsers.ids.add(id);
    ctx.scopedUsers.complete = !changesOnly;
  }
  start(undefined);
  const invalid = invalidIds.size + unreadableInvalid;
  emit({
    type: 'resource_finished',
    resource,
    fetched: seen.size,
    invalid,
    durationMs: Math.round(performance.now() - startedMs),
  });
  return {
    resource,
    outcome: 'staged',
    fetched: seen.size,
    invalid,
    sweepable,
    maxSeenMs,
    warnings,
  };
}

interface ReadOptions {
  options: ResolvedSyncOptions;
  signal: AbortSignal | undefined;
  onEvent: (event: ClientEvent) => void;
  onPage: (
    items: readonly RecordTypes[SyncResource][],
    total: number | undefined,
    skipped: number,
  ) => Promise<void>;
}

async function readStream(
  stream: Stream<SyncResource>,
  params: { filter?: ReturnType<typeof filter.gte> },
  { options, signal, onEvent, onPage }: ReadOptions,
): Promise<void> {
  const paginator = stream.open(params, {
    validation: options.validation,
    onEvent,
    ...(signal ? { signal } : {}),
  });
  for await (const page of paginator.pages()) {
    // The client checks the signal per request; checking per page also stops a fast mock.
    if (signal?.aborted) throw new AbortError('The sync run was aborted', { cause: signal.reason });
    await onPage(page.items, page.totalCount, page.skipped ?? 0);
  }
}

/** The filter that keeps a scoped run's demographics to the users in scope. */
function scopeFilter(
  ctx: PullContext,
  resource: SyncResource,
): ((record: RecordTypes[SyncResource]) => Promise<boolean>) | undefined {
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

function toStaged(record: RecordTypes[SyncResource]): StagedRecord {
  return {
    sourcedId: record.sourcedId,
    status: record.status,
    dateLastModified: record.dateLastModified,
    data: record,
    raw: rawRecord(record) ?? null,
    hash: recordHash(record),
  };
}

function rate(records: number, startedMs: number): number {
  const seconds = (performance.now() - startedMs) / 1000;
  return seconds > 0 ? Math.round(records / seconds) : 0;
}
