import { type JsonValue, globMatch } from '@trailwarden/core';

/**
 * A focused key-policy reader for one question: may cloudtrail.amazonaws.com call
 * kms:GenerateDataKey on this key for this trail? Not a general IAM evaluator: it understands the
 * statements CloudTrail key policies use (service or "*" principals, action wildcards, the
 * condition keys CloudTrail sets) and says `uncertain` for anything else rather than guessing.
 */
export interface CloudTrailRequest {
  /** The trail that encrypts with the key. */
  trailArn: string;
  trailAccountId: string;
  keyArn: string;
}

export type StatementEffect = 'applies' | 'does-not-apply' | 'uncertain';

export interface StatementNote {
  sid: string;
  effect: 'Allow' | 'Deny';
  applies: StatementEffect;
  why: string;
}

export interface PolicyAnswer {
  decision: 'allowed' | 'denied' | 'not-allowed' | 'uncertain';
  /** Statements that decided (or would decide) the answer, for evidence and messages. */
  statements: StatementNote[];
}

const SERVICE = 'cloudtrail.amazonaws.com';
const ACTION = 'kms:GenerateDataKey';

type Json = { [key: string]: JsonValue };

export function cloudTrailMayUseKey(policy: JsonValue, req: CloudTrailRequest): PolicyAnswer {
  const doc = typeof policy === 'string' ? safeParse(policy) : policy;
  if (!isObject(doc)) return { decision: 'uncertain', statements: [{ sid: '(policy)', effect: 'Allow', applies: 'uncertain', why: 'the key policy is not a JSON object' }] };
  const raw = doc.Statement;
  const statements = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const notes: StatementNote[] = [];
  statements.forEach((s, i) => {
    if (!isObject(s)) return;
    const effect = s.Effect === 'Deny' ? 'Deny' : s.Effect === 'Allow' ? 'Allow' : undefined;
    if (!effect) return;
    const sid = typeof s.Sid === 'string' && s.Sid ? s.Sid : `#${i + 1}`;
    const { applies, why } = statementApplies(s, effect, req);
    if (applies !== 'does-not-apply' || effect === 'Allow') notes.push({ sid, effect, applies, why });
  });
  const relevant = notes.filter((n) => n.applies !== 'does-not-apply');
  const denies = relevant.filter((n) => n.effect === 'Deny');
  const allows = relevant.filter((n) => n.effect === 'Allow');
  const deny = denies.find((n) => n.applies === 'applies');
  if (deny) return { decision: 'denied', statements: [deny] };
  const allow = allows.find((n) => n.applies === 'applies');
  const uncertainDeny = denies.filter((n) => n.applies === 'uncertain');
  if (allow && uncertainDeny.length === 0) return { decision: 'allowed', statements: [allow] };
  if (allow || allows.length > 0) return { decision: 'uncertain', statements: [...uncertainDeny, ...allows] };
  // Nothing grants it; explain the Allow statements that came close (e.g. "*" without conditions).
  return { decision: 'not-allowed', statements: notes.filter((n) => n.effect === 'Allow' && n.why !== '') };
}

function statementApplies(s: Json, effect: 'Allow' | 'Deny', req: CloudTrailRequest): { applies: StatementEffect; why: string } {
  // Action / NotAction
  if (s.Action !== undefined && !anyMatch(strings(s.Action), ACTION)) return { applies: 'does-not-apply', why: '' };
  if (s.NotAction !== undefined && anyMatch(strings(s.NotAction), ACTION)) return { applies: 'does-not-apply', why: '' };
  if (s.Action === undefined && s.NotAction === undefined) return { applies: 'does-not-apply', why: '' };
  // Resource / NotResource (key policies use "*"; the key's own ARN also matches)
  if (s.Resource !== undefined && !anyMatch(strings(s.Resource), req.keyArn)) return { applies: 'does-not-apply', why: '' };
  if (s.NotResource !== undefined && anyMatch(strings(s.NotResource), req.keyArn)) return { applies: 'does-not-apply', why: '' };

  // Principal / NotPrincipal
  let wildcard = false;
  if (s.Principal !== undefined) {
    const p = principalMatch(s.Principal);
    if (p === 'no') return { applies: 'does-not-apply', why: '' };
    wildcard = p === 'wildcard';
  } else if (s.NotPrincipal !== undefined) {
    if (effect === 'Allow') return { applies: 'uncertain', why: 'Allow with NotPrincipal is not evaluated' };
    if (principalMatch(s.NotPrincipal) !== 'no') return { applies: 'does-not-apply', why: '' };
    wildcard = true;
  } else {
    return { applies: 'does-not-apply', why: '' };
  }

  const condition = s.Condition;
  const hasConditions = isObject(condition) && Object.keys(condition).length > 0;
  if (effect === 'Allow' && wildcard && !hasConditions) {
    return { applies: 'does-not-apply', why: 'allows everyone ("*") without conditions pinning it to the trail; grant cloudtrail.amazonaws.com explicitly' };
  }
  if (!hasConditions) return { applies: 'applies', why: effect === 'Allow' ? 'grants cloudtrail.amazonaws.com kms:GenerateDataKey*' : 'denies kms:GenerateDataKey* to cloudtrail.amazonaws.com' };
  const c = conditionsHold(condition as Json, req);
  if (c.result === 'uncertain') return { applies: 'uncertain', why: c.why };
  if (!c.result) return { applies: 'does-not-apply', why: `its condition does not hold for this trail (${c.why})` };
  return { applies: 'applies', why: `${effect === 'Allow' ? 'grants' : 'denies'} kms:GenerateDataKey* to ${wildcard ? 'any principal' : SERVICE} under conditions that hold for this trail` };
}

/** `yes`: names the CloudTrail service; `wildcard`: "*" (any principal); `no`: someone else. */
function principalMatch(p: JsonValue): 'yes' | 'wildcard' | 'no' {
  if (p === '*') return 'wildcard';
  if (!isObject(p)) return 'no';
  if (strings(p.Service).some((s) => s === SERVICE)) return 'yes';
  if (strings(p.AWS).includes('*')) return 'wildcard';
  return 'no';
}

/** The request context CloudTrail presents when it calls KMS for a trail. */
function contextValue(key: string, req: CloudTrailRequest): string | undefined {
  switch (key.toLowerCase()) {
    case 'kms:encryptioncontext:aws:cloudtrail:arn':
    case 'aws:sourcearn':
      return req.trailArn;
    case 'aws:sourceaccount':
      return req.trailAccountId;
    case 'aws:principalservicename':
      return SERVICE;
    // AWS services call KMS over TLS, as AWS services.
    case 'aws:securetransport':
    case 'aws:principalisawsservice':
      return 'true';
    default:
      return undefined;
  }
}

const KNOWN_KEYS = new Set([
  'kms:encryptioncontext:aws:cloudtrail:arn',
  'aws:sourcearn',
  'aws:sourceaccount',
  'aws:principalservicename',
  'aws:securetransport',
  'aws:principalisawsservice',
]);

/**
 * Every operator block must hold (AND); within one key, any value may match (OR). Because they are
 * ANDed, one condition that definitely fails settles it even when another cannot be evaluated (e.g.
 * a Deny on aws:PrincipalOrgID that exempts AWS services with aws:PrincipalIsAWSService).
 */
function conditionsHold(condition: Json, req: CloudTrailRequest): { result: boolean | 'uncertain'; why: string } {
  let uncertain: string | undefined;
  for (const [rawOp, block] of Object.entries(condition)) {
    if (!isObject(block)) {
      uncertain ??= `condition ${rawOp} is malformed`;
      continue;
    }
    const op = rawOp.replace(/^ForAnyValue:/, '').replace(/IfExists$/, '');
    if (rawOp.startsWith('ForAllValues:')) {
      uncertain ??= `condition operator ${rawOp} is not evaluated`;
      continue;
    }
    for (const [key, rawValues] of Object.entries(block)) {
      if (!KNOWN_KEYS.has(key.toLowerCase())) {
        uncertain ??= `condition key ${key} is not one CloudTrail's request is known to carry`;
        continue;
      }
      const actual = contextValue(key, req) as string;
      const values = strings(rawValues);
      const holds = evaluateOperator(op, actual, values);
      if (holds === 'uncertain') uncertain ??= `condition operator ${rawOp} is not evaluated`;
      else if (!holds) return { result: false, why: `${rawOp} ${key} ${JSON.stringify(values.length === 1 ? values[0] : values)} vs ${actual}` };
    }
  }
  return uncertain === undefined ? { result: true, why: '' } : { result: 'uncertain', why: uncertain };
}

function evaluateOperator(op: string, actual: string, values: string[]): boolean | 'uncertain' {
  switch (op) {
    case 'StringEquals':
    case 'ArnEquals':
      return values.includes(actual);
    case 'StringEqualsIgnoreCase':
      return values.some((v) => v.toLowerCase() === actual.toLowerCase());
    case 'StringLike':
    case 'ArnLike':
      return values.some((v) => wildcardMatch(v, actual, false));
    case 'StringNotEquals':
    case 'ArnNotEquals':
      return !values.includes(actual);
    case 'StringNotEqualsIgnoreCase':
      return !values.some((v) => v.toLowerCase() === actual.toLowerCase());
    case 'StringNotLike':
    case 'ArnNotLike':
      return !values.some((v) => wildcardMatch(v, actual, false));
    case 'Bool':
      return values.some((v) => v.toLowerCase() === actual);
    case 'Null':
      // Every key we evaluate is present in CloudTrail's request.
      return values.every((v) => v.toLowerCase() === 'false');
    default:
      return 'uncertain';
  }
}

function anyMatch(patterns: string[], value: string): boolean {
  // Actions are case-insensitive; ARNs are matched case-sensitively except for "*".
  const isAction = !value.startsWith('arn:');
  return patterns.some((p) => wildcardMatch(p, value, isAction));
}

/** IAM wildcards: `*` any run of characters, `?` one character (core's linear-time glob matcher). */
export function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  return globMatch(pattern, value, ignoreCase);
}

function strings(v: JsonValue | undefined): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  if (typeof v === 'boolean' || typeof v === 'number') return [String(v)];
  return [];
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function safeParse(s: string): JsonValue | undefined {
  try {
    return JSON.parse(s) as JsonValue;
  } catch {
    return undefined;
  }
}
