import type { JsonValue, LifecycleRule } from '@trailwarden/core';

/**
 * Which lifecycle rules delete CloudTrail log files too early. CloudTrail writes every log, digest
 * and Insights file under `<S3KeyPrefix>/AWSLogs/` (or `AWSLogs/` without a prefix), so a rule whose
 * prefix cannot overlap that does not touch the logs. Tag and object-size filters cannot be
 * resolved without listing the objects, so a rule with them is assumed to match (conservative).
 */

export interface RetentionOptions {
  /** Shortest acceptable lifetime of a log file, in days. */
  minimumRetentionDays: number;
}

export const DEFAULT_OPTIONS: RetentionOptions = { minimumRetentionDays: 365 };

/** Key prefixes under which a trail with this S3KeyPrefix writes (more than one when the prefix ends in `/`). */
export function logPrefixes(s3KeyPrefix: string | undefined): string[] {
  if (!s3KeyPrefix) return ['AWSLogs/'];
  const trimmed = s3KeyPrefix.replace(/\/+$/, '');
  return [...new Set([`${s3KeyPrefix}/AWSLogs/`, `${trimmed}/AWSLogs/`])];
}

export interface RuleScope {
  mayMatch: boolean;
  /** The rule's key prefix ('' when it has none). */
  prefix: string;
  /** Filters we could not resolve and assumed to match (tags, object size, unknown elements). */
  assumed: string[];
}

type JsonObject = { [key: string]: JsonValue };
const isObject = (v: JsonValue | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

const KNOWN_FILTER_ELEMENTS = new Set(['Prefix', 'Tag', 'Tags', 'And', 'ObjectSizeGreaterThan', 'ObjectSizeLessThan']);

/** Does the rule's filter (or legacy prefix) reach keys under any of these prefixes? */
export function ruleScope(rule: LifecycleRule, prefixes: string[]): RuleScope {
  const rulePrefixes: string[] = [];
  const assumed: string[] = [];
  if (typeof rule.prefix === 'string') rulePrefixes.push(rule.prefix);
  const visit = (f: JsonObject): void => {
    for (const [element, value] of Object.entries(f)) {
      if (element === 'Prefix' && typeof value === 'string') rulePrefixes.push(value);
      else if (element === 'Tag' || (element === 'Tags' && Array.isArray(value) && value.length > 0)) assumed.push('tag filter');
      else if (element === 'ObjectSizeGreaterThan' || element === 'ObjectSizeLessThan') assumed.push('object-size filter');
      else if (element === 'And' && isObject(value)) visit(value);
      else if (!KNOWN_FILTER_ELEMENTS.has(element) || element === 'And') assumed.push(`filter element ${element}`);
    }
  };
  if (isObject(rule.filter)) visit(rule.filter);
  // Several prefixes (legacy and filter) are ANDed; the longest decides.
  const prefix = rulePrefixes.reduce((a, b) => (b.length > a.length ? b : a), '');
  const overlaps = (p: string) => rulePrefixes.every((r) => p.startsWith(r) || r.startsWith(p));
  return { mayMatch: prefixes.length === 0 || prefixes.some(overlaps), prefix, assumed: [...new Set(assumed)].sort() };
}

export interface EarlyDeletion {
  rule: string;
  action: 'Expiration.Days' | 'Expiration.Date' | 'NoncurrentVersionExpiration.NoncurrentDays';
  /** Days for day-based actions, the ISO date for Expiration.Date. */
  value: number | string;
  text: string;
}

export interface LifecycleAssessment {
  earlyDeletions: EarlyDeletion[];
  /** Rules that were not held against the bucket, and why. */
  ignored: { rule: string; why: string }[];
  /** Rules that were assumed to reach the logs because a filter could not be resolved. */
  assumedMatching: { rule: string; filters: string[] }[];
}

const ruleName = (rule: LifecycleRule, index: number): string => (rule.id ? `"${rule.id}"` : `#${index + 1}`);

/**
 * Judge lifecycle rules (`null`: no lifecycle configuration). Only Enabled rules count. Expiration by
 * date deletes every matching log file on that date, however young, so any date fails; noncurrent
 * version expiration counts too, because it is what makes a deleted or overwritten log file
 * unrecoverable.
 */
export function assessLifecycle(rules: LifecycleRule[] | null, prefixes: string[], options: RetentionOptions, collectedAt: Date): LifecycleAssessment {
  const out: LifecycleAssessment = { earlyDeletions: [], ignored: [], assumedMatching: [] };
  const min = options.minimumRetentionDays;
  for (const [index, rule] of (rules ?? []).entries()) {
    const name = ruleName(rule, index);
    if (rule.status !== 'Enabled') {
      out.ignored.push({ rule: name, why: 'disabled' });
      continue;
    }
    const scope = ruleScope(rule, prefixes);
    if (!scope.mayMatch) {
      out.ignored.push({ rule: name, why: `its prefix "${scope.prefix}" cannot match log files under ${prefixes.join(' or ')}` });
      continue;
    }
    const found: EarlyDeletion[] = [];
    const days = rule.expiration?.days;
    if (typeof days === 'number' && days < min) {
      found.push({ rule: name, action: 'Expiration.Days', value: days, text: `rule ${name} expires log files after ${days} days` });
    }
    const date = rule.expiration?.date;
    if (typeof date === 'string') {
      const when = parseUtcDate(date);
      const day = Number.isNaN(when) ? date : new Date(when).toISOString().slice(0, 10);
      const taken = collectedAt.getTime();
      const text =
        Number.isNaN(when) || when <= taken
          ? `rule ${name} has expired every log file since ${day}, whatever its age`
          : when < taken + min * 86_400_000
            ? `rule ${name} expires every log file on ${day}, less than ${min} days after the snapshot was taken`
            : `rule ${name} expires every log file on ${day}, including those delivered less than ${min} days before`;
      found.push({ rule: name, action: 'Expiration.Date', value: date, text });
    }
    const noncurrent = rule.noncurrentVersionExpiration?.noncurrentDays;
    if (typeof noncurrent === 'number' && noncurrent < min) {
      found.push({
        rule: name,
        action: 'NoncurrentVersionExpiration.NoncurrentDays',
        value: noncurrent,
        text: `rule ${name} permanently deletes overwritten or deleted log file versions ${noncurrent} days after they become noncurrent`,
      });
    }
    if (found.length > 0 && scope.assumed.length > 0) out.assumedMatching.push({ rule: name, filters: scope.assumed });
    out.earlyDeletions.push(...found);
  }
  return out;
}

/** An ISO date or date-time; without a zone designator it is UTC (as S3 means it), not machine time. */
export function parseUtcDate(text: string): number {
  const t = text.trim();
  const zoneless = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/.exec(t);
  return Date.parse(zoneless ? `${zoneless[1]}T${zoneless[2]}Z` : t);
}
