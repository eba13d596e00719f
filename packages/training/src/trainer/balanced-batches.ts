import type { SeededRandom } from './seeded-random';

/**
 * Batches that hold an equal share of every symbol, as Python KTRDR's balanced batch sampler: each
 * batch takes `perGroup` rows of each symbol from that symbol's own shuffled order (a symbol with
 * fewer rows is cycled, reshuffled at each pass, so a short history is oversampled rather than
 * drowned by a long one), then the batch is shuffled. An epoch is as many whole batches as the
 * training rows fill, so its length never exceeds the row count.
 */
export class BalancedBatches {
  /** Rows per batch: `perGroup` times the number of symbols. */
  readonly batchSize: number;
  /** Rows per epoch: whole batches only. */
  readonly length: number;
  private readonly members: Uint32Array[];
  private readonly cursors: number[];
  private readonly perGroup: number;

  /**
   * @param groups symbol index of each training row.
   * @returns null when there are fewer than two symbols, or fewer rows than symbols (nothing to balance).
   */
  static create(groups: Int32Array, batchSize: number): BalancedBatches | null {
    let count = 0;
    for (const g of groups) count = Math.max(count, g + 1);
    const members = Array.from({ length: count }, () => [] as number[]);
    groups.forEach((g, row) => members[g]!.push(row));
    const present = members.filter((m) => m.length > 0).map((m) => Uint32Array.from(m));
    if (present.length < 2 || groups.length < present.length) return null;
    return new BalancedBatches(present, groups.length, batchSize);
  }

  private constructor(members: Uint32Array[], rows: number, batchSize: number) {
    this.members = members;
    this.cursors = members.map((m) => m.length);
    const groups = members.length;
    this.perGroup = Math.max(1, Math.min(Math.floor(batchSize / groups), Math.floor(rows / groups)));
    this.batchSize = this.perGroup * groups;
    this.length = Math.floor(rows / this.batchSize) * this.batchSize;
  }

  /** Each symbol's current row order and cursor (they carry over from epoch to epoch), for a checkpoint. */
  snapshot(): { members: Uint32Array[]; cursors: number[] } {
    return { members: this.members.map((m) => m.slice()), cursors: [...this.cursors] };
  }

  /** Continues from a {@link snapshot} of the same rows. */
  restore(state: { members: Uint32Array[]; cursors: number[] }): void {
    this.members.forEach((rows, g) => rows.set(state.members[g]!));
    state.cursors.forEach((c, g) => (this.cursors[g] = c));
  }

  /** Writes one epoch's row order into `order[0 .. length)`. */
  fill(order: Uint32Array, random: SeededRandom): void {
    for (let start = 0; start < this.length; start += this.batchSize) {
      let at = start;
      this.members.forEach((rows, g) => {
        for (let k = 0; k < this.perGroup; k++) {
          if (this.cursors[g]! >= rows.length) {
            random.shuffle(rows);
            this.cursors[g] = 0;
          }
          order[at++] = rows[this.cursors[g]!++]!;
        }
      });
      random.shuffle(order.subarray(start, start + this.batchSize));
    }
  }
}
