/** Lifecycle of an operation. */
export type OperationStatus = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';

/** Statuses after which an operation never changes again. */
export const TERMINAL_STATUSES: readonly OperationStatus[] = ['completed', 'failed', 'cancelled'];

/** Progress of an operation; field names as the Python KTRDR API sends them. */
export interface OperationProgress {
  /** 0 to 100. */
  percentage: number;
  current_step?: string;
  steps_completed?: number;
  steps_total?: number;
  items_processed?: number;
  items_total?: number;
  current_item?: string;
  /**
   * When the work is expected to end (ISO 8601 UTC), from a plan of what is left (a data load: the
   * IB pacing scheduler's plan of its remaining requests). Absent when nothing can tell; a display
   * then extrapolates from the percentage.
   */
  estimated_completion?: string;
  /** Anything else worth showing (epoch metrics, backend...). */
  context?: Record<string, unknown>;
}

/** A snapshot of an operation, as listed and sent over HTTP. */
export interface OperationInfo {
  operation_id: string;
  operation_type: string;
  status: OperationStatus;
  created_at: string;
  started_at?: string;
  completed_at?: string;
  progress: OperationProgress;
  metadata: Record<string, unknown>;
  error_message?: string;
  /** Error code when failed or cancelled. */
  error_code?: string;
  result_summary?: Record<string, unknown>;
}

/** What the work function of an operation receives. */
export interface OperationContext {
  readonly operationId: string;
  /** Aborts when the operation is cancelled: stop at the next safe point. */
  readonly signal: AbortSignal;
  /** Merges a progress update into the operation's progress and notifies listeners. */
  reportProgress(progress: Partial<OperationProgress>): void;
}
