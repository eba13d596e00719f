import { ValidationError } from '@ktrdr/core/errors';
import { escapeHtml } from '../domain/bar-frame-display';
import {
  type ChartSize,
  VEGA_LITE_SCHEMA,
  linearScale,
  niceTicks,
  plotFrame,
  px,
  svgDocument,
  valueAxis,
  xLabels,
  yAxis,
} from './svg-plot';

/**
 * One epoch of a training history, as a session's `metrics.history` holds it (`epoch`,
 * `train_loss`, `val_loss`, `train_accuracy`, `val_accuracy`...) or as `trainMlp` returns it
 * (`loss`, `valLoss`...). Any numeric field can be charted.
 */
export type EpochRecord = Readonly<Record<string, unknown>>;

/** Options of {@link trainingCurvesVegaLite} and {@link trainingCurvesSvg}. */
export interface TrainingCurvesOptions extends ChartSize {
  /**
   * The fields to draw, one curve each (default: `train_loss` and `val_loss`, or `loss` and
   * `valLoss`, whichever the history has).
   */
  metrics?: readonly string[];
  /** Title (default "Training curves"). */
  title?: string;
  /** True when the model was trained on simulated bars: the title then says SIMULATED. */
  simulated?: boolean;
}

const COLOURS = ['#2563eb', '#ea580c', '#16a34a', '#9333ea', '#0891b2', '#ca8a04'];
const DEFAULT_METRICS = [
  ['train_loss', 'val_loss'],
  ['loss', 'valLoss'],
] as const;

const numberOf = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/** The metrics charted and each epoch's number (its `epoch` field, else its 1-based position). */
function curvesOf(history: readonly EpochRecord[], options: TrainingCurvesOptions) {
  const has = (field: string) => history.some((epoch) => numberOf(epoch[field]) !== undefined);
  const metrics =
    options.metrics ??
    DEFAULT_METRICS.map((pair) => pair.filter(has)).find((found) => found.length > 0) ??
    [];
  const missing = metrics.filter((metric) => !has(metric));
  if (metrics.length === 0 || missing.length > 0) {
    const available = [
      ...new Set(
        history.flatMap((epoch) => Object.keys(epoch).filter((key) => numberOf(epoch[key]) !== undefined)),
      ),
    ];
    throw new ValidationError(
      `No values to chart for ${missing.length > 0 ? missing.join(', ') : 'the losses'}: the history has ${available.join(', ') || 'no numeric field'}. Pass metrics.`,
      { details: { field: 'metrics', available } },
    );
  }
  const epochs = history.map((epoch, i) => numberOf(epoch['epoch']) ?? i + 1);
  const title = [
    options.title ?? 'Training curves',
    ...(options.simulated === true ? ['trained on SIMULATED data'] : []),
  ].join(', ');
  return { metrics, epochs, title };
}

/**
 * A Vega-Lite (v5) line chart of a training history: one line per metric (train and validation
 * loss by default) against the epoch, data inline. Show it in Jupyter
 * (`application/vnd.vegalite.v5+json`) or any Vega-Lite embed.
 * @throws ValidationError naming the metrics the history lacks, and those it has.
 */
export function trainingCurvesVegaLite(
  history: readonly EpochRecord[],
  options: TrainingCurvesOptions = {},
): Record<string, unknown> {
  const { metrics, epochs, title } = curvesOf(history, options);
  const values = history.flatMap((epoch, i) =>
    metrics.flatMap((metric) => {
      const value = numberOf(epoch[metric]);
      return value === undefined ? [] : [{ epoch: epochs[i], metric, value }];
    }),
  );
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    width: options.width ?? 720,
    height: options.height ?? 320,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
      y: { field: 'value', type: 'quantitative', scale: { zero: false }, title: null },
      color: { field: 'metric', type: 'nominal', sort: [...metrics], scale: { range: COLOURS } },
    },
  };
}

/**
 * A self-contained SVG of a training history: one line per metric against the epoch, with a
 * legend; an epoch without a value breaks its line rather than joining across it.
 * @throws ValidationError naming the metrics the history lacks, and those it has.
 */
export function trainingCurvesSvg(
  history: readonly EpochRecord[],
  options: TrainingCurvesOptions = {},
): string {
  const plot = plotFrame(options);
  const { metrics, epochs, title } = curvesOf(history, options);
  const all = history
    .flatMap((epoch) => metrics.map((metric) => numberOf(epoch[metric])))
    .filter((v) => v !== undefined);
  const { ticks, y } = valueAxis(plot, Math.min(...all), Math.max(...all));
  const x = linearScale(Math.min(...epochs), Math.max(...epochs), plot.left + 8, plot.right - 8);
  const lines = metrics
    .map((metric, m) => {
      const colour = COLOURS[m % COLOURS.length] as string;
      // Runs of consecutive epochs with a value: a gap starts a new polyline.
      const runs: [string, string][][] = [[]];
      history.forEach((epoch, i) => {
        const value = numberOf(epoch[metric]);
        if (value === undefined) runs.push([]);
        else runs.at(-1)?.push([px(x(epochs[i] as number)), px(y(value))]);
      });
      const polylines = runs
        .filter((run) => run.length > 0)
        .map((run) => {
          const [only] = run;
          return run.length === 1 && only !== undefined
            ? `<circle cx="${only[0]}" cy="${only[1]}" r="2" fill="${colour}"/>`
            : `<polyline points="${run.map((point) => point.join(',')).join(' ')}" fill="none" stroke="${colour}" stroke-width="1.5"/>`;
        })
        .join('');
      const legendY = plot.top + 4 + m * 14;
      const legend =
        `<line x1="${plot.right - 110}" x2="${plot.right - 94}" y1="${legendY}" y2="${legendY}" stroke="${colour}" stroke-width="2"/>` +
        `<text x="${plot.right - 90}" y="${legendY}" dominant-baseline="middle">${escapeHtml(metric)}</text>`;
      return polylines + legend;
    })
    .join('');
  const epochTicks = niceTicks(Math.min(...epochs), Math.max(...epochs)).filter(Number.isInteger);
  const labels = epochTicks.map((epoch) => ({ at: x(epoch), text: String(epoch) }));
  return svgDocument(plot, title, yAxis(plot, ticks, y) + lines + xLabels(plot, labels));
}
