import { ValidationError } from '@ktrdr/core';
import { describe, expect, it } from 'vitest';
import { barsSvg, barsVegaLite } from '../src/charts/bars-chart';
import { niceTicks } from '../src/charts/svg-plot';
import { trainingCurvesSvg, trainingCurvesVegaLite } from '../src/charts/training-curves-chart';
import { BarFrame } from '../src/domain/bar-frame';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 2, 14);

/** `count` hourly bars, alternately up and down, prices from 100 upwards. */
function frame(count: number, info = { symbol: 'AAPL', timeframe: '1h', simulated: true }): BarFrame {
  const rows = Array.from({ length: count }, (_, i) => {
    const up = i % 2 === 0;
    return {
      time: T0 + i * H,
      open: up ? 100 + i : 101 + i,
      close: up ? 101 + i : 100 + i,
      high: 102 + i,
      low: 99 + i,
      volume: 1000,
    };
  });
  return BarFrame.fromRows(rows).withInfo(info);
}

/** Numbers of an SVG attribute, e.g. every `y1` of the wicks. */
const attributes = (svg: string, element: string, name: string) =>
  [...svg.matchAll(new RegExp(`<${element} [^>]*?\\b${name}="([-\\d.]+)"`, 'g'))].map((m) => Number(m[1]));

describe('bar charts', () => {
  it('a Vega-Lite candlestick spec with the bars inline, in UTC, titled SIMULATED', () => {
    const spec = barsVegaLite(frame(10));
    expect(spec).toMatchObject({
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      title: 'AAPL 1h, 10 bars, SIMULATED',
      encoding: { x: { field: 'date', type: 'temporal', scale: { type: 'utc' } } },
      layer: [
        { mark: 'rule', encoding: { y: { field: 'low' }, y2: { field: 'high' } } },
        { mark: 'bar', encoding: { y: { field: 'open' }, y2: { field: 'close' } } },
      ],
    });
    const values = (spec['data'] as { values: Record<string, unknown>[] }).values;
    expect(values).toHaveLength(10);
    expect(values[0]).toEqual({
      date: '2024-01-02T14:00:00Z',
      open: 100,
      high: 102,
      low: 99,
      close: 101,
      volume: 1000,
    });
    // The spec is plain JSON: what a notebook or the Vega editor is given.
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  });

  it('charts the last bars only when asked, and says so in the title', () => {
    const spec = barsVegaLite(frame(10), { last: 3, title: 'My bars' });
    expect(spec['title']).toBe('My bars, last 3 of 10 bars, SIMULATED');
    expect((spec['data'] as { values: { date: string }[] }).values.map((v) => v.date)).toEqual([
      '2024-01-02T21:00:00Z',
      '2024-01-02T22:00:00Z',
      '2024-01-02T23:00:00Z',
    ]);
    expect(barsVegaLite(frame(2, { symbol: 'MSFT', timeframe: '1d', simulated: false }))['title']).toBe(
      'MSFT 1d, 2 bars',
    );
  });

  it('an SVG of candlesticks: one wick and one body per bar, green up, red down, inside the plot', () => {
    const svg = barsSvg(frame(20), { width: 600, height: 300 });
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="600" height="300" /);
    expect(svg).toMatch(/<\/svg>$/);
    expect(svg).not.toMatch(/<script|href=/);
    expect(svg).toContain('<tspan fill="#b91c1c" font-weight="bold">SIMULATED</tspan>');
    const bodies = [
      ...svg.matchAll(/<rect x="[^"]+" y="[^"]+" width="[^"]+" height="[^"]+" fill="(#[0-9a-f]+)"\/>/g),
    ];
    expect(bodies.map((m) => m[1])).toEqual(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? '#16a34a' : '#dc2626')),
    );
    // Wicks: high above low (SVG y grows downwards), all within the plot area (top 32, bottom 272).
    const highs = attributes(svg, 'line', 'y1').slice(-20);
    const lows = attributes(svg, 'line', 'y2').slice(-20);
    for (let i = 0; i < 20; i++) {
      expect(highs[i]).toBeLessThan(lows[i] as number);
      expect(highs[i]).toBeGreaterThanOrEqual(32);
      expect(lows[i]).toBeLessThanOrEqual(272);
    }
    // The rising bars: each high is drawn higher up than the one before.
    expect(highs[19]).toBeLessThan(highs[0] as number);
    expect(svg).toContain('>2024-01-02 14:00</text>');
    expect(svg).toContain('>2024-01-03 09:00</text>');
  });

  it('a close line when the bars are too many for candles, and a titled empty chart for no bars', () => {
    const svg = barsSvg(frame(1000), { last: 1000 });
    expect(svg).toMatch(/<polyline points="(\d+(\.\d+)?,\d+(\.\d+)? ){999}\d+(\.\d+)?,\d+(\.\d+)?"/);
    expect(svg).not.toMatch(/<rect x=/);
    expect(
      barsSvg(BarFrame.empty().withInfo({ symbol: 'AAPL', timeframe: '1h', simulated: true })),
    ).toContain('AAPL 1h, 0 bars, <tspan fill="#b91c1c" font-weight="bold">SIMULATED</tspan> (no bars)');
  });

  it('escapes what it writes into the SVG', () => {
    const svg = barsSvg(frame(3, { symbol: '<x&y>', timeframe: '1h', simulated: false }));
    expect(svg).toContain('&lt;x&amp;y&gt; 1h, 3 bars');
    expect(svg).not.toContain('<x&y>');
  });

  it('round axis ticks', () => {
    expect(niceTicks(99, 131)).toEqual([100, 110, 120, 130]);
    expect(niceTicks(0.1, 0.45)).toEqual([0.1, 0.2, 0.3, 0.4]);
    expect(niceTicks(5, 5)).toEqual([5]);
  });
});

const history = [
  { epoch: 1, train_loss: 1.1, val_loss: 1.2, train_accuracy: 0.4, val_accuracy: null },
  { epoch: 2, train_loss: 0.9, val_loss: 1.0, train_accuracy: 0.5, val_accuracy: 0.45 },
  { epoch: 3, train_loss: 0.7, val_loss: 0.95, train_accuracy: 0.6, val_accuracy: 0.5 },
];

describe('training curves', () => {
  it('a Vega-Lite line per loss, from a session history', () => {
    const spec = trainingCurvesVegaLite(history, { simulated: true });
    expect(spec['title']).toBe('Training curves, trained on SIMULATED data');
    expect(spec['mark']).toEqual({ type: 'line', point: true });
    const values = (spec['data'] as { values: unknown[] }).values;
    expect(values).toEqual([
      { epoch: 1, metric: 'train_loss', value: 1.1 },
      { epoch: 1, metric: 'val_loss', value: 1.2 },
      { epoch: 2, metric: 'train_loss', value: 0.9 },
      { epoch: 2, metric: 'val_loss', value: 1.0 },
      { epoch: 3, metric: 'train_loss', value: 0.7 },
      { epoch: 3, metric: 'val_loss', value: 0.95 },
    ]);
  });

  it('the chosen metrics, and trainMlp histories (loss, valLoss) by default', () => {
    const accuracy = trainingCurvesVegaLite(history, { metrics: ['val_accuracy'] });
    // Epoch 1 has no validation accuracy: no point is made up for it.
    expect((accuracy['data'] as { values: unknown[] }).values).toEqual([
      { epoch: 2, metric: 'val_accuracy', value: 0.45 },
      { epoch: 3, metric: 'val_accuracy', value: 0.5 },
    ]);
    const camel = [{ loss: 1, valLoss: 2 }, { loss: 0.5 }];
    expect((trainingCurvesVegaLite(camel)['data'] as { values: unknown[] }).values).toEqual([
      { epoch: 1, metric: 'loss', value: 1 },
      { epoch: 1, metric: 'valLoss', value: 2 },
      { epoch: 2, metric: 'loss', value: 0.5 },
    ]);
  });

  it('refuses a metric the history lacks, naming those it has', () => {
    const chart = () => trainingCurvesSvg(history, { metrics: ['f1'] });
    expect(chart).toThrow(ValidationError);
    expect(chart).toThrow(
      'No values to chart for f1: the history has epoch, train_loss, val_loss, train_accuracy, val_accuracy. Pass metrics.',
    );
    expect(() => trainingCurvesVegaLite([])).toThrow(/the history has no numeric field/);
  });

  it('an SVG with a line and a legend entry per metric; a missing epoch breaks the line', () => {
    const svg = trainingCurvesSvg(history, { metrics: ['train_accuracy', 'val_accuracy'] });
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg).toContain('>train_accuracy</text>');
    expect(svg).toContain('>val_accuracy</text>');
    const gappy = [{ loss: 1 }, { loss: null }, { loss: 0.8 }, { loss: 0.7 }];
    const broken = trainingCurvesSvg(gappy);
    expect(broken.match(/<polyline /g)).toHaveLength(1);
    expect(broken.match(/<circle /g)).toHaveLength(1);
    expect(broken).toContain('>1</text>');
    expect(broken).toContain('>4</text>');
  });
});
