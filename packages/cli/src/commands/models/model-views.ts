import { formatPercent } from '../../render/numbers';
import { countFormat, formatBarTime, timeFormat, yesNo } from '../../output/formatters';
import type { ChartBlock, TableBlock, ViewField } from '../../output/view';

/** One epoch of `metrics.json`'s history. */
interface EpochRecord {
  epoch?: number;
  train_loss?: number;
  train_accuracy?: number;
  val_loss?: number | null;
  val_accuracy?: number | null;
}

/** A model as `GET /models/:strategy/:model` answers it. */
export interface ModelDetail {
  name: string;
  strategy: string;
  symbol: string;
  timeframe: string;
  version: number;
  latest: boolean;
  created_at: string;
  backend: string;
  test_accuracy: number | null;
  simulated: boolean;
  directory: string;
  metrics: Record<string, unknown>;
  features: string[];
  metadata: Record<string, unknown>;
}

/** A prediction answer (`POST /models/predict`). */
export interface PredictionView {
  model: string;
  symbol: string;
  timeframe: string;
  /** Every timeframe the model read, base first. */
  timeframes?: string[];
  /** Series loaded first (`--load-missing`). */
  loaded?: string[];
  simulated: boolean;
  runtime: string;
  predictions: { date: string; signal: string; probabilities: Record<string, number> }[];
}

const percent = (value: unknown) => (typeof value === 'number' ? formatPercent(value) : '-');
const decimal = (value: unknown) => (typeof value === 'number' ? value.toFixed(4) : '-');
const numberOrNaN = (value: unknown) => (typeof value === 'number' ? value : Number.NaN);

function history(model: ModelDetail): EpochRecord[] {
  const entries = model.metrics['history'];
  return Array.isArray(entries) ? (entries as EpochRecord[]) : [];
}

/** Test (or validation) metrics of a model, from `metrics.json`. */
function split(model: ModelDetail, name: 'test' | 'validation'): Record<string, unknown> {
  const value = model.metrics[name];
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** The facts of a model worth a glance: identity, data, how training went, how well it does. */
export function modelFields(model: ModelDetail): ViewField[] {
  const test = split(model, 'test');
  const validation = split(model, 'validation');
  const range = model.metadata['data_range'] as { start?: string; end?: string } | null | undefined;
  const onnx =
    typeof model.metadata['onnx_file'] === 'string'
      ? `${model.directory}/${model.metadata['onnx_file']}`
      : undefined;
  return [
    { key: 'name', label: 'model', value: model.name },
    { key: 'symbols', label: 'symbols', value: listOf(model.metadata['symbols'], model.symbol) },
    { key: 'timeframes', label: 'timeframes', value: timeframesText(model) },
    {
      key: 'data_range',
      label: 'data',
      value: range?.start && range.end ? `${timeFormat(range.start)} → ${timeFormat(range.end)}` : undefined,
    },
    { key: 'simulated', label: 'source', value: model.simulated ? 'SIMULATED' : 'real' },
    { key: 'created_at', label: 'created', value: model.created_at, format: timeFormat },
    { key: 'backend', label: 'backend', value: model.backend },
    { key: 'features', label: 'features', value: model.features.length, format: countFormat },
    { key: 'epochs_run', label: 'epochs run', value: model.metrics['epochs_run'], format: countFormat },
    { key: 'best_epoch', label: 'best epoch', value: model.metrics['best_epoch'], format: countFormat },
    { key: 'stopped_early', label: 'stopped early', value: model.metrics['stopped_early'], format: yesNo },
    { key: 'val_accuracy', label: 'validation accuracy', value: validation['accuracy'], format: percent },
    {
      key: 'test_accuracy',
      label: 'test accuracy',
      value: test['accuracy'] ?? model.test_accuracy,
      format: percent,
    },
    { key: 'test_f1', label: 'test F1 (weighted)', value: test['f1_score'], format: decimal },
    { key: 'test_samples', label: 'test samples', value: test['samples'], format: countFormat },
    { key: 'onnx', label: 'ONNX file', value: onnx },
    ...strings(model.metadata['warnings']).map((warning, i) => ({
      key: `warning_${i + 1}`,
      label: 'warning',
      value: warning,
    })),
  ];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** `AAPL, MSFT` from the metadata's list, else the name's single symbol. */
function listOf(value: unknown, fallback: string): string {
  const items = strings(value);
  return items.length > 0 ? items.join(', ') : fallback;
}

/** `1h (base), 4h, 1d` for a multi-timeframe model, else its one timeframe. */
function timeframesText(model: ModelDetail): string {
  const timeframes = strings(model.metadata['timeframes']);
  if (timeframes.length < 2) return timeframes[0] ?? model.timeframe;
  const base = model.metadata['base_timeframe'];
  return timeframes.map((tf) => (tf === base ? `${tf} (base)` : tf)).join(', ');
}

/** Test metrics per symbol of a multi-symbol model (`metrics.json`'s `test_by_symbol`). */
export function perSymbolTable(model: ModelDetail): TableBlock | undefined {
  const bySymbol = model.metrics['test_by_symbol'];
  if (typeof bySymbol !== 'object' || bySymbol === null) return undefined;
  const rows = Object.entries(bySymbol as Record<string, Record<string, unknown> | null>).map(
    ([symbol, metrics]) => ({
      symbol,
      accuracy: metrics?.['accuracy'],
      f1: metrics?.['f1_score'],
      samples: metrics?.['samples'],
    }),
  );
  return {
    kind: 'table',
    title: `Test metrics per symbol · ${model.name}`,
    empty: 'No test rows.',
    columns: [
      { key: 'symbol', header: 'symbol' },
      { key: 'accuracy', header: 'test acc.', align: 'right', format: percent },
      { key: 'f1', header: 'F1 (weighted)', align: 'right', format: decimal },
      { key: 'samples', header: 'samples', align: 'right', format: countFormat },
    ],
    rows,
  };
}

/** Loss and accuracy per epoch, training against validation: the curves of `models show`. */
export function trainingCurves(model: ModelDetail): ChartBlock[] {
  const epochs = history(model);
  if (epochs.length < 2) return [];
  const xLabels: [string, string] = [
    `epoch ${epochs[0]?.epoch ?? 1}`,
    `epoch ${epochs[epochs.length - 1]?.epoch ?? epochs.length}`,
  ];
  const hasValidation = epochs.some((e) => typeof e.val_loss === 'number');
  const curve = (
    title: string,
    train: keyof EpochRecord,
    val: keyof EpochRecord,
    format: (v: number) => string,
  ): ChartBlock => ({
    kind: 'chart',
    title,
    series: [
      { name: 'training', values: epochs.map((e) => numberOrNaN(e[train])) },
      ...(hasValidation ? [{ name: 'validation', values: epochs.map((e) => numberOrNaN(e[val])) }] : []),
    ],
    options: { height: 8, xLabels, formatY: format },
  });
  return [
    curve(`Loss per epoch · ${model.name}`, 'train_loss', 'val_loss', (v) => v.toFixed(3)),
    curve(`Accuracy per epoch · ${model.name}`, 'train_accuracy', 'val_accuracy', (v) => formatPercent(v)),
  ];
}

/** Per-bar signals with their probabilities. */
export function predictionTable(result: PredictionView, title: string): TableBlock {
  return {
    kind: 'table',
    title,
    empty: 'No bars to predict on.',
    columns: [
      { key: 'date', header: 'bar (UTC)', format: (v) => formatBarTime(String(v), result.timeframe) },
      { key: 'signal', header: 'signal' },
      { key: 'p_buy', header: 'P(BUY)', align: 'right', format: percent },
      { key: 'p_hold', header: 'P(HOLD)', align: 'right', format: percent },
      { key: 'p_sell', header: 'P(SELL)', align: 'right', format: percent },
    ],
    rows: result.predictions.map((p) => ({
      date: p.date,
      signal: p.signal,
      p_buy: p.probabilities['BUY'],
      p_hold: p.probabilities['HOLD'],
      p_sell: p.probabilities['SELL'],
    })),
  };
}

/** `strategy/SYMBOL_tf_vN` as the model route's two path parts, or undefined for another shape. */
export function splitModelName(name: string): { strategy: string; model: string } | undefined {
  const slash = name.indexOf('/');
  if (slash <= 0 || slash === name.length - 1 || name.indexOf('/', slash + 1) >= 0) return undefined;
  return { strategy: name.slice(0, slash), model: name.slice(slash + 1) };
}
