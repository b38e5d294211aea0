/**
 * A compact set of sourcedIds: a pull remembers the id of every record it staged (to count
 * distinct records, to notice a record served twice, and to tell which stored records it did not
 * see), and a `Set<string>` of half a million ids held about 90 MB of heap, growing with the
 * district. This set keeps a 64-bit hash per id in an open-addressing table of 32-bit words:
 * 8 bytes per slot at most half full, 8 MB for 500,000 ids.
 *
 * Two different ids with the same 64-bit hash would be taken for one. Among n ids the chance of
 * any such pair is about n² / 2⁶⁵: 7 in a billion for 500,000 ids. What it would cost is small
 * and mostly on the safe side: a record "served twice" marks the listing unstable (no sweep, the
 * cursor kept, so the next run reads it again); a lookup that wrongly answers "seen" could let
 * one absent record be swept without the by-id check a total-less listing gets, or leave one
 * invalid record's stored copy out of the re-staging (1 in 3·10¹³ per lookup at 500,000 ids).
 *
 * @module
 */

const INITIAL_SLOTS = 1024;

/** A set of strings kept as 64-bit hashes (see the module notes for the collision odds). */
export class IdSet {
  /** Slot `i` is words `2i` (low hash) and `2i + 1` (high hash); `0, 0` marks an empty slot. */
  #table = new Uint32Array(INITIAL_SLOTS * 2);
  #mask = INITIAL_SLOTS - 1;
  #size = 0;
  // The last hash computed, so `#hash` allocates nothing.
  #lo = 0;
  #hi = 0;

  /** Distinct ids added. */
  get size(): number {
    return this.#size;
  }

  /**
   * Add `id`; `true` when it was not in the set yet.
   *
   * @example
   * ```ts
   * const seen = new IdSet();
   * seen.add('u-1'); // true
   * seen.add('u-1'); // false
   * seen.size; // 1
   * ```
   */
  add(id: string): boolean {
    this.#hash(id);
    if (!this.#insert(this.#lo, this.#hi)) return false;
    if (++this.#size * 2 > this.#mask + 1) this.#grow();
    return true;
  }

  /** Whether `id` was added. */
  has(id: string): boolean {
    this.#hash(id);
    const table = this.#table;
    const mask = this.#mask;
    for (let slot = this.#hi & mask; ; slot = (slot + 1) & mask) {
      const lo = table[slot * 2] as number;
      const hi = table[slot * 2 + 1] as number;
      if (lo === this.#lo && hi === this.#hi) return true;
      if (lo === 0 && hi === 0) return false;
    }
  }

  /** Add every id of `other`. */
  addAll(other: IdSet): void {
    const table = other.#table;
    for (let word = 0; word < table.length; word += 2) {
      const lo = table[word] as number;
      const hi = table[word + 1] as number;
      if ((lo !== 0 || hi !== 0) && this.#insert(lo, hi)) {
        if (++this.#size * 2 > this.#mask + 1) this.#grow();
      }
    }
  }

  /** Put a hash in its slot unless it is there; `false` when it was. */
  #insert(lo: number, hi: number): boolean {
    const table = this.#table;
    const mask = this.#mask;
    for (let slot = hi & mask; ; slot = (slot + 1) & mask) {
      const atLo = table[slot * 2] as number;
      const atHi = table[slot * 2 + 1] as number;
      if (atLo === lo && atHi === hi) return false;
      if (atLo === 0 && atHi === 0) {
        table[slot * 2] = lo;
        table[slot * 2 + 1] = hi;
        return true;
      }
    }
  }

  #grow(): void {
    const old = this.#table;
    const slots = (this.#mask + 1) * 2;
    this.#table = new Uint32Array(slots * 2);
    this.#mask = slots - 1;
    for (let word = 0; word < old.length; word += 2) {
      const lo = old[word] as number;
      const hi = old[word + 1] as number;
      if (lo !== 0 || hi !== 0) this.#insert(lo, hi);
    }
  }

  /**
   * Two 32-bit multiply-rotate lanes over the UTF-16 code units, cross-mixed at the end
   * (cyrb53's finaliser; the rotations let high bits reach the low ones on every step).
   */
  #hash(id: string): void {
    let a = 0xdeadbeef ^ id.length;
    let b = 0x41c6ce57 ^ id.length;
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      a = Math.imul(a ^ c, 0x9e3779b1);
      a = (a << 13) | (a >>> 19);
      b = Math.imul(b ^ c, 0x5f356495);
      b = (b << 17) | (b >>> 15);
    }
    a = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
    a ^= Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
    b = Math.imul(b ^ (b >>> 16), 0x85ebca6b);
    b ^= Math.imul(a ^ (a >>> 13), 0xc2b2ae35);
    a ^= a >>> 16;
    // `0, 0` marks an empty slot; the one id hashing to it shares `0, 1` with another.
    this.#lo = a >>> 0;
    this.#hi = b >>> 0 || (a === 0 ? 1 : 0);
  }
}
