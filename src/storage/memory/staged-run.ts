/**
 * A MemoryStorage run in progress. Staged records live in the run object, not in the tenant's
 * records, so readers cannot see them; `commit()` computes every change first and then applies
 * them without yielding to the event loop, which is what makes it atomic in a single process.
 *
 * @module
 */
import type { SyncResource } from '../../models/types';
import { StorageError } from '../../sync/errors';
import type { SyncReport } from '../../sync/report';
import type { ChangeCounts, CommitPlanInput, StagedRecord, StagedRun, SyncState } from '../types';
import { type StagedRow, toJson, toPlanScope, toStagedRows } from '../validate';
import { type Row, resourceRows, type TenantStore } from './tenant-store';

/** A row to write, computed before anything is applied. */
interface Write {
  resource: SyncResource;
  row: Row;
}

/** The staged run of {@link MemoryStorage}. */
export class MemoryStagedRun implements StagedRun {
  readonly runId: string;
  readonly tenantId: string;
  readonly #store: TenantStore;
  readonly #now: () => Date;
  readonly #staged = new Map<SyncResource, Map<string, StagedRow>>();
  #closed: 'committed' | 'discarded' | null = null;

  constructor(store: TenantStore, runId: string, now: () => Date) {
    this.#store = store;
    this.runId = runId;
    this.tenantId = store.tenantId;
    this.#now = now;
  }

  async stage<R extends SyncResource>(resource: R, records: StagedRecord<R>[]): Promise<void> {
    this.#assertOpen('stage');
    // The whole batch is checked and converted before any of it is kept, so a bad record
    // rejects the batch; duplicates within it keep the last copy.
    const { rows } = toStagedRows(resource, records);
    let staged = this.#staged.get(resource);
    if (!staged) {
      staged = new Map();
      this.#staged.set(resource, staged);
    }
    for (const row of rows) {
      // Delete first so that the last staged copy also takes the last insertion position.
      staged.delete(row.sourcedId);
      staged.set(row.sourcedId, row);
    }
  }

  async plan(input: CommitPlanInput): Promise<Partial<Record<SyncResource, ChangeCounts>>> {
    this.#assertOpen('plan');
    return this.#compute(input, new Date(0).toISOString()).counts;
  }

  async commit(
    input: CommitPlanInput & { state: SyncState; report: SyncReport },
  ): Promise<Partial<Record<SyncResource, ChangeCounts>>> {
    this.#assertOpen('commit');
    const now = this.#now().toISOString();
    const { counts, writes } = this.#compute(input, now);
    const state = toJson(input.state);
    const report = toJson(input.report);
    // Everything that can throw happened above; from here on nothing awaits or fails.
    for (const { resource, row } of writes)
      resourceRows(this.#store, resource).set(row.sourcedId, row);
    this.#store.state = state;
    this.#store.runs.push(report);
    this.#finish('committed');
    return counts;
  }

  async discard(): Promise<void> {
    // Idempotent: engines call it from cleanup paths that may run after a failed commit.
    if (this.#closed === null) this.#finish('discarded');
  }

  #finish(how: 'committed' | 'discarded'): void {
    this.#closed = how;
    this.#staged.clear();
    if (this.#store.currentRunId === this.runId) this.#store.currentRunId = null;
  }

  #assertOpen(operation: string): void {
    if (this.#closed !== null) {
      throw new StorageError(
        `${operation}(): staged run ${this.runId} was already ${this.#closed}`,
      );
    }
    if (this.#store.currentRunId !== this.runId) {
      throw new StorageError(
        `${operation}(): staged run ${this.runId} was replaced by a newer run of tenant "${this.tenantId}"`,
      );
    }
  }

  #compute(
    input: CommitPlanInput,
    now: string,
  ): { counts: Partial<Record<SyncResource, ChangeCounts>>; writes: Write[] } {
    const { applied: listed, sweep } = toPlanScope(input);
    const counts: Partial<Record<SyncResource, ChangeCounts>> = {};
    const writes: Write[] = [];
    for (const resource of listed) {
      const stored = this.#store.records.get(resource) ?? new Map<string, Row>();
      const staged = this.#staged.get(resource) ?? new Map<string, StagedRow>();
      const c: ChangeCounts = { created: 0, updated: 0, deleted: 0, unchanged: 0, before: 0 };
      for (const row of stored.values()) if (row.deletedAt === null) c.before++;
      const write = (row: StagedRow, deletedAt: string | null) =>
        writes.push({ resource, row: { ...row, syncedAt: now, runId: this.runId, deletedAt } });
      for (const row of staged.values()) {
        const existing = stored.get(row.sourcedId);
        const live = existing !== undefined && existing.deletedAt === null;
        if (row.status === 'tobedeleted') {
          if (live) c.deleted++;
          // A deletion of something not live changes no count but is kept as a tombstone.
          write(row, existing?.deletedAt ?? now);
        } else if (!live) {
          c.created++;
          write(row, null);
        } else if (existing.hash === row.hash) {
          // Unchanged records are not rewritten: syncedAt and runId keep saying when the
          // record last changed.
          c.unchanged++;
        } else {
          c.updated++;
          write(row, null);
        }
      }
      if (sweep.has(resource)) {
        for (const row of stored.values()) {
          if (row.deletedAt !== null || staged.has(row.sourcedId)) continue;
          c.deleted++;
          writes.push({
            resource,
            row: { ...row, syncedAt: now, runId: this.runId, deletedAt: now },
          });
        }
      }
      counts[resource] = c;
    }
    return { counts, writes };
  }
}
