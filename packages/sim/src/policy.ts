/** Just enough policy reading for resource policies and bucket policy status. */
import { globMatch } from '@trailwarden/core';
import type { Identity } from './identity.js';

interface Statement {
  Effect?: string;
  Action?: string | string[];
  Principal?: string | Record<string, string | string[]>;
  Condition?: unknown;
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function statements(text: string): Statement[] {
  try {
    return asArray((JSON.parse(text) as { Statement?: Statement | Statement[] }).Statement);
  } catch {
    return [];
  }
}

/** IAM action wildcards, case-insensitive, matched in linear time (policy text is hostile input). */
function wildcard(pattern: string, value: string): boolean {
  return globMatch(pattern, value, true);
}

/** Whether an Allow statement names the caller (its account, root, ARN, role, or `*`) for the action. */
export function principalAllows(policyText: string, caller: Identity, partition: string, action: string): boolean {
  return statements(policyText).some((s) => {
    if (s.Effect !== 'Allow' || !asArray(s.Action).some((a) => wildcard(a, action))) return false;
    if (s.Principal === '*') return true;
    if (!s.Principal || typeof s.Principal !== 'object') return false;
    return asArray(s.Principal.AWS).some(
      (p) => p === '*' || p === caller.accountId || p === `arn:${partition}:iam::${caller.accountId}:root` || p === caller.arn || p === caller.roleArn,
    );
  });
}

/**
 * S3's "public" test (S3 user guide, "The meaning of public"): an Allow to every principal (`*`, or
 * any principal value with a wildcard) is public unless a condition pins it to fixed values (no
 * wildcard, no policy variable) of one of S3's keys: aws:SourceIp (not a /0), aws:SourceArn,
 * aws:SourceVpc, aws:SourceVpce, aws:SourceOwner, aws:SourceAccount, aws:PrincipalOrgID,
 * aws:PrincipalAccount, aws:userid (or `<role id>:*`), s3:DataAccessPointArn (the access point name
 * may be a wildcard if the account is fixed), s3:DataAccessPointAccount. `…IfExists`, `ForAllValues:`
 * and negated operators never pin.
 */
export function policyIsPublic(policyText: string): boolean {
  return statements(policyText).some((s) => s.Effect === 'Allow' && wildcardPrincipal(s) && !pinned(s.Condition));
}

const PINNING = new Set([
  'aws:sourceip',
  'aws:sourcearn',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:sourceowner',
  'aws:sourceaccount',
  'aws:principalorgid',
  'aws:principalaccount',
  'aws:userid',
  's3:dataaccesspointarn',
  's3:dataaccesspointaccount',
]);
const EQUALITY = new Set(['stringequals', 'stringequalsignorecase', 'stringlike', 'arnequals', 'arnlike']);

function wildcardPrincipal(s: Statement & { NotPrincipal?: unknown }): boolean {
  if (s.NotPrincipal !== undefined) return true;
  if (s.Principal === '*') return true;
  if (!s.Principal || typeof s.Principal !== 'object') return false;
  return Object.values(s.Principal).some((v) => asArray(v).some((p) => typeof p === 'string' && p.includes('*')));
}

function fixed(key: string, v: unknown): boolean {
  if (typeof v !== 'string' || v === '' || v.includes('${')) return false;
  if (key === 'aws:sourceip') return !/[*?]/.test(v) && !/\/0+$/.test(v.trim());
  if (!/[*?]/.test(v)) return true;
  if (key === 's3:dataaccesspointarn') return /^arn:[a-z-]+:s3:[a-z0-9-]*:[0-9]{12}:accesspoint\/[^:]*$/.test(v);
  if (key === 'aws:userid') return /^[A-Z0-9]+:\*$/.test(v);
  return false;
}

function pinned(condition: unknown): boolean {
  if (!condition || typeof condition !== 'object') return false;
  for (const [operator, block] of Object.entries(condition as Record<string, unknown>)) {
    const op = operator.toLowerCase();
    if (op.startsWith('forallvalues:') || op.endsWith('ifexists') || !block || typeof block !== 'object') continue;
    const base = op.replace(/^foranyvalue:/, '');
    for (const [key, values] of Object.entries(block as Record<string, unknown>)) {
      const k = key.toLowerCase();
      if (!PINNING.has(k)) continue;
      const list = asArray(values as unknown);
      if (list.length === 0) continue;
      const operatorFits = k === 'aws:sourceip' ? base === 'ipaddress' : EQUALITY.has(base);
      if (operatorFits && list.every((v) => fixed(k, v))) return true;
    }
  }
  return false;
}
