/**
 * The per-tenant run lock of {@link PostgresStorage}: a session-level advisory lock
 * (`pg_try_advisory_lock`) held on a dedicated connection for the whole run. PostgreSQL frees
 * it when that session ends, so a run whose process is killed (or whose connection drops)
 * never blocks the next one; there is no lease to tune.
 *
 * The key is a 64-bit hash of the schema and tenant id: tenants, and deployments sharing a
 * database in different schemas, do not contend.
 *
 * @module
 */
import type { CommitCheck } from '../sql/counts';
import type { TenantLock } from '../types';
import type { PgClientLike, PgPoolLike } from './driver';
import { advisoryKey } from './migrations';

/** A lock held by this process. */
interface HeldLock {
  tenantId: string;
  runId: string;
  key: string;
  client: PgClientLike;
  /** The backend PID of the session holding the lock, for fencing. */
  backendPid: number;
  /** Set when the lock connection reported an error: the session, and the lock, may be gone. */
  lost: boolean;
  onError: (error: Error) => void;
}

/** Takes and releases tenant locks, each on its own pooled connection. */
export class PostgresLocks {
  readonly #pool: PgPoolLike;
  readonly #schemaName: string;
  readonly #held = new Set<HeldLock>();

  constructor(pool: PgPoolLike, schemaName: string) {
    this.#pool = pool;
    this.#schemaName = schemaName;
  }

  /** Take the tenant's lock, or return `null` if another session holds it. */
  async acquire(tenantId: string, runId: string): Promise<TenantLock | null> {
    const key = advisoryKey('oneroster-tenant', this.#schemaName, tenantId);
    const client = await this.#pool.connect();
    const held: HeldLock = {
      tenantId,
      runId,
      key,
      client,
      backendPid: 0,
      lost: false,
      onError: () => {
        held.lost = true;
      },
    };
    client.on('error', held.onError);
    let result: { locked: boolean; pid: number } | undefined;
    try {
      const { rows } = await client.query<{ locked: boolean; pid: number }>(
        'SELECT pg_try_advisory_lock($1::bigint) AS locked, pg_backend_pid() AS pid',
        [key],
      );
      result = rows[0];
    } catch (error) {
      client.removeListener('error', held.onError);
      client.release(true);
      throw error;
    }
    if (!result?.locked) {
      client.removeListener('error', held.onError);
      client.release();
      return null;
    }
    held.backendPid = result.pid;
    this.#held.add(held);
    return { release: () => this.#release(held) };
  }

  /**
   * Whether `runId` may commit now. Only a run whose lock this process holds is checked: the
   * lock's session must still exist and hold the lock (fencing against a connection that died
   * while the run staged). Runs inside the commit transaction.
   */
  async checkCommit(client: PgClientLike, tenantId: string, runId: string): Promise<CommitCheck> {
    const held = [...this.#held].find((h) => h.tenantId === tenantId && h.runId === runId);
    if (!held) return { ok: true, lockHeld: false };
    const lost: CommitCheck = {
      ok: false,
      reason: `the tenant lock of run ${runId} was lost (its connection ended)`,
    };
    if (held.lost) return lost;
    const key = BigInt.asUintN(64, BigInt(held.key));
    const { rows } = await client.query(
      `SELECT 1 FROM pg_locks
       WHERE locktype = 'advisory' AND granted AND pid = $1
         AND classid = $2::oid AND objid = $3::oid AND objsubid = 1`,
      [held.backendPid, String(key >> 32n), String(key & 0xffffffffn)],
    );
    return rows.length === 1 ? { ok: true, lockHeld: true } : lost;
  }

  /** Release every lock this instance holds (on close). */
  async releaseAll(): Promise<void> {
    await Promise.allSettled([...this.#held].map((held) => this.#release(held)));
  }

  async #release(held: HeldLock): Promise<void> {
    if (!this.#held.delete(held)) return;
    const { client } = held;
    let destroy = held.lost;
    try {
      if (!destroy) await client.query('SELECT pg_advisory_unlock($1::bigint)', [held.key]);
    } catch {
      // Destroying the connection ends the session, which frees the lock just as well.
      destroy = true;
    } finally {
      client.removeListener('error', held.onError);
      client.release(destroy);
    }
  }
}
