import { SYNC_RESOURCES, type SyncResource } from '../../src/models/types';
import type { StorageAdapter } from '../../src/storage/types';
import type { SyncEvent } from '../../src/sync/events';

/** Live records per resource, as `sourcedId -> data`. */
export type Snapshot = Partial<Record<SyncResource, Record<string, unknown>>>;

export async function snapshot(
  storage: StorageAdapter,
  tenantId: string,
  options: { includeDeleted?: boolean } = {},
): Promise<Snapshot> {
  const out: Snapshot = {};
  for (const resource of SYNC_RESOURCES) {
    const records: Record<string, unknown> = {};
    for await (const record of storage.list(resource, { tenantId, ...options })) {
      records[record.sourcedId] = options.includeDeleted
        ? { data: record.data, deletedAt: record.deletedAt }
        : record.data;
    }
    if (Object.keys(records).length > 0) out[resource] = records;
  }
  return out;
}

/** The same shape from a dataset of records (tobedeleted records are not live). */
export function expectedSnapshot(
  dataset: {
    [R in SyncResource]?: ReadonlyArray<{ sourcedId: string; status: string } | object>;
  },
): Snapshot {
  const out: Snapshot = {};
  for (const resource of SYNC_RESOURCES) {
    const records: Record<string, unknown> = {};
    for (const record of dataset[resource] ?? []) {
      const r = record as { sourcedId?: string; status?: string; invalid?: boolean };
      if (r.invalid || r.sourcedId === undefined || r.status === 'tobedeleted') continue;
      records[r.sourcedId] = JSON.parse(JSON.stringify(record));
    }
    if (Object.keys(records).length > 0) out[resource] = records;
  }
  return out;
}

export function collectEvents(): { events: SyncEvent[]; onEvent: (event: SyncEvent) => void } {
  const events: SyncEvent[] = [];
  return { events, onEvent: (event) => events.push(event) };
}

/** A clock tests move by hand. */
export function manualClock(start: string): {
  now: () => Date;
  advance: (ms: number) => void;
  set: (iso: string) => void;
} {
  let at = Date.parse(start);
  return {
    now: () => new Date(at),
    advance: (ms) => {
      at += ms;
    },
    set: (iso) => {
      at = Date.parse(iso);
    },
  };
}
