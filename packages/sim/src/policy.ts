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
 * S3's "public" test, simplified: an Allow to every principal (`*` or `{"AWS":"*"}`) without a Condition
 * (S3 user guide, "The meaning of public").
 */
export function policyIsPublic(policyText: string): boolean {
  return statements(policyText).some((s) => {
    if (s.Effect !== 'Allow' || s.Condition !== undefined) return false;
    if (s.Principal === '*') return true;
    return typeof s.Principal === 'object' && s.Principal !== null && asArray(s.Principal.AWS).includes('*');
  });
}
