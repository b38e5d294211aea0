/**
 * The life cycle of a staged run, shared by the SQL adapters: operations on one run are
 * serialised (so "last staged wins" holds even if a caller does not await each `stage()`), and a
 * run that was committed, discarded or replaced by a newer `beginRun()` refuses further use with
 * a {@link StorageError}, as `MemoryStorage` does.
 *
 * @module
 */
import { StorageError } from '../../sync/errors';

/** Why a staged run no longer accepts operations. */
export type ClosedReason = 'committed' | 'discarded' | 'replaced';

/** Serialises the operations of one staged run and tracks whether it is still usable. */
export class RunGate {
  readonly #runId: string;
  readonly #tenantId: string;
  #closed: ClosedReason | null = null;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(runId: string, tenantId: string) {
    this.#runId = runId;
    this.#tenantId = tenantId;
  }

  /** Why the run is closed, or `null` while it is open. */
  get closed(): ClosedReason | null {
    return this.#closed;
  }

  /** Mark the run closed; later operations reject. The first reason sticks. */
  close(reason: ClosedReason): void {
    this.#closed ??= reason;
  }

  /** Run `fn` after every earlier operation of this run settled, if the run is still open. */
  run<T>(operation: string, fn: () => T | Promise<T>): Promise<T> {
    const result = this.#tail.then(() => {
      this.assertOpen(operation);
      return fn();
    });
    this.#tail = result.catch(() => undefined);
    return result;
  }

  /** Throw unless the run is open. */
  assertOpen(operation: string): void {
    if (this.#closed === 'replaced') {
      throw new StorageError(
        `${operation}(): staged run ${this.#runId} was replaced by a newer run of tenant "${this.#tenantId}"`,
      );
    }
    if (this.#closed !== null) {
      throw new StorageError(
        `${operation}(): staged run ${this.#runId} was already ${this.#closed}`,
      );
    }
  }
}
