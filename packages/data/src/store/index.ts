/**
 * The CSV store: the Python KTRDR layout, atomic writes, a columnar cache, and reads in the data
 * API's answer shape. Also published on its own as `@ktrdr/data/store`, which loads no zod and no
 * IB client, for tools that only read stored bars and must start fast.
 */
export { CsvStore } from './csv-store';
export type {
  CsvStoreOptions,
  SeriesOptions,
  LoadOptions,
  LoadedSeries,
  SavedSeries,
  SeriesRange,
  SeriesInfo,
} from './csv-store';
export { CSV_HEADER, parseBarsCsv, parseBarsCsvFile, type ParsedBarsCsv, type TornLine } from './csv-parse';
export type {
  StoreWarning,
  StoreWarningCode,
  TornRowWarning,
  UnreadableNoDataMemoryWarning,
} from './store-warning';
export { DEFAULT_LOCK_STALE_MS, DEFAULT_LOCK_TIMEOUT_MS, type SeriesLockOptions } from './series-lock';
export { formatBarsCsv } from './csv-format';
export type { CsvStamp, CacheSummary } from './column-cache';
export { CACHE_VERSION, readColumnCache, readCacheSummary, writeColumnCache, stampOf } from './column-cache';
export type { AtomicWriteIo, AtomicWriteOptions } from './atomic-write';
export { writeFileAtomic, nodeIo, TEMP_PREFIX } from './atomic-write';
export { KeyedMutex, seriesLocks } from './keyed-mutex';
export type { FileVersion, HotCacheOptions, SeriesMemo } from './hot-series-cache';
export type { SeriesPaths } from './series-paths';
export {
  SIMULATED_DIR,
  SIMULATED_MARKER_FILE,
  SIMULATED_MARKER_TEXT,
  seriesFileName,
  resolveSeriesPaths,
  parseSeriesFileName,
} from './series-paths';
export {
  readStoredBars,
  readStoredBarsJson,
  renderStoredBars,
  type RenderedStoredBars,
  type StoredBarsFormat,
  selectStoredBars,
  readStoredSeries,
  type StoredBarsAnswer,
  type StoredBarsQuery,
  type StoredBarsWarning,
} from './stored-bars';
export { toWireBars, fromWireBars, wireBarsJson, type WireBar } from '../host-service/wire-bars';
