import { type AclGrant, type BucketAcl, compareStrings } from '@trailwarden/core';

/**
 * Public ACL grants: to AllUsers (anyone, anonymously) or to AuthenticatedUsers (anyone with any AWS
 * account — not "our" users, a mistake peers make). LogDelivery and canonical-user grants are not public.
 */
export type PublicGroup = 'AllUsers' | 'AuthenticatedUsers';

export interface PublicGrant {
  group: PublicGroup;
  permission: AclGrant['permission'];
}

const PUBLIC_GROUP_URI = /^https?:\/\/acs\.amazonaws\.com\/groups\/global\/(AllUsers|AuthenticatedUsers)\/?$/;

export function publicAclGrants(acl: BucketAcl): PublicGrant[] {
  const out: PublicGrant[] = [];
  for (const grant of acl.grants ?? []) {
    if (grant.grantee?.type !== 'Group' || typeof grant.grantee.uri !== 'string') continue;
    const m = PUBLIC_GROUP_URI.exec(grant.grantee.uri.trim());
    if (m) out.push({ group: m[1] as PublicGroup, permission: grant.permission });
  }
  return out.sort((a, b) => compareStrings(`${a.group} ${a.permission}`, `${b.group} ${b.permission}`));
}

export function describeGrant(g: PublicGrant): string {
  const who = g.group === 'AllUsers' ? 'AllUsers (anyone on the internet)' : 'AuthenticatedUsers (anyone with an AWS account)';
  return `${g.permission} to ${who}`;
}
