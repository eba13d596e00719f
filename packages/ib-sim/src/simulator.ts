/**
 * The simulator server: a TCP listener speaking the TWS API, plus the controls tests use to inspect
 * it and inject faults.
 */
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { parseBarsCsv } from './market/csv-fixtures';
import type { FixtureBar } from './market/csv-fixtures';
import type { Instrument, InstrumentInput } from './market/instrument';
import type { Universe } from './market/universe';
import { IB_SIM_ACCOUNT_ID } from './identity';
import type { IbSimulatorOptions } from './options';
import { resolveOptions } from './options';
import { IbErrorCode, IbErrorText } from './protocol/error-messages';
import { SimulatorContext } from './server/context';
import type { IbSimulatorFaults, ScriptedFault } from './server/faults';
import { handleClientMessage } from './server/handlers';
import { ClientSession } from './server/session';
import type { IbSimulatorStats, ReceivedMessage } from './server/stats';
import { resetStats } from './server/stats';

/** How connectivity comes back after {@link IbSimulator.interruptConnectivity}. */
export type ConnectivityRestore = 'data-lost' | 'data-maintained';

/** Options of {@link IbSimulator.interruptConnectivity}. */
export interface ConnectivityInterruption {
  /** Restore automatically after this many milliseconds (default: stay down until `restoreConnectivity`). */
  readonly restoreAfterMs?: number;
  /** How the automatic restore reports: 1101 data lost, or 1102 data maintained (default). */
  readonly restore?: ConnectivityRestore;
}

/** A running simulator. */
export interface IbSimulator {
  /** Interface it listens on. */
  readonly host: string;
  /** Port it listens on (the real one when started with port 0). */
  readonly port: number;
  /** Highest server version it announces. */
  readonly serverVersion: number;
  /** The managed account it announces ({@link IB_SIM_ACCOUNT_ID}). */
  readonly accountId: string;
  /** Live counters (updated in place). */
  readonly stats: IbSimulatorStats;
  /** Every message received, in order (see `recordMessages`). */
  readonly messages: readonly ReceivedMessage[];
  /** The symbols it serves; add symbols or fixtures at any time. */
  readonly universe: Universe;
  /** Client ids of the API sessions currently connected. */
  readonly connectedClientIds: readonly number[];
  /** Stops listening, closes every connection and timer. */
  close(): Promise<void>;
  /** Replaces the connection-level faults (and the scripted ones when `script` is given). */
  setFaults(faults: IbSimulatorFaults): Promise<void>;
  /** Appends a scripted per-request fault. */
  addScriptedFault(fault: ScriptedFault): void;
  /** Removes every scripted fault. */
  clearScriptedFaults(): void;
  /** Closes every client connection now (clients see the socket close). */
  dropConnections(): void;
  /**
   * Simulates losing IB's servers: sends info 1100 to every client and holds historical replies
   * until {@link IbSimulator.restoreConnectivity} (or `restoreAfterMs`).
   */
  interruptConnectivity(options?: ConnectivityInterruption): void;
  /**
   * Ends an interruption with 1101 (data lost: held requests and live updates are dropped silently)
   * or 1102 (data maintained: held replies are sent). Default `data-maintained`.
   */
  restoreConnectivity(restore?: ConnectivityRestore): void;
  /** Adds or replaces a symbol. */
  addInstrument(input: InstrumentInput): Instrument;
  /** Serves fixed bars for a symbol (added as a US stock if unknown, unless `secType` says otherwise). */
  loadBars(symbol: string, bars: readonly FixtureBar[], secType?: InstrumentInput['secType']): Instrument;
  /** {@link IbSimulator.loadBars} from CSV text `date,open,high,low,close,volume`. */
  loadBarsCsv(symbol: string, csv: string, secType?: InstrumentInput['secType']): Instrument;
  /** Forgets pacing history and open-request counts. */
  resetPacing(): void;
  /** Zeroes the counters. */
  resetStats(): void;
  /** Empties the message record. */
  clearMessages(): void;
  /**
   * Resolves with the first received message (already recorded or arriving later) whose name equals
   * `match` (e.g. `CANCEL_HISTORICAL_DATA`) or that satisfies the predicate; rejects after `timeoutMs`.
   */
  waitForMessage(
    match: string | ((message: ReceivedMessage) => boolean),
    timeoutMs?: number,
  ): Promise<ReceivedMessage>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

class RunningSimulator implements IbSimulator {
  readonly accountId = IB_SIM_ACCOUNT_ID;
  port = 0;
  private listener: Server | undefined;
  private nextConnectionId = 1;
  private restoreTimer: NodeJS.Timeout | undefined;
  private closing = false;

  constructor(private readonly ctx: SimulatorContext) {}

  get host(): string {
    return this.ctx.options.host;
  }

  get serverVersion(): number {
    return this.ctx.options.serverVersion;
  }

  get stats(): IbSimulatorStats {
    return this.ctx.stats;
  }

  get messages(): readonly ReceivedMessage[] {
    return this.ctx.messages;
  }

  get universe(): Universe {
    return this.ctx.universe;
  }

  get connectedClientIds(): readonly number[] {
    return [...this.ctx.clientIds.keys()];
  }

  async start(port: number): Promise<void> {
    await this.openListener(port);
    if (this.ctx.faults.refuseConnections) this.closeListener();
  }

  private async openListener(port: number): Promise<void> {
    const server = createServer((socket) => this.accept(socket));
    this.port = await listen(server, port, this.host);
    this.listener = server;
  }

  private closeListener(): void {
    // Stops accepting at once; close() would also wait for open connections, which must live on.
    this.listener?.close();
    this.listener = undefined;
  }

  private accept(socket: Socket): void {
    if (this.closing || this.ctx.faults.refuseConnections) {
      socket.destroy();
      return;
    }
    const session = new ClientSession(this.ctx, socket, this.nextConnectionId, (s, message) =>
      handleClientMessage(this.ctx, s, message),
    );
    this.nextConnectionId += 1;
    this.ctx.sessions.add(session);
    this.ctx.stats.connections += 1;
    this.ctx.stats.activeConnections += 1;
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (this.restoreTimer) clearTimeout(this.restoreTimer);
    const server = this.listener;
    this.listener = undefined;
    for (const session of this.ctx.sessions) session.destroy();
    if (server) await closeServer(server);
  }

  async setFaults(faults: IbSimulatorFaults): Promise<void> {
    const wasRefusing = Boolean(this.ctx.faults.refuseConnections);
    this.ctx.faults = faults;
    if (faults.script) {
      this.ctx.script.clear();
      for (const fault of faults.script) this.ctx.script.add(fault);
    }
    const refusing = Boolean(faults.refuseConnections);
    if (refusing && !wasRefusing) this.closeListener();
    if (!refusing && wasRefusing && !this.closing) await this.openListener(this.port);
  }

  addScriptedFault(fault: ScriptedFault): void {
    this.ctx.script.add(fault);
  }

  clearScriptedFaults(): void {
    this.ctx.script.clear();
  }

  dropConnections(): void {
    for (const session of this.ctx.sessions) session.destroy();
  }

  private broadcastInfo(code: number, message: string): void {
    for (const session of this.ctx.sessions) {
      if (session.clientId !== undefined && !session.closed) session.sendError(-1, code, message);
    }
  }

  interruptConnectivity(options: ConnectivityInterruption = {}): void {
    if (this.restoreTimer) clearTimeout(this.restoreTimer);
    this.restoreTimer = undefined;
    if (!this.ctx.connectivityDown) {
      this.ctx.connectivityDown = true;
      this.broadcastInfo(IbErrorCode.CONNECTIVITY_LOST, IbErrorText.connectivityLost);
    }
    if (options.restoreAfterMs !== undefined) {
      this.restoreTimer = setTimeout(() => this.restoreConnectivity(options.restore), options.restoreAfterMs);
    }
  }

  restoreConnectivity(restore: ConnectivityRestore = 'data-maintained'): void {
    if (this.restoreTimer) clearTimeout(this.restoreTimer);
    this.restoreTimer = undefined;
    if (!this.ctx.connectivityDown) return;
    this.ctx.connectivityDown = false;
    const dataLost = restore === 'data-lost';
    this.broadcastInfo(
      dataLost
        ? IbErrorCode.CONNECTIVITY_RESTORED_DATA_LOST
        : IbErrorCode.CONNECTIVITY_RESTORED_DATA_MAINTAINED,
      dataLost ? IbErrorText.connectivityRestoredDataLost : IbErrorText.connectivityRestoredDataMaintained,
    );
    for (const session of this.ctx.sessions) {
      for (const [reqId, open] of [...session.open]) {
        if (dataLost) session.finishRequest(reqId);
        else open.held?.();
      }
    }
  }

  addInstrument(input: InstrumentInput): Instrument {
    return this.ctx.universe.add(input);
  }

  loadBars(symbol: string, bars: readonly FixtureBar[], secType?: InstrumentInput['secType']): Instrument {
    return this.ctx.universe.loadBars(symbol, bars, secType);
  }

  loadBarsCsv(symbol: string, csv: string, secType?: InstrumentInput['secType']): Instrument {
    return this.loadBars(symbol, parseBarsCsv(csv), secType);
  }

  resetPacing(): void {
    this.ctx.pacing.reset();
    this.ctx.softPacing?.reset();
  }

  resetStats(): void {
    resetStats(this.ctx.stats);
  }

  clearMessages(): void {
    this.ctx.messages.length = 0;
  }

  waitForMessage(
    match: string | ((message: ReceivedMessage) => boolean),
    timeoutMs = 5000,
  ): Promise<ReceivedMessage> {
    const test = typeof match === 'string' ? (message: ReceivedMessage) => message.name === match : match;
    const seen = this.ctx.messages.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        unsubscribe();
        reject(
          new Error(
            `No message matching ${typeof match === 'string' ? match : 'the predicate'} within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      const unsubscribe = this.ctx.onMessage((message) => {
        if (!test(message)) return;
        clearTimeout(timer);
        unsubscribe();
        resolve(message);
      });
    });
  }
}

/**
 * Starts an IB Gateway simulator listening on `options.host:options.port` (default 127.0.0.1 and an
 * ephemeral port). Resolves once it accepts connections.
 */
export async function startIbSimulator(options: IbSimulatorOptions = {}): Promise<IbSimulator> {
  const resolved = resolveOptions(options);
  const simulator = new RunningSimulator(new SimulatorContext(resolved));
  await simulator.start(resolved.port);
  return simulator;
}
