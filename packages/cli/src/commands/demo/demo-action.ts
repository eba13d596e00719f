import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { BacktestSummary, DataLoadSummary, TrainingSummary } from '@ktrdr/client';
import { loadConfig } from '@ktrdr/core/config';
import { CliUsageError } from '../../cli/cli-errors';
import type { CliContext } from '../../cli/context';
import { EXIT_CODES } from '../../cli/exit-codes';
import { parseOptionalPositiveInteger, parsePositiveInteger } from '../../cli/option-values';
import { displayPath } from '../../output/display-path';
import { durationFormat } from '../../output/formatters';
import { SIMULATED_LABEL, printView } from '../../output/print-view';
import type { ViewBlock } from '../../output/view';
import { formatCount } from '../../render/numbers';
import { openEmbeddedSession } from '../../session/cli-session';
import { followOperation, operationError } from '../follow-operation';
import {
  type ModelDetail,
  type PredictionView,
  modelFields,
  predictionTable,
  trainingCurves,
} from '../models/model-views';
import { trainedModel } from '../models/models-train';
import { equityChart, metricsTable, summaryRecord } from '../backtest/backtest-views';
import { type DemoLoad, demoLoadOf, loadsTable } from './demo-views';

const COMMAND = 'ktrdr demo';
const TIMEFRAME = '1h';
/** Fixed, so two demo runs on the same bars train the same model. */
const TRAINING_SEED = 42;
/** The latest share of the loaded bars kept out of training, for the backtest to trade on. */
const BACKTEST_SHARE = 0.2;

/** Arguments of `ktrdr demo`. */
export interface DemoArgs {
  dir?: string;
  symbols?: string;
  days?: string;
  epochs?: string;
  progress?: boolean;
}

/** Thrown when Ctrl+C ends the demo at a step boundary. */
class DemoInterrupted extends Error {}

function parseSymbols(value: string | undefined): string[] {
  const symbols = (value ?? 'AAPL,MSFT')
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter((s) => s !== '');
  if (symbols.length === 0 || symbols.length > 5) {
    throw new CliUsageError(
      `Invalid --symbols '${value}': give one to five symbols, e.g. AAPL,MSFT.`,
      COMMAND,
    );
  }
  return symbols;
}

/**
 * The SDK end to end on the built-in IB Gateway simulator: start it on a free port, point the
 * direct-IB transport at it over TCP, load a year of hourly bars per symbol, train the sample
 * strategy on all but the latest bars (the model is exported to ONNX as it is saved), predict on the
 * latest bars, backtest the model on the bars it never saw, and say what happened. Every step goes through the same typed clients as the other commands.
 */
export async function demo(context: CliContext, args: DemoArgs): Promise<void> {
  const symbols = parseSymbols(args.symbols);
  const days = parsePositiveInteger(args.days ?? '365', '--days', COMMAND);
  const epochs = parseOptionalPositiveInteger(args.epochs, '--epochs', COMMAND);
  const dir = resolve(args.dir ?? join('.ktrdr', 'demo'));
  const progress = args.progress !== false;
  const table = context.format === 'table';
  const say = (text: string) => {
    if (table) context.out(text);
  };
  const startedAt = Date.now();
  const checkInterrupt = () => {
    if (context.interrupt.aborted) throw new DemoInterrupted();
  };

  say(
    `ktrdr demo · every bar below comes from the built-in IB Gateway simulator: ${SIMULATED_LABEL} data.\n`,
  );
  const { startIbSimulator } = await import('@ktrdr/ib-sim');
  const simulator = await startIbSimulator({ port: 0 });
  try {
    say(`1/5  IB Gateway simulator listening on ${simulator.host}:${simulator.port} (TWS protocol over TCP)`);
    const config = loadConfig(
      {
        // Explicit options win over the environment: the demo never reaches a real gateway or host service.
        ib: { useHostService: false, host: simulator.host, port: simulator.port },
        training: { useHostService: false },
        dataDir: join(dir, 'data'),
        modelsDir: join(dir, 'models'),
      },
      context.io.env,
    );
    await using session = await openEmbeddedSession(config);

    const since = new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
    say(
      `2/5  Loading ${days} days of ${TIMEFRAME} bars for ${symbols.join(', ')} into ${displayPath(config.dataDir)}`,
    );
    const loads: DemoLoad[] = [];
    for (const symbol of symbols) {
      checkInterrupt();
      const started = await session.data.load({
        symbol,
        timeframe: TIMEFRAME,
        mode: 'tail',
        start_date: since,
        end_date: null,
      });
      const { info, interrupted } = await followOperation<DataLoadSummary>(context, session, {
        operationId: started.operation_id,
        label: `${symbol} ${TIMEFRAME}`,
        stepsUnit: 'segments',
        itemsUnit: 'bars',
        progress,
        onInterrupt: 'cancel',
      });
      if (interrupted) throw new DemoInterrupted();
      if (info.status !== 'completed') throw operationError(info);
      const load = demoLoadOf(info);
      loads.push(load);
      say(`     ${symbol}: ${formatCount(load.bars)} bars stored (${formatCount(load.added_bars)} new)`);
    }

    checkInterrupt();
    const { sampleStrategyPath } = await import('@ktrdr/training');
    const strategyPath = sampleStrategyPath();
    const training = await session.training();
    // The model never sees the latest bars: the backtest trades them out of sample.
    const cut = new Date(Date.now() - days * BACKTEST_SHARE * 86_400_000).toISOString().slice(0, 10);
    say(
      `3/5  Training the sample strategy ${displayPath(strategyPath)} on ${symbols[0]} ${TIMEFRAME} bars before ${cut}`,
    );
    const startedTraining = await training.start({
      strategy_yaml: await readFile(strategyPath, 'utf8'),
      symbol: symbols[0],
      timeframe: TIMEFRAME,
      end_date: cut,
      epochs,
      seed: TRAINING_SEED,
    });
    const trained = await followOperation<TrainingSummary>(context, session, {
      operationId: startedTraining.operation_id,
      label: `training ${symbols[0]} ${TIMEFRAME}`,
      stepsUnit: 'epochs',
      itemsUnit: 'batches',
      progress,
      onInterrupt: 'cancel',
    });
    if (trained.interrupted) throw new DemoInterrupted();
    if (trained.info.status !== 'completed') throw operationError(trained.info);
    const model: ModelDetail | undefined = await trainedModel(session, trained.info);
    if (model === undefined)
      throw operationError({
        ...trained.info,
        status: 'failed',
        error_message: 'The training saved no model',
      });
    const onnxFile = join(model.directory, String(model.metadata['onnx_file'] ?? 'model.onnx'));
    const onnxBytes = (await stat(onnxFile).catch(() => undefined))?.size;
    say(
      `     ${model.name}: ${formatCount(Number(model.metrics['epochs_run'] ?? 0))} epochs, exported to ONNX (${onnxBytes === undefined ? 'missing' : `${formatCount(onnxBytes)} bytes`})`,
    );

    checkInterrupt();
    say(`4/5  Predicting on the latest bars`);
    const predictions: PredictionView[] = [];
    for (const symbol of symbols) {
      const { data } = await training.predict(
        { model_name: model.name, symbol, timeframe: TIMEFRAME, bars: 5 },
        { signal: context.interrupt },
      );
      predictions.push(data);
    }

    checkInterrupt();
    say(
      `5/5  Backtesting ${model.name} on ${symbols[0]} ${TIMEFRAME} from ${cut} (bars it never trained on)`,
    );
    const startedBacktest = await session.client.backtests.start({
      model: model.name,
      symbol: symbols[0]!,
      timeframe: TIMEFRAME,
      start_date: cut,
    });
    const backtested = await followOperation<BacktestSummary>(context, session, {
      operationId: startedBacktest.id,
      label: `backtest ${symbols[0]} ${TIMEFRAME}`,
      stepsUnit: 'steps',
      itemsUnit: 'bars',
      progress,
      onInterrupt: 'cancel',
    });
    if (backtested.interrupted) throw new DemoInterrupted();
    const backtestId = backtested.info.result_summary?.backtest_id;
    if (backtested.info.status !== 'completed' || backtestId === undefined)
      throw operationError(backtested.info);
    const { data: backtest } = await session.client.backtests.show({ backtest_id: backtestId, points: 400 });
    say(
      `     ${backtest.backtest_id}: ${formatCount(Number(backtest.metrics['total_trades']))} trades over ${formatCount(backtest.bars)} bars`,
    );

    const elapsedMs = Date.now() - startedAt;
    const blocks: ViewBlock[] = [
      { kind: 'text', text: `\nWhat happened (${durationFormat(elapsedMs)}):` },
      loadsTable(loads),
      { kind: 'record', title: `Model ${model.name}`, fields: modelFields(model) },
      ...trainingCurves(model),
      ...predictions.map((p) =>
        predictionTable(p, `Signals of ${p.model} on the latest ${p.symbol} bars (${p.runtime})`),
      ),
      summaryRecord(backtest, `Backtest of ${model.name} on ${backtest.symbol} ${backtest.timeframe}`),
      equityChart(backtest),
      metricsTable(backtest),
      {
        kind: 'text',
        text: [
          'Next:',
          `  ktrdr data show ${symbols[0]} -t ${TIMEFRAME} --chart --data-dir ${displayPath(config.dataDir)}`,
          `  ktrdr models show ${model.name} --models-dir ${displayPath(config.modelsDir)}`,
          `  ktrdr backtest show ${backtest.backtest_id} --models-dir ${displayPath(config.modelsDir)}`,
          `  ktrdr sim   (then IB_PORT=4002 ktrdr data load AAPL)`,
          `  ktrdr dashboard --open --data-dir ${displayPath(config.dataDir)} --models-dir ${displayPath(config.modelsDir)}   (the web dashboard: charts, curves, operations)`,
        ].join('\n'),
      },
    ];
    printView(context, {
      blocks,
      simulated: true,
      json: {
        simulated: true,
        simulator: { host: simulator.host, port: simulator.port },
        data_dir: config.dataDir,
        models_dir: config.modelsDir,
        loads,
        model,
        onnx_file: onnxFile,
        predictions,
        backtest,
        elapsed_ms: elapsedMs,
      },
    });
  } catch (error) {
    if (!(error instanceof DemoInterrupted) && !context.interrupt.aborted) throw error;
    context.note('Demo interrupted: running work was cancelled; what was loaded so far is kept.');
    context.exitCode = EXIT_CODES.interrupted;
  } finally {
    await simulator.close();
  }
}
