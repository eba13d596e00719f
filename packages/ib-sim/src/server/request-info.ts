/**
 * A summary of a client request, handed to fault rules and latency functions so they can target
 * requests without knowing the wire format.
 */

/** Kinds of requests the simulator answers. */
export type SimRequestKind =
  | 'historical-data'
  | 'cancel-historical-data'
  | 'head-timestamp'
  | 'contract-details'
  | 'current-time'
  | 'req-ids'
  | 'managed-accounts'
  | 'matching-symbols'
  | 'historical-ticks'
  | 'sec-def-opt-params'
  | 'unsupported';

/** What fault rules and latency functions see of a request. */
export interface SimRequestInfo {
  readonly kind: SimRequestKind;
  /** Request id; -1 for requests that have none (current time, ids, accounts). */
  readonly reqId: number;
  readonly clientId: number;
  readonly connectionId: number;
  /** Contract fields as sent (empty strings when the request has no contract). */
  readonly symbol: string;
  readonly secType: string;
  readonly localSymbol: string;
  readonly currency: string;
  readonly barSize: string;
  readonly duration: string;
  readonly whatToShow: string;
  readonly endDateTime: string;
}
