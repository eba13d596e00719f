/**
 * A small, fast, seedable pseudo-random generator (mulberry32). Training must be reproducible from
 * one seed, and `Math.random` cannot be seeded; the quality of mulberry32 is ample for weight
 * initialisation, shuffling and dropout masks, and it costs a few nanoseconds per draw.
 */
export class SeededRandom {
  /** Generator state; public so hot loops can inline the generator (see `DropoutDraws.fill`). */
  state: number;

  constructor(seed: number) {
    this.state = seed | 0;
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A uniformly distributed float in [0, 1). */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Shuffles `values` in place (Fisher-Yates) and returns it. */
  shuffle<T extends { [index: number]: number; length: number }>(values: T): T {
    for (let i = values.length - 1; i > 0; i--) {
      const j = Math.floor(this.nextFloat() * (i + 1));
      const tmp = values[i]!;
      values[i] = values[j]!;
      values[j] = tmp;
    }
    return values;
  }
}

/**
 * Derives an independent stream seed from a base seed and a stream number (splitmix32-style hash).
 * Initialisation, shuffling and dropout each draw from their own stream, so two engines that
 * consume draws in a different order still see the same numbers for the same purpose.
 */
export function deriveSeed(seed: number, stream: number): number {
  let z = (seed + Math.imul(stream + 1, 0x9e3779b9)) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** The streams {@link deriveSeed} is called with. */
export const RANDOM_STREAMS = { init: 1, shuffle: 2, dropout: 3 } as const;
