/** What the dashboard reads from the API: the wire shapes of the routes it calls, as far as it uses them. */

/** An operation's status. */
export type OperationStatus = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';

/** Every status, in the order the filters list them. */
export const OPERATION_STATUSES: readonly OperationStatus[] = [
  'pending',
  'running',
  'completed',
  'failed',
  'cancelled',
];

/** An operation snapshot (`GET /operations`, the progress stream's `snapshot` and `end` events). */
export interface OperationInfo {
  operation_id: string;
  operation_type: string;
  status: OperationStatus;
  created_at: string;
  started_at?: string;
  completed_at?: string;
  progress: {
    percentage: number;
    current_step?: string;
    steps_completed?: number;
    steps_total?: number;
    items_processed?: number;
    items_total?: number;
  };
  metadata: Record<string, unknown>;
  error_message?: string;
  error_code?: string;
  result_summary?: Record<string, unknown>;
}

/** True once an operation can change no more. */
export const isFinished = (status: OperationStatus): boolean =>
  status === 'completed' || status === 'failed' || status === 'cancelled';

/** One stored series (`GET /symbols`). */
export interface SeriesInfo {
  symbol: string;
  timeframe: string;
  simulated: boolean;
  rows: number;
  start: string | null;
  end: string | null;
}

/** A symbol and its series (`GET /symbols`). */
export interface SymbolInfo {
  symbol: string;
  timeframes: string[];
  simulated: boolean;
  series: SeriesInfo[];
}

/** A timeframe the API knows (`GET /timeframes`). */
export interface TimeframeInfo {
  timeframe: string;
  ms: number;
}

/** A stored model as listed (`GET /models`). */
export interface ModelSummary {
  name: string;
  strategy: string;
  symbol: string;
  timeframe: string;
  version: number;
  latest: boolean;
  created_at: string;
  backend: string;
  test_accuracy: number | null;
  simulated: boolean;
}

/** One epoch of a model's training history. */
export interface EpochRecord {
  epoch?: number;
  train_loss?: number | null;
  train_accuracy?: number | null;
  val_loss?: number | null;
  val_accuracy?: number | null;
}

/** Validation or test metrics of a model. */
export interface SplitMetrics {
  accuracy?: number;
  loss?: number;
  precision?: number[] | number;
  recall?: number[] | number;
  f1_score?: number[] | number;
  /** `confusion_matrix[true][predicted]`, classes BUY, HOLD, SELL. */
  confusion_matrix?: number[][];
  samples?: number;
}

/** A model in full (`GET /models/:strategy/:model`). */
export interface ModelDetail extends ModelSummary {
  metrics: Record<string, unknown> & {
    history?: EpochRecord[];
    test?: SplitMetrics | null;
    validation?: SplitMetrics | null;
  };
  features: string[];
}

/** One prediction (`POST /models/predict`). */
export interface Prediction {
  date: string;
  signal: 'BUY' | 'HOLD' | 'SELL';
  probabilities: { BUY: number; HOLD: number; SELL: number };
}

/** A prediction answer. */
export interface PredictionResult {
  model: string;
  symbol: string;
  timeframe: string;
  simulated: boolean;
  predictions: Prediction[];
}

/** A queue worker (`GET /workers`, with Redis). */
export interface WorkerInfo {
  id: string;
  host: string;
  pid: number;
  queues: string[];
  concurrency: number;
  /** Operation ids it runs now. */
  current_jobs: string[];
  last_heartbeat: string;
}
