import { describe, expect, it } from 'vitest';
import { renderCsv } from '../src/render/csv';
import { formatClock, formatDuration } from '../src/render/durations';
import { renderLineChart, resample } from '../src/render/line-chart';
import { decimalsFor, formatCount } from '../src/render/numbers';
import { ProgressReporter } from '../src/render/progress';
import { renderRecord, renderTable } from '../src/render/table';
import { stripAnsi, textWidth } from '../src/render/text-width';
import { Collector } from './support/run-ktrdr';

describe('tables', () => {
  it('aligns every column to its widest cell, numbers to the right', () => {
    const text = renderTable({
      columns: [{ header: 'symbol' }, { header: 'close', align: 'right' }],
      rows: [
        ['AAPL', '1.5'],
        ['BRK.B', '412.25'],
      ],
    });
    const lines = text.split('\n');
    expect(lines).toEqual(['symbol   close', '──────  ──────', 'AAPL       1.5', 'BRK.B   412.25']);
  });

  it('lines up labels of a record', () => {
    expect(
      renderRecord([
        ['bars', '10'],
        ['first bar', 'x'],
      ]),
    ).toBe('  bars       10\n  first bar  x');
  });

  it('measures width in code points and ignores colour codes', () => {
    expect(textWidth('██░')).toBe(3);
    expect(textWidth('\u001b[36mAAPL\u001b[39m')).toBe(4);
    expect(stripAnsi('\u001b[1mbold\u001b[22m')).toBe('bold');
  });
});

describe('csv', () => {
  it('quotes only the fields that need it', () => {
    expect(
      renderCsv(
        ['a', 'b'],
        [
          ['1', 'x,y'],
          ['say "hi"', 'line\nbreak'],
        ],
      ),
    ).toBe('a,b\n1,"x,y"\n"say ""hi""","line\nbreak"\n');
  });
});

describe('numbers and durations', () => {
  it('finds the decimals a price column needs without float noise', () => {
    expect(decimalsFor([185.12, 185.1])).toBe(2);
    expect(decimalsFor([1.08765, 1.1])).toBe(5);
    expect(decimalsFor([0.1 + 0.2])).toBe(1);
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(-1000)).toBe('-1,000');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1.5)).toBe('1.5');
  });

  it('formats durations and clock readings', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(4200)).toBe('4.2 s');
    expect(formatDuration(187_000)).toBe('3 m 07 s');
    expect(formatDuration(3_720_000)).toBe('1 h 02 m');
    expect(formatClock(7_500)).toBe('00:07');
    expect(formatClock(3_723_000)).toBe('1:02:03');
  });
});

describe('line chart', () => {
  it('draws a rising series bottom-left to top-right with a labelled axis', () => {
    const lines = renderLineChart([{ name: 'close', values: [1, 2, 3, 4] }], { height: 4, width: 4 }).split(
      '\n',
    );
    expect(lines).toHaveLength(5);
    // Top row holds the maximum's label and the last point; bottom row the minimum's and the first.
    expect(lines[0]).toMatch(/^4\.0+ ┤ {3}╭$/);
    expect(lines[3]).toMatch(/^1\.0+ ┤─╯$/);
    expect(lines[4]).toMatch(/└─{4}$/);
  });

  it('joins a fall with a continuous vertical run', () => {
    const lines = renderLineChart([{ name: 'x', values: [10, 0] }], {
      height: 5,
      width: 2,
      formatY: (v) => v.toFixed(0),
    }).split('\n');
    const plot = lines.slice(0, 5).map((line) => line.slice(line.indexOf('┤') + 1));
    expect(plot).toEqual(['─╮', ' │', ' │', ' │', ' ╰']);
  });

  it('stretches a short series up to three columns a point', () => {
    const plot = renderLineChart([{ name: 'x', values: [1, 2] }], { height: 2, width: 64 })
      .split('\n')
      .slice(0, 2)
      .map((line) => line.slice(line.indexOf('┤') + 1));
    expect(plot).toEqual(['   ╭──', '───╯']);
  });

  it('tells series apart with a legend and keeps the last point when resampling', () => {
    const chart = renderLineChart(
      [
        { name: 'train', values: [1, 0.5, 0.25] },
        { name: 'validation', values: [1.1, 0.7, 0.6] },
      ],
      { height: 6, xLabels: ['1', '3'] },
    );
    expect(chart).toContain('── train');
    expect(chart).toContain('╌╌ validation');
    expect(resample([1, 2, 3, 4, 5, 6, 7, 8, 9], 3)).toEqual([1, 5, 9]);
  });

  it('says so when there is nothing to draw', () => {
    expect(renderLineChart([{ name: 'x', values: [] }])).toBe('(no data to chart)');
  });
});

describe('progress', () => {
  it('redraws one line with bar, percentage, counts, elapsed and ETA on a terminal', () => {
    let now = 0;
    const sink = new Collector(true, 200);
    const reporter = new ProgressReporter(sink, {
      label: 'AAPL 1h',
      stepsUnit: 'segments',
      itemsUnit: 'bars',
      now: () => now,
    });
    now = 10_000;
    reporter.update({
      percentage: 50,
      current_step: 'fetch',
      steps_completed: 6,
      steps_total: 12,
      items_processed: 1234,
    });
    expect(sink.text.startsWith('\r\u001b[2K')).toBe(true);
    expect(sink.text).toContain('████████████░░░░░░░░░░░░');
    expect(sink.text).toContain(' 50%');
    expect(sink.text).toContain('6/12 segments');
    expect(sink.text).toContain('1,234 bars');
    expect(sink.text).toContain('00:10 elapsed');
    expect(sink.text).toContain('ETA 00:10');
    expect(sink.text).not.toContain('\n');
    reporter.finish();
    expect(sink.text.endsWith('\r\u001b[2K')).toBe(true);
  });

  it("shows the operation's planned completion as the ETA rather than extrapolating", () => {
    // A 233-segment 1m load, 10 s in at 5%: extrapolation says 3 minutes, the pacing plan 31.
    let now = Date.parse('2026-01-05T10:00:00Z');
    const sink = new Collector(false);
    const reporter = new ProgressReporter(sink, { label: 'AAPL 1m', now: () => now });
    now += 10_000;
    reporter.update({ percentage: 5, estimated_completion: '2026-01-05T10:31:10Z' });
    expect(sink.text).toContain('ETA 31:00');
    expect(sink.text).not.toContain('ETA 03:10');
    // Past the planned time the ETA stays at zero rather than going negative.
    now = Date.parse('2026-01-05T10:40:00Z');
    reporter.update({ percentage: 20 });
    expect(sink.text.trimEnd().split('\n').at(-1)).toContain('ETA 00:00');
  });

  it('never lets a redrawn line wrap', () => {
    const sink = new Collector(true, 30);
    new ProgressReporter(sink, { label: 'a long label for a narrow terminal' }).update({ percentage: 10 });
    expect(textWidth(sink.text.replace('\r', ''))).toBeLessThan(30);
  });

  it('prints plain lines at each tenth and change of step when not on a terminal', () => {
    const sink = new Collector(false);
    const reporter = new ProgressReporter(sink, { label: 'load', now: () => 0 });
    for (const percentage of [2, 10, 11, 12, 25, 25]) reporter.update({ percentage, current_step: 'fetch' });
    reporter.update({ percentage: 96, current_step: 'merge' });
    const lines = sink.text.trimEnd().split('\n');
    expect(lines).toEqual([
      'load: 2% [fetch], 00:00 elapsed',
      'load: 10% [fetch], 00:00 elapsed',
      'load: 25% [fetch], 00:00 elapsed',
      'load: 96% [merge], 00:00 elapsed',
    ]);
    expect(sink.text).not.toContain('\r');
  });

  it('prints a change of step within a tenth at most once a second', () => {
    let now = 0;
    const sink = new Collector(false);
    const reporter = new ProgressReporter(sink, { label: 'train', now: () => now });
    reporter.update({ percentage: 31, current_step: 'Epoch 1, batch 1' });
    now = 500;
    reporter.update({ percentage: 32, current_step: 'Epoch 1, batch 2' });
    now = 1600;
    reporter.update({ percentage: 33, current_step: 'Epoch 1, batch 3' });
    now = 1700;
    reporter.update({ percentage: 34, current_step: 'Epoch 1, batch 4' });
    const steps = () =>
      sink.text
        .trimEnd()
        .split('\n')
        .map((line) => line.split(' [')[1]?.split(']')[0]);
    expect(steps()).toEqual(['Epoch 1, batch 1', 'Epoch 1, batch 3']);
    // The state held back is the one a log must end with.
    reporter.finish();
    expect(steps()).toEqual(['Epoch 1, batch 1', 'Epoch 1, batch 3', 'Epoch 1, batch 4']);
    reporter.finish();
    expect(steps()).toHaveLength(3);
  });
});
