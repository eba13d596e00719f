/**
 * Deterministic pseudo-randomness. Every random quantity is derived from (seed, symbol, day, ...)
 * by hashing, so any day of any symbol can be generated on its own, in any order, with identical
 * results across processes and platforms (only 32-bit integer maths and IEEE doubles are used).
 */

/** 32-bit avalanche finaliser (from MurmurHash3): small input changes flip about half the bits. */
export function avalanche32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Combines hash inputs into one 32-bit hash. */
export function mixHash(...values: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const value of values) {
    h = avalanche32(h ^ Math.imul((value | 0) ^ 0x27d4eb2d, 0x165667b1));
  }
  return h;
}

/** 32-bit FNV-1a hash of a string, finalised; used to turn symbols and seeds into numbers. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return avalanche32(h);
}

/** Uniform number in (0, 1) from a hash; never 0 so it is safe under `Math.log`. */
export function unitFromHash(hash: number): number {
  return ((hash >>> 0) + 0.5) / 4294967296;
}

/** Standard normal value determined by its hash inputs (Box-Muller on two derived uniforms). */
export function gaussianAt(...values: readonly number[]): number {
  const h = mixHash(...values);
  const u1 = unitFromHash(h);
  const u2 = unitFromHash(avalanche32(h ^ 0x5bd1e995));
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** A seeded stream of random numbers. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal. */
  normal(): number;
  /** Uniform integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
}

/**
 * Mulberry32 with a Box-Muller normal. A class rather than closures: V8 inlines its methods into
 * the per-minute loops, which matters when decades of minutes are generated for daily bars.
 */
class Mulberry32 implements Rng {
  private state: number;
  private spareNormal = 0;
  private hasSpare = false;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spareNormal;
    }
    const u1 = 1 - this.next(); // (0, 1]: safe under log
    const u2 = this.next();
    const radius = Math.sqrt(-2 * Math.log(u1));
    this.spareNormal = radius * Math.sin(2 * Math.PI * u2);
    this.hasSpare = true;
    return radius * Math.cos(2 * Math.PI * u2);
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }
}

/** A seeded random stream (Mulberry32; fast and good enough for synthetic prices). */
export function createRng(seed: number): Rng {
  return new Mulberry32(seed);
}
