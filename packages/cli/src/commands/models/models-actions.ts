import { CliUsageError } from '../../cli/cli-errors';
import type { CliContext } from '../../cli/context';
import { parseOptionalPositiveInteger } from '../../cli/option-values';
import { timeFormat } from '../../output/formatters';
import { printView } from '../../output/print-view';
import { formatPercent } from '../../render/numbers';
import { openSession } from '../../session/cli-session';
import {
  type ModelDetail,
  modelFields,
  perSymbolTable,
  predictionTable,
  splitModelName,
  trainingCurves,
} from './model-views';

/** The model route's path parts of a name, or a usage error that shows the expected shape. */
export function modelPath(name: string, command: string): { strategy: string; model: string } {
  const parts = splitModelName(name);
  if (parts === undefined) {
    throw new CliUsageError(
      `Invalid model name '${name}': use strategy/SYMBOL_tf_vN (or strategy/SYMBOL_tf for the latest), as ktrdr models list shows.`,
      command,
    );
  }
  return parts;
}

/** Lists trained models. */
export async function modelsList(context: CliContext): Promise<void> {
  await using session = await openSession(context);
  const training = await session.training();
  const { data, problems } = await training.models({}, { signal: context.interrupt });
  printView(context, {
    blocks: [
      {
        kind: 'table',
        title:
          session.mode === 'embedded'
            ? `Models in ${session.config.modelsDir}`
            : `Models at ${session.target}`,
        empty: 'No models yet: train one with ktrdr models train STRATEGY.yaml SYMBOL TIMEFRAME.',
        columns: [
          { key: 'name', header: 'model' },
          { key: 'latest', header: 'latest', format: (v) => (v === true ? '*' : '') },
          { key: 'created_at', header: 'created', format: timeFormat },
          { key: 'backend', header: 'backend' },
          {
            key: 'test_accuracy',
            header: 'test acc.',
            align: 'right',
            format: (v) => (typeof v === 'number' ? formatPercent(v) : '-'),
          },
          { key: 'simulated', header: 'data', format: (v) => (v === true ? 'SIMULATED' : 'real') },
        ],
        rows: data,
      },
    ],
    json: data,
  });
  // Damaged versions are left out of the table, never dropped unseen.
  for (const problem of problems ?? []) context.note(`warning: ${problem.message} (left out of this list)`);
}

/** Arguments of `ktrdr models show`. */
export interface ModelsShowArgs {
  name: string;
}

/** Shows a model with its training curves. */
export async function modelsShow(context: CliContext, args: ModelsShowArgs): Promise<void> {
  const path = modelPath(args.name, 'ktrdr models show');
  await using session = await openSession(context);
  const training = await session.training();
  const { data } = await training.model(path, { signal: context.interrupt });
  const model = data as ModelDetail;
  const bySymbol = perSymbolTable(model);
  printView(context, {
    blocks: [
      { kind: 'record', title: `Model ${model.name}`, fields: modelFields(model) },
      ...(bySymbol === undefined ? [] : [bySymbol]),
      ...trainingCurves(model),
    ],
    simulated: model.simulated,
    json: model,
  });
}

/** Arguments of `ktrdr models predict`. */
export interface ModelsPredictArgs {
  name: string;
  symbol: string;
  timeframe?: string;
  rows?: string;
  'load-missing'?: boolean;
}

/** Predicts on the latest stored bars of a symbol. */
export async function modelsPredict(context: CliContext, args: ModelsPredictArgs): Promise<void> {
  const command = 'ktrdr models predict';
  modelPath(args.name, command);
  const bars = parseOptionalPositiveInteger(args.rows, '--rows', command) ?? 10;
  await using session = await openSession(context);
  const training = await session.training();
  const { data } = await training.predict(
    {
      model_name: args.name,
      symbol: args.symbol,
      timeframe: args.timeframe,
      bars,
      ...(args['load-missing'] === true ? { load_missing: true } : {}),
    },
    { signal: context.interrupt },
  );
  for (const series of data.loaded ?? []) context.note(`Loaded ${series} first.`);
  printView(context, {
    blocks: [
      predictionTable(
        data,
        `${data.model} on ${data.symbol} ${(data.timeframes ?? [data.timeframe]).join('+')} · ${data.predictions.length} bars · ${data.runtime}`,
      ),
    ],
    simulated: data.simulated,
    json: data,
  });
}
