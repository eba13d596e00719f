/** One line of a {@link CurvesChart}. */
export interface Curve {
  name: string;
  /** One value per epoch; NaN where absent. */
  values: readonly number[];
  color: string;
}

/** Props of {@link CurvesChart}. */
export interface CurvesChartProps {
  title: string;
  curves: readonly Curve[];
  format: (value: number) => string;
}

const WIDTH = 360;
const HEIGHT = 160;
const PAD = 28;

/**
 * Per-epoch curves (loss, accuracy) as a small SVG: a few dozen points need no chart library, and
 * SVG gives screen readers a title and a table-free summary.
 */
export function CurvesChart({ title, curves, format }: CurvesChartProps) {
  const all = curves.flatMap((c) => c.values.filter(Number.isFinite));
  const epochs = Math.max(0, ...curves.map((c) => c.values.length));
  if (all.length === 0 || epochs === 0) return <p>No {title.toLowerCase()} recorded.</p>;
  const min = Math.min(...all);
  const max = Math.max(...all);
  const span = max - min || 1;
  const x = (i: number) => PAD + (epochs === 1 ? 0 : (i / (epochs - 1)) * (WIDTH - 2 * PAD));
  const y = (v: number) => HEIGHT - PAD - ((v - min) / span) * (HEIGHT - 2 * PAD);
  const last = (c: Curve) => [...c.values].reverse().find(Number.isFinite);
  const summary = curves
    .map((c) => `${c.name} ${last(c) === undefined ? 'n/a' : format(last(c) as number)}`)
    .join(', ');
  return (
    <figure class="curves">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width={WIDTH}
        height={HEIGHT}
        role="img"
        aria-label={`${title} over ${epochs} epochs; last: ${summary}`}
      >
        <line x1={PAD} y1={HEIGHT - PAD} x2={WIDTH - PAD} y2={HEIGHT - PAD} stroke="#999" />
        <line x1={PAD} y1={PAD} x2={PAD} y2={HEIGHT - PAD} stroke="#999" />
        <text x={2} y={PAD} font-size="10">
          {format(max)}
        </text>
        <text x={2} y={HEIGHT - PAD} font-size="10">
          {format(min)}
        </text>
        <text x={WIDTH - PAD} y={HEIGHT - 8} font-size="10" text-anchor="end">
          epoch {epochs}
        </text>
        {curves.map((c) => (
          <polyline
            key={c.name}
            class="curve"
            data-curve={c.name}
            fill="none"
            stroke={c.color}
            stroke-width={2}
            points={c.values
              .map((v, i) => (Number.isFinite(v) ? `${x(i).toFixed(1)},${y(v).toFixed(1)}` : ''))
              .filter((p) => p !== '')
              .join(' ')}
          />
        ))}
      </svg>
      <figcaption>
        {title}:{' '}
        {curves.map((c) => (
          <span key={c.name} class="legend" style={{ color: c.color }}>
            ● {c.name}{' '}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
