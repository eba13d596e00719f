import {
  CandlestickSeries,
  type CandlestickData,
  ColorType,
  HistogramSeries,
  type HistogramData,
  type IChartApi,
  type ISeriesApi,
  LineSeries,
  type LineData,
  type SeriesType,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
  createChart,
  createSeriesMarkers,
  createTextWatermark,
} from 'lightweight-charts';
import type { BarColumns } from '../api/bars-csv';
import type { IndicatorLine, IndicatorPanes } from '../api/indicator-columns';

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
  /** Draws a strategy's indicators (replacing those drawn before); undefined removes them. */
  setIndicators(indicators: IndicatorPanes | undefined): void;
  remove(): void;
}

/** Height of each indicator pane, px. */
export const INDICATOR_PANE_HEIGHT = 110;

const LINE_COLORS = ['#1f6feb', '#a15c00', '#8250df', '#1b7f3b', '#b3261e', '#0a7ea4'];

/** A line's points, bars without a value (warm-up) left out. */
function linePoints(time: Float64Array, line: IndicatorLine): LineData[] {
  const out: LineData[] = [];
  for (let i = 0; i < time.length; i++) {
    const v = line.values[i] as number;
    const t = time[i] as number;
    if (Number.isFinite(v) && Number.isFinite(t)) out.push({ time: t as UTCTimestamp, value: v });
  }
  return out;
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
  let indicatorSeries: ISeriesApi<SeriesType>[] = [];
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
    setIndicators(indicators) {
      for (const series of indicatorSeries) chart.removeSeries(series);
      indicatorSeries = [];
      if (indicators === undefined) return;
      const add = (line: IndicatorLine, pane: number, color: number) => {
        const series = chart.addSeries(
          LineSeries,
          {
            color: LINE_COLORS[color % LINE_COLORS.length],
            lineWidth: 1,
            title: line.column,
            priceLineVisible: false,
            lastValueVisible: false,
          },
          pane,
        );
        series.setData(linePoints(indicators.time, line));
        indicatorSeries.push(series);
      };
      indicators.overlays.forEach((line, i) => add(line, 0, i));
      // Panes 0 and 1 are the candles and the volume.
      indicators.panes.forEach((pane, p) => pane.lines.forEach((line, i) => add(line, p + 2, i)));
      // Stretch factors rather than heights: the container grows by a pane's height at the same
      // time (autoSize follows it a frame later), and factors keep each pane's share right.
      const panes = chart.panes();
      panes[0]?.setStretchFactor(330);
      panes[1]?.setStretchFactor(90);
      for (const pane of panes.slice(2)) pane.setStretchFactor(INDICATOR_PANE_HEIGHT);
    },
    remove: () => chart.remove(),
  };
}
