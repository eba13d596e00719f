import { type ServiceConnectionError, ServiceTimeoutError } from '@ktrdr/core';
import { abortError, backoffDelay } from './backoff';
import type { Clock } from './clock';
import { ibConnectionError } from './error-classifier';
import type { IbLogger, IbReconnectOptions } from './ib-config';

/**
 * Lifecycle of a connection:
 * `idle` (no socket) -> `connecting` -> `ready` (synchronised: next valid id received);
 * after a drop `reconnecting` (backoff, then attempts); `closed` is final.
 */
export type IbConnectionState = 'idle' | 'connecting' | 'ready' | 'reconnecting' | 'closed';

/** What the state machine asks of the socket side (the connection that owns it). */
export interface ConnectionSocketHooks {
  /** Opens a fresh socket as `clientId` for one attempt; a socket that cannot open calls {@link ConnectionStateMachine.failAttempt}. */
  open(clientId: number): void;
  /** Detaches and closes the current socket, if any: its late events must be ignored. */
  teardown(): void;
  /** Fails every pending request with `error` (a drop, or close); returns how many failed. */
  failPending(error: Error): number;
  /** Called on every transition into `ready`, before the waiters resume. */
  onReady(wasReconnect: boolean): void;
}

/** Settings of {@link ConnectionStateMachine}, defaults already applied. */
export interface ConnectionStateMachineOptions {
  endpoint: string;
  clientId: number;
  connectTimeoutMs: number;
  maxClientIdAttempts: number;
  reconnect: false | Required<IbReconnectOptions>;
  clock: Clock;
  logger: IbLogger;
  random: () => number;
  hooks: ConnectionSocketHooks;
}

interface ReadyWaiter {
  resolve(): void;
  reject(error: Error): void;
}

/**
 * The connect/reconnect state machine of one IB connection, apart from any socket or IB message:
 * connect timeout, client-id conflict (326) moving to the next id, reconnect with exponential
 * backoff and jitter after a drop, giving up after `maxAttempts`, and the callers waiting for
 * `ready`. The owner reports socket events ({@link socketClosed}, {@link synchronised},
 * {@link noteClientIdConflict}) and the machine decides what happens next.
 */
export class ConnectionStateMachine {
  private currentState: IbConnectionState = 'idle';
  private currentClientId: number;
  private reconnectTry = 0;
  private clientIdTries = 0;
  private conflict = false;
  private lastError: string | undefined;
  private attemptId = 0;
  private connectTimer: unknown;
  private reconnectTimer: unknown;
  private connectCount = 0;
  private dropCount = 0;
  private readonly waiters = new Set<ReadyWaiter>();

  constructor(private readonly options: ConnectionStateMachineOptions) {
    this.currentClientId = options.clientId;
  }

  /** The current state. */
  get state(): IbConnectionState {
    return this.currentState;
  }

  /** The client id in use (it moves past the requested one when IB reports it taken). */
  get clientId(): number {
    return this.currentClientId;
  }

  /** Reconnect attempts since the last drop (0 when connected). */
  get reconnectAttempt(): number {
    return this.reconnectTry;
  }

  /** Successful connects, reconnects included. */
  get connects(): number {
    return this.connectCount;
  }

  /** Established connections that dropped. */
  get drops(): number {
    return this.dropCount;
  }

  /**
   * Resolves once `ready`, starting an attempt first when `idle`. Rejects when the attempt under
   * way fails, when reconnecting gives up, on {@link close}, and with a cancellation when `signal`
   * aborts. The caller handles `ready` and `closed` itself before calling.
   */
  waitReady(signal?: AbortSignal): Promise<void> {
    const what = `Connecting to IB at ${this.options.endpoint}`;
    if (signal?.aborted) return Promise.reject(abortError(signal, what));
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.waiters.delete(waiter);
        reject(abortError(signal, what));
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
      if (this.currentState === 'idle') this.startAttempt();
    });
  }

  /** The socket is synchronised: go `ready` and resume the waiters. Ignored outside an attempt. */
  synchronised(): void {
    if (this.currentState !== 'connecting' && this.currentState !== 'reconnecting') return;
    this.clearTimers();
    const wasReconnect = this.currentState === 'reconnecting';
    this.currentState = 'ready';
    this.reconnectTry = 0;
    this.clientIdTries = 0;
    this.connectCount += 1;
    this.options.hooks.onReady(wasReconnect);
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const waiter of waiters) waiter.resolve();
  }

  /** IB said the client id is in use (326); the gateway closes the socket next. */
  noteClientIdConflict(detail: string): void {
    this.conflict = true;
    this.lastError = detail;
  }

  /** A connection-level IB error during the attempt (502...), named in the error that ends it. */
  noteAttemptError(detail: string): void {
    this.lastError = detail;
  }

  /** The socket closed: during an attempt it failed (or moves to the next client id); when ready it dropped. */
  socketClosed(): void {
    const state = this.currentState;
    if (state === 'ready') {
      this.drop('the connection to IB dropped');
      return;
    }
    if (state !== 'connecting' && state !== 'reconnecting') return;
    const { endpoint, maxClientIdAttempts, logger, hooks } = this.options;
    if (this.conflict && this.clientIdTries + 1 < maxClientIdAttempts) {
      // 326: the id is taken (often our own ghost session); the gateway closes the socket. Move on.
      this.clientIdTries += 1;
      const taken = this.currentClientId;
      this.currentClientId += 1;
      logger.warn?.(`IB: client id ${taken} is in use at ${endpoint}; trying ${this.currentClientId}`, {
        endpoint,
        clientId: this.currentClientId,
      });
      hooks.teardown();
      this.startAttempt();
      return;
    }
    const clientId = this.currentClientId;
    this.failAttempt(
      this.conflict
        ? ibConnectionError(
            endpoint,
            `IB client ids ${clientId - this.clientIdTries}..${clientId} are all in use; ` +
              'close other API sessions or set another IB_CLIENT_ID',
            { reason: 'client_id_in_use', clientId },
          )
        : ibConnectionError(
            endpoint,
            `Could not connect to IB as client ${clientId}${this.lastError ? `: ${this.lastError}` : ''}`,
            { reason: 'connect_failed', clientId },
          ),
    );
  }

  /** The attempt under way failed: reject the waiters; keep reconnecting if that is what it was. */
  failAttempt(error: ServiceConnectionError): void {
    this.clearTimers();
    this.options.hooks.teardown();
    this.rejectWaiters(error);
    this.options.logger.warn?.(`IB: ${error.message}`, {
      endpoint: this.options.endpoint,
      clientId: this.currentClientId,
    });
    if (this.currentState === 'reconnecting') this.scheduleReconnect();
    else if (this.currentState !== 'closed') this.currentState = 'idle';
  }

  /** An established connection was lost (or found silent): fail everything pending at once, then reconnect. */
  drop(what: string): void {
    const { endpoint, logger, hooks } = this.options;
    hooks.teardown();
    this.dropCount += 1;
    const failed = hooks.failPending(
      ibConnectionError(endpoint, `Request failed: ${what}`, { reason: 'disconnected' }),
    );
    logger.warn?.(`IB: ${what} (${endpoint}); ${failed} pending request(s) failed`, { endpoint, failed });
    if (this.options.reconnect === false) {
      this.currentState = 'idle';
      return;
    }
    this.currentState = 'reconnecting';
    this.reconnectTry = 0;
    this.scheduleReconnect();
  }

  /** Closes a `ready` connection that has nothing to do; the next request connects again. */
  closeIdle(): void {
    if (this.currentState !== 'ready') return;
    this.options.hooks.teardown();
    this.currentState = 'idle';
  }

  /** Final: stops every timer, closes the socket, fails pending requests and waiters with `error`. */
  close(error: Error): void {
    if (this.currentState === 'closed') return;
    this.currentState = 'closed';
    this.clearTimers();
    this.options.hooks.teardown();
    this.options.hooks.failPending(error);
    this.rejectWaiters(error);
  }

  private startAttempt(): void {
    if (this.currentState === 'closed') return;
    if (this.currentState !== 'reconnecting') this.currentState = 'connecting';
    const attempt = ++this.attemptId;
    this.conflict = false;
    this.lastError = undefined;
    this.clearTimers();
    const { endpoint, connectTimeoutMs, clock } = this.options;
    this.connectTimer = clock.setTimeout(() => {
      if (attempt !== this.attemptId) return;
      this.failAttempt(
        ibConnectionError(
          endpoint,
          `Connecting to IB timed out after ${connectTimeoutMs} ms without the connection being synchronised`,
          { reason: 'connect_timeout', clientId: this.currentClientId, timeoutMs: connectTimeoutMs },
          new ServiceTimeoutError(`connect timed out after ${connectTimeoutMs} ms`),
        ),
      );
    }, connectTimeoutMs);
    this.options.hooks.open(this.currentClientId);
  }

  private scheduleReconnect(): void {
    const { reconnect, endpoint, logger, clock, random } = this.options;
    if (reconnect === false || this.currentState === 'closed') return;
    this.reconnectTry += 1;
    if (this.reconnectTry > reconnect.maxAttempts) {
      this.currentState = 'idle';
      logger.error?.(
        `IB: gave up reconnecting to ${endpoint} after ${reconnect.maxAttempts} attempts; the next request will try again`,
        { endpoint },
      );
      this.rejectWaiters(
        ibConnectionError(endpoint, `Reconnecting to IB failed ${reconnect.maxAttempts} times`, {
          reason: 'reconnect_exhausted',
        }),
      );
      return;
    }
    const delay = backoffDelay(this.reconnectTry, reconnect, random);
    logger.info?.(`IB: reconnect attempt ${this.reconnectTry} to ${endpoint} in ${delay} ms`, {
      endpoint,
      attempt: this.reconnectTry,
      delayMs: delay,
    });
    this.currentState = 'reconnecting';
    clock.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = clock.setTimeout(() => this.startAttempt(), delay);
  }

  private clearTimers(): void {
    this.options.clock.clearTimeout(this.connectTimer);
    this.options.clock.clearTimeout(this.reconnectTimer);
  }

  private rejectWaiters(error: Error): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const waiter of waiters) waiter.reject(error);
  }
}
