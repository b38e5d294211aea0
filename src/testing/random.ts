/**
 * Small deterministic pseudo-random numbers for the testing kit. Everything the kit generates or
 * decides "at random" (district contents, mutations, probabilistic faults) comes from here, so a
 * seed reproduces it exactly on every machine and Node version. `Math.random` is never used.
 *
 * @module
 */

/** A seed as users give it: any integer or string. */
export type Seed = number | string;

/**
 * Hash a seed and a list of salts into one 32-bit state (FNV-1a over the text form, then a
 * murmur3 finaliser so that nearby inputs land far apart).
 */
export function hashSeed(seed: Seed, ...salts: Array<string | number>): number {
  let h = 0x811c9dc5;
  const text = `${typeof seed}:${String(seed)}|${salts.join('|')}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** murmur3's 32-bit finaliser: a cheap, well-mixing bijection on 32-bit integers. */
export function fmix32(input: number): number {
  let h = input >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A stateless hash of a base state and an index, for per-record decisions that must not depend
 * on the order records are materialised in (records are built on demand, in any order).
 */
export function mix(base: number, index: number, salt = 0): number {
  return fmix32((base ^ Math.imul(index + 1, 0x9e3779b1) ^ Math.imul(salt + 1, 0x85ebca77)) >>> 0);
}

/** A seeded generator. `next()` is uniform in [0, 1). */
export interface Random {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** `true` with probability `p`. */
  chance(p: number): boolean;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): 128 bits of state, passes
 * PractRand, and is a handful of integer operations per number.
 *
 * @example
 * ```ts
 * const random = createRandom('district-42', 'mutations');
 * random.int(10); // same value on every run
 * ```
 */
export function createRandom(seed: Seed, ...salts: Array<string | number>): Random {
  let a = hashSeed(seed, ...salts, 'a');
  let b = hashSeed(seed, ...salts, 'b');
  let c = hashSeed(seed, ...salts, 'c');
  let d = 1;
  const nextUint = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // The first outputs of sfc32 are correlated with the seed; discard them.
  for (let i = 0; i < 12; i++) nextUint();
  const next = () => nextUint() / 4294967296;
  return {
    next,
    int: (n) => Math.floor(next() * n),
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
  };
}

/**
 * mulberry32 over a stateless hash: `recordRandom(base, index)` yields the same sequence for the
 * same record however many other records were built before it. A class rather than closures:
 * one is made per generated record, so it must be cheap to create.
 */
class RecordRandom implements Random {
  #state: number;
  constructor(state: number) {
    this.#state = state;
  }
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) | 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
}

/** A generator for one record of a kind (`base` is the kind's stream, `index` the record). */
export function recordRandom(base: number, index: number): Random {
  return new RecordRandom(mix(base, index));
}
