/**
 * Insert near-copies of a record right after it in sourcedId order: how the mock server's
 * "data changed between pages" fault shifts later records by one position mid-walk.
 *
 * @module
 */
import type { RecordTypes, SyncResource, User } from '../../models/types';
import type { Dataset } from './dataset';

function uniqueId(dataset: Dataset, kind: SyncResource, after: string): string {
  // `-` sorts before letters and digits, so `id-ins1` lands right after `id` in code-unit order.
  for (let n = 1; ; n++) {
    const id = `${after}-ins${n}`;
    if (
      !dataset.collection(kind).wasUsed(id) &&
      (kind !== 'demographics' || !dataset.users.wasUsed(id))
    ) {
      return id;
    }
  }
}

function copyUser(user: User, id: string): User {
  const copy = structuredClone(user);
  copy.sourcedId = id;
  const suffix = id.slice(user.sourcedId.length);
  if (copy.username !== undefined) copy.username = `${copy.username}${suffix}`;
  if (copy.email !== undefined) copy.email = copy.email.replace('@', `${suffix}@`);
  if (copy.identifier !== undefined) copy.identifier = `${copy.identifier}${suffix}`;
  if (copy.userIds) {
    copy.userIds = copy.userIds.map((u) => ({ ...u, identifier: `${u.identifier}${suffix}` }));
  }
  // A copy is nobody's guardian or ward: `agents` must stay two-way.
  delete copy.agents;
  return copy;
}

/**
 * Insert `count` copies of `record` (new sourcedIds sorting right after it, unique usernames,
 * a new `dateLastModified`), keeping references valid: a copied demographics record comes with
 * a copy of its user. Returns the new sourcedIds.
 */
export function insertCopiesAfter<K extends SyncResource>(
  dataset: Dataset,
  kind: K,
  record: RecordTypes[K],
  count: number,
  at: string,
): string[] {
  const ids: string[] = [];
  const after = record.sourcedId;
  for (let i = 0; i < count; i++) {
    const id = uniqueId(dataset, kind, after);
    if (kind === 'demographics' || kind === 'users') {
      const user = dataset.users.get(record.sourcedId);
      if (user) dataset.users.set({ ...copyUser(user, id), dateLastModified: at });
    }
    if (kind !== 'users') {
      const copy = structuredClone(record);
      copy.sourcedId = id;
      copy.dateLastModified = at;
      dataset.collection(kind).set(copy);
    }
    ids.push(id);
  }
  dataset.noteModified(at);
  return ids;
}
