import { ValidationError } from '@ktrdr/core';
import { describe, expect, it } from 'vitest';
import { BarFrame } from '../src/domain/bar-frame';
import { CSV_HEADER, formatBarsCsv, parseBarsCsv, parseBarsCsvFile } from '../src/store/index';

const at = (iso: string): number => Date.parse(iso);
const parse = (text: string): BarFrame => parseBarsCsv(Buffer.from(text, 'utf8'), 'test.csv');

function errorOf(text: string): ValidationError {
  try {
    parse(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('parse succeeded');
}

describe('CSV parsing', () => {
  it('reads the date variants pandas and the Python system write', () => {
    const frame = parse(
      [
        CSV_HEADER,
        '2024-01-02 14:30:00+00:00,1,2,0.5,1.5,100',
        '2024-01-02T15:30:00.123456Z,1,2,0.5,1.5,100',
        '2024-01-02T11:30:00-05:00,1,2,0.5,1.5,100',
        '2024-01-02T17:30:00,1,2,0.5,1.5,100',
        '2024-01-02T18:30:00+0000,1,2,0.5,1.5,100',
        '2024-01-02T19:30:00.5+01:00,1,2,0.5,1.5,100',
        '2024-01-03,1,2,0.5,1.5,100',
      ].join('\n'),
    );
    expect(Array.from(frame.columns().time)).toEqual([
      at('2024-01-02T14:30:00Z'),
      at('2024-01-02T15:30:00.123Z'), // fraction truncated to ms
      at('2024-01-02T16:30:00Z'), // -05:00
      at('2024-01-02T17:30:00Z'), // no offset: UTC
      at('2024-01-02T18:30:00Z'), // +0000
      at('2024-01-02T18:30:00.500Z'), // 19:30:00.5+01:00
      at('2024-01-03T00:00:00Z'), // date only
    ]);
  });

  it('handles CRLF, a BOM, blank lines, empty values, extra columns and any column order', () => {
    const text =
      '\ufeffvolume,Date,close,low,high,open,extra\r\n' +
      '100.0,2024-01-02T00:00:00Z,4.5,1.25,5.0,2.0,x\r\n' +
      '\r\n' +
      ',2024-01-03T00:00:00Z,,,5,2,\r\n';
    const frame = parse(text);
    expect(frame.toRows()).toEqual([
      { time: at('2024-01-02T00:00:00Z'), open: 2, high: 5, low: 1.25, close: 4.5, volume: 100 },
      {
        time: at('2024-01-03T00:00:00Z'),
        open: 2,
        high: 5,
        low: Number.NaN,
        close: Number.NaN,
        volume: Number.NaN,
      },
    ]);
  });

  it('sorts rows and keeps the later of two rows with one time', () => {
    const frame = parse(
      `${CSV_HEADER}\n2024-01-03T00:00:00Z,1,1,1,3,1\n2024-01-02T00:00:00Z,1,1,1,2,1\n2024-01-03T00:00:00Z,1,1,1,9,1\n`,
    );
    expect(Array.from(frame.columns().close)).toEqual([2, 9]);
  });

  it('reads exponents, long mantissas, signs and infinities exactly as Number() does', () => {
    const values = ['1e-7', '-2.5E3', '0.30000000000000004', '+7', '123456789012345678', 'inf', '-inf', '.5'];
    const frame = parse(
      `${CSV_HEADER}\n${values.map((v, i) => `2024-01-0${i + 1}T00:00:00Z,${v},0,0,0,0`).join('\n')}`,
    );
    expect(Array.from(frame.columns().open)).toEqual([
      1e-7,
      -2500,
      0.30000000000000004,
      7,
      Number('123456789012345678'),
      Infinity,
      -Infinity,
      0.5,
    ]);
  });

  it('names the file, line and problem in malformed input', () => {
    expect(errorOf('time,open,high\n').details).toMatchObject({ field: 'csv', line: 1 });
    expect(errorOf(`${CSV_HEADER},close\n`).details.line).toBe(1);
    const badDate = errorOf(
      `${CSV_HEADER}\n2024-01-02T00:00:00Z,1,1,1,1,1\n2024-13-02T00:00:00Z,1,1,1,1,1\n`,
    );
    expect(badDate.details).toMatchObject({ field: 'csv', file: 'test.csv', line: 3 });
    expect(badDate.message).toContain('2024-13-02');
    expect(errorOf(`${CSV_HEADER}\n2023-02-29T00:00:00Z,1,1,1,1,1\n`).details.line).toBe(2);
    expect(errorOf(`${CSV_HEADER}\n2024-01-02T25:00:00Z,1,1,1,1,1\n`).details.line).toBe(2);
    expect(errorOf(`${CSV_HEADER}\n2024-01-02T00:00:00Z,1,abc,1,1,1\n`).message).toContain("'abc'");
    expect(errorOf(`${CSV_HEADER}\n2024-01-02T00:00:00Z,1,1,1\n`).message).toContain('expected 6 fields');
    expect(errorOf(`${CSV_HEADER}\n2024-01-02T00:00:00Z,1,1,1,1,1,1\n`).details.line).toBe(2);
    // pandas writes a missing value as an empty field: a spelled-out NaN is some other tool's damage.
    for (const nan of ['nan', 'NaN', '"nan"']) {
      const error = errorOf(
        `${CSV_HEADER}\n2024-01-02T00:00:00Z,1,1,1,1,1\n2024-01-02T01:00:00Z,1,1,1,1,${nan}\n`,
      );
      expect(error.details).toMatchObject({ field: 'csv', file: 'test.csv', line: 3 });
      expect(error.message).toContain('column 6');
    }
  });

  it('reads a header-only file as an empty series', () => {
    expect(parse(`${CSV_HEADER}\n`).length).toBe(0);
    expect(parse(CSV_HEADER).length).toBe(0);
  });
});

describe('CSV files: torn last lines', () => {
  const file = (text: string) => parseBarsCsvFile(Buffer.from(text, 'utf8'), 'AAPL_1m.csv');
  const complete = `${CSV_HEADER}\n2024-01-02T00:00:00Z,1,2,0.5,1.5,100\n2024-01-02T00:01:00Z,1,2,0.5,1.5,200\n`;

  it('leaves out a last row cut after a comma and says which line it was', () => {
    const parsed = file(`${complete}2024-01-02T00:02:00Z,1,2,0.5,1.5,`);
    expect(parsed.frame.length).toBe(2);
    expect(Array.from(parsed.frame.columns().volume)).toEqual([100, 200]);
    expect(parsed.torn).toEqual({ line: 4, text: '2024-01-02T00:02:00Z,1,2,0.5,1.5,' });
  });

  it('treats any last line without a line end as torn, even one that looks whole', () => {
    expect(file(`${complete}2024-01-02T00:02:00Z,1,2,0.5,1.5,300`).torn?.line).toBe(4);
    expect(file(`${complete}2024-01-0`).torn).toEqual({ line: 4, text: '2024-01-0' });
    expect(file(complete.replaceAll('\n', '\r\n') + '2024-01-02T00:02:00Z,1').torn?.line).toBe(4);
  });

  it('reads files ending with a line end (or blank space) as whole', () => {
    expect(file(complete)).toMatchObject({ torn: undefined });
    expect(file(`${complete}\n\r\n`).torn).toBeUndefined();
    expect(file(`${CSV_HEADER}\n`).frame.length).toBe(0);
    expect(file(CSV_HEADER)).toMatchObject({ torn: undefined });
  });

  it('reads a header cut short as an empty torn file, and any other bad header as an error', () => {
    const parsed = file('date,open,hi');
    expect(parsed.frame.length).toBe(0);
    expect(parsed.torn).toEqual({ line: 1, text: 'date,open,hi' });
    expect(() => file('when,what')).toThrow(ValidationError);
    expect(() => file('date,open,hi\n')).toThrow(/line 1|header/);
  });

  it('still reports a damaged row before the last one with its line', () => {
    expect(() => file(`${complete}garbage\n2024-01-02T00:03:00Z,1,2,0.5,1.5,`)).toThrow(/line 4/);
  });
});

describe('CSV writing', () => {
  it('writes the Python layout with pandas float formatting', () => {
    const frame = BarFrame.fromRows([
      {
        time: at('2024-01-02T14:30:59.900Z'),
        open: 187.15,
        high: 188,
        low: -0.0001,
        close: 1e21,
        volume: Number.NaN,
      },
      {
        time: at('1999-12-31T23:00:00Z'),
        open: 0.1,
        high: 5e-324,
        low: Infinity,
        close: -Infinity,
        volume: 82488700,
      },
    ]);
    expect(formatBarsCsv(frame).toString('latin1')).toBe(
      'date,open,high,low,close,volume\n' +
        '1999-12-31T23:00:00Z,0.1,5e-324,inf,-inf,82488700.0\n' +
        '2024-01-02T14:30:59Z,187.15,188.0,-0.0001,1e+21,\n',
    );
  });

  it('round-trips random doubles bit for bit', () => {
    let seed = 7;
    const random = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const n = 5000;
    const time = Float64Array.from({ length: n }, (_, i) => Date.UTC(2020, 0, 1) + i * 60_000);
    const draw = (): Float64Array =>
      Float64Array.from({ length: n }, (_, i) => {
        const r = random();
        if (i % 5 === 0) return Math.round(r * 1e5) / 1e5; // quoted prices
        if (i % 5 === 1) return Math.floor(r * 1e9); // volumes
        if (i % 5 === 2) return (r - 0.5) * 10 ** Math.floor(random() * 40 - 20); // any magnitude
        if (i % 5 === 3) return r; // 16-17 significant digits
        return -r * 12345.678;
      });
    const frame = BarFrame.fromColumns({
      time,
      open: draw(),
      high: draw(),
      low: draw(),
      close: draw(),
      volume: draw(),
    });
    const back = parseBarsCsv(formatBarsCsv(frame));
    for (const key of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) {
      expect(Array.from(back.columns()[key])).toEqual(Array.from(frame.columns()[key]));
    }
  });

  it('refuses times outside years 0000-9999', () => {
    const frame = BarFrame.fromRows([
      { time: Date.UTC(10000, 0, 1), open: 1, high: 1, low: 1, close: 1, volume: 1 },
    ]);
    expect(() => formatBarsCsv(frame)).toThrow(ValidationError);
  });
});
