import type { OperationInfo } from '@ktrdr/core';
import { type KtrdrError, errorFromCode } from '@ktrdr/core/errors';

/**
 * The error a failed or cancelled operation ended with, as the class its code names (a
 * `CancelledError` for `cancelled`, a `ValidationError` for `validation`...), so callers in any
 * process catch the same classes the work threw where it ran.
 */
export function operationError(
  info: Pick<OperationInfo, 'operation_id' | 'status' | 'error_code' | 'error_message'>,
): KtrdrError {
  const message = info.error_message ?? `Operation ${info.operation_id} ${info.status}`;
  return errorFromCode(info.error_code, message, { operationId: info.operation_id });
}
