import type { RequestContext } from './context.js';
import { ipInCidr } from './ip.js';
import type { BaseOperator, CompiledCondition } from './policy.js';
import { arnMatches, matchesWildcard } from './wildcard.js';

/** A condition the engine could not decide statically, as written in the policy. */
export interface UndecidedClause {
  operator: string;
  key: string;
  values: string[];
}

/** `true`, `false`, or undecided: true exactly when all these clauses hold. */
export type Tri = boolean | UndecidedClause[];

const VARIABLE = /\$\{([^}]*)\}/g;
/** `${*}`, `${?}`, `${$}`: a Map, so `${constructor}` or `${__proto__}` never reach Object.prototype. */
const SPECIAL = new Map<string, string>([
  ['*', '*'],
  ['?', '?'],
  ['$', '$'],
]);

/**
 * Substitute policy variables (`${aws:username}`, `${aws:PrincipalTag/team}`, `${key, 'default'}`,
 * `${*}`). Returns the text, `null` when a variable is known absent (the value then matches
 * nothing, as in AWS), or `undefined` when a variable is unknown.
 */
export function substituteVariables(text: string, ctx: RequestContext): string | null | undefined {
  if (!text.includes('${')) return text;
  let state: 'ok' | 'absent' | 'unknown' = 'ok';
  const out = text.replace(VARIABLE, (whole, inner: string) => {
    const special = SPECIAL.get(inner);
    if (special !== undefined) return special;
    const m = /^\s*([^,\s]+)\s*(?:,\s*'([^']*)'\s*)?$/.exec(inner);
    if (!m) return whole;
    const v = ctx.get(m[1] as string);
    if (v.state === 'present' && v.values.length === 1) return v.values[0] as string;
    if (v.state === 'absent' && m[2] !== undefined) return m[2];
    if (v.state === 'absent') {
      if (state === 'ok') state = 'absent';
    } else state = 'unknown';
    return whole;
  });
  return state === 'ok' ? out : state === 'absent' ? null : undefined;
}

const NEGATED = new Set<BaseOperator>([
  'StringNotEquals',
  'StringNotEqualsIgnoreCase',
  'StringNotLike',
  'NumericNotEquals',
  'DateNotEquals',
  'NotIpAddress',
  'ArnNotEquals',
  'ArnNotLike',
]);

/** Operators whose policy values may hold policy variables. */
const VARIABLE_OPERATORS = new Set<string>(['String', 'Arn']);

function toNumber(s: string): number | undefined {
  if (s.trim() === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

function toTime(s: string): number | undefined {
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

function compare(a: number | undefined, b: number | undefined, op: string): boolean {
  if (a === undefined || b === undefined) return false;
  switch (op) {
    case 'Equals':
    case 'NotEquals':
      return a === b;
    case 'LessThan':
      return a < b;
    case 'LessThanEquals':
      return a <= b;
    case 'GreaterThan':
      return a > b;
    case 'GreaterThanEquals':
      return a >= b;
    default:
      return false;
  }
}

/** The positive form of an operator: does the request value `v` match the policy value `p`? */
function positiveMatch(base: BaseOperator, v: string, p: string): boolean {
  switch (base) {
    case 'StringEquals':
    case 'StringNotEquals':
      return v === p;
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase':
      return v.toLowerCase() === p.toLowerCase();
    case 'StringLike':
    case 'StringNotLike':
      return matchesWildcard(p, v);
    case 'ArnEquals':
    case 'ArnLike':
    case 'ArnNotEquals':
    case 'ArnNotLike':
      return arnMatches(p, v);
    case 'Bool':
      return v.toLowerCase() === p.toLowerCase();
    case 'BinaryEquals':
      return v === p;
    case 'IpAddress':
    case 'NotIpAddress':
      return ipInCidr(v, p);
    case 'Null':
      return false;
    default: {
      if (base.startsWith('Numeric')) return compare(toNumber(v), toNumber(p), base.slice('Numeric'.length));
      if (base.startsWith('Date')) return compare(toTime(v), toTime(p), base.slice('Date'.length));
      return false;
    }
  }
}

function clause(c: CompiledCondition): UndecidedClause[] {
  return [{ operator: c.operator, key: c.key, values: c.values }];
}

/** Evaluate one condition (operator, key, values) against the request context. */
export function evaluateCondition(c: CompiledCondition, ctx: RequestContext): Tri {
  const v = ctx.get(c.key);
  if (c.base === 'Null') {
    if (v.state === 'unknown') return clause(c);
    const isNull = v.state === 'absent';
    return c.values.some((x) => x.toLowerCase() === String(isNull));
  }
  const negated = NEGATED.has(c.base);
  if (v.state === 'absent') {
    if (c.ifExists || c.set === 'ForAllValues') return true;
    if (c.set === 'ForAnyValue') return false;
    return negated;
  }
  if (v.state === 'unknown') return clause(c);

  let policyValues: string[] = c.values;
  if (VARIABLE_OPERATORS.has(c.base.startsWith('Arn') ? 'Arn' : c.base.startsWith('String') ? 'String' : '')) {
    const resolved: string[] = [];
    for (const p of c.values) {
      const s = substituteVariables(p, ctx);
      if (s === undefined) return clause(c);
      if (s !== null) resolved.push(s);
    }
    policyValues = resolved;
  }
  const anyPolicy = (x: string) => policyValues.some((p) => positiveMatch(c.base, x, p));
  const element = (x: string) => (negated ? !anyPolicy(x) : anyPolicy(x));
  if (c.set === 'ForAllValues') return v.values.every(element);
  if (c.set === 'ForAnyValue') return v.values.some(element);
  return negated ? !v.values.some(anyPolicy) : v.values.some(anyPolicy);
}

/** AND of tri-state values: false wins, undecided clauses accumulate. */
export function andTri(a: Tri, b: Tri): Tri {
  if (a === false || b === false) return false;
  if (a === true) return b;
  if (b === true) return a;
  return [...a, ...b];
}

/** All conditions of a statement (AND across operators and keys). */
export function evaluateConditions(conditions: CompiledCondition[], ctx: RequestContext): Tri {
  let out: Tri = true;
  for (const c of conditions) {
    out = andTri(out, evaluateCondition(c, ctx));
    if (out === false) return false;
  }
  return out;
}
