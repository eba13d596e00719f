/**
 * Train the sample neuro-fuzzy strategy on a year of hourly bars, then show its metrics.
 * Run: npx tsx examples/scripts/03-train.ts   (EPOCHS=10 for a quicker run)
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

  const run = await training.startTraining({
    strategyPath: sampleStrategyPath(),
    symbol: 'AAPL',
    timeframe: '1h',
    epochs: Number(process.env['EPOCHS'] ?? 30),
  });
  run.on('progress', (p) =>
    process.stdout.write(`\r${p.percentage.toFixed(0).padStart(3)}% ${p.current_step ?? ''}      `),
  );
  const { model, session } = await run.result();
  const test = session.metrics['test'] as { accuracy: number; f1_score: number } | null;
  console.log(`\nSaved ${model}${session.simulated ? ' (trained on SIMULATED data)' : ''}`);
  console.log(`backend ${session.gpu_usage?.backend}, epochs ${String(session.metrics['epochs_run'])}`);
  console.log(`test accuracy ${test?.accuracy.toFixed(3)}, weighted F1 ${test?.f1_score.toFixed(3)}`);
} finally {
  await training.close();
  await data.close();
  await ib.close();
}
