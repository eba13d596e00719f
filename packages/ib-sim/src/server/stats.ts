/**
 * Counters and the message record, for assertions in tests ("exactly 61 requests reached the
 * gateway", "the 61st was a pacing violation", "no cancel was ever sent").
 */
import type { PacingRule } from './pacing';
import type { SimRequestKind } from './request-info';

/** Live counters of a simulator (the object is updated in place). */
export interface IbSimulatorStats {
  /** TCP connections accepted. */
  connections: number;
  /** Connections currently open. */
  activeConnections: number;
  /** Client messages received after the handshake prefix (the version frame and START_API included). */
  messagesReceived: number;
  /**
   * Requests answered or refused: every decoded request except START_API, setServerLogLevel and
   * cancelHeadTimestamp (which a gateway never answers); unknown and malformed messages excluded.
   */
  requests: number;
  /** Requests per kind. */
  requestsByKind: Record<SimRequestKind, number>;
  /** HISTORICAL_DATA replies sent. */
  historicalResponses: number;
  /** Bars sent, in HISTORICAL_DATA replies and live updates. */
  barsServed: number;
  /** ERR_MSG messages sent with a request id (infos with id -1 excluded). */
  errorsSent: number;
  /** Requests refused with 162 pacing violation. */
  pacingViolations: number;
  /** Pacing violations per rule. */
  violationsByRule: Record<PacingRule, number>;
  /** Requests refused with 162 "Time length exceed max.", or left unanswered over the practical cap. */
  durationViolations: number;
  /** Of those, requests over the practical cap left unanswered (`durationOverrun: 'timeout'`). */
  durationTimeouts: number;
  /** Requests of bars over 30 s slowed down softly (practical mode), and the extra latency they got, ms. */
  softPacedRequests: number;
  softDelayMs: number;
}

/** One message a client sent, as recorded by the simulator. */
export interface ReceivedMessage {
  /** Sequence number of the TCP connection (1-based, in accept order). */
  readonly connectionId: number;
  /** Client id once START_API has been received. */
  readonly clientId: number | undefined;
  /** Wall-clock receive time (ms since epoch). */
  readonly receivedAt: number;
  /** Message id (-1 for the handshake's version frame). */
  readonly id: number;
  /** `REQ_HISTORICAL_DATA`, `HANDSHAKE`, `UNKNOWN_<id>`, ... */
  readonly name: string;
  /** Every field as received, message id first. */
  readonly fields: readonly string[];
}

/** Fresh zeroed counters. */
export function createStats(): IbSimulatorStats {
  return {
    connections: 0,
    activeConnections: 0,
    messagesReceived: 0,
    requests: 0,
    requestsByKind: {
      'historical-data': 0,
      'cancel-historical-data': 0,
      'head-timestamp': 0,
      'contract-details': 0,
      'current-time': 0,
      'req-ids': 0,
      'managed-accounts': 0,
      'matching-symbols': 0,
      'historical-ticks': 0,
      'sec-def-opt-params': 0,
      unsupported: 0,
    },
    historicalResponses: 0,
    barsServed: 0,
    errorsSent: 0,
    pacingViolations: 0,
    violationsByRule: {
      'identical-request': 0,
      'same-contract-burst': 0,
      'rate-limit': 0,
      'open-requests': 0,
    },
    durationViolations: 0,
    durationTimeouts: 0,
    softPacedRequests: 0,
    softDelayMs: 0,
  };
}

/** Zeroes counters in place, keeping `activeConnections` (it describes the present, not history). */
export function resetStats(stats: IbSimulatorStats): void {
  const active = stats.activeConnections;
  Object.assign(stats, createStats(), { activeConnections: active });
}
