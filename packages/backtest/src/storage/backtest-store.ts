import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { NotFoundError } from '@ktrdr/core';
import type { BacktestSummary } from '../contract/backtest-schemas';
import { BACKTEST_ID_PATTERN, validateBacktestId } from './backtest-id';
import {
  BACKTEST_FILES,
  type EquityCurve,
  SIMULATED_BACKTEST_TEXT,
  type TradeJson,
  equityCsv,
  parseEquityCsv,
  tradesCsv,
} from './backtest-files';

/** What one backtest stores. */
export interface StoredBacktest {
  summary: BacktestSummary;
  trades: TradeJson[];
  curve: EquityCurve;
}

/** A backtest folder that could not be read. */
export interface BacktestProblem {
  backtest_id: string;
  message: string;
}

/** The folder backtests are kept in by default: `backtests` beside the models folder. */
export function defaultBacktestsDir(modelsDir: string): string {
  return path.join(path.dirname(path.resolve(modelsDir)), 'backtests');
}

/**
 * Backtests on disk: `{root}/{backtest_id}/` with `trades.csv`, `trades.json`, `equity.csv` and
 * `metrics.json` (the summary: settings, metrics, buy-and-hold), plus `README-SIMULATED.txt` when
 * the bars were simulated. A backtest is written to a hidden folder and renamed into place, so a
 * listed backtest is always complete; ids are validated, so none names a path outside `root`.
 */
export class BacktestStore {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** Stores one backtest under its summary's id. */
  async save(backtest: StoredBacktest): Promise<void> {
    const id = validateBacktestId(backtest.summary.backtest_id);
    await mkdir(this.root, { recursive: true });
    const temp = path.join(this.root, `.${id}.${randomBytes(4).toString('hex')}.tmp`);
    await mkdir(temp);
    try {
      const { simulated } = backtest.summary;
      await writeFile(path.join(temp, BACKTEST_FILES.trades), tradesCsv(backtest.trades, simulated));
      await writeFile(
        path.join(temp, BACKTEST_FILES.tradesJson),
        `${JSON.stringify({ backtest_id: id, simulated, trades: backtest.trades }, null, 2)}\n`,
      );
      await writeFile(path.join(temp, BACKTEST_FILES.equity), equityCsv(backtest.curve, simulated));
      if (simulated)
        await writeFile(path.join(temp, BACKTEST_FILES.simulatedMarker), SIMULATED_BACKTEST_TEXT);
      await writeFile(
        path.join(temp, BACKTEST_FILES.metrics),
        `${JSON.stringify(backtest.summary, null, 2)}\n`,
      );
      await rename(temp, path.join(this.root, id));
    } catch (error) {
      await rm(temp, { recursive: true, force: true });
      throw error;
    }
  }

  /** Every stored backtest, newest first, and the folders that could not be read. */
  async list(): Promise<{ backtests: BacktestSummary[]; problems: BacktestProblem[] }> {
    const names = await readdir(this.root).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    const backtests: BacktestSummary[] = [];
    const problems: BacktestProblem[] = [];
    for (const name of names
      .filter((n) => BACKTEST_ID_PATTERN.test(n))
      .sort()
      .reverse()) {
      try {
        backtests.push(await this.summary(name));
      } catch (error) {
        problems.push({ backtest_id: name, message: `${name}: ${(error as Error).message}` });
      }
    }
    // Newest first, to the millisecond: ids share their second and end in random hex.
    backtests.sort((a, b) => b.created_at.localeCompare(a.created_at));
    return { backtests, problems };
  }

  /**
   * One backtest in full.
   * @throws ValidationError for a malformed id; NotFoundError when there is no such backtest.
   */
  async load(id: string): Promise<StoredBacktest> {
    const summary = await this.summary(validateBacktestId(id));
    const dir = path.join(this.root, id);
    const [trades, equity] = await Promise.all([
      readFile(path.join(dir, BACKTEST_FILES.tradesJson), 'utf8'),
      readFile(path.join(dir, BACKTEST_FILES.equity), 'utf8'),
    ]);
    return {
      summary,
      trades: (JSON.parse(trades) as { trades: TradeJson[] }).trades,
      curve: parseEquityCsv(equity),
    };
  }

  private async summary(id: string): Promise<BacktestSummary> {
    let text: string;
    try {
      text = await readFile(path.join(this.root, id, BACKTEST_FILES.metrics), 'utf8');
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new NotFoundError(`No backtest ${id}: ktrdr backtest list shows the stored ones`, {
          details: { backtest_id: id },
          cause,
        });
      }
      throw cause;
    }
    try {
      return JSON.parse(text) as BacktestSummary;
    } catch {
      throw new Error(`${BACKTEST_FILES.metrics} is not valid JSON (a damaged file): run the backtest again`);
    }
  }
}
