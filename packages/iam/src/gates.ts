import type { Tri, UndecidedClause } from './conditions.js';
import type { StatementRef } from './policy.js';

/** A condition the engine could not decide, with the statement it comes from. */
export interface UndecidedCondition extends UndecidedClause {
  /** `must-hold`: an Allow's condition; `must-not-hold`: a Deny's condition. */
  requirement: 'must-hold' | 'must-not-hold';
  statement?: StatementRef;
  /** Plain explanation when the undecided part is not a policy condition (e.g. an account not scanned). */
  note?: string;
}

/**
 * One step of AWS's evaluation logic that must let a request through (identity policies, the
 * boundary, the SCPs at one level of the OU path, ...): it passes, fails, or passes only if
 * undecided conditions hold.
 */
export interface Gate {
  state: 'pass' | 'fail' | 'conditional';
  allows: StatementRef[];
  conditions: UndecidedCondition[];
  /** Why it failed, for an implicit deny. */
  failure?: string;
}

export const PASS: Gate = { state: 'pass', allows: [], conditions: [] };

export function failGate(failure: string): Gate {
  return { state: 'fail', allows: [], conditions: [], failure };
}

export interface StatementMatch {
  ref: StatementRef;
  tri: Tri;
}

/** The gate formed by the Allow statements that match a request. */
export function gateFromAllows(matches: StatementMatch[], failure: string): Gate {
  let sure: StatementRef[] | undefined;
  let maybe = false;
  for (const m of matches) {
    if (m.tri === true) {
      if (!sure) sure = [];
      sure.push(m.ref);
    } else if (Array.isArray(m.tri)) maybe = true;
  }
  if (sure) return { state: 'pass', allows: sure, conditions: [] };
  if (maybe) {
    const allows: StatementRef[] = [];
    const conditions: UndecidedCondition[] = [];
    for (const m of matches) {
      if (!Array.isArray(m.tri)) continue;
      allows.push(m.ref);
      for (const c of m.tri) conditions.push({ ...c, requirement: 'must-hold', statement: m.ref });
    }
    return { state: 'conditional', allows, conditions };
  }
  return failGate(failure);
}

/** A passing gate that contributes nothing (no statements, no conditions): neutral in an AND. */
function neutral(g: Gate): boolean {
  return g.state === 'pass' && g.allows.length === 0 && g.conditions.length === 0;
}

/**
 * Both gates must let the request through; the first failing one decides. Gates are never
 * mutated, so a gate may be returned as is when the other adds nothing.
 */
export function andGate(a: Gate, b: Gate): Gate {
  if (a.state === 'fail') return a;
  if (b.state === 'fail' || neutral(a)) return b;
  if (neutral(b)) return a;
  return {
    state: a.state === 'pass' && b.state === 'pass' ? 'pass' : 'conditional',
    allows: a.allows.concat(b.allows),
    conditions: a.conditions.concat(b.conditions),
  };
}

/** All gates must let the request through. */
export function andGates(...gates: Gate[]): Gate {
  let out: Gate = PASS;
  for (const g of gates) out = andGate(out, g);
  return out;
}

/** Either path suffices (e.g. identity policy or same-account resource policy). */
export function orGates(a: Gate, b: Gate): Gate {
  if (a.state === 'pass' && b.state === 'pass') return { state: 'pass', allows: a.allows.concat(b.allows), conditions: [] };
  if (a.state === 'pass') return a;
  if (b.state === 'pass') return b;
  if (a.state === 'conditional' && b.state === 'conditional') {
    return { state: 'conditional', allows: a.allows.concat(b.allows), conditions: a.conditions.concat(b.conditions) };
  }
  if (a.state === 'conditional') return a;
  if (b.state === 'conditional') return b;
  return failGate(`${a.failure}; and ${b.failure}`);
}
