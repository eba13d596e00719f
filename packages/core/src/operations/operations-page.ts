import type { OperationInfo } from './operation-types';

/** Which page of `GET /operations` to answer: `limit` operations from `offset` (default: all). */
export interface OperationsPageRequest {
  limit?: number | undefined;
  offset?: number | undefined;
}

/** One page of operations, newest first, with the count of all that match. */
export interface OperationsPage {
  data: OperationInfo[];
  /** How many operations match the filters, across all pages. */
  total_count: number;
  /** The `offset` of the next page; absent on the last one. */
  next_offset?: number;
}

/**
 * The page `request` asks for out of `matching` (every operation that matches the filters, newest
 * first). The in-process registry and the queue-backed operations answer through this, so both page
 * alike. An offset counts from the newest, so a page shifts by one when an operation starts between
 * two requests: filter by `status` to page over finished ones stably.
 */
export function pageOperations(
  matching: readonly OperationInfo[],
  request: OperationsPageRequest,
): OperationsPage {
  const offset = request.offset ?? 0;
  const end = request.limit === undefined ? matching.length : offset + request.limit;
  const page: OperationsPage = { data: matching.slice(offset, end), total_count: matching.length };
  if (end < matching.length) page.next_offset = end;
  return page;
}
