/**
 * Did a collection change while we were paging through it? Offset paging over a collection that
 * changes underneath shifts records across page boundaries: an insertion before the current
 * offset makes a record appear twice, a deletion makes one be skipped. A skipped record must not
 * be swept as "deleted", and a cursor must not move past a change we did not read.
 *
 * The signs, per listing: the server's total changed between pages, a sourcedId came twice, or
 * fewer records arrived than the server announced. A server that sends no total and only had
 * deletions shows no sign; the next full run corrects what that costs.
 *
 * @module
 */
import { IdSet } from './id-set';

/** Watches one paged listing. */
export class WalkStability {
  readonly #ids: IdSet;
  #duplicates = 0;
  #skipped = 0;
  #firstTotal: number | undefined;
  #lastTotal: number | undefined;
  #totalChanged = false;

  /**
   * @param ids where to remember sourcedIds; pass the resource's own set when the listing is
   * the resource's only one, to not keep the ids twice.
   */
  constructor(ids: IdSet = new IdSet()) {
    this.#ids = ids;
  }

  /** Whether the server sent a total count (so {@link verdict} can see deletions). */
  get hasTotal(): boolean {
    return this.#lastTotal !== undefined;
  }

  /** Call once per page, before its records. */
  page(total: number | undefined, skipped: number): void {
    this.#skipped += skipped;
    if (total === undefined) return;
    if (this.#firstTotal === undefined) this.#firstTotal = total;
    else if (total !== this.#lastTotal) this.#totalChanged = true;
    this.#lastTotal = total;
  }

  /** Call for every valid record, before it is added to a shared id set. */
  record(sourcedId: string): void {
    if (!this.#ids.add(sourcedId)) this.#duplicates++;
  }

  /**
   * Why the listing cannot be trusted to be complete, or `undefined` when it looks complete.
   *
   * @example
   * ```ts
   * const watch = new WalkStability();
   * watch.page(3, 0);
   * watch.record('a');
   * watch.verdict(); // 'received 1 of the 3 records the server announced'
   * ```
   */
  verdict(): string | undefined {
    if (this.#totalChanged) {
      return `the server's total changed from ${this.#firstTotal} to ${this.#lastTotal} while it was read`;
    }
    if (this.#duplicates > 0) {
      return `${this.#duplicates} record(s) came twice (the collection shifted between pages)`;
    }
    const received = this.#ids.size + this.#skipped;
    if (this.#lastTotal !== undefined && received < this.#lastTotal) {
      return `received ${received} of the ${this.#lastTotal} records the server announced`;
    }
    return undefined;
  }
}
