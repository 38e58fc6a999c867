/**
 * @trailwarden/core — the model, the plugin API and the evaluation engine. This is the one entry
 * point plugins import from; everything exported here is public API (see docs/plugin-api.md).
 */
export * from './model/known.js';
export * from './model/errors.js';
export * from './model/snapshot.js';
export * from './model/result.js';
export * from './plugin/api.js';
export { assertReporterOptions, loadPlugin, registerPluginModule, requiredOptions, validateCheck, validateReporter, type LoadedPlugin } from './plugin/loader.js';
export { CHECK_ID_PATTERN } from './plugin/metadata-schema.js';
export {
  COLLECT_PLACEMENTS,
  DENIED_READS,
  PLACEMENT_SECTION,
  PLACEMENT_VARIABLES,
  READ_ONLY_OPERATION,
  collectRequests,
  declarationHash,
  declarationProblem,
  extensionKey,
  fillInput,
  parseCommand,
  variablesOf,
  type ExtensionPlace,
  type ExtensionRequest,
} from './plugin/collect-declaration.js';
export {
  ALLOWED_ACTIONS,
  REFUSED_ACTIONS,
  collectionProblem,
  collectionVerdict,
  iamPrefixForClient,
  iamPrefixForServiceId,
  type CollectionVerdict,
} from './plugin/collection-policy.js';
export * from './selectors/evaluator.js';
export { describeStore, type LakeCoverage, lakeCoverage, lakeCoverageService, type StoreJudgement } from './lake/event-data-stores.js';
export { evaluate, compareFindings, DEFAULT_CHECK_TIMEOUT_MS, type EvaluateOptions, type LoadedCheck } from './engine/evaluate.js';
export { computeCoverage } from './engine/coverage.js';
export { formatMessage, describeTrails } from './engine/context.js';
export { CORE_MESSAGES, type CoreMessageId } from './engine/core-messages.js';
export { parseArn } from './engine/snapshot-index.js';
export * from './helpers/trail-qualification.js';
export { snapshotSchema } from './snapshot/schema.js';
export { validateSnapshot, readSnapshotFile } from './snapshot/io.js';
export { configSchema, FAIL_ON_LEVELS, type FailOn } from './config/schema.js';
export { loadConfig, parseConfig, CONFIG_FILE_NAMES, type TrailwardenConfig, type LoadedConfig, type CheckSetting } from './config/config.js';
export { applyExceptions, isExpired, daysLeft, EXPIRING_SOON_DAYS, type ExceptionRule } from './config/exceptions.js';
export { assertExceptionAccounts, assertExceptionChecks } from './config/exception-targets.js';
export { boundResult } from './engine/bounds.js';
export { MAX_REPORT_STRING_CHARS, capString, terminalSafe, wellFormed } from './util/text-safety.js';
export { selectChecks } from './config/selection.js';
export { DEFAULT_CATALOGUE, catalogueOf, frameworkReports, controlsOf, compareControlIds, type Catalogue, type FrameworkDefinition } from './catalogue/catalogue.js';
export { BUILTIN_PACKS, UNKNOWN_CONTROL_TITLE, findPack, frameworksOf, frameworksOfCheck, packProblems, resolvePacks, type PackCheck } from './packs/packs.js';
export { AUTOMATIONS, automationLine, packAutomation, type Automation, type FrameworkPack, type PackAutomation, type PackControl } from './packs/types.js';
export { STATUS_ORDER, compareStatus, worstStatus } from './model/status-order.js';
export { summarize, summaryOf, emptyStatusCounts, WORST_CHECK_STATUSES, type ScanSummary, type WorstCheck } from './summary/summary.js';
export { README_REGION_END, README_REGION_START, readmeReference, renderReadmeReference, withReadmeReference } from './docs/check-readme.js';
export { renderCheckDoc, renderCheckIndex, checkDocFileName, schemaType, type CheckDocOptions, type DocumentedCheck } from './docs/check-doc.js';
export { InputError, isInputError } from './util/errors.js';
export { fingerprint, stableStringify, compareStrings, globToRegExp } from './util/stable.js';
export { createAjv, describeAjvErrors, optionsSchemaKey, registerPrecompiledOptionValidators } from './util/ajv.js';
export { type GlobMatcher, globMatch, globMatcher } from './util/glob.js';
export { closest, didYouMean } from './util/suggest.js';
export * from './monitoring/index.js';
export type { SnapshotShard } from './model/shard.js';
export { shardOf, selectionDigest, MAX_SHARDS } from './shard/assign.js';
export { mergeSnapshotParts, type MergeOptions, type MergeOutcome } from './shard/merge.js';
export { writeSnapshotFile, type AccountEntries } from './snapshot/write.js';
