export { globMatch } from './glob.js';
export {
  MAX_FILTER_PATTERN_LENGTH,
  matchFilter,
  parseFilterPattern,
  type CompareOp,
  type FilterExpr,
  type FilterPattern,
  type FilterValue,
  type Grouping,
  type MatchResult,
} from './filter-pattern.js';
export { MAX_EVENT_PATTERN_LENGTH, matchEventPattern, parseEventPattern, type EventPatternResult } from './event-pattern.js';
export { ROUTINE_EVENT, apiCall, asEventBridgeEvent, consoleLogin, type SampleEvent } from './sample-events.js';
export { MONITORING_CONTROLS, monitoringControl, monitoringFrameworks, monitoringSubject, type MonitoringControl } from './controls.js';
export { judgeEventPattern, judgeFilterPattern, type CatchVerdict } from './judge.js';
