import type { OperationInfo, OperationProgress } from '@ktrdr/core';
import { parseModelName } from '@ktrdr/training';
import type { BacktestHandOff } from './backtest-hand-off';
import type { BarsFetch } from './bars-fetch';
import type { ModelHandOff } from './model-hand-off';
import type { QueueName } from './queue-names';

/** What a worker gives the code that runs one job. */
export interface JobRunContext {
  /** The operation id (the job id). */
  readonly operationId: string;
  /** Aborts when the operation is cancelled or the worker shuts down. */
  readonly signal: AbortSignal;
  /**
   * True when this job ran before on a worker that died (a stalled job handed on). The client runner
   * needs no flag to resume (a training job always asks to resume from its checkpoint, which is
   * absent on a first run); a custom runner may use it.
   */
  readonly restarted: boolean;
  /** Reports progress (the worker forwards it with `job.updateProgress`). */
  reportProgress(progress: OperationProgress): void;
  /** Adds facts to the operation's `metadata` once the work knows them (symbols, strategy, warnings). */
  reportMetadata?(metadata: Record<string, unknown>): void;
}

/**
 * Runs one job: the start route's input (`request`) on `queue`, resolving with the small result the
 * operation shows as `result_summary`, or rejecting with a ktrdr error (its code becomes the
 * operation's `error_code`). The seam between the queue and the SDK: {@link createClientJobRunner}
 * runs jobs with a `@ktrdr/client` client; tests pass their own.
 */
export type JobRunner = (
  queue: QueueName,
  request: unknown,
  context: JobRunContext,
) => Promise<Record<string, unknown>>;

/** A start route's answer: the operation it started. */
interface Started {
  operation_id: string;
}

/** A handle on an operation, as `@ktrdr/client`'s `KtrdrOperationHandle` has it. */
interface HandleLike {
  status(): Promise<OperationInfo>;
  cancel(reason?: string): Promise<unknown>;
  wait(options: {
    signal?: AbortSignal;
    onProgress?: (progress: OperationProgress) => void;
  }): Promise<OperationInfo>;
}

/** The part of a `@ktrdr/client` client a worker runs jobs with (structural: no import of the client). */
export interface JobRunnerClient {
  readonly api: {
    readonly data: { load(input: never): Promise<Started> };
    training(): Promise<{ start(input: never): Promise<Started> }>;
    backtests(): Promise<{ start(input: never): Promise<Started> }>;
  };
  readonly operations: { handle(id: string): HandleLike };
}

/** Options of {@link createClientJobRunner}. */
export interface ClientJobRunnerOptions {
  /** A training job's checkpoint interval, in epochs (default: the trainer's, every epoch). */
  checkpointEveryEpochs?: number;
  /**
   * Where a finished training's model goes when this worker does not share the API's models folder
   * (`createModelHandOff`): the job's result then names the API's copy.
   */
  handOff?: ModelHandOff;
  /**
   * Where a finished backtest's files go when this worker does not share the API's backtests folder
   * (`createBacktestHandOff`).
   */
  backtestHandOff?: BacktestHandOff;
  /**
   * Copies a training's or a backtest's bars from the API into this worker's store before it runs,
   * when this worker does not share the API's data folder (`createBarsFetch`).
   */
  fetchBars?: BarsFetch;
}

/**
 * The training request a worker runs: the job's, with epoch checkpoints named by the operation id
 * and `resume: true`. A first run finds no checkpoint and starts at epoch 1; a job handed on from a
 * killed worker finds the last one (in the models folder both workers share) and goes on from it.
 */
export function withJobCheckpoint(
  request: object,
  operationId: string,
  everyEpochs?: number,
): Record<string, unknown> {
  return {
    ...request,
    checkpoint_configuration: {
      checkpoint_id: operationId,
      resume: true,
      ...(everyEpochs === undefined ? {} : { every_epochs: everyEpochs }),
    },
  };
}

/**
 * The series a backtest job needs, as a bars fetch reads a request: its symbol at its timeframe (by
 * default its model's), every bar up to `end_date`: the bars before `start_date` are the features'
 * warm-up history. A model over several timeframes needs the others in the worker's store too.
 */
function backtestBarsRequest(request: Record<string, unknown>): Record<string, unknown> {
  const timeframe =
    typeof request['timeframe'] === 'string'
      ? request['timeframe']
      : parseModelName(String(request['model'])).key.timeframe;
  return { symbol: request['symbol'], timeframe, end_date: request['end_date'] };
}

/** Starts the operation a job of `queue` runs, through the client's route (validated as over HTTP). */
async function startOperation(
  client: JobRunnerClient,
  queue: QueueName,
  request: unknown,
  operationId: string,
  options: ClientJobRunnerOptions,
): Promise<Started> {
  switch (queue) {
    case 'data-load':
      return client.api.data.load(request as never);
    case 'backtest':
      return (await client.api.backtests()).start(request as never);
    case 'training':
      return (await client.api.training()).start(
        withJobCheckpoint(request as object, operationId, options.checkpointEveryEpochs) as never,
      );
  }
}

/**
 * A {@link JobRunner} over a client (embedded, in the worker's process): a `data-load` job is
 * `client.api.data.load(request)`, a `training` job `(await client.api.training()).start(request)`
 * with checkpoints ({@link withJobCheckpoint}), a `backtest` job
 * `(await client.api.backtests()).start(request)`, each validated by the same route contract as
 * over HTTP, then followed to its end. A failed operation rejects with its error
 * (`operationError`), so the job fails with the same code and message.
 */
export function createClientJobRunner(
  client: JobRunnerClient,
  operationError: (info: OperationInfo) => Error,
  options: ClientJobRunnerOptions = {},
): JobRunner {
  return async (queue, request, { operationId, signal, reportProgress, reportMetadata }) => {
    if (queue === 'training' && options.fetchBars !== undefined) {
      await options.fetchBars(request as Record<string, unknown>, signal);
    }
    if (queue === 'backtest' && options.fetchBars !== undefined) {
      await options.fetchBars(backtestBarsRequest(request as Record<string, unknown>), signal);
    }
    const started = await startOperation(client, queue, request, operationId, options);
    const handle = client.operations.handle(started.operation_id);
    const onAbort = () => void handle.cancel(String(signal.reason ?? 'Cancelled'));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    try {
      // The same metadata as in-process (the strategy, its symbols, warnings...), once it is known.
      if (reportMetadata !== undefined) reportMetadata((await handle.status()).metadata);
      const info = await handle.wait({ onProgress: reportProgress });
      if (info.status !== 'completed') throw operationError(info);
      const summary = info.result_summary ?? {};
      if (queue === 'training' && options.handOff !== undefined) return await options.handOff(summary);
      if (queue === 'backtest' && options.backtestHandOff !== undefined) {
        return await options.backtestHandOff(summary);
      }
      return summary;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  };
}
