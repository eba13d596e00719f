import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../api/api-client';
import type { ModelDetail, ModelSummary, PredictionResult } from '../api/api-types';
import { usePolled } from '../api/use-polled';
import type { BarMarker } from '../charts/price-chart';
import { ConfusionMatrix } from '../components/confusion-matrix';
import { CurvesChart } from '../components/curves-chart';
import { ErrorMessage } from '../components/error-message';
import { SeriesChart } from '../components/series-chart';
import { ListHead, RowToggle } from '../components/list-table';
import { TrainForm } from './train-form';

const PREDICTED_BARS = 50;
const percent = (v: number) => `${(v * 100).toFixed(1)}%`;
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : Number.NaN);

function ModelDetails({ client, name }: { client: ApiClient; name: string }) {
  const detail = usePolled(() => client.get<{ data: ModelDetail }>(`/models/${name}`), name);
  const [markers, setMarkers] = useState<BarMarker[]>([]);
  const [predictError, setPredictError] = useState<{ code?: string; message: string } | undefined>();
  const model = detail.data?.data;
  useEffect(() => {
    if (model === undefined) return;
    setMarkers([]);
    client
      .send<{ data: PredictionResult }>('POST', '/models/predict', {
        model_name: model.name,
        symbol: model.symbol,
        timeframe: model.timeframe,
        bars: PREDICTED_BARS,
      })
      .then(({ data }) =>
        setMarkers(
          data.predictions
            .filter((p) => p.signal !== 'HOLD')
            .map((p) => ({
              time: Date.parse(p.date) / 1000,
              kind: p.signal === 'BUY' ? 'buy' : 'sell',
              // Arrows only: a word per bar would cover the candles.
              text: '',
            })),
        ),
      )
      .catch((e: { code?: string; message?: string }) =>
        setPredictError({ code: e.code, message: e.message ?? String(e) }),
      );
  }, [client, model]);
  if (detail.error !== undefined)
    return <ErrorMessage code={detail.error.code} message={detail.error.message} />;
  if (model === undefined) return <p>Loading {name}…</p>;
  const history = model.metrics.history ?? [];
  const test = model.metrics.test ?? model.metrics.validation ?? undefined;
  const facts: [string, string][] = [
    ['strategy', model.strategy],
    ['series', `${model.symbol} ${model.timeframe}${model.simulated ? ' (SIMULATED data)' : ''}`],
    ['created', new Date(model.created_at).toLocaleString()],
    ['backend', model.backend],
    ['epochs run', String(model.metrics['epochs_run'] ?? history.length)],
    ['test accuracy', model.test_accuracy === null ? 'n/a' : percent(model.test_accuracy)],
    ['features', String(model.features.length)],
  ];
  return (
    <div class="model-details" data-model={model.name}>
      <h3>{model.name}</h3>
      <dl class="facts">
        {facts.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      <div class="curves-row">
        <CurvesChart
          title="Loss per epoch"
          format={(v) => v.toFixed(3)}
          curves={[
            { name: 'training', color: '#1f6feb', values: history.map((e) => num(e.train_loss)) },
            { name: 'validation', color: '#a15c00', values: history.map((e) => num(e.val_loss)) },
          ]}
        />
        <CurvesChart
          title="Accuracy per epoch"
          format={percent}
          curves={[
            { name: 'training', color: '#1f6feb', values: history.map((e) => num(e.train_accuracy)) },
            { name: 'validation', color: '#a15c00', values: history.map((e) => num(e.val_accuracy)) },
          ]}
        />
      </div>
      {test?.confusion_matrix !== undefined && (
        <ConfusionMatrix
          matrix={test.confusion_matrix}
          caption={`Confusion matrix (${model.metrics.test ? 'test' : 'validation'} split)`}
        />
      )}
      {predictError !== undefined && <ErrorMessage code={predictError.code} message={predictError.message} />}
      <p>
        Signals on the latest {PREDICTED_BARS} bars: ▲ BUY, ▼ SELL (HOLD not drawn);{' '}
        <span data-signals={markers.length}>{markers.length} drawn</span>.
      </p>
      <SeriesChart
        client={client}
        symbol={model.symbol}
        timeframe={model.timeframe}
        limit={500}
        markers={markers}
      />
    </div>
  );
}

/** Models: the stored models, one in detail (metrics, curves, confusion matrix, signals), and training. */
export function ModelsPage({ client }: { client: ApiClient }) {
  const models = usePolled(() => client.get<{ data: ModelSummary[] }>('/models'), 'models');
  const [selected, setSelected] = useState<string | undefined>();
  const list = models.data?.data ?? [];
  const shown = selected ?? list[0]?.name;
  return (
    <section aria-labelledby="models-title">
      <h2 id="models-title">Models</h2>
      {models.error !== undefined && <ErrorMessage code={models.error.code} message={models.error.message} />}
      <table class="models">
        <caption>Stored models</caption>
        <ListHead columns={['model', 'series', 'test accuracy', 'created']} />
        <tbody>
          {list.length === 0 && (
            <tr>
              <td colSpan={5}>
                {models.data === undefined ? 'Loading…' : 'No models yet: train one below.'}
              </td>
            </tr>
          )}
          {list.map((m) => (
            <tr key={m.name}>
              <td>
                <code>{m.name}</code>
              </td>
              <td>
                {m.symbol} {m.timeframe} {m.simulated && <span class="badge simulated">SIMULATED</span>}
              </td>
              <td>{m.test_accuracy === null ? 'n/a' : percent(m.test_accuracy)}</td>
              <td>{new Date(m.created_at).toLocaleString()}</td>
              <td>
                <RowToggle
                  label={`Show ${m.name}`}
                  pressed={shown === m.name}
                  onClick={() => setSelected(m.name)}
                >
                  Show
                </RowToggle>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown !== undefined && <ModelDetails key={shown} client={client} name={shown} />}
      <TrainForm
        client={client}
        onTrained={(model) => {
          models.refresh();
          if (model !== undefined) setSelected(model);
        }}
      />
    </section>
  );
}
