import { formatClock } from './durations';
import { formatCount } from './numbers';
import { stripAnsi } from './text-width';
import type { OperationProgress } from '@ktrdr/core';

/** Where progress goes: a stream that may be a terminal. */
export interface ProgressSink {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** A progress update, as operations report it. */
export type ProgressUpdate = OperationProgress;

/** Options of {@link ProgressReporter}. */
export interface ProgressReporterOptions {
  /** What is progressing, e.g. `AAPL 1h`. */
  label: string;
  /** Name of the steps counted in `steps_completed/steps_total` (e.g. `segments`, `epochs`). */
  stepsUnit?: string;
  /** Name of the items counted in `items_processed` (e.g. `bars`). */
  itemsUnit?: string;
  /** Wall clock in epoch milliseconds (tests pass a fake one); an operation's planned end is read against it. */
  now?: () => number;
  /** Least time between two redraws of a terminal bar (default 80 ms). */
  redrawMs?: number;
}

const BAR_WIDTH = 24;

/**
 * Shows an operation's progress: a redrawn bar with percentage, counts, elapsed time and ETA (the
 * operation's `estimated_completion` when it has one, else extrapolated from the percentage) on a
 * terminal; plain lines (at each 10%, and at a change of step at most once a second) when the output is a file or a pipe,
 * so logs stay short and never fill with carriage returns.
 */
export class ProgressReporter {
  private readonly startedAt: number;
  private readonly now: () => number;
  private readonly tty: boolean;
  private last: ProgressUpdate = { percentage: 0 };
  private lastDrawAt = Number.NEGATIVE_INFINITY;
  private lastDecile = -1;
  private lastStep: string | undefined;
  private lastLineAt = Number.NEGATIVE_INFINITY;
  /** A plain-mode update not printed yet: the end state is always shown. */
  private unprinted = false;
  private drawn = false;

  constructor(
    private readonly sink: ProgressSink,
    private readonly options: ProgressReporterOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
    this.tty = sink.isTTY === true;
  }

  /** Takes an update and redraws (terminal) or prints a line (otherwise) when it is worth it. */
  update(progress: ProgressUpdate): void {
    this.last = { ...this.last, ...progress };
    if (this.tty) {
      const at = this.now();
      if (at - this.lastDrawAt < (this.options.redrawMs ?? 80) && progress.percentage < 100) return;
      this.lastDrawAt = at;
      this.sink.write(`\r\u001b[2K${this.fit(this.barLine())}`);
      this.drawn = true;
      return;
    }
    const decile = Math.floor(Math.min(100, Math.max(0, progress.percentage)) / 10);
    const at = this.now();
    // A new tenth always gets a line; a new step only once a second (training names every batch).
    const stepChanged = progress.current_step !== this.lastStep && at - this.lastLineAt >= 1000;
    if (decile === this.lastDecile && !stepChanged) {
      this.unprinted = true;
      return;
    }
    this.unprinted = false;
    this.lastDecile = decile;
    this.lastStep = progress.current_step;
    this.lastLineAt = at;
    this.sink.write(`${this.plainLine()}\n`);
  }

  /**
   * Ends the display: a terminal's bar line is cleared so the summary that follows starts clean; in
   * plain mode the last state is printed if it was held back, so a log always ends with it.
   */
  finish(): void {
    if (this.tty && this.drawn) this.sink.write('\r\u001b[2K');
    this.drawn = false;
    if (!this.tty && this.unprinted) this.sink.write(`${this.plainLine()}\n`);
    this.unprinted = false;
  }

  /** Milliseconds since the reporter was created. */
  elapsedMs(): number {
    return this.now() - this.startedAt;
  }

  private counts(): string[] {
    const p = this.last;
    const parts: string[] = [];
    if (p.steps_total !== undefined && p.steps_total > 0) {
      parts.push(
        `${formatCount(p.steps_completed ?? 0)}/${formatCount(p.steps_total)} ${this.options.stepsUnit ?? 'steps'}`,
      );
    }
    if (p.items_processed !== undefined) {
      const total = p.items_total === undefined ? '' : `/${formatCount(p.items_total)}`;
      parts.push(`${formatCount(p.items_processed)}${total} ${this.options.itemsUnit ?? 'items'}`);
    }
    return parts;
  }

  private timing(): string[] {
    const elapsed = this.elapsedMs();
    const pct = this.last.percentage;
    const parts = [`${formatClock(elapsed)} elapsed`];
    if (pct >= 100) return parts;
    // The operation's own plan wins (a data load: IB's pacing rules, which no extrapolation from
    // the first minutes can see: 60 requests go at once, the next 60 ten minutes later).
    const planned = Date.parse(this.last.estimated_completion ?? '');
    if (Number.isFinite(planned)) {
      parts.push(`ETA ${formatClock(Math.max(0, planned - this.now()))}`);
      // Too early an extrapolation is noise: wait for a second and 1% of progress.
    } else if (pct >= 1 && elapsed >= 1000) {
      parts.push(`ETA ${formatClock((elapsed * (100 - pct)) / pct)}`);
    }
    return parts;
  }

  private barLine(): string {
    const pct = Math.min(100, Math.max(0, this.last.percentage));
    const filled = Math.round((pct / 100) * BAR_WIDTH);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
    const step = this.last.current_step === undefined ? [] : [this.last.current_step];
    return [
      this.options.label,
      bar,
      `${pct.toFixed(0).padStart(3)}%`,
      ...this.counts(),
      ...step,
      ...this.timing(),
    ].join('  ');
  }

  private plainLine(): string {
    const pct = Math.min(100, Math.max(0, this.last.percentage));
    const step = this.last.current_step === undefined ? '' : ` [${this.last.current_step}]`;
    const counts = this.counts();
    return `${this.options.label}: ${pct.toFixed(0)}%${step}${counts.length > 0 ? ` ${counts.join(', ')}` : ''}, ${this.timing().join(', ')}`;
  }

  /** A redrawn line must not wrap, or `\r` would only return to its last row. */
  private fit(line: string): string {
    const columns = this.sink.columns;
    if (columns === undefined || columns < 20) return line;
    const chars = [...stripAnsi(line)];
    return chars.length < columns ? line : `${chars.slice(0, columns - 2).join('')}…`;
  }
}
