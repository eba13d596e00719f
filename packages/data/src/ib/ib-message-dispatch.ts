import type { ServiceConnectionError } from '@ktrdr/core';
import { classifyIbError } from './error-classifier';
import type { IbApiPort } from './ib-api-port';
import type { IbLogger } from './ib-config';
import type { IbRequestEvent, RequestTracker } from './request-tracker';

/** Outgoing message id of reqHistoricalData. */
const REQ_HISTORICAL_DATA = 20;

/** The connection-level IB messages, for the connection to act on. */
export interface IbConnectionMessageHandlers {
  serverVersion(version: number): void;
  managedAccounts(accounts: string[]): void;
  nextValidId(): void;
  /** The socket closed. */
  disconnected(): void;
  /** 326: the client id is in use; `detail` is `"<code> <message>"`. */
  clientIdConflict(detail: string): void;
  /** A connection-level error that is no request's (502 while connecting...). */
  connectionError(detail: string): void;
  /**
   * 1100: IB's servers are unreachable. Fails the pending requests with `error` (the classifier's,
   * or the connection's own when it has none) and returns how many failed.
   */
  connectivityLost(error: ServiceConnectionError | undefined): number;
  /** 1101/1102: IB's servers are reachable again. */
  connectivityRestored(): void;
}

/** What {@link dispatchIbMessages} routes to. */
export interface IbMessageDispatchOptions {
  endpoint: string;
  /** Replies and request errors go to the request they answer. */
  tracker: RequestTracker;
  logger: IbLogger;
  /** Write hooks by request id, each fired once when its request reaches the socket. */
  writeHooks: Map<number, () => void>;
  /** False once `api` was discarded: its late events are dropped. */
  isCurrent(): boolean;
  handlers: IbConnectionMessageHandlers;
}

/**
 * Subscribes to every IB message of one API object and routes it: replies (bars, contract
 * details, symbol samples, head timestamps, current time) and request errors to the request
 * tracker; informational codes to the log; connection events (handshake, socket closed, 326,
 * 1100/1101/1102) to the connection's handlers.
 */
export function dispatchIbMessages(api: IbApiPort, options: IbMessageDispatchOptions): void {
  const { endpoint, tracker, logger, writeHooks, isCurrent, handlers } = options;

  const deliver = (reqId: number, event: IbRequestEvent): void => {
    if (!tracker.dispatch(reqId, event)) {
      // A reply for a request that already ended (timed out, aborted): safe to drop.
      logger.debug?.(`IB: ignoring late ${event.type} for finished request ${reqId}`, { reqId });
    }
  };

  const logInfo = (kind: string, code: number, message: string): void => {
    const log = kind === 'protocol' ? logger.warn : logger.debug;
    log?.(`IB: ${code} ${message}`, { endpoint, code });
  };

  const connectionWarning = (code: number, message: string): void => {
    handlers.connectionError(`${code} ${message}`);
    logger.warn?.(`IB: ${code} ${message}`, { endpoint, code });
  };

  const onError = (message: string, code: number, reqId: number): void => {
    const pending = reqId >= 0 && tracker.has(reqId);
    const description = pending
      ? tracker.describe().find((entry) => entry.reqId === reqId)?.description
      : undefined;
    const verdict = classifyIbError({ code, message, reqId, endpoint, request: description });
    if (verdict.scope === 'info') {
      logInfo(verdict.kind, code, message);
      return;
    }
    if (pending) {
      tracker.fail(reqId, verdict.error);
      return;
    }
    if (verdict.scope === 'connection') {
      // 502 while connecting: remembered for the error that ends the attempt (the socket closes next).
      connectionWarning(code, message);
      return;
    }
    // An error for a request that already ended: IB's "query cancelled" (162) or "no such query"
    // (366) after our own cancel. Nothing is waiting for it.
    logger.debug?.(`IB: ignoring ${code} for finished request ${reqId}: ${message}`, { reqId, code });
  };

  const onInfo = (message: string, code: number): void => {
    const verdict = classifyIbError({ code, message, reqId: -1, endpoint });
    switch (verdict.kind) {
      case 'client-id-conflict':
        handlers.clientIdConflict(`${code} ${message}`);
        return;
      case 'connectivity-lost': {
        const failed = handlers.connectivityLost(verdict.scope === 'info' ? undefined : verdict.error);
        logger.warn?.(`IB: ${code} ${message}; ${failed} pending request(s) failed`, { endpoint, code });
        return;
      }
      case 'connectivity-restored':
        handlers.connectivityRestored();
        logger.info?.(`IB: ${code} ${message}`, { endpoint, code });
        return;
      default:
        if (verdict.scope === 'connection') connectionWarning(code, message);
        else logInfo(verdict.kind, code, message);
    }
  };

  api.on('error', (error, code, reqId) => {
    if (isCurrent()) onError(error?.message ?? String(error), code, reqId);
  });
  api.on('info', (message, code) => {
    if (isCurrent()) onInfo(message, code);
  });
  api.on('server', (version) => {
    if (isCurrent()) handlers.serverVersion(version);
  });
  api.on('managedAccounts', (list) => {
    if (!isCurrent()) return;
    handlers.managedAccounts(
      String(list)
        .split(',')
        .map((account) => account.trim())
        .filter((account) => account !== ''),
    );
  });
  api.on('nextValidId', () => {
    if (isCurrent()) handlers.nextValidId();
  });
  api.on('disconnected', () => {
    if (isCurrent()) handlers.disconnected();
  });
  api.on('historicalData', (reqId, time, open, high, low, close, volume) => {
    if (!isCurrent()) return;
    const event = String(time).startsWith('finished')
      ? ({ type: 'historicalEnd' } as const)
      : ({ type: 'historicalBar', time, open, high, low, close, volume } as const);
    deliver(reqId, event);
  });
  api.on('contractDetails', (reqId, details) => {
    if (isCurrent()) deliver(reqId, { type: 'contractDetails', details });
  });
  api.on('contractDetailsEnd', (reqId) => {
    if (isCurrent()) deliver(reqId, { type: 'contractDetailsEnd' });
  });
  api.on('symbolSamples', (reqId, samples) => {
    if (isCurrent()) deliver(reqId, { type: 'symbolSamples', samples });
  });
  api.on('headTimestamp', (reqId, value) => {
    if (isCurrent()) deliver(reqId, { type: 'headTimestamp', value });
  });
  api.on('currentTime', (time) => {
    if (isCurrent()) tracker.broadcast('currentTime', { type: 'currentTime', epochSeconds: time });
  });
  api.on('sent', (tokens) => {
    // REQ_HISTORICAL_DATA (20) carries its request id right after the message id at server version 193.
    if (!isCurrent() || Number(tokens[0]) !== REQ_HISTORICAL_DATA || writeHooks.size === 0) return;
    const reqId = Number(tokens[1]);
    const hook = writeHooks.get(reqId);
    writeHooks.delete(reqId);
    hook?.();
  });
}
