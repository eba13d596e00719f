import { CancelledError, type ServiceConnectionError, ServiceTimeoutError } from '@ktrdr/core';
import { abortError, backoffDelay } from './backoff';
import { type Clock, systemClock } from './clock';
import { classifyIbError, ibConnectionError } from './error-classifier';
import { createStoqeyIbApi, type IbApiFactory, type IbApiPort } from './ib-api-port';
import {
  IB_CONNECTION_DEFAULTS,
  type IbConnectionOptions,
  type IbLogger,
  resolveEndpoint,
} from './ib-config';
import { RequestTracker, type TrackOptions } from './request-tracker';

/**
 * Lifecycle of a connection:
 * `idle` (no socket) -> `connecting` -> `ready` (synchronised: next valid id received);
 * after a drop `reconnecting` (backoff, then attempts); `closed` is final.
 */
export type IbConnectionState = 'idle' | 'connecting' | 'ready' | 'reconnecting' | 'closed';

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

interface ReadyWaiter {
  resolve(): void;
  reject(error: Error): void;
}

const noop = (): void => undefined;

/** Outgoing message id of reqHistoricalData. */
const REQ_HISTORICAL_DATA = 20;

/**
 * One connection to IB Gateway/TWS over `@stoqey/ib`'s raw `IBApi`, with its full lifecycle:
 * connect timeout, nothing sent before next-valid-id, client-id conflict (326) moving to the next
 * id, reconnect with exponential backoff and jitter, every pending request failed at once on a drop
 * or on 1100, a probe that drops silent sockets, idle close, explicit close.
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

  private clientId: number;
  private state: IbConnectionState = 'idle';
  private api: IbApiPort | undefined;
  private generation = 0;
  private readonly waiters = new Set<ReadyWaiter>();
  private readonly clock: Clock;
  private readonly logger: IbLogger;
  private readonly createApi: IbApiFactory;
  private readonly random: () => number;
  private readonly connectTimeoutMs: number;
  private readonly maxClientIdAttempts: number;
  private readonly reconnect: false | Required<NonNullable<Exclude<IbConnectionOptions['reconnect'], false>>>;
  private readonly idleCloseMs: number | false;
  private readonly probeTimeoutMs: number | false;
  private readonly accountsGraceMs: number;

  private connectTimer: unknown;
  private reconnectTimer: unknown;
  private idleTimer: unknown;
  private accountsTimer: unknown;
  private attempt = {
    clientIdTries: 0,
    conflict: false,
    lastError: undefined as string | undefined,
    gotNextId: false,
    gotAccounts: false,
  };
  private reconnectAttempt = 0;
  private accounts: string[] = [];
  private serverVersion = 0;
  private connectivityLost = false;
  private connects = 0;
  private drops = 0;
  private users = 0;
  private probing = false;
  /** Write hooks of historical requests by request id (see {@link IbRequestSpec.onWritten}). */
  private readonly writeHooks = new Map<number, () => void>();

  constructor(options: IbConnectionOptions = {}) {
    const { host, port, clientId } = resolveEndpoint(options);
    this.host = host;
    this.port = port;
    this.requestedClientId = clientId;
    this.clientId = clientId;
    this.endpoint = `${host}:${port}`;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? {};
    this.createApi = options.createApi ?? createStoqeyIbApi;
    this.random = options.random ?? Math.random;
    this.connectTimeoutMs = options.connectTimeoutMs ?? IB_CONNECTION_DEFAULTS.connectTimeoutMs;
    this.maxClientIdAttempts = options.maxClientIdAttempts ?? IB_CONNECTION_DEFAULTS.maxClientIdAttempts;
    this.reconnect =
      options.reconnect === false ? false : { ...IB_CONNECTION_DEFAULTS.reconnect, ...options.reconnect };
    this.idleCloseMs = options.idleCloseMs ?? IB_CONNECTION_DEFAULTS.idleCloseMs;
    this.probeTimeoutMs = options.probeTimeoutMs ?? IB_CONNECTION_DEFAULTS.probeTimeoutMs;
    this.accountsGraceMs = options.accountsGraceMs ?? IB_CONNECTION_DEFAULTS.accountsGraceMs;
    this.tracker = new RequestTracker(this.clock, this.endpoint);
    this.tracker.onSizeChange(() => this.updateIdleTimer());
  }

  /** True while synchronised and IB reports its servers reachable: a request sent now is answered. */
  get isReady(): boolean {
    return this.state === 'ready' && !this.connectivityLost;
  }

  /** True when the gateway is the ktrdr simulator. */
  get isSimulated(): boolean {
    return this.accounts.some((account) => account.startsWith(SIMULATED_ACCOUNT_PREFIX));
  }

  /** A snapshot of the connection. */
  status(): IbConnectionStatus {
    return {
      state: this.state,
      connected: this.state === 'ready',
      host: this.host,
      port: this.port,
      clientId: this.clientId,
      requestedClientId: this.requestedClientId,
      serverVersion: this.serverVersion,
      simulated: this.isSimulated,
      accounts: [...this.accounts],
      pendingRequests: this.tracker.size,
      connectivityLost: this.connectivityLost,
      connects: this.connects,
      drops: this.drops,
      reconnectAttempt: this.reconnectAttempt,
    };
  }

  /**
   * Resolves once the connection is synchronised, connecting first if there is no socket. Rejects
   * with {@link ServiceConnectionError} when the attempt under way fails (never hangs: every
   * attempt ends by success, failure or the connect timeout), and with {@link CancelledError} when
   * `signal` aborts.
   */
  ready(signal?: AbortSignal): Promise<void> {
    if (this.state === 'closed') return Promise.reject(this.closedError());
    if (this.state === 'ready') {
      return this.connectivityLost ? Promise.reject(this.connectivityLostError()) : Promise.resolve();
    }
    if (signal?.aborted) return Promise.reject(abortError(signal, `Connecting to IB at ${this.endpoint}`));
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.waiters.delete(waiter);
        reject(abortError(signal, `Connecting to IB at ${this.endpoint}`));
      };
      const waiter: ReadyWaiter = {
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(waiter);
      if (this.state === 'idle') this.startAttempt();
    });
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
    const { reqId, promise } = this.tracker.track<T>({
      kind: spec.kind,
      description: spec.description,
      timeoutMs: spec.timeoutMs,
      signal: spec.signal,
      onEvent: spec.onEvent,
      onCancel: (id, reason) => {
        // Only the socket the request went out on knows it; after a reconnect there is nothing to cancel.
        if (spec.cancel === undefined || this.api !== api || this.state !== 'ready') return;
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
      if (this.api === api && this.state === 'ready') finish(api, reqId);
      return value;
    });
  }

  /**
   * Closes the connection for good: the socket, every timer, every pending request and every
   * waiter (rejected with {@link CancelledError}).
   */
  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.clearTimers();
    this.clock.clearTimeout(this.idleTimer);
    this.teardown();
    const error = new CancelledError(`IB connection to ${this.endpoint} was closed by its owner.`, {
      details: { service: 'ib', endpoint: this.endpoint },
    });
    this.tracker.rejectAll(error);
    this.rejectWaiters(error);
  }

  // ---- connection attempts -------------------------------------------------------------------

  private startAttempt(): void {
    if (this.state === 'closed') return;
    if (this.state !== 'reconnecting') this.state = 'connecting';
    const generation = ++this.generation;
    this.attempt = {
      ...this.attempt,
      conflict: false,
      lastError: undefined,
      gotNextId: false,
      gotAccounts: false,
    };
    this.clearTimers();
    this.connectTimer = this.clock.setTimeout(() => {
      if (generation !== this.generation) return;
      this.failAttempt(
        ibConnectionError(
          this.endpoint,
          `Connecting to IB timed out after ${this.connectTimeoutMs} ms without the connection being synchronised`,
          { reason: 'connect_timeout', clientId: this.clientId, timeoutMs: this.connectTimeoutMs },
          new ServiceTimeoutError(`connect timed out after ${this.connectTimeoutMs} ms`),
        ),
      );
    }, this.connectTimeoutMs);
    this.logger.debug?.(`IB: connecting to ${this.endpoint} as client ${this.clientId}`, {
      endpoint: this.endpoint,
      clientId: this.clientId,
    });
    Promise.resolve()
      .then(() => this.createApi({ host: this.host, port: this.port, clientId: this.clientId }))
      .then(
        (api) => {
          if (generation !== this.generation || this.state === 'closed') {
            safeDisconnect(api);
            return;
          }
          this.api = api;
          this.attach(api, generation);
          api.connect(this.clientId);
        },
        (error: unknown) => {
          if (generation !== this.generation) return;
          this.failAttempt(
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
    api.on('error', (error, code, reqId) => {
      if (current()) this.onIbError(error?.message ?? String(error), code, reqId);
    });
    api.on('info', (message, code) => {
      if (current()) this.onIbInfo(message, code);
    });
    api.on('server', (version) => {
      if (current()) this.serverVersion = version;
    });
    api.on('managedAccounts', (list) => {
      if (!current()) return;
      this.accounts = String(list)
        .split(',')
        .map((account) => account.trim())
        .filter((account) => account !== '');
      this.attempt.gotAccounts = true;
      if (this.attempt.gotNextId) this.becomeReady();
    });
    api.on('nextValidId', () => {
      if (!current() || this.state === 'ready' || this.attempt.gotNextId) return;
      this.attempt.gotNextId = true;
      // A real gateway sends managed accounts first; give a late one a moment, since it decides
      // whether this is a simulated session, then go ready regardless.
      if (this.attempt.gotAccounts) this.becomeReady();
      else
        this.accountsTimer = this.clock.setTimeout(() => {
          if (current()) this.becomeReady();
        }, this.accountsGraceMs);
    });
    api.on('disconnected', () => {
      if (current()) this.onSocketClosed();
    });
    api.on('historicalData', (reqId, time, open, high, low, close, volume) => {
      if (!current()) return;
      const event = String(time).startsWith('finished')
        ? ({ type: 'historicalEnd' } as const)
        : ({ type: 'historicalBar', time, open, high, low, close, volume } as const);
      this.deliver(reqId, event);
    });
    api.on('contractDetails', (reqId, details) => {
      if (current()) this.deliver(reqId, { type: 'contractDetails', details });
    });
    api.on('contractDetailsEnd', (reqId) => {
      if (current()) this.deliver(reqId, { type: 'contractDetailsEnd' });
    });
    api.on('symbolSamples', (reqId, samples) => {
      if (current()) this.deliver(reqId, { type: 'symbolSamples', samples });
    });
    api.on('headTimestamp', (reqId, value) => {
      if (current()) this.deliver(reqId, { type: 'headTimestamp', value });
    });
    api.on('currentTime', (time) => {
      if (current()) this.tracker.broadcast('currentTime', { type: 'currentTime', epochSeconds: time });
    });
    api.on('sent', (tokens) => {
      // REQ_HISTORICAL_DATA (20) carries its request id right after the message id at server version 193.
      if (!current() || Number(tokens[0]) !== REQ_HISTORICAL_DATA || this.writeHooks.size === 0) return;
      const reqId = Number(tokens[1]);
      const hook = this.writeHooks.get(reqId);
      this.writeHooks.delete(reqId);
      hook?.();
    });
  }

  private deliver(reqId: number, event: Parameters<RequestTracker['dispatch']>[1]): void {
    if (!this.tracker.dispatch(reqId, event)) {
      // A reply for a request that already ended (timed out, aborted): safe to drop.
      this.logger.debug?.(`IB: ignoring late ${event.type} for finished request ${reqId}`, { reqId });
    }
  }

  private becomeReady(): void {
    if (this.state !== 'connecting' && this.state !== 'reconnecting') return;
    this.clearTimers();
    const wasReconnect = this.state === 'reconnecting';
    this.state = 'ready';
    this.connectivityLost = false;
    this.reconnectAttempt = 0;
    this.attempt.clientIdTries = 0;
    this.connects += 1;
    this.logger.info?.(
      `IB: ${wasReconnect ? 'reconnected' : 'connected'} to ${this.endpoint} as client ${this.clientId}`,
      {
        endpoint: this.endpoint,
        clientId: this.clientId,
        serverVersion: this.serverVersion,
        simulated: this.isSimulated,
      },
    );
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const waiter of waiters) waiter.resolve();
    this.updateIdleTimer();
  }

  private failAttempt(error: ServiceConnectionError): void {
    this.clearTimers();
    this.teardown();
    this.rejectWaiters(error);
    this.logger.warn?.(`IB: ${error.message}`, { endpoint: this.endpoint, clientId: this.clientId });
    if (this.state === 'reconnecting') this.scheduleReconnect();
    else if (this.state !== 'closed') this.state = 'idle';
  }

  private onSocketClosed(): void {
    if (this.state === 'connecting' || this.state === 'reconnecting') {
      if (this.attempt.conflict && this.attempt.clientIdTries + 1 < this.maxClientIdAttempts) {
        // 326: the id is taken (often our own ghost session); the gateway closes the socket. Move on.
        this.attempt.clientIdTries += 1;
        const taken = this.clientId;
        this.clientId += 1;
        this.logger.warn?.(`IB: client id ${taken} is in use at ${this.endpoint}; trying ${this.clientId}`, {
          endpoint: this.endpoint,
          clientId: this.clientId,
        });
        this.teardown();
        this.startAttempt();
        return;
      }
      const conflict = this.attempt.conflict;
      this.failAttempt(
        conflict
          ? ibConnectionError(
              this.endpoint,
              `IB client ids ${this.clientId - this.attempt.clientIdTries}..${this.clientId} are all in use; ` +
                'close other API sessions or set another IB_CLIENT_ID',
              { reason: 'client_id_in_use', clientId: this.clientId },
            )
          : ibConnectionError(
              this.endpoint,
              `Could not connect to IB as client ${this.clientId}${this.attempt.lastError ? `: ${this.attempt.lastError}` : ''}`,
              { reason: 'connect_failed', clientId: this.clientId },
            ),
      );
      return;
    }
    if (this.state === 'ready') this.onDrop('the connection to IB dropped');
  }

  /** An established connection was lost: fail everything pending at once, then reconnect. */
  private onDrop(what: string): void {
    this.teardown();
    this.drops += 1;
    const error = ibConnectionError(this.endpoint, `Request failed: ${what}`, { reason: 'disconnected' });
    const failed = this.tracker.rejectAll(error);
    this.logger.warn?.(`IB: ${what} (${this.endpoint}); ${failed} pending request(s) failed`, {
      endpoint: this.endpoint,
      failed,
    });
    if (this.reconnect === false) {
      this.state = 'idle';
      return;
    }
    this.state = 'reconnecting';
    this.reconnectAttempt = 0;
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.reconnect === false || this.state === 'closed') return;
    this.reconnectAttempt += 1;
    if (this.reconnectAttempt > this.reconnect.maxAttempts) {
      this.state = 'idle';
      this.logger.error?.(
        `IB: gave up reconnecting to ${this.endpoint} after ${this.reconnect.maxAttempts} attempts; the next request will try again`,
        { endpoint: this.endpoint },
      );
      this.rejectWaiters(
        ibConnectionError(this.endpoint, `Reconnecting to IB failed ${this.reconnect.maxAttempts} times`, {
          reason: 'reconnect_exhausted',
        }),
      );
      return;
    }
    const delay = backoffDelay(this.reconnectAttempt, this.reconnect, this.random);
    this.logger.info?.(`IB: reconnect attempt ${this.reconnectAttempt} to ${this.endpoint} in ${delay} ms`, {
      endpoint: this.endpoint,
      attempt: this.reconnectAttempt,
      delayMs: delay,
    });
    this.state = 'reconnecting';
    this.clock.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = this.clock.setTimeout(() => this.startAttempt(), delay);
  }

  // ---- IB messages -----------------------------------------------------------------------------

  private onIbError(message: string, code: number, reqId: number): void {
    const pending = reqId >= 0 && this.tracker.has(reqId);
    const description = pending
      ? this.tracker.describe().find((entry) => entry.reqId === reqId)?.description
      : undefined;
    const verdict = classifyIbError({ code, message, reqId, endpoint: this.endpoint, request: description });
    if (verdict.scope === 'info') {
      this.logInfo(verdict.kind, code, message);
      return;
    }
    if (pending) {
      this.tracker.fail(reqId, verdict.error);
      return;
    }
    if (verdict.scope === 'connection') {
      // 502 while connecting: remembered for the error that ends the attempt (the socket closes next).
      this.attempt.lastError = `${code} ${message}`;
      this.logger.warn?.(`IB: ${code} ${message}`, { endpoint: this.endpoint, code });
      return;
    }
    // An error for a request that already ended: IB's "query cancelled" (162) or "no such query"
    // (366) after our own cancel. Nothing is waiting for it.
    this.logger.debug?.(`IB: ignoring ${code} for finished request ${reqId}: ${message}`, { reqId, code });
  }

  private onIbInfo(message: string, code: number): void {
    const verdict = classifyIbError({ code, message, reqId: -1, endpoint: this.endpoint });
    switch (verdict.kind) {
      case 'client-id-conflict':
        this.attempt.conflict = true;
        this.attempt.lastError = `${code} ${message}`;
        return;
      case 'connectivity-lost': {
        this.connectivityLost = true;
        const failed = this.tracker.rejectAll(
          verdict.scope === 'info' ? this.connectivityLostError() : verdict.error,
          { cancelAtIb: true },
        );
        this.logger.warn?.(`IB: ${code} ${message}; ${failed} pending request(s) failed`, {
          endpoint: this.endpoint,
          code,
        });
        return;
      }
      case 'connectivity-restored':
        this.connectivityLost = false;
        this.logger.info?.(`IB: ${code} ${message}`, { endpoint: this.endpoint, code });
        return;
      default:
        if (verdict.scope === 'connection') {
          this.attempt.lastError = `${code} ${message}`;
          this.logger.warn?.(`IB: ${code} ${message}`, { endpoint: this.endpoint, code });
        } else {
          this.logInfo(verdict.kind, code, message);
        }
    }
  }

  private logInfo(kind: string, code: number, message: string): void {
    const log = kind === 'protocol' ? this.logger.warn : this.logger.debug;
    log?.(`IB: ${code} ${message}`, { endpoint: this.endpoint, code });
  }

  // ---- silent sockets and idleness -------------------------------------------------------------

  /**
   * After a timeout, check the socket is alive: a gateway that answers nothing, not even the
   * current time, is dropped and reconnected, instead of timing out request after request.
   */
  private probe(): void {
    if (this.probeTimeoutMs === false || this.probing || this.state !== 'ready') return;
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
        if (error instanceof ServiceTimeoutError && this.api === api && this.state === 'ready') {
          this.onDrop(`IB at ${this.endpoint} did not answer a current-time probe: the connection is silent`);
        }
      },
    );
  }

  private updateIdleTimer(): void {
    this.clock.clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (this.idleCloseMs === false || this.state !== 'ready' || this.tracker.size > 0 || this.users > 0)
      return;
    this.idleTimer = this.clock.setTimeout(() => {
      this.idleTimer = undefined;
      if (this.state !== 'ready' || this.tracker.size > 0 || this.users > 0) return;
      this.logger.info?.(`IB: closing idle connection to ${this.endpoint}; the next request reconnects`, {
        endpoint: this.endpoint,
      });
      this.teardown();
      this.state = 'idle';
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

  private clearTimers(): void {
    this.clock.clearTimeout(this.connectTimer);
    this.clock.clearTimeout(this.reconnectTimer);
    this.clock.clearTimeout(this.accountsTimer);
  }

  private rejectWaiters(error: Error): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const waiter of waiters) waiter.reject(error);
  }

  private closedError(): CancelledError {
    return new CancelledError(
      `IB connection to ${this.endpoint} is closed; create a new client to connect again.`,
      {
        details: { service: 'ib', endpoint: this.endpoint },
      },
    );
  }

  private notConnectedError(): ServiceConnectionError {
    return ibConnectionError(this.endpoint, `Not connected to IB (state ${this.state})`, {
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
