export type {
  Activation,
  DecisionsConfig,
  FuzzyInputConfig,
  IndicatorConfig,
  LearningRateSchedule,
  ModelConfig,
  OptimizerName,
  StrategyConfig,
  StrategyTrainingData,
  TrainingSectionConfig,
} from './types';
export type { StrategyProblem } from './problems';
export { DEFAULT_MODEL, DEFAULT_TRAINING } from './defaults';
export { loadStrategyFile, parseStrategy } from './parse-strategy';
export { STRATEGY_NAME_PATTERN } from './strategy-name';
export { loadNamedStrategy, strategyFileName } from './named-strategy';
