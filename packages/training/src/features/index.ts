export { barCount, PRICE_SOURCES, priceSeries, type OhlcvColumns, type PriceSource } from './ohlcv';
export type { FeatureMatrix } from './feature-matrix';
export {
  FEATURE_SPEC_FORMAT,
  featureColumnNames,
  fuzzyColumnName,
  laggedColumnName,
  type FeatureSpec,
} from './feature-spec';
export { applyScaler, fitScaler, type FittedScaler } from './scaler';
export { applyFeatureSpec, buildFeatures, type BuiltFeatures } from './build-features';
export { prepareTrainingData, sliceRows, type TrainingData, type TrainingSlice } from './training-data';
