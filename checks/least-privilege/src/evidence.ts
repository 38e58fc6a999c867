import type { JsonValue } from '@trailwarden/core';
import type { Decision, Principal, StatementRef, UndecidedCondition } from '@trailwarden/iam';
import type { Target } from './targets.js';

export function statementEvidence(s: StatementRef): JsonValue {
  const out: Record<string, JsonValue> = { policyType: s.type, policy: s.name, effect: s.effect, index: s.index };
  if (s.arn !== undefined) out.policyArn = s.arn;
  if (s.via !== undefined) out.via = s.via;
  if (s.sid !== undefined) out.sid = s.sid;
  return out;
}

export function conditionEvidence(c: UndecidedCondition): JsonValue {
  const out: Record<string, JsonValue> = { requirement: c.requirement, operator: c.operator, key: c.key, values: c.values };
  if (c.note !== undefined) out.note = c.note;
  if (c.statement) out.statement = statementEvidence(c.statement);
  return out;
}

/**
 * The grants behind a principal's tamper actions, grouped: actions on the same resource decided by
 * the same statements (and conditions) share one entry, so an administrator's evidence stays short.
 * One grouper per evaluation: its memo tables (object patterns, statement keys) die with it.
 */
export function createGrantsEvidence(): (hits: { d: Decision; t: Target }[]) => JsonValue[] {
  const objectPatterns = new WeakMap<Target, string>();
  const hitResource = (d: Decision, t: Target): string => {
    if (t.kind !== 'object') return d.resource;
    let pattern = objectPatterns.get(t);
    if (pattern === undefined) {
      pattern = t.resource.arn.replace(/\/[^/]*$/, '/*');
      objectPatterns.set(t, pattern);
    }
    return pattern;
  };

  const hitEvidence = (d: Decision, t: Target): Record<string, JsonValue> => {
    const out: Record<string, JsonValue> = {
      resource: hitResource(d, t),
      resourceKind: t.kind,
      decision: d.decision,
      statements: d.statements.map(statementEvidence),
    };
    if (d.decision === 'allowed' && d.statements.length === 0) out.reason = d.reason;
    if (d.conditions.length > 0) out.allowedIf = d.conditions.map(conditionEvidence);
    return out;
  };

  // Statement references are immutable and shared by every decision they take part in: each gets
  // a short key for its evidence text once (equal texts, equal keys; the text itself beyond a bound).
  const statementKeys = new WeakMap<StatementRef, string>();
  const keyOfText = new Map<string, string>();
  const statementKey = (s: StatementRef): string => {
    let k = statementKeys.get(s);
    if (k === undefined) {
      const text = JSON.stringify(statementEvidence(s));
      k = keyOfText.get(text);
      if (k === undefined) {
        k = keyOfText.size < 100_000 ? String(keyOfText.size) : text;
        if (keyOfText.size < 100_000) keyOfText.set(text, k);
      }
      statementKeys.set(s, k);
    }
    return k;
  };

  /** A text equal for two hits exactly when their evidence bodies (`hitEvidence`) are equal. */
  const hitKey = (d: Decision, t: Target): string => {
    let key = `${hitResource(d, t)}\u0000${t.kind}\u0000${d.decision}`;
    for (const s of d.statements) key += `\u0000${statementKey(s)}`;
    if (d.decision === 'allowed' && d.statements.length === 0) key += `\u0001${d.reason}`;
    if (d.conditions.length > 0) key += `\u0002${JSON.stringify(d.conditions.map(conditionEvidence))}`;
    return key;
  };

  return (hits) => {
    const groups = new Map<string, { actions: string[]; hit: { d: Decision; t: Target } }>();
    for (const h of hits) {
      const key = hitKey(h.d, h.t);
      const g = groups.get(key);
      if (g) g.actions.push(h.d.action);
      else groups.set(key, { actions: [h.d.action], hit: h });
    }
    return [...groups.values()].map((g) => ({ actions: g.actions.sort(), ...hitEvidence(g.hit.d, g.hit.t) }));
  };
}

export function principalType(p: Principal): string {
  return { user: 'AWS::IAM::User', role: 'AWS::IAM::Role', root: 'AWS::::Account', external: 'AWS::IAM::Principal' }[p.kind];
}

/** "a, b, c and 4 more" */
export function summarize(items: string[], max = 5): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** Plain words for the undecided conditions of decisions, deduplicated: `aws:SourceIp NotIpAddress 10.0.0.0/8 must not hold`. */
export function describeConditions(decisions: Decision[]): string[] {
  const out = new Set<string>();
  for (const d of decisions) {
    for (const c of d.conditions) {
      if (c.note) out.add(c.note);
      else out.add(`${c.key} ${c.operator} ${c.values.join('|')}${c.requirement === 'must-not-hold' ? ' must not hold (a Deny)' : ''}`);
    }
  }
  return [...out].sort();
}
