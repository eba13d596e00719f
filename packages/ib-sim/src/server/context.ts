/**
 * State shared by every connection of one simulator: market data, pacing, faults, counters, the
 * message record and the simulated connectivity to "IB's servers".
 */
import { BarSource } from '../market/bar-source';
import { createRng, hashString } from '../market/random';
import type { Rng } from '../market/random';
import { DEFAULT_UNIVERSE, Universe } from '../market/universe';
import type { ResolvedOptions } from '../options';
import { FaultScript } from './faults';
import type { IbSimulatorFaults } from './faults';
import { PacingGuard } from './pacing';
import { SoftPacing } from './soft-pacing';
import type { ClientSession } from './session';
import type { IbSimulatorStats, ReceivedMessage } from './stats';
import { createStats } from './stats';

/** Shared simulator state. */
export class SimulatorContext {
  readonly universe: Universe;
  readonly bars: BarSource;
  readonly pacing: PacingGuard;
  /** The soft slowdown of larger bars in practical mode, when enabled. */
  readonly softPacing: SoftPacing | undefined;
  readonly script: FaultScript;
  readonly stats: IbSimulatorStats = createStats();
  readonly messages: ReceivedMessage[] = [];
  /** Latency draws and split-frame chunk sizes: seeded, so a run replays identically. */
  readonly rng: Rng;
  readonly sessions = new Set<ClientSession>();
  /** Client ids with an open API session (a second START_API with one of them gets 326). */
  readonly clientIds = new Map<number, ClientSession>();
  /** Connection-level faults currently active. */
  faults: IbSimulatorFaults;
  /** True between an injected 1100 and its 1101/1102: historical replies are held back. */
  connectivityDown = false;
  private readonly messageListeners = new Set<(message: ReceivedMessage) => void>();

  constructor(readonly options: ResolvedOptions) {
    this.universe = new Universe([
      ...(options.defaultUniverse ? DEFAULT_UNIVERSE : []),
      ...options.instruments,
    ]);
    this.bars = new BarSource(options.seed);
    this.pacing = new PacingGuard(options.pacing, options.timeScale);
    this.softPacing =
      options.softPacing === undefined ? undefined : new SoftPacing(options.softPacing, options.timeScale);
    this.script = new FaultScript(options.faults.script ?? []);
    this.rng = createRng(hashString(`latency:${String(options.seed)}`));
    this.faults = options.faults;
  }

  /** The simulated market clock, in whole epoch seconds. */
  nowSeconds(): number {
    return Math.floor(this.options.now().getTime() / 1000);
  }

  /** Largest chunk for split frames, or `undefined` when frames are written whole. */
  splitChunkBytes(): number | undefined {
    const split = this.faults.splitFrames;
    if (!split) return undefined;
    return Math.max(1, split === true ? 7 : (split.maxChunkBytes ?? 7));
  }

  /** Records a received message and notifies waiters. */
  record(message: ReceivedMessage): void {
    this.stats.messagesReceived += 1;
    if (this.options.recordMessages) this.messages.push(message);
    for (const listener of this.messageListeners) listener(message);
  }

  /** Subscribes to received messages; returns the unsubscribe function. */
  onMessage(listener: (message: ReceivedMessage) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }
}
