export {
  barCount,
  PRICE_SOURCES,
  priceSeries,
  type OhlcvColumns,
  type PriceSource,
} from '../indicators/ohlcv';
export type { FeatureMatrix } from './feature-matrix';
export { fuzzyColumnName } from '../strategy/fuzzy-column-name';
export {
  FEATURE_SPEC_FORMAT,
  featureColumnNames,
  laggedColumnName,
  timeframeColumnNames,
  type FeatureSpec,
  type TimeframeFeatureSpec,
} from './feature-spec';
export { applyScaler, fitScaler, type FittedScaler } from './scaler';
export { applyFeatureSpec, buildFeatures, type BuiltFeatures, type FeatureInput } from './build-features';
export { lastClosedIndex, type TimeframeSeries } from './timeframe-alignment';
export { timeframeParts } from './timeframe-parts';
export {
  prepareMultiSymbolData,
  prepareTrainingData,
  sliceRows,
  type SymbolInput,
  type TrainingData,
  type TrainingSlice,
} from './training-data';
