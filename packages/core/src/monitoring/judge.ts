import type { JsonValue } from '../model/snapshot.js';
import type { MonitoringControl } from './controls.js';
import { matchEventPattern, parseEventPattern } from './event-pattern.js';
import { type FilterPattern, type Grouping, describeExpr, matchFilter, parseFilterPattern, topLevelConjuncts } from './filter-pattern.js';
import { ROUTINE_EVENT, type SampleEvent, asEventBridgeEvent } from './sample-events.js';

/** What a filter (or rule) does with a control's events. */
export interface CatchVerdict {
  /** Every event the control must catch matches. */
  catchesAll: boolean;
  /** Labels of the events it misses. */
  missed: string[];
  /** Why the misses happen, when it can be said simply (a condition those events fail). */
  why?: string;
  /** The pattern could not be judged (invalid, a regex, an unknown matcher, or not JSON-aware). */
  problem?: string;
  /** Remarks that do not change the verdict (later CIS additions missed, too broad, ambiguous grouping). */
  notes: string[];
}

/**
 * Judge a CloudWatch Logs metric filter pattern by meaning: it must match every event the control
 * must catch. Where `&&` and `||` are mixed without parentheses, an event counts only if both
 * groupings match it (AWS does not document which one applies).
 */
export function judgeFilterPattern(patternText: string, control: MonitoringControl): CatchVerdict {
  const pattern = parseFilterPattern(patternText);
  const notes: string[] = [];
  if (pattern.form === 'invalid') return { catchesAll: false, missed: labels(control.mustCatch), problem: `the pattern is not valid: ${pattern.reason}`, notes };
  if (pattern.form === 'space-delimited') {
    return { catchesAll: false, missed: labels(control.mustCatch), problem: 'the pattern is space-delimited (for text logs), not JSON-aware: it cannot address CloudTrail fields', notes };
  }
  if (pattern.form === 'terms' && control.needsJson) {
    return { catchesAll: false, missed: labels(control.mustCatch), problem: `the pattern matches words, not JSON fields (not JSON-aware), so it cannot express that ${control.needsJson}`, notes };
  }
  const groupings: Grouping[] = pattern.form === 'json' && pattern.ambiguous ? ['standard', 'left'] : ['standard'];
  if (groupings.length > 1) notes.push('the pattern mixes && and || without parentheses; it was judged under both groupings');
  if (pattern.form === 'terms') notes.push('the pattern is not JSON-aware: it matches its words anywhere in an event, so it also fires on events that merely mention them');
  const missed: string[] = [];
  for (const event of control.mustCatch) {
    const r = matchAll(pattern, event.record, groupings);
    if (typeof r === 'object') return { catchesAll: false, missed: labels(control.mustCatch), problem: r.unsupported, notes };
    if (!r) missed.push(event.label);
  }
  const missedRecommended = (control.recommended ?? []).filter((e) => matchAll(pattern, e.record, groupings) !== true).map((e) => e.label);
  if (missedRecommended.length > 0) notes.push(`later CIS versions also watch ${missedRecommended.join(', ')}, which this pattern does not catch`);
  if (matchAll(pattern, ROUTINE_EVENT.record, groupings) === true) notes.push('it also matches routine activity (a successful DescribeTrails), so the alarm will be noisy');
  const verdict: CatchVerdict = { catchesAll: missed.length === 0, missed, notes };
  if (missed.length > 0) {
    const why = explainMiss(pattern, control.mustCatch.filter((e) => missed.includes(e.label)));
    if (why) verdict.why = why;
  }
  return verdict;
}

function matchAll(pattern: FilterPattern, record: JsonValue, groupings: Grouping[]): boolean | { unsupported: string } {
  let all = true;
  for (const g of groupings) {
    const r = matchFilter(pattern, record, g);
    if (typeof r === 'object') return r;
    all = all && r;
  }
  return all;
}

/** The top-level `&&` conditions the missed events fail, e.g. `$.eventSource = "ec2.amazonaws.com"`. */
function explainMiss(pattern: FilterPattern, missed: SampleEvent[]): string | undefined {
  const conjuncts = topLevelConjuncts(pattern);
  if (conjuncts.length < 2) return undefined;
  const failing = conjuncts.filter((c) => missed.some((e) => matchFilter({ form: 'json', root: c, ambiguous: false }, e.record) === false));
  if (failing.length === 0) return undefined;
  return `they do not satisfy ${failing.map(describeExpr).join(' and ')}`;
}

/** Judge an EventBridge rule's event pattern against the control's events (as EventBridge delivers them). */
export function judgeEventPattern(patternText: string, control: MonitoringControl): CatchVerdict {
  const parsed = parseEventPattern(patternText);
  const notes: string[] = [];
  if ('invalid' in parsed) return { catchesAll: false, missed: labels(control.mustCatch), problem: `the event pattern is not valid: ${parsed.invalid}`, notes };
  const missed: string[] = [];
  for (const event of control.mustCatch) {
    const r = matchEventPattern(parsed.pattern, asEventBridgeEvent(event.record));
    if ('unsupported' in r) return { catchesAll: false, missed: labels(control.mustCatch), problem: r.unsupported, notes };
    if (!r.matches) missed.push(event.label);
  }
  return { catchesAll: missed.length === 0, missed, notes };
}

const labels = (events: SampleEvent[]): string[] => events.map((e) => e.label);
