import type { JsonValue, PolicyDocument } from '@trailwarden/core';
import { type Matcher, wildcardMatcher } from './wildcard.js';

/** Where a policy applies in AWS's evaluation logic. */
export type PolicyType = 'identity' | 'permissionsBoundary' | 'scp' | 'rcp' | 'resource';

/** Names a policy in evidence. */
export interface PolicySource {
  type: PolicyType;
  /** Policy name (inline policy name, managed policy name, SCP name, `bucket policy`, `key policy`). */
  name: string;
  /** Managed policy / SCP / RCP ARN (or id), bucket or key ARN for resource policies. */
  arn?: string;
  /** How it reaches the principal or resource: `inline`, `attached`, `group:<name>`, or the OU/root/account id of an SCP/RCP. */
  via?: string;
}

/** One statement, named as an auditor would look it up. */
export interface StatementRef extends PolicySource {
  effect: 'Allow' | 'Deny';
  /** The statement's Sid, when it has one. */
  sid?: string;
  /** Zero-based position in the policy's Statement list. */
  index: number;
}

export type SetOperator = 'ForAnyValue' | 'ForAllValues';

export interface CompiledCondition {
  /** The operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  operator: string;
  /** Base operator without set prefix and IfExists, e.g. `StringLike`. */
  base: BaseOperator;
  ifExists: boolean;
  set?: SetOperator;
  key: string;
  values: string[];
}

export interface PrincipalSpec {
  /** `"Principal": "*"` or `{"AWS": "*"}`. */
  any: boolean;
  aws: string[];
  service: string[];
  federated: string[];
  canonicalUser: string[];
}

export interface CompiledStatement {
  ref: StatementRef;
  actions?: Matcher[];
  notActions?: Matcher[];
  resources?: string[];
  notResources?: string[];
  principal?: PrincipalSpec;
  notPrincipal?: PrincipalSpec;
  conditions: CompiledCondition[];
  /** action (as asked, and lower case) → whether the Action/NotAction element covers it. */
  actionCache: Map<string, boolean>;
}

export interface CompiledPolicy {
  source: PolicySource;
  statements: CompiledStatement[];
}

export type CompileResult = { policy: CompiledPolicy; error?: never } | { error: string; policy?: never };

export const BASE_OPERATORS = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'BinaryEquals',
  'IpAddress',
  'NotIpAddress',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
  'Null',
] as const;
export type BaseOperator = (typeof BASE_OPERATORS)[number];
const BASE_BY_LOWER = new Map<string, BaseOperator>(BASE_OPERATORS.map((o) => [o.toLowerCase(), o]));

class PolicyShapeError extends Error {}

function fail(message: string): never {
  throw new PolicyShapeError(message);
}

function isObject(v: JsonValue | undefined): v is { [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A string or list of strings (AWS accepts both everywhere). */
function stringList(v: JsonValue | undefined, where: string): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  return fail(`${where} must be a string or a list of strings`);
}

/** Condition values: strings, numbers and booleans are all compared as strings by IAM. */
function conditionValues(v: JsonValue | undefined, where: string): string[] {
  const one = (x: JsonValue): string => {
    if (typeof x === 'string') return x;
    if (typeof x === 'number' || typeof x === 'boolean') return String(x);
    return fail(`${where} values must be strings, numbers or booleans`);
  };
  if (Array.isArray(v)) return v.map(one);
  if (v === undefined || v === null || typeof v === 'object') return fail(`${where} must be a value or a list of values`);
  return [one(v)];
}

function compilePrincipal(v: JsonValue | undefined, where: string): PrincipalSpec {
  const spec: PrincipalSpec = { any: false, aws: [], service: [], federated: [], canonicalUser: [] };
  if (v === '*') return { ...spec, any: true };
  if (!isObject(v)) return fail(`${where} must be "*" or an object such as {"AWS": [...]}`);
  for (const [k, val] of Object.entries(v)) {
    const list = stringList(val, `${where}.${k}`);
    switch (k) {
      case 'AWS':
        if (list.includes('*')) spec.any = true;
        spec.aws.push(...list.filter((x) => x !== '*'));
        break;
      case 'Service':
        spec.service.push(...list);
        break;
      case 'Federated':
        spec.federated.push(...list);
        break;
      case 'CanonicalUser':
        spec.canonicalUser.push(...list);
        break;
      default:
        fail(`${where} has unknown principal type "${k}"`);
    }
  }
  return spec;
}

export function parseOperator(operator: string): { base: BaseOperator; ifExists: boolean; set?: SetOperator } | undefined {
  let rest = operator;
  let set: SetOperator | undefined;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const prefix = rest.slice(0, colon).toLowerCase();
    if (prefix === 'foranyvalue') set = 'ForAnyValue';
    else if (prefix === 'forallvalues') set = 'ForAllValues';
    else return undefined;
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  if (rest.toLowerCase().endsWith('ifexists')) {
    ifExists = true;
    rest = rest.slice(0, -'ifexists'.length);
  }
  const base = BASE_BY_LOWER.get(rest.toLowerCase());
  if (!base || (base === 'Null' && ifExists)) return undefined;
  return { base, ifExists, set };
}

function compileConditions(v: JsonValue | undefined, where: string): CompiledCondition[] {
  if (v === undefined) return [];
  if (!isObject(v)) return fail(`${where} must be an object of operators`);
  const out: CompiledCondition[] = [];
  for (const [operator, block] of Object.entries(v)) {
    const parsed = parseOperator(operator);
    if (!parsed) fail(`${where} has unknown condition operator "${operator}"`);
    if (!isObject(block)) fail(`${where}.${operator} must be an object of condition keys`);
    for (const [key, values] of Object.entries(block)) {
      out.push({ operator, ...parsed, key, values: conditionValues(values, `${where}.${operator}.${key}`) });
    }
  }
  return out;
}

function compileStatement(raw: JsonValue, index: number, source: PolicySource): CompiledStatement {
  const where = `Statement[${index}]`;
  if (!isObject(raw)) fail(`${where} must be an object`);
  const effect = raw.Effect;
  if (effect !== 'Allow' && effect !== 'Deny') fail(`${where}.Effect must be "Allow" or "Deny"`);
  const ref: StatementRef = { ...source, effect, index };
  if (raw.Sid !== undefined) {
    if (typeof raw.Sid !== 'string') fail(`${where}.Sid must be a string`);
    if (raw.Sid !== '') ref.sid = raw.Sid;
  }
  const st: CompiledStatement = { ref, conditions: compileConditions(raw.Condition, `${where}.Condition`), actionCache: new Map() };
  const hasAction = raw.Action !== undefined;
  if (hasAction === (raw.NotAction !== undefined)) fail(`${where} must have exactly one of Action and NotAction`);
  const actionMatchers = (list: string[], el: string) =>
    list.map((a) => {
      if (a !== '*' && !a.includes(':')) fail(`${where}.${el} "${a}" is not of the form service:action`);
      return wildcardMatcher(a, true);
    });
  if (hasAction) st.actions = actionMatchers(stringList(raw.Action, `${where}.Action`), 'Action');
  else st.notActions = actionMatchers(stringList(raw.NotAction, `${where}.NotAction`), 'NotAction');
  if (raw.Resource !== undefined && raw.NotResource !== undefined) fail(`${where} cannot have both Resource and NotResource`);
  if (raw.Resource !== undefined) st.resources = stringList(raw.Resource, `${where}.Resource`);
  else if (raw.NotResource !== undefined) st.notResources = stringList(raw.NotResource, `${where}.NotResource`);
  else if (source.type !== 'scp' && source.type !== 'rcp' && source.type !== 'resource') {
    fail(`${where} must have Resource or NotResource`);
  }
  if (raw.Principal !== undefined && raw.NotPrincipal !== undefined) fail(`${where} cannot have both Principal and NotPrincipal`);
  if (raw.Principal !== undefined) st.principal = compilePrincipal(raw.Principal, `${where}.Principal`);
  if (raw.NotPrincipal !== undefined) st.notPrincipal = compilePrincipal(raw.NotPrincipal, `${where}.NotPrincipal`);
  if (source.type === 'resource' && !st.principal && !st.notPrincipal) fail(`${where} must have Principal or NotPrincipal`);
  if ((source.type === 'identity' || source.type === 'permissionsBoundary') && (st.principal || st.notPrincipal)) {
    fail(`${where} must not have Principal in an identity policy`);
  }
  return st;
}

/**
 * Compile a policy document into matchers once, so evaluating thousands of requests against it is
 * cheap. A document that is not a valid policy (a raw string that did not parse as JSON, a missing
 * Effect, an unknown condition operator, ...) yields an error naming what is wrong and where.
 */
export function compilePolicy(document: PolicyDocument | undefined, source: PolicySource): CompileResult {
  try {
    if (typeof document === 'string') fail('the document is not valid JSON');
    if (!isObject(document)) fail('the document must be a JSON object');
    const raw = document.Statement;
    if (raw === undefined) fail('the document has no Statement');
    const list = Array.isArray(raw) ? raw : [raw];
    return { policy: { source, statements: list.map((s, i) => compileStatement(s, i, source)) } };
  } catch (e) {
    if (e instanceof PolicyShapeError) return { error: e.message };
    throw e;
  }
}

/** Whether a statement's Action/NotAction element covers a concrete action (cached per statement). */
export function statementCoversAction(st: CompiledStatement, action: string): boolean {
  // Looked up as given first (callers repeat the same spelling), then in lower case.
  let hit = st.actionCache.get(action);
  if (hit !== undefined) return hit;
  const key = action.toLowerCase();
  hit = st.actionCache.get(key);
  if (hit === undefined) {
    hit = st.actions ? st.actions.some((m) => m(action)) : !(st.notActions as Matcher[]).some((m) => m(action));
    st.actionCache.set(key, hit);
  }
  st.actionCache.set(action, hit);
  return hit;
}

/** Human-readable name of a statement for messages: `policy "X" statement "Sid"` or `#index`. */
export function describeStatement(ref: StatementRef): string {
  const policy = ref.arn ?? ref.name;
  return `${ref.type} policy ${policy} statement ${ref.sid ? `"${ref.sid}"` : `#${ref.index}`}`;
}
