import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../api/api-client';
import { type BarColumns, parseBarsCsv } from '../api/bars-csv';
import { type IndicatorPanes, type IndicatorsAnswer, indicatorPanesOf } from '../api/indicator-columns';
import { type BarGap, findGaps } from '../charts/bar-gaps';
import {
  type BarMarker,
  INDICATOR_PANE_HEIGHT,
  type PriceChart,
  drawPriceChart,
} from '../charts/price-chart';
import { timeframeSeconds } from '../charts/timeframe-seconds';
import { ErrorMessage } from './error-message';

/** Props of {@link SeriesChart}. */
export interface SeriesChartProps {
  client: ApiClient;
  symbol: string;
  timeframe: string;
  /** Only the last `limit` bars (default: all). */
  limit?: number;
  /** First and last bar time to read (ISO 8601; default: the whole series). */
  start?: string;
  end?: string;
  /** Markers besides the gaps, e.g. a model's signals. */
  markers?: readonly BarMarker[];
  /** Changes to read the bars again (after a load). */
  version?: number;
  /** A strategy in the server's strategies folder whose indicators are drawn with the bars. */
  strategy?: string;
}

interface Loaded {
  bars: BarColumns;
  simulated: boolean;
  gaps: BarGap[];
}

/**
 * A stored series drawn as candlesticks and volume, read in the API's compact CSV form
 * (`?format=csv`; `X-Ktrdr-Simulated` says whether the bars are synthetic). Simulated series are
 * labelled in words and by a watermark; gaps are listed and marked on the chart.
 */
export function SeriesChart({
  client,
  symbol,
  timeframe,
  limit,
  start,
  end,
  markers = [],
  version = 0,
  strategy,
}: SeriesChartProps) {
  const host = useRef<HTMLElement>(null);
  const chart = useRef<PriceChart | undefined>(undefined);
  const [loaded, setLoaded] = useState<Loaded | undefined>();
  const [error, setError] = useState<{ code?: string; message: string } | undefined>();
  const [indicators, setIndicators] = useState<IndicatorPanes | undefined>();
  const [indicatorError, setIndicatorError] = useState<{ code?: string; message: string } | undefined>();

  useEffect(() => {
    const abort = new AbortController();
    setError(undefined);
    const query = new URLSearchParams({ format: 'csv' });
    if (limit !== undefined) query.set('limit', String(limit));
    if (start !== undefined) query.set('start', start);
    if (end !== undefined) query.set('end', end);
    const path = `/data/${encodeURIComponent(symbol)}/${encodeURIComponent(timeframe)}?${query.toString()}`;
    client
      .request(path, { signal: abort.signal, headers: { accept: 'text/csv' } })
      .then(async (response) => {
        const text = await response.text();
        performance.mark('ktrdr:bars-received');
        const bars = parseBarsCsv(text);
        performance.mark('ktrdr:bars-parsed');
        const simulated = response.headers.get('x-ktrdr-simulated') === 'true';
        const seconds = timeframeSeconds(timeframe);
        const gaps = seconds === undefined ? [] : findGaps(bars, seconds);
        if (!abort.signal.aborted) setLoaded({ bars, simulated, gaps });
      })
      .catch((e: unknown) => {
        if (abort.signal.aborted) return;
        const err = e as { code?: string; message?: string };
        setError({ code: err.code, message: err.message ?? String(e) });
      });
    return () => abort.abort();
  }, [client, symbol, timeframe, limit, start, end, version]);

  useEffect(() => {
    setIndicators(undefined);
    setIndicatorError(undefined);
    if (strategy === undefined || strategy === '') return;
    const abort = new AbortController();
    // The same last bars as the chart: the route computes them past their warm-up.
    const query = new URLSearchParams({ strategy, limit: String(limit ?? 100_000) });
    const path = `/indicators/${encodeURIComponent(symbol)}/${encodeURIComponent(timeframe)}?${query.toString()}`;
    client
      .get<{ data: IndicatorsAnswer }>(path, abort.signal)
      .then(({ data }) => {
        if (!abort.signal.aborted) setIndicators(indicatorPanesOf(data));
      })
      .catch((e: unknown) => {
        if (abort.signal.aborted) return;
        const err = e as { code?: string; message?: string };
        setIndicatorError({ code: err.code, message: err.message ?? String(e) });
      });
    return () => abort.abort();
  }, [client, symbol, timeframe, limit, strategy, version]);

  useEffect(() => {
    if (loaded === undefined || host.current === null) return;
    performance.mark('ktrdr:chart-start');
    const drawn = drawPriceChart(host.current, loaded.bars, { simulated: loaded.simulated });
    // Marks for bench/dashboard's "first chart on screen": lightweight-charts paints on the next
    // animation frame, so the one after it has the chart on screen.
    performance.mark('ktrdr:chart-created');
    requestAnimationFrame(() => requestAnimationFrame(() => performance.mark('ktrdr:chart-painted')));
    chart.current = drawn;
    return () => {
      chart.current = undefined;
      drawn.remove();
    };
  }, [loaded]);

  useEffect(() => {
    if (loaded === undefined) return;
    const gapMarkers: BarMarker[] = loaded.gaps.map((g) => ({
      time: g.to,
      kind: 'gap',
      text: `gap: ${g.missing} bars`,
    }));
    chart.current?.setMarkers([...gapMarkers, ...markers]);
  }, [loaded, markers]);

  useEffect(() => {
    if (loaded !== undefined) chart.current?.setIndicators(indicators);
  }, [loaded, indicators]);

  const paneCount = indicators?.panes.length ?? 0;

  const title = `${symbol} ${timeframe}`;
  return (
    <div class="series-chart">
      <h3>
        {title}
        {loaded?.simulated === true && (
          <span class="badge simulated" title="Synthetic bars from the IB simulator, not market data">
            SIMULATED data
          </span>
        )}
      </h3>
      {error !== undefined && <ErrorMessage code={error.code} message={error.message} />}
      {indicatorError !== undefined && (
        <ErrorMessage code={indicatorError.code} message={`Indicators: ${indicatorError.message}`} />
      )}
      {indicators !== undefined && (
        <p class="chart-facts" data-indicator-panes={paneCount}>
          Indicators of {strategy}: {indicators.overlays.map((l) => l.column).join(', ') || 'none'} over the
          price; {indicators.panes.map((p) => p.key).join(', ') || 'none'} in panes of their own.
        </p>
      )}
      {loaded !== undefined && (
        <p class="chart-facts">
          {loaded.bars.length.toLocaleString()} bars ·{' '}
          {loaded.gaps.length === 0 ? 'no gaps' : `${loaded.gaps.length} gap(s), marked ■ on the chart`}
        </p>
      )}
      <figure
        ref={host}
        class="chart"
        aria-label={`Candlestick and volume chart of ${title}${loaded?.simulated === true ? ', simulated data' : ''}`}
        data-bars={loaded?.bars.length ?? 0}
        style={paneCount === 0 ? undefined : { height: `${420 + paneCount * INDICATOR_PANE_HEIGHT}px` }}
      />
    </div>
  );
}
