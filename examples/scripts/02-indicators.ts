/**
 * Compute indicators on stored bars: RSI, MACD and Bollinger Bands over typed arrays.
 * Run: npx tsx examples/scripts/02-indicators.ts
 */
import { DataService } from '@ktrdr/data';
import { bollingerBands, macd, rsi } from '@ktrdr/training';
import { connectExampleIb } from './support/embedded-ib';

const ib = await connectExampleIb();
const data = new DataService({ config: ib.config });
try {
  // `tail` fetches what the store does not hold yet (the last 30 days by default).
  const { frame, simulated } = await (
    await data.loadData({ symbol: 'MSFT', timeframe: '1h', mode: 'tail' })
  ).result();
  const { time, close } = frame.columns();
  const rsi14 = rsi(close, 14);
  const { macd: macdLine, signal } = macd(close, 12, 26, 9);
  const bands = bollingerBands(close, 20, 2);
  console.log(`MSFT 1h, ${frame.length} bars${simulated ? ' (SIMULATED)' : ''}`);
  console.log('date                  close    RSI14   MACD     signal   BB upper  BB lower');
  for (let i = Math.max(0, frame.length - 5); i < frame.length; i++) {
    const cells = [close[i], rsi14[i], macdLine[i], signal[i], bands.upper[i], bands.lower[i]].map((v) =>
      (v ?? Number.NaN).toFixed(2).padStart(8),
    );
    console.log(`${new Date(time[i] ?? 0).toISOString().slice(0, 19)}  ${cells.join(' ')}`);
  }
} finally {
  await data.close();
  await ib.close();
}
