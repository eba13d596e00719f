import { CancelledError } from '@ktrdr/core';
import { systemClock } from './clock';
import type { IbContractInfo } from './contracts';
import { type IbConnectionOptions, resolveEndpoint } from './ib-config';
import { IbConnection, type IbConnectionStatus } from './ib-connection';
import { PacingScheduler, type PacingSchedulerOptions } from './pacing-scheduler';
import { TtlCache } from './ttl-cache';

/** Options of a shared connection: how to connect, plus what is shared with it. */
export interface IbSharedConnectionOptions extends IbConnectionOptions {
  /** Pacing of historical requests; one scheduler per connection, since IB paces per session. */
  pacing?: PacingSchedulerOptions;
  /** How long a resolved contract stays cached. Default 30 days (the Python system's validation cache). */
  contractCacheTtlMs?: number;
  /** How long a head timestamp stays cached. Default 24 h (the Python system's). */
  headTimestampCacheTtlMs?: number;
}

/** What holders of one shared connection share. */
export interface IbSharedConnection {
  readonly key: string;
  readonly connection: IbConnection;
  readonly pacing: PacingScheduler;
  readonly contracts: TtlCache<IbContractInfo>;
  readonly headTimestamps: TtlCache<number>;
}

/** One holder's reference to a shared connection. */
export interface IbConnectionLease extends IbSharedConnection {
  /** Gives the reference back; the last one closes the connection. Idempotent. */
  release(): void;
}

interface Entry extends IbSharedConnection {
  refs: number;
}

const DAY_MS = 86_400_000;

/**
 * One connection per host, port and client id, shared by reference count. IB Gateway is wedged by
 * bursts of connects, and each connection is a session with its own pacing budget, so every
 * client of one gateway and client id shares one socket, one pacing scheduler and the caches.
 * The first `acquire` of a key decides the options; later ones join it as it is.
 */
export class IbConnectionRegistry {
  private readonly entries = new Map<string, Entry>();

  /** Number of live shared connections. */
  get size(): number {
    return this.entries.size;
  }

  /** The key a set of options shares a connection under: `host:port#clientId`. */
  static keyOf(options: IbConnectionOptions): string {
    const { host, port, clientId } = resolveEndpoint(options);
    return `${host}:${port}#${clientId}`;
  }

  /** Takes a reference to the connection for `options`, creating it (not yet connected) if needed. */
  acquire(options: IbSharedConnectionOptions = {}): IbConnectionLease {
    const key = IbConnectionRegistry.keyOf(options);
    let entry = this.entries.get(key);
    if (entry === undefined) {
      const clock = options.clock ?? systemClock;
      entry = {
        key,
        connection: new IbConnection(options),
        pacing: new PacingScheduler({ clock, ...options.pacing }),
        contracts: new TtlCache<IbContractInfo>(options.contractCacheTtlMs ?? 30 * DAY_MS, clock),
        headTimestamps: new TtlCache<number>(options.headTimestampCacheTtlMs ?? DAY_MS, clock),
        refs: 0,
      };
      this.entries.set(key, entry);
    }
    entry.refs += 1;
    const shared = entry;
    let released = false;
    return {
      key,
      connection: shared.connection,
      pacing: shared.pacing,
      contracts: shared.contracts,
      headTimestamps: shared.headTimestamps,
      release: () => {
        if (released) return;
        released = true;
        shared.refs -= 1;
        if (shared.refs <= 0) this.dispose(shared);
      },
    };
  }

  /** Statuses of every live connection. */
  statuses(): IbConnectionStatus[] {
    return [...this.entries.values()].map((entry) => entry.connection.status());
  }

  /** Closes every connection whatever its reference count (process shutdown, test teardown). */
  closeAll(): void {
    for (const entry of [...this.entries.values()]) this.dispose(entry);
  }

  private dispose(entry: Entry): void {
    if (this.entries.get(entry.key) === entry) this.entries.delete(entry.key);
    entry.pacing.dispose(
      new CancelledError(`IB connection ${entry.key} was closed while a request waited for pacing.`),
    );
    entry.connection.close();
  }
}

/** The process-wide registry clients use unless given their own. */
export const sharedIbConnections = new IbConnectionRegistry();
