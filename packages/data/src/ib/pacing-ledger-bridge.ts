import { type LedgerRecord, type PacingLedger, ledgerIdentity } from './pacing-ledger';
import type { PacedSend } from './pacing-rules';

/**
 * A pacing scheduler's side of a shared {@link PacingLedger}: the numbering of its sends, the
 * conversion between its clock and the ledger's wall clock, and the records waiting for the lock.
 */
export class LedgerBridge {
  /** Records not yet written (a later send time, a revoke) while the lock was busy. */
  private readonly backlog: LedgerRecord[] = [];
  private seq = 0;

  constructor(private readonly ledger: PacingLedger) {}

  /** Where the ledger lives. */
  get location(): string {
    return this.ledger.location;
  }

  /** The number of this process's next send in the ledger. */
  nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  /** The ledger's form of a request identity (a short hash). */
  identity(identity: string): string {
    return ledgerIdentity(identity);
  }

  /** Wall-clock epoch ms minus the scheduler's clock at `now`. */
  offset(now: number): number {
    return this.ledger.wallNow() - now;
  }

  /**
   * Under the ledger's lock: hands the other processes' recent sends (times on the scheduler's
   * clock) to `admit`, then records the sends it granted and the backlog. False when the lock
   * stayed busy (decide again shortly).
   * @throws ServiceConfigurationError when the ledger cannot be used.
   */
  decide(now: number, retentionMs: number, admit: (foreign: PacedSend[]) => PacedSend[]): boolean {
    return this.ledger.transact(retentionMs, (others) => {
      const offset = this.offset(now);
      const granted = admit(others.map((send) => ({ ...send, time: send.at - offset })));
      return [
        ...this.backlog.splice(0),
        ...granted.map((send): LedgerRecord => ({
          kind: 'send',
          seq: send.seq as number,
          at: send.time + offset,
          bucket: send.bucket,
          identity: send.identity,
          weight: send.weight,
        })),
      ];
    });
  }

  /** Queues `record` (if any) and writes the backlog if the lock is free; true while some remain. */
  flush(retentionMs: number, record?: LedgerRecord): boolean {
    if (record !== undefined) this.backlog.push(record);
    if (this.backlog.length === 0) return false;
    try {
      this.ledger.transact(retentionMs, () => this.backlog.splice(0));
    } catch {
      // Kept in the backlog: the next decision writes it, or fails its waiters with the reason.
    }
    return this.backlog.length > 0;
  }
}
