/**
 * The per-tenant run lock of {@link SqliteStorage}, shared by every process using the file.
 *
 * A lock is a row in `locks` naming its holder (run id, PID, hostname, PID namespace) with a
 * lease that the holder renews from an unref'd timer. Another process may take the lock over
 * when the lease has expired, or at once when the holder ran on this host and its PID is gone:
 * a run killed with SIGKILL never blocks the next one. Taking and taking over happen inside
 * `BEGIN IMMEDIATE`, so two processes racing for a free lock cannot both win.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { CommitCheck } from '../sql/counts';
import type { TenantLock } from '../types';
import type { SqliteDatabase, SqliteStatement } from './driver';
import { currentProcess, isDeadLocalProcess, type ProcessIdentity } from './process-identity';

interface LockRow {
  run_id: string;
  token: string;
  pid: number;
  hostname: string;
  pid_namespace: string | null;
  lease_expires_at: number;
}

/** A lock held by this process. */
interface HeldLock {
  tenantId: string;
  runId: string;
  token: string;
  timer: NodeJS.Timeout;
  /** Set when a renewal found the row gone or owned by another run. */
  lost: boolean;
}

/** Options of {@link SqliteLocks}. */
export interface SqliteLocksOptions {
  leaseMs: number;
  now: () => Date;
  /** Called with errors of background renewals (which otherwise have nowhere to go). */
  onRenewError?: (error: unknown) => void;
}

/** Takes, renews and releases tenant locks on one connection. */
export class SqliteLocks {
  readonly #db: SqliteDatabase;
  readonly #options: SqliteLocksOptions;
  readonly #self: ProcessIdentity = currentProcess();
  readonly #held = new Map<string, HeldLock>();
  readonly #select: SqliteStatement;
  readonly #upsert: SqliteStatement;
  readonly #renew: SqliteStatement;
  readonly #delete: SqliteStatement;

  constructor(db: SqliteDatabase, options: SqliteLocksOptions) {
    this.#db = db;
    this.#options = options;
    this.#select = db.prepare(
      'SELECT run_id, token, pid, hostname, pid_namespace, lease_expires_at FROM locks WHERE tenant_id = ?',
    );
    this.#upsert = db.prepare(`
      INSERT INTO locks (tenant_id, run_id, token, pid, hostname, pid_namespace, acquired_at, lease_expires_at)
      VALUES (@tenantId, @runId, @token, @pid, @hostname, @pidNamespace, @acquiredAt, @leaseExpiresAt)
      ON CONFLICT (tenant_id) DO UPDATE SET
        run_id = excluded.run_id, token = excluded.token, pid = excluded.pid,
        hostname = excluded.hostname, pid_namespace = excluded.pid_namespace,
        acquired_at = excluded.acquired_at, lease_expires_at = excluded.lease_expires_at`);
    this.#renew = db.prepare(
      'UPDATE locks SET lease_expires_at = ? WHERE tenant_id = ? AND token = ?',
    );
    this.#delete = db.prepare('DELETE FROM locks WHERE tenant_id = ? AND token = ?');
  }

  /** Take the tenant's lock, or return `null` if a live holder has it. */
  acquire(tenantId: string, runId: string): TenantLock | null {
    // A plain read first: in WAL mode it never waits, so a run of another process that is
    // busy committing (holding the file's write lock) is reported as "locked" at once instead
    // of after the busy timeout. The decision is made again under the write lock.
    const seen = this.#select.get(tenantId) as LockRow | undefined;
    if (seen && !this.#canTakeOver(seen, this.#options.now().getTime())) return null;
    const token = randomUUID();
    const taken = this.#db
      .transaction(() => {
        const now = this.#options.now().getTime();
        const row = this.#select.get(tenantId) as LockRow | undefined;
        if (row && !this.#canTakeOver(row, now)) return false;
        this.#upsert.run({
          tenantId,
          runId,
          token,
          pid: this.#self.pid,
          hostname: this.#self.hostname,
          pidNamespace: this.#self.pidNamespace,
          acquiredAt: new Date(now).toISOString(),
          leaseExpiresAt: now + this.#options.leaseMs,
        });
        return true;
      })
      .immediate();
    if (!taken) return null;

    const held: HeldLock = {
      tenantId,
      runId,
      token,
      lost: false,
      timer: setInterval(() => this.#renewLease(held), Math.max(1, this.#options.leaseMs / 3)),
    };
    // A held lock must never keep the process alive on its own.
    held.timer.unref();
    this.#held.set(token, held);
    return { release: async () => this.#release(held) };
  }

  /**
   * Whether `runId` may commit for `tenantId`: if this process holds the tenant's lock for that
   * run, the row must still be ours; otherwise no other run may hold it. Runs inside the commit
   * transaction, so a lock lost to a takeover stops the commit (fencing).
   */
  checkCommit(tenantId: string, runId: string): CommitCheck {
    const row = this.#select.get(tenantId) as LockRow | undefined;
    const mine = [...this.#held.values()].find(
      (held) => held.tenantId === tenantId && held.runId === runId,
    );
    if (mine) {
      if (mine.lost || row?.token !== mine.token) {
        return {
          ok: false,
          reason: `the tenant lock of run ${runId} was lost (its lease expired and another run took it over)`,
        };
      }
      return { ok: true, lockHeld: true };
    }
    if (row && row.run_id !== runId) {
      return { ok: false, reason: `the tenant lock is held by run ${row.run_id}` };
    }
    return { ok: true, lockHeld: false };
  }

  /** Release every lock this instance holds (on close). */
  releaseAll(): void {
    for (const held of [...this.#held.values()]) this.#release(held);
  }

  #canTakeOver(row: LockRow, now: number): boolean {
    if (row.lease_expires_at <= now) return true;
    return isDeadLocalProcess(
      { pid: row.pid, hostname: row.hostname, pidNamespace: row.pid_namespace },
      this.#self,
    );
  }

  #renewLease(held: HeldLock): void {
    try {
      const leaseExpiresAt = this.#options.now().getTime() + this.#options.leaseMs;
      const { changes } = this.#renew.run(leaseExpiresAt, held.tenantId, held.token);
      if (changes === 0) {
        held.lost = true;
        clearInterval(held.timer);
      }
    } catch (error) {
      // Typically SQLITE_BUSY while another process commits: the next tick retries, and the
      // lease is three renewal intervals long.
      this.#options.onRenewError?.(error);
    }
  }

  #release(held: HeldLock): void {
    if (!this.#held.delete(held.token)) return;
    clearInterval(held.timer);
    // Only our own row: after a takeover the row belongs to someone else.
    if (this.#db.open) this.#delete.run(held.tenantId, held.token);
  }
}
