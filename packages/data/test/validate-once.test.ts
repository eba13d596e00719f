import type { OperationHandle } from '@ktrdr/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type AsyncDataManager,
  type DataService,
  type EpochMs,
  type LoadDataOptions,
  type LoadDataResult,
  type LoadMode,
  type ParsedSymbol,
  type Timeframe,
  parseSymbol,
  parseTimeframe,
  toEpochMs,
} from '../src/index';

// Issue #13 item 4: a load is validated once, by `DataService.loadData` (the boundary), and the
// manager below it takes the parsed types. These checks run in the type checker (`tsc`), where a
// manager that accepted raw strings or dates again would fail them.
describe('a load is validated once, at the boundary', () => {
  it('the manager takes only parsed symbols, timeframes, modes and epoch milliseconds', () => {
    type Load = Parameters<AsyncDataManager['loadData']>;
    expectTypeOf<Load[0]>().toEqualTypeOf<ParsedSymbol>();
    expectTypeOf<Load[1]>().toEqualTypeOf<Timeframe>();
    expectTypeOf<Load[2]>().toEqualTypeOf<LoadDataOptions | undefined>();
    expectTypeOf<NonNullable<LoadDataOptions['start']>>().toEqualTypeOf<EpochMs>();
    expectTypeOf<NonNullable<LoadDataOptions['end']>>().toEqualTypeOf<EpochMs>();
    expectTypeOf<NonNullable<LoadDataOptions['mode']>>().toEqualTypeOf<LoadMode>();
    // What a user types is not a parsed value: it has to go through the parse functions first.
    expectTypeOf<string>().not.toExtend<ParsedSymbol>();
    expectTypeOf<string>().not.toExtend<Timeframe>();
    expectTypeOf<number>().not.toExtend<EpochMs>();
    expectTypeOf<Date>().not.toExtend<EpochMs>();
  });

  it('only the parse functions make the parsed types, and they stay usable as strings and numbers', () => {
    expectTypeOf(parseSymbol).returns.toEqualTypeOf<ParsedSymbol>();
    expectTypeOf(parseTimeframe).returns.toEqualTypeOf<Timeframe>();
    expectTypeOf(toEpochMs).returns.toEqualTypeOf<EpochMs>();
    expectTypeOf<ParsedSymbol>().toExtend<string>();
    expectTypeOf<EpochMs>().toExtend<number>();
    const symbol: string = parseSymbol('eurusd');
    const ms: number = toEpochMs('2024-03-04', 'start');
    expect(symbol).toBe('EUR.USD');
    expect(ms).toBe(Date.UTC(2024, 2, 4));
  });

  it('the service takes user input and resolves with a handle, as the training service does', () => {
    type Request = Parameters<DataService['loadData']>[0];
    expectTypeOf<Request['symbol']>().toEqualTypeOf<string>();
    expectTypeOf<DataService['loadData']>().returns.resolves.toEqualTypeOf<OperationHandle<LoadDataResult>>();
  });
});
