/**
 * The public surface of `@ktrdr/training`: strategies, indicators, fuzzy features and labels; the
 * MLP trainer (worker threads, seeded), model storage, ONNX export and inference; and the async
 * training chain `TrainingService -> TrainingManager -> TrainingAdapter -> transport`.
 */
export {
  type Activation,
  type DecisionsConfig,
  type FuzzyInputConfig,
  type IndicatorConfig,
  type LearningRateSchedule,
  type ModelConfig,
  type OptimizerName,
  type StrategyConfig,
  type StrategyTrainingData,
  type TrainingSectionConfig,
  type StrategyProblem,
  DEFAULT_MODEL,
  DEFAULT_TRAINING,
  loadStrategyFile,
  parseStrategy,
  STRATEGY_NAME_PATTERN,
  loadNamedStrategy,
  strategyFileName,
} from './strategy/index';
export {
  SAMPLE_STRATEGY_FILE,
  bundledStrategiesDir,
  sampleStrategyPath,
} from './strategy/bundled-strategies';
export {
  type IndicatorDefinition,
  type IndicatorOutputs,
  type IndicatorParams,
  type ParamKind,
  type ParamSpec,
  type ParamValue,
  computeIndicator,
  findIndicator,
  indicatorNames,
  listIndicators,
  adx,
  type AdxLines,
  atr,
  natr,
  trueRange,
  bollingerBands,
  type BollingerLines,
  cci,
  ema,
  macd,
  type MacdLines,
  momentum,
  obv,
  roc,
  rsi,
  sma,
  stochastic,
  type StochasticLines,
  vwap,
  williamsR,
  zigzag,
  zigzagPivots,
  type ZigzagPivots,
  adLine,
  aroon,
  type AroonLines,
  cmf,
  distanceFromMa,
  MA_TYPES,
  donchianChannels,
  type DonchianLines,
  fisherTransform,
  type FisherLines,
  ichimoku,
  type IchimokuLines,
  keltnerChannels,
  type KeltnerLines,
  mfi,
  parabolicSar,
  rvi,
  type RviLines,
  superTrend,
  type SuperTrendLines,
  volumeRatio,
} from './indicators/index';
export {
  type FuzzySetDefinition,
  type MembershipType,
  gaussianMembership,
  trapezoidalMembership,
  triangularMembership,
  evaluateMembership,
  MEMBERSHIP_PARAMETERS,
  MEMBERSHIP_TYPES,
  membershipParameterProblem,
} from './fuzzy/index';
export {
  barCount,
  PRICE_SOURCES,
  priceSeries,
  type OhlcvColumns,
  type PriceSource,
  type FeatureMatrix,
  FEATURE_SPEC_FORMAT,
  featureColumnNames,
  fuzzyColumnName,
  laggedColumnName,
  timeframeColumnNames,
  type FeatureSpec,
  type TimeframeFeatureSpec,
  applyScaler,
  fitScaler,
  type FittedScaler,
  applyFeatureSpec,
  buildFeatures,
  type BuiltFeatures,
  type FeatureInput,
  lastClosedIndex,
  type TimeframeSeries,
  timeframeParts,
  prepareMultiSymbolData,
  prepareTrainingData,
  type SymbolInput,
  sliceRows,
  type TrainingData as PreparedTrainingData,
  type TrainingSlice,
} from './features/index';
export {
  countLabels,
  SIGNAL_BUY,
  SIGNAL_HOLD,
  SIGNAL_NAMES,
  SIGNAL_SELL,
  type LabelCounts,
  type SignalClass,
  zigzagLabels,
  chronologicalSplit,
  type DataSplit,
  type RowRange,
  type SplitFractions,
} from './labels/index';
export { TF_BACKENDS, TF_BACKEND_ENV, type TfBackendName } from './backend/tf-backend-names';
export { selectTfBackend, type SelectedTfBackend } from './backend/select-tf-backend-public';
export {
  ACTIVATIONS,
  OPTIMIZERS,
  validateMlpConfig,
  learningRateForEpoch,
  type MlpConfig,
  type EarlyStoppingConfig,
} from './model/mlp-config';
export type { DatasetSplit, TrainingData } from './model/dataset';
export type { DenseLayerWeights, MlpWeights, SymbolEmbeddingWeights } from './model/mlp-weights';
export type { ClassificationMetrics } from './trainer/classification-metrics';
export type { EngineName } from './trainer/mlp-engine';
export type { KernelPreference } from './trainer/fused/fused-mlp-engine';
export { TRAINING_THREADS_ENV, type TrainingThreads } from './trainer/fused/training-threads';
export { CLASS_LABELS, CLASS_INDEX, type ClassLabel } from './model/class-labels';
export {
  predict,
  predictColumns,
  releasePredictor,
  type ColumnarPredictInput,
  type ColumnarPrediction,
  type PredictableModel,
  type PredictInput,
  type PredictOptions,
  type PredictRuntime,
  type PredictionResult,
  type RowPrediction,
} from './onnx/predict';
export { trainMlp } from './trainer/train-mlp';
export type {
  EpochMetrics,
  BatchProgress,
  EpochProgress,
  TrainingProgress as TrainerProgress,
  TrainMlpOptions,
  TrainingResult,
} from './trainer/training-types';
export {
  exportMlpToOnnx,
  ONNX_INPUT,
  ONNX_SYMBOL_INPUT,
  ONNX_OUTPUT,
  ONNX_OPSET,
  type OnnxExportOptions,
} from './onnx/onnx-export';
export { OnnxMlpSession, onnxSessionOptions, type OnnxSessionOptions } from './onnx/onnx-session';
export {
  ModelStore,
  MODEL_FILES,
  MODELS_DIR_ENV,
  type FeatureInfo,
  type ModelStoreOptions,
  type SaveModelInput,
  type StoredModelInfo,
  type LoadedModel,
  type ModelMetadata,
  type TrainedOn,
} from './storage/model-store';
export type { ModelKey } from './storage/model-names';
export { ModelCorruptError } from './storage/model-corrupt-error';
export {
  concurrencyFromEnv,
  TRAINING_CONCURRENCY_ENV,
  TrainingWorkerPool,
  type TrainingWorkerPoolOptions,
  type TrainingTask,
  type TrainingTaskStatus,
  type SubmitOptions,
} from './worker/training-worker-pool';
export type {
  TrainingJob,
  TrainingJobCheckpoint,
  TrainingJobOutcome,
  TrainingJobSave,
} from './worker/worker-protocol';
export {
  exportModelBundle,
  importModelBundle,
  MAX_MODEL_BUNDLE_BYTES,
  MODEL_BUNDLE_FILES,
  MODEL_BUNDLE_FORMAT,
  type ImportModelBundleOptions,
  type ModelBundle,
  type ModelBundleFile,
} from './storage/model-bundle';
export {
  CHECKPOINT_FILE,
  deserializeCheckpoint,
  FileCheckpointStore,
  serializeCheckpoint,
} from './trainer/checkpoint-store';
export {
  DEFAULT_CHECKPOINT_EVERY,
  type CheckpointOptions,
  type CheckpointStore,
  type LoopState,
  type OptimizerState,
  type OptimizerTensor,
  type TrainingCheckpoint,
} from './trainer/training-checkpoint';
export {
  TRAINING_SESSION_STATUSES,
  trainingHostContract,
  trainingSessionSchema,
  startTrainingInputSchema,
  type StartTrainingInput,
  type TrainingHostContract,
  type TrainingProgress,
  type TrainingSessionInfo,
  type TrainingSessionStatus,
} from './contract/training-host-contract';
export { createTrainingHostService } from './host-service/create-training-host-service';
export {
  CHECKPOINTS_FOLDER,
  TrainingSessions,
  checkpointDir,
  type LoadBars,
  type SessionBars,
  type TrainingSessionsOptions,
} from './session/training-sessions';
export {
  mlpConfigFromStrategy,
  type StrategySource,
  type TrainingOverrides,
} from './session/strategy-to-mlp';
export { TrainingAdapter, type TrainingAdapterTransportOptions } from './adapter/training-adapter';
export {
  TrainingManager,
  operationProgressOf,
  type RunTrainingOptions,
  type TrainingManagerOptions,
} from './manager/training-manager';
export {
  TrainingService,
  createLocalTrainer,
  type PredictRequest,
  type TrainOutcome,
  type TrainRequest,
  type TrainingServiceOptions,
} from './service/training-service';
export { formatModelName, parseModelName, type ModelRef } from './storage/model-names';
export type { TrainingSummary } from './service/training-summary';
export {
  trainingApiContract,
  modelSummarySchema,
  predictionResultSchema,
  strategyIndicatorsSchema,
  type BarPredictions,
  type ModelSummary,
  type StrategyIndicators,
  type TrainingApiContract,
} from './contract/training-api-contract';
export {
  INDICATOR_WARMUP_BARS,
  strategyIndicatorColumns,
  type IndicatorColumn,
  type StrategyIndicatorColumns,
} from './strategy/strategy-indicator-columns';
export { createTrainingApiService, type TrainingApiServiceOptions } from './api/create-training-api-service';
