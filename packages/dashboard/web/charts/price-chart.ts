import {
  CandlestickSeries,
  type CandlestickData,
  ColorType,
  HistogramSeries,
  type HistogramData,
  type IChartApi,
  type ISeriesApi,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
  createChart,
  createSeriesMarkers,
  createTextWatermark,
} from 'lightweight-charts';
import type { BarColumns } from '../api/bars-csv';

/** A marker on a bar: a model's signal, a gap. */
export interface BarMarker {
  /** Bar time, seconds since the epoch. */
  time: number;
  kind: 'buy' | 'sell' | 'hold' | 'gap';
  text: string;
}

/** A drawn price chart and how to change it. */
export interface PriceChart {
  chart: IChartApi;
  setMarkers(markers: readonly BarMarker[]): void;
  remove(): void;
}

/** Bars shown when a chart opens; the rest are a scroll away. */
export const INITIAL_VISIBLE_BARS = 1000;

const MARKER_STYLE = {
  buy: { position: 'belowBar', color: '#1b7f3b', shape: 'arrowUp' },
  sell: { position: 'aboveBar', color: '#b3261e', shape: 'arrowDown' },
  hold: { position: 'aboveBar', color: '#6b6b6b', shape: 'circle' },
  gap: { position: 'aboveBar', color: '#a15c00', shape: 'square' },
} as const;

/**
 * Candlesticks in the main pane and volume in a pane of its own, from columns (no object per bar is
 * kept beyond what lightweight-charts needs). Simulated bars get a "SIMULATED" watermark, so a
 * screenshot cannot pass them off as market data. lightweight-charts' attribution link stays on
 * (its licence asks for it).
 */
export function drawPriceChart(
  container: HTMLElement,
  bars: BarColumns,
  options: { simulated: boolean; height?: number },
): PriceChart {
  const chart = createChart(container, {
    height: options.height ?? 420,
    autoSize: true,
    layout: {
      background: { type: ColorType.Solid, color: '#ffffff' },
      textColor: '#1f2328',
      attributionLogo: true,
    },
    timeScale: { timeVisible: true, secondsVisible: false },
  });
  const candles: CandlestickData[] = new Array(bars.length);
  const volume: HistogramData[] = new Array(bars.length);
  for (let i = 0; i < bars.length; i++) {
    const time = bars.time[i] as UTCTimestamp;
    const open = bars.open[i] as number;
    const close = bars.close[i] as number;
    candles[i] = { time, open, high: bars.high[i] as number, low: bars.low[i] as number, close };
    volume[i] = { time, value: bars.volume[i] as number, color: close >= open ? '#8fc9a0' : '#e6a19b' };
  }
  const price: ISeriesApi<'Candlestick'> = chart.addSeries(CandlestickSeries, {
    upColor: '#1b7f3b',
    downColor: '#b3261e',
    wickUpColor: '#1b7f3b',
    wickDownColor: '#b3261e',
    borderVisible: false,
  });
  price.setData(candles);
  const volumeSeries = chart.addSeries(HistogramSeries, { priceFormat: { type: 'volume' } }, 1);
  volumeSeries.setData(volume);
  chart.panes()[1]?.setHeight(90);
  if (options.simulated) {
    createTextWatermark(chart.panes()[0]!, {
      horzAlign: 'center',
      vertAlign: 'center',
      lines: [{ text: 'SIMULATED', color: 'rgba(161, 92, 0, 0.18)', fontSize: 48 }],
    });
  }
  // Long series open on their latest bars, as trading charts do (scroll or zoom out for the rest):
  // readable candles, and a first paint that does not draw every bar of a 10,000-bar series.
  if (bars.length > INITIAL_VISIBLE_BARS) {
    chart
      .timeScale()
      .setVisibleLogicalRange({ from: bars.length - INITIAL_VISIBLE_BARS, to: bars.length - 1 });
  } else chart.timeScale().fitContent();
  const markers = createSeriesMarkers(price, []);
  return {
    chart,
    setMarkers(list) {
      const sorted = [...list].sort((a, b) => a.time - b.time);
      markers.setMarkers(
        sorted.map((m): SeriesMarker<Time> => ({
          time: m.time as UTCTimestamp,
          text: m.text,
          ...MARKER_STYLE[m.kind],
        })),
      );
    },
    remove: () => chart.remove(),
  };
}
