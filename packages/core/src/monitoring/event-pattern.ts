import type { JsonValue } from '../model/snapshot.js';
import { globMatch } from './glob.js';

/**
 * EventBridge event patterns, evaluated against an event (pure, bounded). Supported: exact values
 * (strings, numbers, booleans, null), `prefix`, `suffix` (each also with `equals-ignore-case`),
 * `equals-ignore-case`, `anything-but` (values, a list, `prefix`, `suffix`, `wildcard`), `exists`,
 * `numeric` (`=`, `<`, `<=`, `>`, `>=` pairs), `wildcard` and `$or`. Unknown matchers (e.g.
 * `cidr`) make the answer `unsupported` instead of a guess.
 */
export const MAX_EVENT_PATTERN_LENGTH = 8192;
const MAX_DEPTH = 16;

export type EventPatternResult = { matches: boolean } | { unsupported: string };

class Unsupported extends Error {}

export function parseEventPattern(text: string): { pattern: Record<string, JsonValue> } | { invalid: string } {
  if (typeof text !== 'string') return { invalid: 'the pattern is not text' };
  if (text.length > MAX_EVENT_PATTERN_LENGTH) return { invalid: `the pattern is longer than ${MAX_EVENT_PATTERN_LENGTH} characters` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { invalid: 'the pattern is not JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { invalid: 'the pattern is not a JSON object' };
  return { pattern: parsed as Record<string, JsonValue> };
}

export function matchEventPattern(pattern: Record<string, JsonValue>, event: JsonValue): EventPatternResult {
  try {
    return { matches: matchObject(pattern, event, 0) };
  } catch (err) {
    if (err instanceof Unsupported) return { unsupported: err.message };
    throw err;
  }
}

function matchObject(pattern: Record<string, JsonValue>, event: JsonValue | undefined, depth: number): boolean {
  if (depth > MAX_DEPTH) throw new Unsupported(`pattern nested deeper than ${MAX_DEPTH}`);
  for (const [key, spec] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!Array.isArray(spec)) throw new Unsupported('$or must be a list of patterns');
      const alternatives = spec.filter((s): s is Record<string, JsonValue> => typeof s === 'object' && s !== null && !Array.isArray(s));
      if (!alternatives.some((alt) => matchObject(alt, event, depth + 1))) return false;
      continue;
    }
    const value = event !== null && typeof event === 'object' && !Array.isArray(event) && Object.hasOwn(event, key) ? (event as Record<string, JsonValue>)[key] : undefined;
    if (Array.isArray(spec)) {
      if (!matchField(spec, value)) return false;
    } else if (spec !== null && typeof spec === 'object') {
      if (!matchObject(spec, value, depth + 1)) return false;
    } else {
      throw new Unsupported(`the value of "${key}" must be a list or an object`);
    }
  }
  return true;
}

/** A field matches when any matcher matches it (or, for an array field, any of its elements). */
function matchField(matchers: JsonValue[], value: JsonValue | undefined): boolean {
  for (const m of matchers) {
    if (m !== null && typeof m === 'object' && !Array.isArray(m) && 'exists' in m) {
      if ((m.exists === true) === (value !== undefined)) return true;
      continue;
    }
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    if (values.some((v) => matchOne(m, v))) return true;
  }
  return false;
}

function matchOne(m: JsonValue, v: JsonValue): boolean {
  if (m === null || typeof m !== 'object') return m === v;
  if (Array.isArray(m)) throw new Unsupported('a matcher cannot be a list');
  const keys = Object.keys(m);
  if (keys.length !== 1) throw new Unsupported(`a matcher must have one operator, not ${keys.join(', ') || 'none'}`);
  const op = keys[0]!;
  const arg = m[op]!;
  switch (op) {
    case 'prefix':
    case 'suffix': {
      if (typeof v !== 'string') return false;
      const { text, ignoreCase } = textArg(arg, op);
      const a = ignoreCase ? v.toLowerCase() : v;
      const b = ignoreCase ? text.toLowerCase() : text;
      return op === 'prefix' ? a.startsWith(b) : a.endsWith(b);
    }
    case 'equals-ignore-case':
      return typeof v === 'string' && typeof arg === 'string' && v.toLowerCase() === arg.toLowerCase();
    case 'wildcard':
      if (typeof arg !== 'string') throw new Unsupported('wildcard needs a string');
      return typeof v === 'string' && globMatch(arg, v);
    case 'anything-but':
      return anythingBut(arg, v);
    case 'numeric':
      return numeric(arg, v);
    default:
      throw new Unsupported(`the "${op}" matcher is not evaluated by Trailwarden`);
  }
}

function textArg(arg: JsonValue, op: string): { text: string; ignoreCase: boolean } {
  if (typeof arg === 'string') return { text: arg, ignoreCase: false };
  if (arg !== null && typeof arg === 'object' && !Array.isArray(arg) && typeof arg['equals-ignore-case'] === 'string') return { text: arg['equals-ignore-case'], ignoreCase: true };
  throw new Unsupported(`${op} needs a string`);
}

function anythingBut(arg: JsonValue, v: JsonValue): boolean {
  if (arg !== null && typeof arg === 'object' && !Array.isArray(arg)) {
    const [op] = Object.keys(arg);
    if (op === 'prefix' || op === 'suffix' || op === 'wildcard' || op === 'equals-ignore-case') {
      const inner = arg[op]!;
      const list = Array.isArray(inner) ? inner : [inner];
      return typeof v === 'string' && !list.some((x) => matchOne({ [op]: x }, v));
    }
    throw new Unsupported(`anything-but with "${op}" is not evaluated by Trailwarden`);
  }
  const list = Array.isArray(arg) ? arg : [arg];
  return !list.some((x) => x === v);
}

function numeric(arg: JsonValue, v: JsonValue): boolean {
  if (!Array.isArray(arg) || arg.length === 0 || arg.length % 2 !== 0) throw new Unsupported('numeric needs operator/number pairs');
  if (typeof v !== 'number') return false;
  for (let i = 0; i < arg.length; i += 2) {
    const op = arg[i];
    const n = arg[i + 1];
    if (typeof n !== 'number') throw new Unsupported('numeric needs numbers');
    const ok = op === '=' ? v === n : op === '<' ? v < n : op === '<=' ? v <= n : op === '>' ? v > n : op === '>=' ? v >= n : undefined;
    if (ok === undefined) throw new Unsupported(`numeric operator ${String(op)} is not known`);
    if (!ok) return false;
  }
  return true;
}
