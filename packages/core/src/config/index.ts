/**
 * Configuration: explicit options over environment over defaults. Also published on its own as
 * `@ktrdr/core/config`, which loads no service machinery (no zod), for tools that start fast.
 */
export {
  CONFIG_DEFAULTS,
  ENVIRONMENT_VARIABLES,
  IB_PACING_POLICIES,
  loadConfig,
  type IbConfig,
  type IbPacingPolicy,
  type KtrdrConfig,
  type KtrdrConfigOptions,
  type TrainingConfig,
} from './config';
export { REDIS_URL_VARIABLE, resolveRedisUrl } from './redis-url';
