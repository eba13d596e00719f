import { CancelledError, type ServiceConnectionError, ServiceTimeoutError } from '@ktrdr/core';
import { type Clock, systemClock } from './clock';
import { ConnectionStateMachine, type IbConnectionState } from './connection-state-machine';
import { ibConnectionError } from './error-classifier';
import { createStoqeyIbApi, type IbApiFactory, type IbApiPort } from './ib-api-port';
import {
  IB_CONNECTION_DEFAULTS,
  type IbConnectionOptions,
  type IbLogger,
  resolveEndpoint,
} from './ib-config';
import { dispatchIbMessages } from './ib-message-dispatch';
import { RequestTracker, type TrackOptions } from './request-tracker';

export type { IbConnectionState } from './connection-state-machine';

/** Managed-account ids of the ktrdr IB simulator start with this. */
export const SIMULATED_ACCOUNT_PREFIX = 'KTRDRSIM';

/** A snapshot of one connection. */
export interface IbConnectionStatus {
  state: IbConnectionState;
  connected: boolean;
  host: string;
  port: number;
  /** The client id in use (it moves past the requested one when IB reports it taken). */
  clientId: number;
  requestedClientId: number;
  /** The API server version the gateway announced; 0 before the first connect. */
  serverVersion: number;
  /** True when the gateway is the ktrdr simulator (a managed account starts with `KTRDRSIM`). */
  simulated: boolean;
  accounts: string[];
  pendingRequests: number;
  /** True between IB's 1100 (connectivity to IB servers lost) and 1101/1102 (restored). */
  connectivityLost: boolean;
  /** Successful connects, reconnects included. */
  connects: number;
  /** Established connections that dropped. */
  drops: number;
  /** Reconnect attempts since the last drop (0 when connected). */
  reconnectAttempt: number;
}

/** A request as the connection sends it. */
export interface IbRequestSpec<T> extends Omit<TrackOptions<T>, 'onCancel' | 'onTimeout'> {
  /** Sends the request with its id. Only ever called on a synchronised connection. */
  send(api: IbApiPort, reqId: number): void;
  /** Tells IB to stop (`cancelHistoricalData`), on timeout or abort; omitted when IB has no cancel. */
  cancel?(api: IbApiPort, reqId: number): void;
  /** Called when the request is actually written to the socket (`@stoqey/ib` may queue it first). */
  onWritten?(): void;
  /** Called after the request succeeded, for queries IB keeps open until cancelled (head timestamps). */
  finish?(api: IbApiPort, reqId: number): void;
  /** Skip the silent-socket probe when this request times out (the probe itself). */
  noProbe?: boolean;
}

const noop = (): void => undefined;

/**
 * One connection to IB Gateway/TWS over `@stoqey/ib`'s raw `IBApi`: nothing sent before
 * next-valid-id, every pending request failed at once on a drop or on 1100, a probe that drops
 * silent sockets, idle close, explicit close. Connect/reconnect decisions are the
 * {@link ConnectionStateMachine}'s; routing IB's messages is {@link dispatchIbMessages}'s.
 *
 * Each connection attempt gets a fresh `IBApi`: a discarded one may still hold queued commands
 * that must never reach a later socket, and its late events are ignored by generation.
 */
export class IbConnection {
  readonly host: string;
  readonly port: number;
  readonly requestedClientId: number;
  readonly endpoint: string;
  /** Correlates replies with requests. */
  readonly tracker: RequestTracker;

  private readonly machine: ConnectionStateMachine;
  private api: IbApiPort | undefined;
  private generation = 0;
  private readonly clock: Clock;
  private readonly logger: IbLogger;
  private readonly createApi: IbApiFactory;
  private readonly idleCloseMs: number | false;
  private readonly probeTimeoutMs: number | false;
  private readonly accountsGraceMs: number;

  private idleTimer: unknown;
  private accountsTimer: unknown;
  /** Handshake of the current attempt: ready once next-valid-id came (and accounts, or their grace ran out). */
  private handshake = { gotNextId: false, gotAccounts: false };
  private accounts: string[] = [];
  private serverVersion = 0;
  private connectivityLost = false;
  private users = 0;
  private probing = false;
  /** Write hooks of historical requests by request id (see {@link IbRequestSpec.onWritten}). */
  private readonly writeHooks = new Map<number, () => void>();

  constructor(options: IbConnectionOptions = {}) {
    const { host, port, clientId } = resolveEndpoint(options);
    this.host = host;
    this.port = port;
    this.requestedClientId = clientId;
    this.endpoint = `${host}:${port}`;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? {};
    this.createApi = options.createApi ?? createStoqeyIbApi;
    this.idleCloseMs = options.idleCloseMs ?? IB_CONNECTION_DEFAULTS.idleCloseMs;
    this.probeTimeoutMs = options.probeTimeoutMs ?? IB_CONNECTION_DEFAULTS.probeTimeoutMs;
    this.accountsGraceMs = options.accountsGraceMs ?? IB_CONNECTION_DEFAULTS.accountsGraceMs;
    this.tracker = new RequestTracker(this.clock, this.endpoint);
    this.tracker.onSizeChange(() => this.updateIdleTimer());
    this.machine = new ConnectionStateMachine({
      endpoint: this.endpoint,
      clientId,
      connectTimeoutMs: options.connectTimeoutMs ?? IB_CONNECTION_DEFAULTS.connectTimeoutMs,
      maxClientIdAttempts: options.maxClientIdAttempts ?? IB_CONNECTION_DEFAULTS.maxClientIdAttempts,
      reconnect:
        options.reconnect === false ? false : { ...IB_CONNECTION_DEFAULTS.reconnect, ...options.reconnect },
      clock: this.clock,
      logger: this.logger,
      random: options.random ?? Math.random,
      hooks: {
        open: (id) => this.openSocket(id),
        teardown: () => this.teardown(),
        failPending: (error) => this.tracker.rejectAll(error),
        onReady: (wasReconnect) => this.onReady(wasReconnect),
      },
    });
  }

  /** True while synchronised and IB reports its servers reachable: a request sent now is answered. */
  get isReady(): boolean {
    return this.machine.state === 'ready' && !this.connectivityLost;
  }

  /** True when the gateway is the ktrdr simulator. */
  get isSimulated(): boolean {
    return this.accounts.some((account) => account.startsWith(SIMULATED_ACCOUNT_PREFIX));
  }

  /** A snapshot of the connection. */
  status(): IbConnectionStatus {
    return {
      state: this.machine.state,
      connected: this.machine.state === 'ready',
      host: this.host,
      port: this.port,
      clientId: this.machine.clientId,
      requestedClientId: this.requestedClientId,
      serverVersion: this.serverVersion,
      simulated: this.isSimulated,
      accounts: [...this.accounts],
      pendingRequests: this.tracker.size,
      connectivityLost: this.connectivityLost,
      connects: this.machine.connects,
      drops: this.machine.drops,
      reconnectAttempt: this.machine.reconnectAttempt,
    };
  }

  /**
   * Resolves once the connection is synchronised, connecting first if there is no socket. Rejects
   * with {@link ServiceConnectionError} when the attempt under way fails (never hangs: every
   * attempt ends by success, failure or the connect timeout), and with {@link CancelledError} when
   * `signal` aborts.
   */
  ready(signal?: AbortSignal): Promise<void> {
    const state = this.machine.state;
    if (state === 'closed') return Promise.reject(this.closedError());
    if (state === 'ready') {
      return this.connectivityLost ? Promise.reject(this.connectivityLostError()) : Promise.resolve();
    }
    return this.machine.waitReady(signal);
  }

  /**
   * Marks the connection in use for the duration of an operation (which may wait minutes for a
   * pacing slot with nothing pending at IB), so the idle timer does not close it underneath.
   * Returns the function that ends the use.
   */
  beginUse(): () => void {
    this.users += 1;
    this.updateIdleTimer();
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.users -= 1;
      this.updateIdleTimer();
    };
  }

  /** Waits for {@link IbConnection.ready}, then sends the request (see {@link IbConnection.send}). */
  async request<T>(spec: IbRequestSpec<T>): Promise<T> {
    await this.ready(spec.signal);
    return this.send(spec);
  }

  /**
   * Registers and sends a request on the synchronised connection now; the promise settles with
   * the request (reply, IB error, timeout, abort, or the connection failing).
   * @throws ServiceConnectionError (as a rejection) when not ready.
   */
  send<T>(spec: IbRequestSpec<T>): Promise<T> {
    const api = this.api;
    if (!this.isReady || api === undefined) {
      return Promise.reject(this.connectivityLost ? this.connectivityLostError() : this.notConnectedError());
    }
    const live = (): boolean => this.api === api && this.machine.state === 'ready';
    const { reqId, promise } = this.tracker.track<T>({
      kind: spec.kind,
      description: spec.description,
      timeoutMs: spec.timeoutMs,
      signal: spec.signal,
      onEvent: spec.onEvent,
      onCancel: (id, reason) => {
        // Only the socket the request went out on knows it; after a reconnect there is nothing to cancel.
        if (spec.cancel === undefined || !live()) return;
        this.logger.debug?.(`IB: cancelling request ${id} after ${reason}`, { reqId: id, reason });
        spec.cancel(api, id);
      },
      onTimeout: spec.noProbe ? undefined : () => this.probe(),
    });
    if (spec.onWritten !== undefined && this.tracker.has(reqId)) {
      this.writeHooks.set(reqId, spec.onWritten);
      const forget = (): void => {
        this.writeHooks.delete(reqId);
      };
      promise.then(forget, forget);
    }
    if (this.tracker.has(reqId)) spec.send(api, reqId);
    if (spec.finish === undefined) return promise;
    const finish = spec.finish;
    return promise.then((value) => {
      if (live()) finish(api, reqId);
      return value;
    });
  }

  /**
   * Closes the connection for good: the socket, every timer, every pending request and every
   * waiter (rejected with {@link CancelledError}).
   */
  close(): void {
    if (this.machine.state === 'closed') return;
    this.clock.clearTimeout(this.idleTimer);
    this.machine.close(
      new CancelledError(`IB connection to ${this.endpoint} was closed by its owner.`, {
        details: { service: 'ib', endpoint: this.endpoint },
      }),
    );
  }

  // ---- the socket of one attempt ---------------------------------------------------------------

  private openSocket(clientId: number): void {
    const generation = ++this.generation;
    this.handshake = { gotNextId: false, gotAccounts: false };
    this.logger.debug?.(`IB: connecting to ${this.endpoint} as client ${clientId}`, {
      endpoint: this.endpoint,
      clientId,
    });
    Promise.resolve()
      .then(() => this.createApi({ host: this.host, port: this.port, clientId }))
      .then(
        (api) => {
          if (generation !== this.generation || this.machine.state === 'closed') {
            safeDisconnect(api);
            return;
          }
          this.api = api;
          this.attach(api, generation);
          api.connect(clientId);
        },
        (error: unknown) => {
          if (generation !== this.generation) return;
          this.machine.failAttempt(
            ibConnectionError(
              this.endpoint,
              'Could not create the IB API client',
              { reason: 'api_unavailable' },
              error,
            ),
          );
        },
      );
  }

  private attach(api: IbApiPort, generation: number): void {
    const current = (): boolean => generation === this.generation && this.api === api;
    dispatchIbMessages(api, {
      endpoint: this.endpoint,
      tracker: this.tracker,
      logger: this.logger,
      writeHooks: this.writeHooks,
      isCurrent: current,
      handlers: {
        serverVersion: (version) => {
          this.serverVersion = version;
        },
        managedAccounts: (accounts) => {
          this.accounts = accounts;
          this.handshake.gotAccounts = true;
          if (this.handshake.gotNextId) this.machine.synchronised();
        },
        nextValidId: () => {
          if (this.machine.state === 'ready' || this.handshake.gotNextId) return;
          this.handshake.gotNextId = true;
          // A real gateway sends managed accounts first; give a late one a moment, since it decides
          // whether this is a simulated session, then go ready regardless.
          if (this.handshake.gotAccounts) this.machine.synchronised();
          else
            this.accountsTimer = this.clock.setTimeout(() => {
              if (current()) this.machine.synchronised();
            }, this.accountsGraceMs);
        },
        disconnected: () => this.machine.socketClosed(),
        clientIdConflict: (detail) => this.machine.noteClientIdConflict(detail),
        connectionError: (detail) => this.machine.noteAttemptError(detail),
        connectivityLost: (error) => {
          this.connectivityLost = true;
          return this.tracker.rejectAll(error ?? this.connectivityLostError(), { cancelAtIb: true });
        },
        connectivityRestored: () => {
          this.connectivityLost = false;
        },
      },
    });
  }

  private onReady(wasReconnect: boolean): void {
    this.clock.clearTimeout(this.accountsTimer);
    this.connectivityLost = false;
    const clientId = this.machine.clientId;
    this.logger.info?.(
      `IB: ${wasReconnect ? 'reconnected' : 'connected'} to ${this.endpoint} as client ${clientId}`,
      { endpoint: this.endpoint, clientId, serverVersion: this.serverVersion, simulated: this.isSimulated },
    );
    this.updateIdleTimer();
  }

  // ---- silent sockets and idleness -------------------------------------------------------------

  /**
   * After a timeout, check the socket is alive: a gateway that answers nothing, not even the
   * current time, is dropped and reconnected, instead of timing out request after request.
   */
  private probe(): void {
    if (this.probeTimeoutMs === false || this.probing || this.machine.state !== 'ready') return;
    this.probing = true;
    const api = this.api;
    this.send<number>({
      kind: 'currentTime',
      description: 'current-time probe',
      timeoutMs: this.probeTimeoutMs,
      noProbe: true,
      send: (target) => target.reqCurrentTime(),
      onEvent: (event, controls) => {
        if (event.type === 'currentTime') controls.resolve(event.epochSeconds);
      },
    }).then(
      () => {
        this.probing = false;
      },
      (error: unknown) => {
        this.probing = false;
        if (error instanceof ServiceTimeoutError && this.api === api && this.machine.state === 'ready') {
          this.machine.drop(
            `IB at ${this.endpoint} did not answer a current-time probe: the connection is silent`,
          );
        }
      },
    );
  }

  private updateIdleTimer(): void {
    this.clock.clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const busy = (): boolean => this.machine.state !== 'ready' || this.tracker.size > 0 || this.users > 0;
    if (this.idleCloseMs === false || busy()) return;
    this.idleTimer = this.clock.setTimeout(() => {
      this.idleTimer = undefined;
      if (busy()) return;
      this.logger.info?.(`IB: closing idle connection to ${this.endpoint}; the next request reconnects`, {
        endpoint: this.endpoint,
      });
      this.machine.closeIdle();
    }, this.idleCloseMs);
  }

  // ---- helpers ---------------------------------------------------------------------------------

  /** Detaches and disconnects the current API object; its late events are ignored. */
  private teardown(): void {
    const api = this.api;
    this.api = undefined;
    this.generation += 1;
    this.clock.clearTimeout(this.accountsTimer);
    if (api !== undefined) safeDisconnect(api);
  }

  private closedError(): CancelledError {
    return new CancelledError(
      `IB connection to ${this.endpoint} is closed; create a new client to connect again.`,
      { details: { service: 'ib', endpoint: this.endpoint } },
    );
  }

  private notConnectedError(): ServiceConnectionError {
    return ibConnectionError(this.endpoint, `Not connected to IB (state ${this.machine.state})`, {
      reason: 'not_connected',
    });
  }

  private connectivityLostError(): ServiceConnectionError {
    return ibConnectionError(
      this.endpoint,
      'IB Gateway/TWS reports its connection to IB servers lost (1100); requests fail until it is restored',
      { reason: 'connectivity_lost', ibCode: 1100 },
    );
  }
}

/** Detaches every listener but a no-op error one (an EventEmitter throws on an unheard 'error'). */
function safeDisconnect(api: IbApiPort): void {
  api.removeAllListeners();
  api.on('error', noop);
  try {
    api.disconnect();
  } catch {
    // Already down: nothing to release.
  }
}
