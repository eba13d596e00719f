/**
 * Predict BUY/HOLD/SELL on the latest bars with the newest model of the sample strategy (training
 * one first if there is none), through ONNX Runtime.
 * Run: npx tsx examples/scripts/04-predict.ts
 */
import { DataService } from '@ktrdr/data';
import { TrainingService, sampleStrategyPath } from '@ktrdr/training';
import { connectExampleIb } from './support/embedded-ib';

const ib = await connectExampleIb();
const data = new DataService({ config: ib.config });
const training = new TrainingService({ data });
try {
  const end = new Date();
  const start = new Date(end.getTime() - 365 * 24 * 3600 * 1000);
  await (await data.loadData({ symbol: 'AAPL', timeframe: '1h', mode: 'full', start, end })).result();

  let model = (await training.listModels()).find((m) => m.symbol === 'AAPL' && m.latest)?.name;
  if (model === undefined) {
    const run = await training.startTraining({
      strategyPath: sampleStrategyPath(),
      symbol: 'AAPL',
      timeframe: '1h',
      epochs: 10,
    });
    model = (await run.result()).model ?? undefined;
  }
  if (model === undefined) throw new Error('No model was saved');
  const result = await training.predict({ model, symbol: 'AAPL', bars: 8 });
  console.log(
    `${result.model} on ${result.symbol} ${result.timeframe} via ${result.runtime}${result.simulated ? ' (SIMULATED data)' : ''}`,
  );
  for (const p of result.predictions) {
    const { BUY, HOLD, SELL } = p.probabilities;
    console.log(
      `${p.date}  ${p.signal.padEnd(4)}  buy ${BUY.toFixed(2)}  hold ${HOLD.toFixed(2)}  sell ${SELL.toFixed(2)}`,
    );
  }
} finally {
  await training.close();
  await data.close();
  await ib.close();
}
