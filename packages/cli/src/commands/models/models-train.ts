import { readFile } from 'node:fs/promises';
import type { TrainingSummary, TypedOperationInfo } from '@ktrdr/client';
import { NotFoundError } from '@ktrdr/core/errors';
import type { CliContext } from '../../cli/context';
import { EXIT_CODES } from '../../cli/exit-codes';
import { parseIsoDate, parseOptionalPositiveInteger } from '../../cli/option-values';
import { durationBetween, durationFormat } from '../../output/formatters';
import { printView } from '../../output/print-view';
import type { ViewBlock } from '../../output/view';
import { type CliSession, openSession } from '../../session/cli-session';
import { followOperation, operationError } from '../follow-operation';
import { modelPath } from './models-actions';
import { type ModelDetail, modelFields, trainingCurves } from './model-views';

const COMMAND = 'ktrdr models train';
/**
 * Not a path: a strategy the server knows by name (its bundled or configured strategies). The
 * server checks the name against the one strategy-name rule (`STRATEGY_NAME_PATTERN` of
 * `@ktrdr/training`, not loaded here so that the CLI starts fast).
 */
const NOT_A_PATH = /^[^/\\]+$/;

/** Arguments of `ktrdr models train`. */
export interface ModelsTrainArgs {
  strategy: string;
  symbol?: string;
  timeframe?: string;
  symbols?: string;
  timeframes?: string;
  'load-missing'?: boolean;
  'start-date'?: string;
  'end-date'?: string;
  epochs?: string;
  seed?: string;
  progress?: boolean;
}

/**
 * The strategy as the training route takes it: the file's YAML when it is a file here (read here,
 * so a remote API trains what the user sees), else a strategy name the API resolves itself.
 */
async function strategyInput(
  spec: string,
): Promise<{ strategy_yaml?: string; strategy_file?: string; strategy_name?: string }> {
  try {
    // strategy_file: the server's problems then name this file (`my/strat.yaml:12:5 ...`).
    return { strategy_yaml: await readFile(spec, 'utf8'), strategy_file: spec };
  } catch (error) {
    if (NOT_A_PATH.test(spec) && (error as NodeJS.ErrnoException).code === 'ENOENT')
      return { strategy_name: spec };
    throw new NotFoundError(`Strategy file ${spec} cannot be read: ${(error as Error).message}`, {
      details: { field: 'strategy', path: spec },
    });
  }
}

/** `AAPL,MSFT` or `AAPL, MSFT` as a list; undefined when not given. */
function listArg(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  return items.length > 0 ? items : undefined;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** A list as `AAPL+MSFT` in the progress label (one item as itself). */
function listText(value: unknown): string {
  return Array.isArray(value) ? stringList(value).join('+') : typeof value === 'string' ? value : '';
}

/** The trained model's detail, when the operation names one and it can be read. */
export async function trainedModel(
  session: CliSession,
  info: TypedOperationInfo<TrainingSummary>,
): Promise<ModelDetail | undefined> {
  const name = info.result_summary?.model;
  if (typeof name !== 'string') return undefined;
  const training = await session.training();
  const answer = await training.model(modelPath(name, COMMAND)).catch(() => undefined);
  return answer?.data as ModelDetail | undefined;
}

/** Starts a training through the training API, follows it, and shows the model and its curves. */
export async function modelsTrain(context: CliContext, args: ModelsTrainArgs): Promise<void> {
  const startDate = parseIsoDate(args['start-date'], '--start-date', COMMAND);
  const endDate = parseIsoDate(args['end-date'], '--end-date', COMMAND);
  const epochs = parseOptionalPositiveInteger(args.epochs, '--epochs', COMMAND);
  const seed = parseOptionalPositiveInteger(args.seed, '--seed', COMMAND);
  const strategy = await strategyInput(args.strategy);
  await using session = await openSession(context);
  const training = await session.training();
  const symbols = listArg(args.symbols ?? args.symbol);
  const timeframes = listArg(args.timeframes ?? args.timeframe);
  const started = await training.start(
    {
      ...strategy,
      ...(symbols === undefined ? {} : { symbols }),
      ...(timeframes === undefined ? {} : { timeframes }),
      ...(args['load-missing'] === true ? { load_missing: true } : {}),
      start_date: startDate,
      end_date: endDate,
      epochs,
      seed,
    },
    { signal: context.interrupt },
  );
  const m = started.data.metadata;
  const label =
    `${String(m['strategy'] ?? 'training')} ${listText(m['symbols'] ?? m['symbol'])} ${listText(m['timeframes'] ?? m['timeframe'])}`.trim();
  // Keys Python KTRDR only warns about: shown, never dropped without a word.
  for (const warning of stringList(m['warnings'])) context.note(`warning: ${warning}`);
  const { info, interrupted } = await followOperation<TrainingSummary>(context, session, {
    operationId: started.operation_id,
    label,
    stepsUnit: 'epochs',
    itemsUnit: 'batches',
    progress: args.progress !== false,
    onInterrupt: 'cancel',
  });
  if (info.status === 'completed') {
    const model = await trainedModel(session, info);
    const simulated = info.result_summary?.simulated === true;
    const blocks: ViewBlock[] =
      model === undefined
        ? [
            {
              kind: 'text',
              text: `Trained ${label}: ${info.result_summary?.model ?? 'no model saved'}`,
            },
          ]
        : [
            {
              kind: 'record',
              title: `Trained ${model.name} in ${durationFormat(durationBetween(info.started_at, info.completed_at))}`,
              fields: modelFields(model),
            },
            ...trainingCurves(model),
          ];
    printView(context, { blocks, simulated, json: { operation: info, model: model ?? null, simulated } });
    return;
  }
  if (interrupted) {
    context.note(`${info.status === 'cancelled' ? 'Cancelled' : 'Stopped following'} ${info.operation_id}.`);
    if (context.format === 'json') context.out(JSON.stringify({ operation: info, model: null }, null, 2));
    context.exitCode = EXIT_CODES.interrupted;
    return;
  }
  throw operationError(info);
}
