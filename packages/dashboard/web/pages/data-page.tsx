import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/api-client';
import type { OperationInfo, SymbolInfo, TimeframeInfo } from '../api/api-types';
import { usePolled } from '../api/use-polled';
import { useStartOperation } from '../api/use-start-operation';
import { ErrorMessage } from '../components/error-message';
import { OperationStatus } from '../components/operation-status';
import { SelectField } from '../components/select-field';
import { SeriesChart } from '../components/series-chart';
import { TextField } from '../components/text-field';
import { ListHead, RowToggle } from '../components/list-table';
import { dataLinkOf } from './data-link';

const LOAD_MODES = ['tail', 'backfill', 'full', 'local'] as const;
const BAR_LIMITS = [500, 2000, 10000] as const;

interface Selected {
  symbol: string;
  timeframe: string;
}

function LoadForm({ client, onLoaded }: { client: ApiClient; onLoaded: (s: Selected) => void }) {
  const timeframes = usePolled(() => client.get<{ data: TimeframeInfo[] }>('/timeframes'), 'timeframes');
  const [symbol, setSymbol] = useState('AAPL');
  const [timeframe, setTimeframe] = useState('1h');
  const [mode, setMode] = useState<string>('tail');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [started, setStarted] = useState<{ id: string; label: string; target: Selected } | undefined>();
  const { error, start: startLoad } = useStartOperation(client);
  const submit = async (event: Event) => {
    event.preventDefault();
    const target = { symbol: symbol.trim().toUpperCase(), timeframe };
    const id = await startLoad('/data/load', {
      ...target,
      mode,
      start_date: start === '' ? null : start,
      end_date: end === '' ? null : end,
    });
    if (id !== undefined) setStarted({ id, label: `Load ${target.symbol} ${timeframe}`, target });
  };
  const onEnd = (info: OperationInfo) => {
    if (info.status === 'completed' && started !== undefined) onLoaded(started.target);
  };
  return (
    <form class="load-form" onSubmit={submit} aria-labelledby="load-title">
      <h3 id="load-title">Load bars</h3>
      <TextField label="Symbol" name="symbol" value={symbol} required onInput={setSymbol} />
      <SelectField
        label="Timeframe"
        name="timeframe"
        value={timeframe}
        onChange={setTimeframe}
        options={timeframes.data?.data.map((t) => t.timeframe) ?? ['1h']}
      />
      <SelectField label="Mode" name="mode" value={mode} onChange={setMode} options={LOAD_MODES} />
      <TextField label="From" name="start" type="date" value={start} onInput={setStart} />
      <TextField label="To" name="end" type="date" value={end} onInput={setEnd} />
      <button type="submit">Start load</button>
      {error !== undefined && <ErrorMessage code={error.code} message={error.message} />}
      {started !== undefined && (
        <OperationStatus
          key={started.id}
          client={client}
          operationId={started.id}
          label={started.label}
          onEnd={onEnd}
        />
      )}
    </form>
  );
}

/**
 * Picks the strategy whose indicators the chart draws (a name in the server's strategies folder).
 * Applied on submit, not per keystroke: a half-typed name would ask the API for a strategy that
 * does not exist.
 */
function StrategyPicker({ value, onApply }: { value: string; onApply: (strategy: string) => void }) {
  const [text, setText] = useState(value);
  return (
    <form
      class="strategy-form"
      aria-label="Indicators"
      onSubmit={(event) => {
        event.preventDefault();
        onApply(text.trim());
      }}
    >
      <TextField
        label="Strategy"
        name="strategy"
        value={text}
        placeholder="neuro-fuzzy-sample"
        onInput={setText}
      />
      <button type="submit">Show indicators</button>
    </form>
  );
}

/** Data: the series in the store, a chart of one, and loads started and watched from here. */
export function DataPage({ client }: { client: ApiClient }) {
  const symbols = usePolled(() => client.get<{ data: SymbolInfo[] }>('/symbols'), 'symbols');
  // A link such as `#/data/AAPL/1h?bars=10000` opens on that series.
  const [link] = useState(() => dataLinkOf(location.hash));
  const [selected, setSelected] = useState<Selected | undefined>(link);
  const [limit, setLimit] = useState<number>(link?.bars ?? 2000);
  const [version, setVersion] = useState(0);
  const [strategy, setStrategy] = useState('');
  const series = (symbols.data?.data ?? []).flatMap((s) => s.series);
  const shown = selected ?? (series[0] && { symbol: series[0].symbol, timeframe: series[0].timeframe });
  const onLoaded = (target: Selected) => {
    symbols.refresh();
    setSelected(target);
    setVersion((v) => v + 1);
  };
  return (
    <section aria-labelledby="data-title">
      <h2 id="data-title">Data</h2>
      {symbols.error !== undefined && (
        <ErrorMessage code={symbols.error.code} message={symbols.error.message} />
      )}
      <table class="series">
        <caption>Series in the store</caption>
        <ListHead columns={['symbol', 'timeframe', 'bars', 'from', 'to', 'source']} />
        <tbody>
          {series.length === 0 && (
            <tr>
              <td colSpan={7}>
                {symbols.data === undefined ? 'Loading…' : 'The store is empty: load some bars.'}
              </td>
            </tr>
          )}
          {series.map((s) => (
            <tr key={`${s.symbol}/${s.timeframe}`}>
              <td>{s.symbol}</td>
              <td>{s.timeframe}</td>
              <td>{s.rows.toLocaleString()}</td>
              <td>{s.start ?? ''}</td>
              <td>{s.end ?? ''}</td>
              <td>{s.simulated ? <span class="badge simulated">SIMULATED</span> : 'IB'}</td>
              <td>
                <RowToggle
                  label={`Chart ${s.symbol} ${s.timeframe}`}
                  pressed={shown?.symbol === s.symbol && shown.timeframe === s.timeframe}
                  onClick={() => setSelected({ symbol: s.symbol, timeframe: s.timeframe })}
                >
                  Chart
                </RowToggle>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown !== undefined && (
        <>
          <SelectField
            label="Bars shown"
            value={String(limit)}
            onChange={(v) => setLimit(Number(v))}
            options={[...new Set([...BAR_LIMITS, limit])].map(
              (n) => [String(n), `last ${n.toLocaleString()}`] as const,
            )}
          />
          <StrategyPicker value={strategy} onApply={setStrategy} />
          <SeriesChart
            client={client}
            symbol={shown.symbol}
            timeframe={shown.timeframe}
            limit={limit}
            version={version}
            strategy={strategy}
          />
        </>
      )}
      <LoadForm client={client} onLoaded={onLoaded} />
    </section>
  );
}
