import {
  AreaSeries,
  ColorType,
  type IChartApi,
  LineSeries,
  type LineData,
  type UTCTimestamp,
  createChart,
} from 'lightweight-charts';
import type { EquitySeries } from './equity-series';

/** Line points of one column, NaN left out (lightweight-charts wants finite values). */
function points(time: Float64Array, values: Float64Array, scale = 1): LineData[] {
  const out: LineData[] = [];
  for (let i = 0; i < time.length; i++) {
    const v = values[i] as number;
    if (Number.isFinite(v)) out.push({ time: time[i] as UTCTimestamp, value: v * scale });
  }
  return out;
}

/**
 * The strategy's equity and buy-and-hold's in the main pane, their drawdowns (in %) in a pane
 * below. lightweight-charts' attribution link stays on (its licence asks for it).
 */
export function drawEquityChart(container: HTMLElement, series: EquitySeries): IChartApi {
  const chart = createChart(container, {
    height: 380,
    autoSize: true,
    layout: {
      background: { type: ColorType.Solid, color: '#ffffff' },
      textColor: '#1f2328',
      attributionLogo: true,
    },
    timeScale: { timeVisible: true, secondsVisible: false },
  });
  chart
    .addSeries(LineSeries, { color: '#1f6feb', lineWidth: 2, title: 'strategy' })
    .setData(points(series.time, series.equity));
  chart
    .addSeries(LineSeries, { color: '#a15c00', lineWidth: 1, title: 'buy and hold' })
    .setData(points(series.time, series.buyAndHold));
  const percent = { type: 'percent' as const, precision: 1, minMove: 0.1 };
  chart
    .addSeries(
      AreaSeries,
      {
        lineColor: '#b3261e',
        topColor: 'rgba(179, 38, 30, 0.05)',
        bottomColor: 'rgba(179, 38, 30, 0.35)',
        lineWidth: 1,
        title: 'drawdown',
        priceFormat: percent,
      },
      1,
    )
    .setData(points(series.time, series.drawdown, 100));
  chart
    .addSeries(LineSeries, { color: '#a15c00', lineWidth: 1, title: 'buy and hold', priceFormat: percent }, 1)
    .setData(points(series.time, series.buyAndHoldDrawdown, 100));
  chart.panes()[1]?.setHeight(120);
  chart.timeScale().fitContent();
  return chart;
}
