import { type KnownError, isUnknown } from '@trailwarden/core';
import { type IamModel, NOT_IN_ORGANIZATION } from '@trailwarden/iam';

/**
 * Why the SCPs (or RCPs) that bear on an account are unknown, or undefined when they are known (or
 * cannot apply: no organization, the management account, an account outside the organization).
 * SCPs and RCPs only ever take permissions away, so a verdict of "cannot tamper" stands without
 * them; "can tamper" does not: it would be computed as if there were none.
 *
 * Reading SCPs needs the management account or an Organizations resource-based delegation policy;
 * a delegated administrator of CloudTrail gets AccessDenied (see the README).
 */
export function orgPolicyGap(model: IamModel, kind: 'scp' | 'rcp', accountId: string): string | undefined {
  const org = model.organization;
  if (!org) return undefined;
  if (isUnknown(org)) {
    if (org.error.code === NOT_IN_ORGANIZATION) return undefined;
    return `the organization could not be read (${describe(org.error)}), so whether ${kind === 'scp' ? 'an SCP' : 'an RCP'} restricts account ${accountId} is unknown`;
  }
  const member = org.value.accounts.find((a) => a.id === accountId);
  if (!member || accountId === org.value.managementAccountId) return undefined;
  const list = org.value.policies[kind];
  if (isUnknown(list)) {
    return `the ${kind.toUpperCase()}s could not be read (${describe(list.error)}; reading them needs the management account or an AWS Organizations delegation policy)`;
  }
  const path = new Set([...member.ouPath, accountId]);
  const broken = model.orgPolicyProblems.find(
    (p) => p.kind === kind && p.policyId !== undefined && list.value.find((x) => x.id === p.policyId)?.targets.some((t) => path.has(t)),
  );
  return broken ? `${kind.toUpperCase()} ${broken.policy} (${broken.policyId}) on the path of account ${accountId} is malformed (${broken.message})` : undefined;
}

function describe(e: KnownError): string {
  return `${e.operation}: ${e.code}`;
}
