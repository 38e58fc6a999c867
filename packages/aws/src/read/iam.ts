import {
  type AttachedPolicy,
  GetAccountAuthorizationDetailsCommand,
  type GetAccountAuthorizationDetailsCommandOutput,
  type PolicyDetail,
  type Tag,
} from '@aws-sdk/client-iam';
import type { IamAttachedPolicy, IamData, IamInlinePolicy, IamTag, Known } from '@trailwarden/core';
import { compareStrings } from '../arn.js';
import { compact, parsePolicy, readKnown } from '../known-read.js';
import type { Metrics } from '../pacing/metrics.js';
import type { AccountSession } from '../session.js';

/** GetAccountAuthorizationDetails, every page, documents URL-decoded and parsed. */
export async function readIam(session: AccountSession, homeRegion: string, metrics: Metrics): Promise<Known<IamData>> {
  return readKnown({ accountId: session.accountId, region: homeRegion, metrics }, 'GetAccountAuthorizationDetails', async () => {
    const data: IamData = { users: [], groups: [], roles: [], policies: [] };
    let marker: string | undefined;
    do {
      const page = await session.send<GetAccountAuthorizationDetailsCommandOutput>(
        'iam',
        homeRegion,
        new GetAccountAuthorizationDetailsCommand(marker ? { MaxItems: 1000, Marker: marker } : { MaxItems: 1000 }),
      );
      addPage(data, page);
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    data.users.sort((a, b) => compareStrings(a.arn, b.arn));
    data.groups.sort((a, b) => compareStrings(a.arn, b.arn));
    data.roles.sort((a, b) => compareStrings(a.arn, b.arn));
    data.policies.sort((a, b) => compareStrings(a.arn, b.arn));
    return data;
  });
}

function addPage(data: IamData, page: GetAccountAuthorizationDetailsCommandOutput): void {
  for (const u of page.UserDetailList ?? []) {
    data.users.push(
      compact({
        arn: u.Arn ?? '',
        name: u.UserName ?? '',
        id: u.UserId ?? '',
        path: u.Path ?? '/',
        groups: u.GroupList ?? [],
        attachedPolicies: attached(u.AttachedManagedPolicies),
        inlinePolicies: inline(u.UserPolicyList),
        permissionsBoundary: u.PermissionsBoundary?.PermissionsBoundaryArn,
        tags: tags(u.Tags),
      }),
    );
  }
  for (const g of page.GroupDetailList ?? []) {
    data.groups.push({
      arn: g.Arn ?? '',
      name: g.GroupName ?? '',
      id: g.GroupId ?? '',
      path: g.Path ?? '/',
      attachedPolicies: attached(g.AttachedManagedPolicies),
      inlinePolicies: inline(g.GroupPolicyList),
    });
  }
  for (const r of page.RoleDetailList ?? []) {
    data.roles.push(
      compact({
        arn: r.Arn ?? '',
        name: r.RoleName ?? '',
        id: r.RoleId ?? '',
        path: r.Path ?? '/',
        assumeRolePolicy: parsePolicy(r.AssumeRolePolicyDocument, true),
        attachedPolicies: attached(r.AttachedManagedPolicies),
        inlinePolicies: inline(r.RolePolicyList),
        permissionsBoundary: r.PermissionsBoundary?.PermissionsBoundaryArn,
        tags: tags(r.Tags),
      }),
    );
  }
  for (const p of page.Policies ?? []) {
    const version = p.PolicyVersionList?.find((v) => v.IsDefaultVersion) ?? p.PolicyVersionList?.find((v) => v.VersionId === p.DefaultVersionId);
    data.policies.push(
      compact({
        arn: p.Arn ?? '',
        name: p.PolicyName ?? '',
        id: p.PolicyId ?? '',
        path: p.Path ?? '/',
        document: parsePolicy(version?.Document, true),
        attachmentCount: p.AttachmentCount,
        isAttachable: p.IsAttachable,
      }),
    );
  }
}

function attached(list: AttachedPolicy[] | undefined): IamAttachedPolicy[] {
  return (list ?? []).map((p) => ({ arn: p.PolicyArn ?? '', name: p.PolicyName ?? '' }));
}

function inline(list: PolicyDetail[] | undefined): IamInlinePolicy[] {
  return (list ?? []).map((p) => ({ name: p.PolicyName ?? '', document: parsePolicy(p.PolicyDocument, true) }));
}

function tags(list: Tag[] | undefined): IamTag[] {
  return (list ?? []).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' }));
}
