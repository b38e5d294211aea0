/**
 * Checked-out clients and transactions that always go back to the pool: a client is released
 * after use, and destroyed instead when its connection broke or a `ROLLBACK` failed, so a
 * half-open transaction never returns to the pool.
 *
 * @module
 */
import { isBrokenConnection, type PgClientLike, type PgPoolLike } from './driver';

/** A checked-out client, and a way to have it destroyed instead of reused. */
export interface Lease {
  client: PgClientLike;
  discardConnection(): void;
}

/** Run `fn` with a client of `pool`, then release it. */
export async function withClient<T>(
  pool: PgPoolLike,
  fn: (lease: Lease) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let destroy = false;
  // A checked-out client whose connection drops emits 'error'; without a listener that is an
  // uncaught exception. The pending query rejects on its own.
  const onError = () => {
    destroy = true;
  };
  client.on('error', onError);
  try {
    return await fn({
      client,
      discardConnection: () => {
        destroy = true;
      },
    });
  } catch (error) {
    if (isBrokenConnection(error)) destroy = true;
    throw error;
  } finally {
    client.removeListener('error', onError);
    client.release(destroy);
  }
}

/** Run `fn` inside `BEGIN ... COMMIT` on one client; `ROLLBACK` if it throws. */
export async function inTransaction<T>(
  pool: PgPoolLike,
  fn: (client: PgClientLike) => Promise<T>,
): Promise<T> {
  return withClient(pool, async ({ client, discardConnection }) => {
    await client.query('BEGIN');
    let result: T;
    try {
      result = await fn(client);
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        discardConnection();
      }
      throw error;
    }
    await client.query('COMMIT');
    return result;
  });
}
