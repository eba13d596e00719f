import type { SeededRandom } from './seeded-random';

/**
 * Inverted-dropout masks shared by both engines: element `t` of a layer's `rows x units` output is
 * kept with probability `1 - rate` and scaled by `1 / (1 - rate)`. Drawing the same sequence in the
 * same order (layer by layer, row-major) lets the engines be cross-checked with dropout on.
 */
export class DropoutDraws {
  /** Keep when the top 31 bits of a draw are below this. */
  readonly threshold: number;
  /** Value of a kept element's mask. */
  readonly scale: number;

  constructor(
    readonly random: SeededRandom,
    readonly rate: number,
  ) {
    this.threshold = Math.round((1 - rate) * 2147483648);
    this.scale = 1 / (1 - rate);
  }

  /**
   * Writes `rows x units` mask values (`scale` or 0) into `target`, row `i` starting at
   * `offset + i * stride`. A draw per element is the hot path of dropout, so the generator is
   * inlined over local state and the keep test is branchless (`(draw - threshold) >>> 31` is 1
   * when kept): a method call per draw and a mispredicted branch per element cost 4x more.
   */
  fill(target: Float32Array, offset: number, rows: number, units: number, stride: number): void {
    const threshold = this.threshold;
    const scale = this.scale;
    let state = this.random.state;
    for (let i = 0; i < rows; i++) {
      const row = offset + i * stride;
      for (let j = row; j < row + units; j++) {
        state = (state + 0x6d2b79f5) | 0;
        let t = Math.imul(state ^ (state >>> 15), 1 | state);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        target[j] = scale * ((((t ^ (t >>> 14)) >>> 1) - threshold) >>> 31);
      }
    }
    this.random.state = state;
  }
}
