import { ValidationError } from '@ktrdr/core';
import { describe, expect, it } from 'vitest';
import { prepareMultiSymbolData, prepareTrainingData, sliceRows } from '../src/features/index';
import { parseStrategy } from '../src/strategy/index';
import { BalancedBatches } from '../src/trainer/balanced-batches';
import { SeededRandom } from '../src/trainer/seeded-random';
import { trainMlp } from '../src/trainer/train-mlp';
import { randomWalkBars } from './support/random-walk-bars';

const strategy = parseStrategy(`
name: ms-test
indicators:
  - name: rsi
    period: 14
fuzzy_sets:
  rsi:
    low: [0, 30, 50]
    high: [50, 70, 100]
model:
  features:
    lookback_periods: 1
    scale_features: true
training:
  labels: { zigzag_threshold: 0.02, label_lookahead: 30 }
  data_split: { train: 0.6, validation: 0.2, test: 0.2 }
`);
const aapl = randomWalkBars({ bars: 600, seed: 1, volatility: 0.006 });
const msft = randomWalkBars({ bars: 300, seed: 2, volatility: 0.02, startPrice: 50 });

describe('multi-symbol datasets', () => {
  const data = prepareMultiSymbolData(
    [
      { symbol: 'AAPL', input: aapl },
      { symbol: 'MSFT', input: msft },
    ],
    strategy,
  );
  const alone = {
    AAPL: prepareTrainingData(aapl, {
      ...strategy,
      model: { ...strategy.model, features: { ...strategy.model.features, scale_features: false } },
    }),
    MSFT: prepareTrainingData(msft, {
      ...strategy,
      model: { ...strategy.model, features: { ...strategy.model.features, scale_features: false } },
    }),
  };

  it('splits each symbol chronologically and stacks train, validation and test of every symbol', () => {
    expect(data.symbols).toEqual(['AAPL', 'MSFT']);
    for (const part of ['train', 'validation', 'test'] as const) {
      const { start, end } = data.split[part];
      const expected = ['AAPL', 'MSFT'].flatMap((symbol, s) => {
        const own = alone[symbol as 'AAPL' | 'MSFT'];
        const range = own.split[part];
        return Array.from({ length: range.end - range.start }, (_, i) => [s, own.times[range.start + i]]);
      });
      const got = Array.from({ length: end - start }, (_, i) => [
        data.symbolIndex[start + i],
        data.times[start + i],
      ]);
      expect(got).toEqual(expected);
    }
    expect(data.rows).toBe(alone.AAPL.rows + alone.MSFT.rows);
    expect([...data.y.subarray(0, 5)]).toEqual([...alone.AAPL.y.subarray(0, 5)]);
  });

  it('fits one scaler on the combined train rows of every symbol', () => {
    const width = data.columns.length;
    const { start, end } = data.split.train;
    for (let c = 0; c < width; c++) {
      let sum = 0;
      for (let r = start; r < end; r++) sum += data.x[r * width + c]!;
      expect(Math.abs(sum / (end - start))).toBeLessThan(1e-4);
    }
    // The per-symbol means differ: fitted per symbol they would each be 0.
    const meanOf = (symbol: number) => {
      let sum = 0;
      let n = 0;
      for (let r = start; r < end; r++) {
        if (data.symbolIndex[r] !== symbol) continue;
        sum += data.x[r * width]!;
        n++;
      }
      return sum / n;
    };
    expect(Math.abs(meanOf(0) - meanOf(1))).toBeGreaterThan(0.01);
    expect(data.spec.scaler?.offset).toHaveLength(width);
  });

  it('names the symbol whose bars give no feature row, and refuses a repeated symbol', () => {
    const short = randomWalkBars({ bars: 10, seed: 3 });
    expect(() =>
      prepareMultiSymbolData(
        [
          { symbol: 'AAPL', input: aapl },
          { symbol: 'TINY', input: short },
        ],
        strategy,
      ),
    ).toThrow(/^TINY: No complete feature rows/);
    expect(() =>
      prepareMultiSymbolData(
        [
          { symbol: 'AAPL', input: aapl },
          { symbol: 'AAPL', input: msft },
        ],
        strategy,
      ),
    ).toThrow(ValidationError);
  });
});

describe('balanced batches', () => {
  it('gives every batch an equal share of every symbol, oversampling the short one', () => {
    // 90 rows of symbol 0, 10 of symbol 1.
    const groups = Int32Array.from({ length: 100 }, (_, i) => (i < 90 ? 0 : 1));
    const batches = BalancedBatches.create(groups, 16)!;
    expect(batches.batchSize).toBe(16);
    expect(batches.length).toBe(96);
    const order = new Uint32Array(100);
    const random = new SeededRandom(7);
    for (let epoch = 0; epoch < 3; epoch++) {
      batches.fill(order, random);
      for (let b = 0; b < batches.length; b += 16) {
        const shares = [0, 0];
        for (const row of order.subarray(b, b + 16)) shares[groups[row]!]!++;
        expect(shares).toEqual([8, 8]);
      }
    }
  });

  it('shape the training epochs of several symbols', async () => {
    const groups = Int32Array.from({ length: 100 }, (_, i) => (i < 90 ? 0 : 1));
    const train = {
      x: Float32Array.from({ length: 200 }, (_, i) => Math.sin(i)),
      y: Int32Array.from({ length: 100 }, (_, i) => i % 3),
      rows: 100,
      features: 2,
    };
    const batchesOf = async (split: typeof train & { groups?: Int32Array }) => {
      const totals: number[] = [];
      await trainMlp(
        { train: split },
        {
          hiddenLayers: [2],
          activation: 'relu',
          dropout: 0,
          learningRate: 0.01,
          batchSize: 16,
          epochs: 1,
          optimizer: 'adam',
          seed: 1,
        },
        { engine: 'cpu-fused', onProgress: (p) => totals.push(p.totalBatches) },
      );
      return totals[0];
    };
    // 6 balanced batches of 8 + 8 rows, against ceil(100 / 16) = 7 plain ones.
    expect(await batchesOf({ ...train, groups })).toBe(6);
    expect(await batchesOf(train)).toBe(7);
  });

  it('is not used for one symbol', () => {
    expect(BalancedBatches.create(new Int32Array(50), 16)).toBeNull();
  });
});

describe('training on several symbols', () => {
  it('reports test metrics per symbol that add up to the overall ones', async () => {
    const data = prepareMultiSymbolData(
      [
        { symbol: 'AAPL', input: aapl },
        { symbol: 'MSFT', input: msft },
      ],
      strategy,
    );
    const part = (range: (typeof data.split)['train']) => ({
      ...sliceRows(data, range),
      features: data.columns.length,
    });
    const result = await trainMlp(
      { train: part(data.split.train), validation: part(data.split.validation), test: part(data.split.test) },
      {
        hiddenLayers: [4],
        activation: 'relu',
        dropout: 0,
        learningRate: 0.01,
        batchSize: 16,
        epochs: 2,
        optimizer: 'adam',
        seed: 1,
      },
      { engine: 'cpu-fused' },
    );
    const [first, second] = result.testByGroup!;
    expect(first!.samples + second!.samples).toBe(result.test!.samples);
    const correct = first!.accuracy * first!.samples + second!.accuracy * second!.samples;
    expect(correct / result.test!.samples).toBeCloseTo(result.test!.accuracy, 10);
  });
});
