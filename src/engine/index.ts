/** The policy engine: config, waivers, inline ignores, severities, exit code. */
export {
  CONFIG_FILE_NAMES,
  type Config,
  ConfigError,
  DEFAULT_FAIL_ON,
  emptyConfig,
  loadConfig,
  parseConfig,
  type ParseConfigOptions,
  resolveFailOn,
  type RuleSetting,
  type Waiver,
} from './config.js';
export {
  buildIgnoreIndex,
  findSuppression,
  forDockerfile,
  type IgnoreComment,
  type IgnoreIndex,
  type IgnoreSource,
  NO_REASON,
  type StatementRange,
  type Suppression,
} from './ignores.js';
export { applyPolicy, enabledRules, excludeMatcher, exitCode, isExpired, type PolicyInput, type PolicyOptions, waiverNotices } from './policy.js';
