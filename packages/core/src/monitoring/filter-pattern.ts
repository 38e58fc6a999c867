import type { JsonValue } from '../model/snapshot.js';
import { globMatch } from './glob.js';

/**
 * The CloudWatch Logs filter-pattern language, parsed and evaluated (no I/O, bounded input). Forms:
 * - JSON: `{ ($.eventName = StopLogging) || ($.errorCode = "AccessDenied*") }` with `&&`, `||`,
 *   parentheses, `=` / `!=` on strings (`*` wildcards), `= != < > <= >=` on numbers, `IS TRUE`,
 *   `IS FALSE`, `IS NULL`, `NOT EXISTS`, selectors with array indexes (`$.resources[0].ARN`).
 * - terms: `StopLogging`, `"Failed authentication"`, `?A ?B` (any), `-X` (none): substrings of the
 *   raw event text, blind to which field they are in ("not JSON-aware").
 * - space-delimited: `[ip, user, ...]`, for text logs: cannot address JSON fields at all.
 * - the empty pattern, which matches every event.
 */
export type FilterPattern =
  | { form: 'json'; root: FilterExpr; ambiguous: boolean }
  | { form: 'terms'; all: string[]; any: string[]; none: string[] }
  | { form: 'space-delimited' }
  | { form: 'everything' }
  | { form: 'invalid'; reason: string };

export type FilterExpr =
  | { kind: 'seq'; items: FilterExpr[]; ops: ('&&' | '||')[] }
  | { kind: 'compare'; selector: string; path: (string | number)[]; op: CompareOp; value: FilterValue }
  | { kind: 'is'; selector: string; path: (string | number)[]; test: 'TRUE' | 'FALSE' | 'NULL' | 'NOT EXISTS' }
  | { kind: 'regex'; selector: string; source: string };

export type CompareOp = '=' | '!=' | '<' | '>' | '<=' | '>=';
export type FilterValue = { type: 'string'; text: string } | { type: 'number'; n: number; text: string };

/** AWS's limit on a metric filter pattern's length. */
export const MAX_FILTER_PATTERN_LENGTH = 1024;
const MAX_DEPTH = 32;

class ParseError extends Error {}

/** Parse a filter pattern; a malformed one is `{ form: 'invalid', reason }`, never a throw. */
export function parseFilterPattern(text: string): FilterPattern {
  if (typeof text !== 'string') return { form: 'invalid', reason: 'the pattern is not text' };
  if (text.length > MAX_FILTER_PATTERN_LENGTH) return { form: 'invalid', reason: `the pattern is longer than ${MAX_FILTER_PATTERN_LENGTH} characters` };
  const t = text.trim();
  if (t === '' || t === '""') return { form: 'everything' };
  if (t.startsWith('{')) {
    try {
      const p = new JsonParser(t);
      return p.parse();
    } catch (err) {
      return { form: 'invalid', reason: err instanceof ParseError ? err.message : 'unreadable pattern' };
    }
  }
  if (t.startsWith('[')) return { form: 'space-delimited' };
  return parseTerms(t);
}

function parseTerms(t: string): FilterPattern {
  const all: string[] = [];
  const any: string[] = [];
  const none: string[] = [];
  let i = 0;
  while (i < t.length) {
    while (i < t.length && /\s/.test(t[i]!)) i++;
    if (i >= t.length) break;
    let bucket = all;
    if (t[i] === '?') {
      bucket = any;
      i++;
    } else if (t[i] === '-') {
      bucket = none;
      i++;
    }
    let term = '';
    if (t[i] === '"') {
      i++;
      while (i < t.length && t[i] !== '"') {
        if (t[i] === '\\' && i + 1 < t.length) i++;
        term += t[i];
        i++;
      }
      if (t[i] !== '"') return { form: 'invalid', reason: 'a quoted term is not closed' };
      i++;
    } else {
      while (i < t.length && !/\s/.test(t[i]!)) term += t[i++];
    }
    if (term !== '') bucket.push(term);
  }
  return { form: 'terms', all, any, none };
}

const SELECTOR_STOP = new Set([' ', '\t', '\n', '\r', '.', '[', '=', '!', '<', '>', ')', '(', '&', '|', '}', '{', '"']);

class JsonParser {
  private i = 0;
  private ambiguous = false;
  constructor(private readonly s: string) {}

  parse(): FilterPattern {
    this.expect('{');
    const root = this.expr(0);
    this.ws();
    this.expect('}');
    this.ws();
    if (this.i < this.s.length) throw new ParseError(`unexpected text after the closing brace: "${this.s.slice(this.i, this.i + 20)}"`);
    return { form: 'json', root, ambiguous: this.ambiguous };
  }

  private ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }

  private expect(ch: string): void {
    this.ws();
    if (this.s[this.i] !== ch) throw new ParseError(`expected "${ch}" at position ${this.i + 1}${this.i < this.s.length ? `, found "${this.s[this.i]}"` : ''}`);
    this.i++;
  }

  private expr(depth: number): FilterExpr {
    if (depth > MAX_DEPTH) throw new ParseError(`parentheses nested deeper than ${MAX_DEPTH}`);
    const items = [this.term(depth)];
    const ops: ('&&' | '||')[] = [];
    for (;;) {
      this.ws();
      const two = this.s.slice(this.i, this.i + 2);
      if (two !== '&&' && two !== '||') break;
      this.i += 2;
      ops.push(two);
      items.push(this.term(depth));
    }
    if (new Set(ops).size > 1) this.ambiguous = true;
    return items.length === 1 ? items[0]! : { kind: 'seq', items, ops };
  }

  private term(depth: number): FilterExpr {
    this.ws();
    const c = this.s[this.i];
    if (c === '(') {
      this.i++;
      const e = this.expr(depth + 1);
      this.expect(')');
      return e;
    }
    if (c === '$') return this.condition();
    throw new ParseError(`expected a selector ($.field) or "(" at position ${this.i + 1}`);
  }

  private condition(): FilterExpr {
    const start = this.i;
    this.i++; // $
    const path: (string | number)[] = [];
    while (this.i < this.s.length) {
      const c = this.s[this.i]!;
      if (c === '.') {
        this.i++;
        let name = '';
        while (this.i < this.s.length && !SELECTOR_STOP.has(this.s[this.i]!)) name += this.s[this.i++];
        if (name === '') throw new ParseError(`empty field name in selector at position ${this.i + 1}`);
        path.push(name);
      } else if (c === '[') {
        const close = this.s.indexOf(']', this.i);
        if (close < 0) throw new ParseError('an array index is not closed');
        const inner = this.s.slice(this.i + 1, close).trim();
        if (!/^\d{1,6}$/.test(inner)) throw new ParseError(`array index "${inner}" is not a number`);
        path.push(Number(inner));
        this.i = close + 1;
      } else break;
    }
    if (path.length === 0) throw new ParseError(`selector at position ${start + 1} names no field`);
    const selector = this.s.slice(start, this.i);
    this.ws();
    const rest = this.s.slice(this.i);
    const keyword = /^(IS\s+(TRUE|FALSE|NULL)|NOT\s+EXISTS)\b/i.exec(rest);
    if (keyword) {
      this.i += keyword[0].length;
      const test = (keyword[2] ? keyword[2].toUpperCase() : 'NOT EXISTS') as 'TRUE' | 'FALSE' | 'NULL' | 'NOT EXISTS';
      return { kind: 'is', selector, path, test };
    }
    const op = (['!=', '<=', '>=', '=', '<', '>'] as const).find((o) => rest.startsWith(o));
    if (!op) throw new ParseError(`expected an operator (=, !=, <, >, <=, >=, IS, NOT EXISTS) after ${selector}`);
    this.i += op.length;
    this.ws();
    if (this.s[this.i] === '%') {
      const close = this.s.indexOf('%', this.i + 1);
      if (close < 0) throw new ParseError('a regular expression (%…%) is not closed');
      const source = this.s.slice(this.i + 1, close);
      this.i = close + 1;
      return { kind: 'regex', selector, source };
    }
    const value = this.value();
    if (op !== '=' && op !== '!=' && value.type !== 'number') throw new ParseError(`${selector} ${op} needs a number, not "${value.text}"`);
    return { kind: 'compare', selector, path, op, value };
  }

  private value(): FilterValue {
    if (this.s[this.i] === '"') {
      this.i++;
      let text = '';
      while (this.i < this.s.length && this.s[this.i] !== '"') {
        if (this.s[this.i] === '\\' && this.i + 1 < this.s.length) this.i++;
        text += this.s[this.i++];
      }
      if (this.s[this.i] !== '"') throw new ParseError('a quoted value is not closed');
      this.i++;
      return { type: 'string', text };
    }
    // Unquoted: up to the end of the condition (CIS writes `Failed authentication` unquoted).
    let text = '';
    while (this.i < this.s.length) {
      const c = this.s[this.i]!;
      const two = this.s.slice(this.i, this.i + 2);
      if (c === ')' || c === '}' || two === '&&' || two === '||') break;
      text += c;
      this.i++;
    }
    text = text.trim();
    if (text === '') throw new ParseError(`missing value at position ${this.i + 1}`);
    if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text)) return { type: 'number', n: Number(text), text };
    return { type: 'string', text };
  }
}

/**
 * How `a || b && c` groups is not documented for CloudWatch Logs: `standard` reads `&&` first (as
 * most languages do), `left` reads left to right. Callers that must not guess evaluate both.
 */
export type Grouping = 'standard' | 'left';

export type MatchResult = boolean | { unsupported: string };

/** Does the pattern match this event (a parsed JSON log event)? */
export function matchFilter(pattern: FilterPattern, event: JsonValue, grouping: Grouping = 'standard', raw?: string): MatchResult {
  switch (pattern.form) {
    case 'everything':
      return true;
    case 'invalid':
      return { unsupported: pattern.reason };
    case 'space-delimited':
      return false;
    case 'terms': {
      const text = raw ?? JSON.stringify(event);
      if (!pattern.all.every((t) => text.includes(t))) return false;
      if (pattern.any.length > 0 && !pattern.any.some((t) => text.includes(t))) return false;
      return !pattern.none.some((t) => text.includes(t));
    }
    case 'json':
      return evalExpr(pattern.root, event, grouping);
  }
}

function evalExpr(e: FilterExpr, event: JsonValue, grouping: Grouping): MatchResult {
  switch (e.kind) {
    case 'regex':
      return { unsupported: `${e.selector} uses a regular expression (%${e.source}%), which Trailwarden does not evaluate` };
    case 'is': {
      const v = resolve(event, e.path);
      if (e.test === 'NOT EXISTS') return v === undefined;
      if (e.test === 'NULL') return v === null;
      return v === (e.test === 'TRUE');
    }
    case 'compare':
      return compare(resolve(event, e.path), e.op, e.value);
    case 'seq': {
      const values = e.items.map((item) => evalExpr(item, event, grouping));
      const bad = values.find((v) => typeof v === 'object');
      if (bad) return bad;
      const bools = values as boolean[];
      if (grouping === 'left') {
        let acc = bools[0]!;
        e.ops.forEach((op, i) => {
          acc = op === '&&' ? acc && bools[i + 1]! : acc || bools[i + 1]!;
        });
        return acc;
      }
      // Standard: OR of AND-runs.
      let run = bools[0]!;
      let any = false;
      e.ops.forEach((op, i) => {
        if (op === '&&') run = run && bools[i + 1]!;
        else {
          any = any || run;
          run = bools[i + 1]!;
        }
      });
      return any || run;
    }
  }
}

function resolve(event: JsonValue, path: (string | number)[]): JsonValue | undefined {
  let cur: JsonValue | undefined = event;
  for (const seg of path) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return undefined;
    if (typeof seg === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[seg];
    } else {
      if (Array.isArray(cur) || !Object.hasOwn(cur, seg)) return undefined;
      cur = (cur as Record<string, JsonValue>)[seg];
    }
  }
  return cur;
}

/** A comparison on a field the event lacks is false, for `!=` too: `NOT EXISTS` is how to ask for absence. */
function compare(v: JsonValue | undefined, op: CompareOp, value: FilterValue): boolean {
  if (v === undefined || (v !== null && typeof v === 'object')) return false;
  if (value.type === 'number' && op !== '=' && op !== '!=') {
    if (typeof v !== 'number') return false;
    switch (op) {
      case '<':
        return v < value.n;
      case '>':
        return v > value.n;
      case '<=':
        return v <= value.n;
      case '>=':
        return v >= value.n;
    }
  }
  let equal: boolean;
  if (v === null) equal = false;
  else if (value.type === 'number' && typeof v === 'number') equal = v === value.n;
  else equal = globMatch(value.text, String(v));
  return op === '=' ? equal : !equal;
}

/** The pattern's conditions joined only by `&&` at the top level (each one every match needs). */
export function topLevelConjuncts(pattern: FilterPattern): FilterExpr[] {
  if (pattern.form !== 'json') return [];
  const r = pattern.root;
  if (r.kind === 'seq' && r.ops.every((o) => o === '&&')) return r.items;
  if (r.kind !== 'seq') return [r];
  return [];
}

/** Pattern text of one expression, for messages. */
export function describeExpr(e: FilterExpr): string {
  switch (e.kind) {
    case 'compare':
      return `${e.selector} ${e.op} ${e.value.type === 'string' ? JSON.stringify(e.value.text) : e.value.text}`;
    case 'is':
      return e.test === 'NOT EXISTS' ? `${e.selector} NOT EXISTS` : `${e.selector} IS ${e.test}`;
    case 'regex':
      return `${e.selector} = %${e.source}%`;
    case 'seq':
      return `(${e.items.map(describeExpr).map((s, i) => (i === 0 ? s : `${e.ops[i - 1]} ${s}`)).join(' ')})`;
  }
}
