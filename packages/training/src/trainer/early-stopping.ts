import type { EarlyStoppingConfig } from '../model/mlp-config';

/**
 * Tracks the monitored metric across epochs: reports improvements (so the caller snapshots the
 * weights) and when patience has run out.
 */
export class EarlyStopping {
  private best: number;
  private bestEpochIndex = -1;
  private waited = 0;
  private readonly lowerIsBetter: boolean;

  constructor(private readonly config: EarlyStoppingConfig) {
    this.lowerIsBetter = config.monitor.endsWith('loss');
    this.best = this.lowerIsBetter ? Infinity : -Infinity;
  }

  /** 0-based epoch with the best value so far, or -1. */
  get bestEpoch(): number {
    return this.bestEpochIndex;
  }

  get bestValue(): number {
    return this.best;
  }

  /** The state a checkpoint keeps. */
  snapshot(): { best: number; bestEpoch: number; waited: number } {
    return { best: this.best, bestEpoch: this.bestEpochIndex, waited: this.waited };
  }

  /** Continues from a {@link snapshot}. */
  restore(state: { best: number; bestEpoch: number; waited: number }): void {
    this.best = state.best;
    this.bestEpochIndex = state.bestEpoch;
    this.waited = state.waited;
  }

  /** Records an epoch's value; `improved` means snapshot the weights, `stop` means patience ran out. */
  update(epoch: number, value: number): { improved: boolean; stop: boolean } {
    const delta = this.lowerIsBetter ? this.best - value : value - this.best;
    // The first finite value always counts, so a minDelta larger than any change still yields a best epoch.
    const improved = Number.isFinite(value) && (this.bestEpochIndex < 0 || delta > this.config.minDelta);
    if (improved) {
      this.best = value;
      this.bestEpochIndex = epoch;
      this.waited = 0;
    } else {
      this.waited++;
    }
    return { improved, stop: !improved && this.waited >= this.config.patience };
  }
}
