import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BarFrame } from '../src/domain/bar-frame';
import type { Bar } from '../src/domain/bars';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 2, 14);

function bars(count: number, start = T0, step = H): Bar[] {
  return Array.from({ length: count }, (_, i) => ({
    time: start + i * step,
    open: 100 + i,
    high: 101.5 + i,
    low: 99.25 + i,
    close: 100.5 + i,
    volume: 1000 + i,
  }));
}

const simulated = { symbol: 'AAPL', timeframe: '1h', simulated: true };

describe('BarFrame in notebooks and consoles', () => {
  it('console.log shows the title with the SIMULATED label, the head and tail rows with dates, and what is left out', () => {
    const frame = BarFrame.fromRows(bars(30)).withInfo(simulated);
    const text = inspect(frame);
    const lines = text.split('\n');
    expect(lines[0]).toBe('BarFrame AAPL 1h, 30 bars, SIMULATED, 2024-01-02 14:00 to 2024-01-03 19:00 UTC');
    expect(lines[1]).toBe('time (UTC)          open    high     low   close  volume');
    expect(lines[2]).toBe('2024-01-02 14:00  100.00  101.50   99.25  100.50    1000');
    expect(lines).toHaveLength(2 + 5 + 1 + 5);
    expect(lines[7]).toBe('... 20 more bars ...');
    expect(lines.at(-1)).toBe('2024-01-03 19:00  129.00  130.50  128.25  129.50    1029');
    // console.log goes through the same view; String() and toString() too.
    expect(String(frame)).toBe(text);
    expect(frame.toString({ head: 1, tail: 1 }).split('\n')).toHaveLength(2 + 1 + 1 + 1);
  });

  it('labels real bars as real, and says nothing it does not know', () => {
    expect(
      inspect(BarFrame.fromRows(bars(2)).withInfo({ ...simulated, simulated: false })).split('\n')[0],
    ).toBe('BarFrame AAPL 1h, 2 bars, real, 2024-01-02 14:00 to 2024-01-02 15:00 UTC');
    expect(inspect(BarFrame.fromRows(bars(1))).split('\n')[0]).toBe(
      'BarFrame 1 bar, 2024-01-02 14:00 to 2024-01-02 14:00 UTC',
    );
    expect(inspect(BarFrame.empty().withInfo(simulated))).toBe('BarFrame AAPL 1h, 0 bars, SIMULATED');
  });

  it('shows daily bars as dates, forex prices with their decimals, and every row of a short frame', () => {
    const daily = BarFrame.fromRows(
      bars(3, Date.UTC(2024, 0, 2), 86_400_000).map((bar) => ({ ...bar, close: 1.08456 })),
    ).withInfo({ symbol: 'EURUSD', timeframe: '1d', simulated: true });
    const lines = inspect(daily).split('\n');
    expect(lines[0]).toBe('BarFrame EURUSD 1d, 3 bars, SIMULATED, 2024-01-02 to 2024-01-04 UTC');
    expect(lines[2]).toBe('2024-01-02  100.00000  101.50000   99.25000  1.08456    1000');
    expect(lines).toHaveLength(5);
    expect(inspect(daily)).not.toContain('more bars');
  });

  it('nested deeper than inspect goes, a frame is one line', () => {
    const frame = BarFrame.fromRows(bars(30)).withInfo(simulated);
    expect(inspect({ b: frame }, { depth: 0 })).toBe(
      '{\n  b: [BarFrame AAPL 1h, 30 bars, SIMULATED, 2024-01-02 14:00 to 2024-01-03 19:00 UTC]\n}',
    );
  });

  it('toJSON writes the info and every bar with an ISO date, as the data API does', () => {
    const frame = BarFrame.fromRows(bars(2)).withInfo(simulated);
    expect(JSON.parse(JSON.stringify(frame))).toEqual({
      symbol: 'AAPL',
      timeframe: '1h',
      simulated: true,
      bars: [
        { date: '2024-01-02T14:00:00Z', open: 100, high: 101.5, low: 99.25, close: 100.5, volume: 1000 },
        { date: '2024-01-02T15:00:00Z', open: 101, high: 102.5, low: 100.25, close: 101.5, volume: 1001 },
      ],
    });
    expect(BarFrame.empty().toJSON()).toEqual({ bars: [] });
  });

  it('toHTML is a table with the title as caption, SIMULATED stressed, and escaped text', () => {
    const frame = BarFrame.fromRows(bars(30)).withInfo({ ...simulated, symbol: '<b>&' });
    const html = frame.toHTML();
    expect(html).toMatch(
      /^<table class="ktrdr-bar-frame"[^>]*><caption[^>]*>BarFrame &lt;b&gt;&amp; 1h, 30 bars, /,
    );
    expect(html).toContain('<strong style="color:#b91c1c">SIMULATED</strong>');
    expect(html).not.toContain('<b>&');
    expect(html.match(/<tr>/g)).toHaveLength(1 + 5 + 1 + 5);
    expect(html).toContain('… 20 more bars …');
    expect(html).toContain('>2024-01-02 14:00</td>');
    expect(frame.toHTML({ head: 30, tail: 0 }).match(/<tr>/g)).toHaveLength(31);
  });

  it('gives notebook kernels a MIME bundle with text and HTML', () => {
    const frame = BarFrame.fromRows(bars(3)).withInfo(simulated);
    const display = (frame as unknown as Record<symbol, () => Record<string, string>>)[
      Symbol.for('Jupyter.display')
    ];
    expect(display?.call(frame)).toEqual({ 'text/plain': inspect(frame), 'text/html': frame.toHTML() });
  });

  it('keeps its info through slices and merges, and shares the bars with the unlabelled frame', () => {
    const plain = BarFrame.fromRows(bars(10));
    const frame = plain.withInfo(simulated);
    expect(plain.info).toBeUndefined();
    expect(frame.columns()).toBe(plain.columns());
    for (const part of [frame.head(3), frame.tail(3), frame.slice(T0 + 2 * H, T0 + 5 * H)]) {
      expect(part.info).toEqual(simulated);
    }
    const later = BarFrame.fromRows(bars(2, T0 + 20 * H));
    expect(frame.merge(later).info).toEqual(simulated);
    expect(later.merge(frame).info).toEqual(simulated);
    expect(BarFrame.empty().merge(frame).info).toEqual(simulated);
    expect(BarFrame.empty().withInfo(simulated).merge(plain).info).toEqual(simulated);
    expect(frame.merge(BarFrame.fromRows(bars(3, T0 + 5 * H))).info).toEqual(simulated);
  });
});
