import type { JsonValue, PolicyDocument } from '@trailwarden/core';

/**
 * Is a bucket policy public? An Allow statement is public when its principal is a wildcard (`*`,
 * `{"AWS": "*"}`, any principal value containing `*`, or an Allow with NotPrincipal) and no condition
 * pins it to a fixed value of one of the keys below. This follows S3's own definition of "public"
 * (S3 user guide, "The meaning of public": fixed values — no wildcard, no policy variable — of these
 * keys make a policy non-public), so the access-point delegation pattern
 * (`s3:DataAccessPointAccount` = the owner account) is not public.
 */

/** Condition keys that, with a fixed value, keep a wildcard principal from being public (lower case). */
export const PINNING_KEYS: readonly string[] = [
  'aws:sourcearn',
  'aws:sourceaccount',
  'aws:sourceowner',
  'aws:principalorgid',
  'aws:principalaccount',
  'aws:sourcevpce',
  'aws:sourcevpc',
  'aws:sourceip',
  'aws:userid',
  's3:dataaccesspointaccount',
  's3:dataaccesspointarn',
];

/** Operators that compare a single-valued key for equality (or a pattern, which must then be fixed). */
const STRING_OPERATORS = new Set(['stringequals', 'stringequalsignorecase', 'stringlike', 'arnequals', 'arnlike']);

export interface PublicStatement {
  /** Position in the Statement list, from 0. */
  index: number;
  sid?: string;
  principal: string;
  actions: string;
  /** Why it is public, in words. */
  why: string;
}

export interface PinnedStatement {
  index: number;
  sid?: string;
  /** The condition that pins it, e.g. `StringEquals aws:PrincipalOrgID`. */
  pinnedBy: string;
}

export type PolicyAnalysis =
  | { ok: true; publicStatements: PublicStatement[]; pinnedStatements: PinnedStatement[] }
  | { ok: false; reason: string };

type JsonObject = { [key: string]: JsonValue };

const isObject = (v: JsonValue | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const asList = (v: JsonValue | undefined): JsonValue[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** A value with no wildcard and no policy variable: it names one thing. */
export function isFixedValue(v: JsonValue): boolean {
  if (typeof v === 'number' || typeof v === 'boolean') return true;
  return typeof v === 'string' && v.length > 0 && !/[*?]/.test(v) && !v.includes('${');
}

/**
 * The two patterns S3 still counts as fixed: an access point ARN whose account is fixed
 * (`arn:aws:s3:us-east-1:111122223333:accesspoint/*`), and `aws:userid` as `<role id>:*` (every
 * session of one role).
 */
function fixedPattern(key: string, v: JsonValue): boolean {
  if (typeof v !== 'string' || v.includes('${')) return false;
  if (key === 's3:dataaccesspointarn') return /^arn:[a-z-]+:s3:[a-z0-9-]*:\d{12}:accesspoint\/[^:]*$/.test(v);
  if (key === 'aws:userid') return /^[A-Z0-9]+:\*$/.test(v);
  return false;
}

/** `0.0.0.0/0`, `::/0` (any /0) match every address, so they pin nothing. */
export function isUniversalCidr(v: JsonValue): boolean {
  return typeof v === 'string' && /\/0+$/.test(v.trim());
}

/** Analyse a bucket policy as the collector stored it (a parsed document, or the raw text if it did not parse). */
export function analyseBucketPolicy(doc: PolicyDocument): PolicyAnalysis {
  if (typeof doc === 'string') {
    return { ok: false, reason: `the bucket policy is not valid JSON (text begins ${JSON.stringify(doc.slice(0, 60))})` };
  }
  if (!isObject(doc)) return { ok: false, reason: `the bucket policy is not a JSON object (got ${describeType(doc)})` };
  const raw = doc.Statement;
  if (raw !== undefined && !isObject(raw) && !Array.isArray(raw)) {
    return { ok: false, reason: `the bucket policy's Statement is ${describeType(raw)}, not an object or a list` };
  }
  const publicStatements: PublicStatement[] = [];
  const pinnedStatements: PinnedStatement[] = [];
  const statements = asList(raw);
  for (const [index, st] of statements.entries()) {
    if (!isObject(st)) return { ok: false, reason: `statement #${index + 1} of the bucket policy is ${describeType(st)}, not an object` };
    if (st.Effect !== 'Allow') continue;
    const sid = typeof st.Sid === 'string' && st.Sid !== '' ? st.Sid : undefined;
    const principal = wildcardPrincipal(st);
    if (principal === undefined) continue;
    const condition = st.Condition;
    if (condition !== undefined && !isObject(condition)) {
      return { ok: false, reason: `statement ${label(index, sid)} has a Condition that is ${describeType(condition)}, not an object` };
    }
    const pin = condition === undefined ? { pinnedBy: undefined } : pinningCondition(condition);
    if ('malformed' in pin) return { ok: false, reason: `statement ${label(index, sid)}: ${pin.malformed}` };
    if (pin.pinnedBy !== undefined) {
      pinnedStatements.push({ index, ...(sid ? { sid } : {}), pinnedBy: pin.pinnedBy });
      continue;
    }
    const actions = describeActions(st);
    publicStatements.push({
      index,
      ...(sid ? { sid } : {}),
      principal,
      actions,
      why: `statement ${label(index, sid)} allows ${actions} to ${principal} with no condition pinning it to a fixed account, organization, source, VPC or IP range`,
    });
  }
  return { ok: true, publicStatements, pinnedStatements };
}

/** The wildcard principal of an Allow statement, described, or undefined when it names fixed principals. */
function wildcardPrincipal(st: JsonObject): string | undefined {
  if (st.NotPrincipal !== undefined) return `everyone except the NotPrincipal list`;
  const p = st.Principal;
  if (p === '*') return 'Principal "*"';
  if (!isObject(p)) return undefined;
  for (const [kind, values] of Object.entries(p)) {
    const wild = asList(values).find((v) => typeof v === 'string' && v.includes('*'));
    if (wild !== undefined) return `Principal {"${kind}": ${JSON.stringify(wild)}}`;
  }
  return undefined;
}

/**
 * The first condition that pins a statement to fixed values (conditions are ANDed, so one is
 * enough). Operators that hold when the key is absent (`...IfExists`, `ForAllValues:`), negated
 * operators and `Null` never pin: an anonymous request simply lacks the key or has another value.
 */
function pinningCondition(condition: JsonObject): { pinnedBy: string | undefined } | { malformed: string } {
  for (const [operator, block] of Object.entries(condition)) {
    if (!isObject(block)) return { malformed: `condition operator ${operator} maps to ${describeType(block)}, not an object` };
    const lower = operator.toLowerCase();
    if (lower.startsWith('forallvalues:') || lower.endsWith('ifexists')) continue;
    const base = lower.replace(/^foranyvalue:/, '');
    for (const [key, values] of Object.entries(block)) {
      const k = key.toLowerCase();
      if (!PINNING_KEYS.includes(k)) continue;
      const list = asList(values);
      if (list.length === 0) continue;
      const pins =
        k === 'aws:sourceip'
          ? base === 'ipaddress' && list.every((v) => isFixedValue(v) && !isUniversalCidr(v))
          : STRING_OPERATORS.has(base) && list.every((v) => isFixedValue(v) || fixedPattern(k, v));
      if (pins) return { pinnedBy: `${operator} ${key}` };
    }
  }
  return { pinnedBy: undefined };
}

function describeActions(st: JsonObject): string {
  if (st.NotAction !== undefined) return `every action except ${asList(st.NotAction).map(String).join(', ')}`;
  const actions = asList(st.Action).map(String);
  return actions.length === 0 ? '(no action)' : actions.join(', ');
}

function label(index: number, sid: string | undefined): string {
  return sid ? `"${sid}" (#${index + 1})` : `#${index + 1}`;
}

function describeType(v: JsonValue | undefined): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'string' ? 'a string' : `a ${typeof v}`;
}
