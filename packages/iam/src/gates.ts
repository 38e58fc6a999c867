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
  const sure = matches.filter((m) => m.tri === true).map((m) => m.ref);
  if (sure.length > 0) return { state: 'pass', allows: sure, conditions: [] };
  const maybe = matches.filter((m) => Array.isArray(m.tri));
  if (maybe.length > 0) {
    return {
      state: 'conditional',
      allows: maybe.map((m) => m.ref),
      conditions: maybe.flatMap((m) => (m.tri as UndecidedClause[]).map((c) => ({ ...c, requirement: 'must-hold' as const, statement: m.ref }))),
    };
  }
  return failGate(failure);
}

/** All gates must let the request through. */
export function andGates(...gates: Gate[]): Gate {
  const failed = gates.find((g) => g.state === 'fail');
  if (failed) return failed;
  return {
    state: gates.every((g) => g.state === 'pass') ? 'pass' : 'conditional',
    allows: gates.flatMap((g) => g.allows),
    conditions: gates.flatMap((g) => g.conditions),
  };
}

/** Either path suffices (e.g. identity policy or same-account resource policy). */
export function orGates(a: Gate, b: Gate): Gate {
  const passing = [a, b].filter((g) => g.state === 'pass');
  if (passing.length > 0) return { state: 'pass', allows: passing.flatMap((g) => g.allows), conditions: [] };
  const maybe = [a, b].filter((g) => g.state === 'conditional');
  if (maybe.length === 0) return failGate(`${a.failure}; and ${b.failure}`);
  return { state: 'conditional', allows: maybe.flatMap((g) => g.allows), conditions: maybe.flatMap((g) => g.conditions) };
}
