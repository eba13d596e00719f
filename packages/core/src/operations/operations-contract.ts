import { z } from 'zod';
import { defineRoute, defineService } from '../contract/define-service';

const operationId = z.string().regex(/^op_[a-z0-9_]+_\d{8}_\d{6}_[0-9a-f]{8}$/, 'not an operation id');

/** An operation snapshot on the wire (see `OperationInfo`). */
export const operationInfoSchema = z.object({
  operation_id: z.string(),
  operation_type: z.string(),
  status: z.enum(['pending', 'running', 'completed', 'failed', 'cancelled']),
  created_at: z.string(),
  started_at: z.string().optional(),
  completed_at: z.string().optional(),
  progress: z.object({
    percentage: z.number(),
    current_step: z.string().optional(),
    steps_completed: z.number().optional(),
    steps_total: z.number().optional(),
    items_processed: z.number().optional(),
    items_total: z.number().optional(),
    current_item: z.string().optional(),
    estimated_completion: z.string().optional(),
    context: z.record(z.string(), z.unknown()).optional(),
  }),
  metadata: z.record(z.string(), z.unknown()),
  error_message: z.string().optional(),
  error_code: z.string().optional(),
  result_summary: z.record(z.string(), z.unknown()).optional(),
});

const single = z.object({ success: z.literal(true), data: operationInfoSchema });

/**
 * The operations routes of the backend API (`/api/v1/operations...`): list, get, cancel (by DELETE,
 * as the Python API, and by POST .../cancel, as its CLI called it), and `wait`, which streams
 * progress to callers that ask for it and answers with the final snapshot.
 */
export const operationsContract = defineService('ktrdr API (operations)', {
  list: defineRoute({
    method: 'GET',
    path: '/operations',
    input: z.object({
      status: z.enum(['pending', 'running', 'completed', 'failed', 'cancelled']).optional(),
      operation_type: z.string().optional(),
      /** At most this many operations (default: all from `offset`). */
      limit: z.coerce.number().int().positive().max(1000).optional(),
      /** Skips this many of the matching operations, newest first (default 0). */
      offset: z.coerce.number().int().min(0).optional(),
    }),
    output: z.object({
      success: z.literal(true),
      data: z.array(operationInfoSchema),
      /** Every operation that matches the filters, across all pages. */
      total_count: z.number(),
      /** The `offset` of the next page; absent on the last one. */
      next_offset: z.number().optional(),
    }),
    description:
      'Operations newest first, filtered by status and type; paged with limit and offset (total_count counts them all).',
  }),
  get: defineRoute({
    method: 'GET',
    path: '/operations/:operation_id',
    input: z.object({ operation_id: operationId }),
    output: single,
  }),
  cancel: defineRoute({
    method: 'DELETE',
    path: '/operations/:operation_id',
    idempotent: true,
    input: z.object({ operation_id: operationId, reason: z.string().optional() }),
    output: single,
  }),
  cancelByPost: defineRoute({
    method: 'POST',
    path: '/operations/:operation_id/cancel',
    idempotent: true,
    input: z.object({ operation_id: operationId, reason: z.string().optional() }),
    output: single,
  }),
  wait: defineRoute({
    method: 'GET',
    path: '/operations/:operation_id/wait',
    input: z.object({ operation_id: operationId }),
    output: single,
    description:
      'Streams progress (when asked for) until the operation ends; answers with its final snapshot.',
  }),
});

/** The operations contract's type. */
export type OperationsContract = typeof operationsContract;
