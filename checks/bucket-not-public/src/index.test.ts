import type { AccessPoint, JsonValue, PublicAccessBlock, Snapshot } from '@trailwarden/core';
import { CheckTester, type BucketInput, account, aclGrants, bucket, organization, runCheck, snapshot, trail, unreadable } from '@trailwarden/testing';
import { describe, expect, it } from 'vitest';
import check from './index.js';

const A = '111111111111';
const LOG_ARCHIVE = '222222222222';
const B = 'trail-logs';

/** One account, one trail, its bucket as given; account-level Block Public Access off unless given. */
const single = (input: BucketInput, accountBlock: Partial<PublicAccessBlock> | null | ReturnType<typeof unreadable> = null): Snapshot =>
  snapshot({ accounts: [account(A, { trails: [trail({ name: 'main', bucket: B })], buckets: [bucket(B, input)], publicAccessBlock: accountBlock })] });

/** ACLs in force (ObjectWriter) and no bucket-level Block Public Access: the ACL decides. */
const aclOpen: BucketInput = { ownership: 'ObjectWriter', publicAccessBlock: null };
/** No bucket-level Block Public Access: the policy decides. */
const policyOpen: BucketInput = { publicAccessBlock: null };

const doc = (...statements: JsonValue[]): JsonValue => ({ Version: '2012-10-17', Statement: statements });
const open = (condition?: JsonValue, principal: JsonValue = '*'): JsonValue => ({
  Sid: 'Read',
  Effect: 'Allow',
  Principal: principal,
  Action: 's3:GetObject',
  Resource: `arn:aws:s3:::${B}/*`,
  ...(condition === undefined ? {} : { Condition: condition }),
});

new CheckTester().run(check, {
  valid: [
    { name: 'the kit default: CloudTrail delivery policy, ACLs disabled, all Block Public Access on', snapshot: () => single({}, {}) },
    { name: 'no account-level Block Public Access, private bucket', snapshot: () => single({ ...aclOpen, policy: null }) },
    { name: 'LogDelivery WRITE grant is not public', snapshot: () => single({ ...aclOpen, acl: { grants: [aclGrants.owner(A), aclGrants.logDelivery()] } }) },
    {
      name: 'AllUsers grant neutralised by ACLs disabled (BucketOwnerEnforced)',
      snapshot: () => single({ ownership: 'BucketOwnerEnforced', publicAccessBlock: null, acl: { grants: [aclGrants.allUsers()] } }),
    },
    {
      name: 'AllUsers grant neutralised by bucket IgnorePublicAcls',
      snapshot: () => single({ ownership: 'ObjectWriter', publicAccessBlock: { blockPublicAcls: false, ignorePublicAcls: true }, acl: { grants: [aclGrants.allUsers()] } }),
    },
    {
      name: 'AuthenticatedUsers grant neutralised by account IgnorePublicAcls',
      snapshot: () => single({ ...aclOpen, acl: { grants: [aclGrants.authenticatedUsers()] } }, { ignorePublicAcls: true, restrictPublicBuckets: false }),
    },
    {
      name: 'Principal "*" pinned by aws:PrincipalOrgID is not public (a peer mistake)',
      snapshot: () => single({ ...policyOpen, policy: doc(open({ StringEquals: { 'aws:PrincipalOrgID': 'o-abc123def4' } })) }),
    },
    {
      name: 'Principal {"AWS": "*"} pinned by aws:SourceVpce',
      snapshot: () => single({ ...policyOpen, policy: doc(open({ StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } }, { AWS: '*' })) }),
    },
    { name: 'Principal "*" pinned by a corporate aws:SourceIp range', snapshot: () => single({ ...policyOpen, policy: doc(open({ IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } })) }) },
    {
      name: 'public policy neutralised by bucket RestrictPublicBuckets',
      snapshot: () => single({ publicAccessBlock: { blockPublicPolicy: false, restrictPublicBuckets: true }, policy: doc(open()) }),
    },
    {
      name: 'public policy neutralised by account RestrictPublicBuckets (AWS IsPublic true is expected then)',
      snapshot: () => single({ ...policyOpen, policy: doc(open()), policyStatus: { isPublic: true } }, { restrictPublicBuckets: true }),
    },
    { name: 'unreadable ACL does not matter when ACLs are disabled', snapshot: () => single({ acl: unreadable('AccessDenied', 'GetBucketAcl') }) },
    { name: 'unreadable policy status is only evidence', snapshot: () => single({ ...policyOpen, policyStatus: unreadable('AccessDenied', 'GetBucketPolicyStatus') }) },
  ],
  invalid: [
    {
      name: 'AllUsers READ',
      snapshot: () => single({ ...aclOpen, acl: { grants: [aclGrants.owner(A), aclGrants.allUsers()] } }),
      findings: [
        {
          status: 'FAIL',
          messageId: 'publicAcl',
          resource: B,
          accountId: A,
          data: { bucket: B, trails: 'trail main', reasons: 'its ACL grants READ to AllUsers (anyone on the internet)', fix: /^aws s3api put-public-access-block --bucket trail-logs / },
          message: `Bucket ${B} (CloudTrail logs of trail main) is public: its ACL grants READ to AllUsers (anyone on the internet). Fix: aws s3api put-public-access-block --bucket ${B} --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`,
        },
      ],
    },
    {
      name: 'AuthenticatedUsers READ is public (Prowler passes it)',
      snapshot: () => single({ ...aclOpen, acl: { grants: [aclGrants.authenticatedUsers()] } }),
      findings: [{ status: 'FAIL', messageId: 'publicAcl', data: { reasons: /READ to AuthenticatedUsers \(anyone with an AWS account\)/ } }],
    },
    {
      name: 'AllUsers WRITE_ACP with only BlockPublicAcls (which does not affect existing grants)',
      snapshot: () => single({ ownership: 'ObjectWriter', publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: false }, acl: { grants: [aclGrants.allUsers('WRITE_ACP')] } }),
      findings: [{ status: 'FAIL', messageId: 'publicAcl', data: { reasons: /WRITE_ACP to AllUsers/ } }],
    },
    {
      name: 'Principal "*" without condition (Prowler ignores policies)',
      snapshot: () => single({ ...policyOpen, policy: doc(open()) }),
      findings: [{ status: 'FAIL', messageId: 'publicPolicy', data: { reasons: /its bucket policy statement "Read" \(#1\) allows s3:GetObject to Principal "\*" with no condition/ } }],
    },
    {
      name: 'Principal {"AWS": "*"} with only BlockPublicPolicy (which does not affect an existing policy)',
      snapshot: () => single({ publicAccessBlock: { blockPublicPolicy: true, restrictPublicBuckets: false }, policy: doc(open(undefined, { AWS: '*' })) }),
      findings: [{ status: 'FAIL', messageId: 'publicPolicy', data: { reasons: /to Principal \{"AWS": "\*"\}/ } }],
    },
    {
      name: 'aws:SourceIp 0.0.0.0/0 pins nothing',
      snapshot: () => single({ ...policyOpen, policy: doc(open({ IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } })) }),
      findings: [{ status: 'FAIL', messageId: 'publicPolicy' }],
    },
    {
      name: 'aws:PrincipalOrgID with a wildcard pins nothing',
      snapshot: () => single({ ...policyOpen, policy: doc(open({ StringLike: { 'aws:PrincipalOrgID': 'o-*' } })) }),
      findings: [{ status: 'FAIL', messageId: 'publicPolicy' }],
    },
    {
      name: 'aws:SourceArn with IfExists pins nothing',
      snapshot: () => single({ ...policyOpen, policy: doc(open({ ArnEqualsIfExists: { 'aws:SourceArn': 'arn:aws:cloudtrail:us-east-1:111111111111:trail/main' } })) }),
      findings: [{ status: 'FAIL', messageId: 'publicPolicy' }],
    },
    {
      name: 'public by ACL and by policy',
      snapshot: () => single({ ...aclOpen, acl: { grants: [aclGrants.allUsers()] }, policy: doc(open()) }),
      findings: [{ status: 'FAIL', messageId: 'publicAclAndPolicy', data: { reasons: /^its ACL grants READ to AllUsers .*; its bucket policy statement "Read"/ } }],
    },
    {
      name: 'AWS says public while our analysis says not: FAIL and say so',
      snapshot: () => single({ ...policyOpen, policy: doc(open({ StringEquals: { 'aws:PrincipalOrgID': 'o-abc123def4' } })), policyStatus: { isPublic: true } }),
      findings: [{ status: 'FAIL', messageId: 'awsSaysPublic', data: { reasons: /^S3 reports its bucket policy as public \(GetBucketPolicyStatus IsPublic\), although our analysis of the policy found no public statement/ } }],
    },
    {
      name: 'malformed policy text → ERROR naming it',
      snapshot: () => single({ ...policyOpen, policy: '{"Version": "2012-10-17", "Statement": [' }),
      findings: [
        {
          status: 'ERROR',
          resource: B,
          messageId: 'undecided',
          data: { bucket: B, why: /^the bucket policy is not valid JSON \(text begins .*\), so it cannot be analysed$/ },
          message: /^Cannot decide whether bucket trail-logs is public: the bucket policy is not valid JSON \(text begins .*\), so it cannot be analysed\.$/,
        },
      ],
    },
    {
      name: 'malformed policy but AWS says public → FAIL',
      snapshot: () => single({ ...policyOpen, policy: 'garbage', policyStatus: { isPublic: true } }),
      findings: [{ status: 'FAIL', messageId: 'publicPolicy', data: { reasons: /S3 reports its bucket policy as public .* and the bucket policy is not valid JSON/ } }],
    },
    {
      name: 'unreadable ACL with ACLs in force → ERROR',
      snapshot: () => single({ ...aclOpen, acl: unreadable('AccessDenied', 'GetBucketAcl') }),
      findings: [{ status: 'ERROR', messageId: 'undecided', data: { bucket: B, why: /^the ACL is unknown \(GetBucketAcl failed in account 111111111111, region us-east-1: AccessDenied/ } }],
    },
    {
      name: 'unreadable policy without RestrictPublicBuckets → ERROR',
      snapshot: () => single({ ...policyOpen, policy: unreadable('AccessDenied', 'GetBucketPolicy') }),
      findings: [{ status: 'ERROR', messageId: 'undecided', data: { why: /the bucket policy is unknown \(GetBucketPolicy failed/ } }],
    },
    {
      name: 'public policy and unreadable account Block Public Access → ERROR',
      snapshot: () => single({ ...policyOpen, policy: doc(open()) }, unreadable('AccessDenied', 's3control:GetPublicAccessBlock')),
      findings: [{ status: 'ERROR', messageId: 'undecided', data: { why: /whether that is neutralised is unknown: account Block Public Access RestrictPublicBuckets is unknown \(s3control:GetPublicAccessBlock failed/ } }],
    },
    {
      name: 'public ACL settles it even with an unreadable policy',
      snapshot: () => single({ ...aclOpen, acl: { grants: [aclGrants.authenticatedUsers()] }, policy: unreadable('AccessDenied', 'GetBucketPolicy') }),
      findings: [{ status: 'FAIL', messageId: 'publicAcl' }],
    },
  ],
});

/** A log-archive account owning the organization trail's bucket. */
const orgSnapshot = (archiveBucket: BucketInput, archiveBlock: Partial<PublicAccessBlock> | null, managementBlock: Partial<PublicAccessBlock> | null): Snapshot =>
  snapshot({
    organization: organization({ managementAccountId: A }),
    accounts: [
      account(A, { trails: [trail({ name: 'org-trail', organization: true, bucket: 'org-logs' })], publicAccessBlock: managementBlock }),
      account(LOG_ARCHIVE, { buckets: [bucket('org-logs', archiveBucket)], publicAccessBlock: archiveBlock }),
      account('333333333333', { trails: [trail({ name: 'local', bucket: 'org-logs' })] }),
    ],
  });

new CheckTester().run(check, {
  valid: [
    {
      name: 'cross-account: the owner account IgnorePublicAcls neutralises, whatever the trail accounts have',
      snapshot: () => orgSnapshot({ ...aclOpen, acl: { grants: [aclGrants.allUsers()] } }, { ignorePublicAcls: true }, null),
    },
  ],
  invalid: [
    {
      name: 'cross-account: judged once, against the owner (log-archive) account and its Block Public Access',
      snapshot: () => orgSnapshot({ ...aclOpen, acl: { grants: [aclGrants.allUsers()] } }, null, {}),
      findings: [{ status: 'FAIL', messageId: 'publicAcl', resource: 'org-logs', accountId: LOG_ARCHIVE, data: { bucket: 'org-logs', trails: 'trails local, org-trail' } }],
    },
    {
      name: 'a bucket owned outside the scanned accounts → ERROR from the engine',
      snapshot: () => snapshot({ accounts: [account(A, { trails: [trail({ name: 'main', bucket: 'elsewhere', unresolved: { bucket: true } })] })] }),
      findings: [{ status: 'ERROR', resource: 'elsewhere', messageId: 'core.cannotDecide', data: { code: 'BucketOutOfScope', operation: 'ListBuckets' } }],
    },
  ],
});

/** An access point of bucket B in account A, us-east-1. */
const ap = (name: string, over: Partial<AccessPoint> = {}): AccessPoint => ({
  name,
  arn: `arn:aws:s3:us-east-1:${A}:accesspoint/${name}`,
  networkOrigin: 'Internet',
  policyStatus: { value: { isPublic: false } },
  ...over,
});
const publicAp = (name: string, restrict = false): AccessPoint =>
  ap(name, {
    policyStatus: { value: { isPublic: true } },
    publicAccessBlock: { value: { blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: restrict } },
    policy: { value: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }] } },
  });
const denied = (operation: string) => ({ error: { code: 'AccessDenied', message: 'Access Denied', operation, accountId: A, region: 'us-east-1' } });

new CheckTester().run(check, {
  valid: [
    { name: 'access points whose policies S3 says are not public', snapshot: () => single({ ...policyOpen, accessPoints: [ap('analytics'), ap('no-policy', { policyStatus: { value: null } })] }) },
    { name: 'a public access point neutralised by its own RestrictPublicBuckets', snapshot: () => single({ ...policyOpen, accessPoints: [publicAp('open', true)] }) },
    { name: 'a public access point neutralised by the bucket RestrictPublicBuckets', snapshot: () => single({ accessPoints: [publicAp('open')] }) },
    { name: 'a public access point neutralised by the account RestrictPublicBuckets', snapshot: () => single({ ...policyOpen, accessPoints: [publicAp('open')] }, { restrictPublicBuckets: true }) },
    { name: 'a VPC-only access point is not public', snapshot: () => single({ ...policyOpen, accessPoints: [{ ...publicAp('inside'), networkOrigin: 'VPC' }] }) },
    { name: 'unreadable access points do not matter under the bucket RestrictPublicBuckets', snapshot: () => single({ accessPoints: unreadable('AccessDenied', 'ListAccessPoints') }) },
  ],
  invalid: [
    {
      name: 'a public access point of the trail bucket → FAIL naming it',
      snapshot: () => single({ ...policyOpen, accessPoints: [ap('analytics'), publicAp('open')] }),
      findings: [
        {
          status: 'FAIL',
          messageId: 'publicAccessPoint',
          data: { accessPoints: 'open', reasons: `its access point open (arn:aws:s3:us-east-1:${A}:accesspoint/open) has a policy S3 reports as public (GetAccessPointPolicyStatus IsPublic)` },
          message: new RegExp(
            `^Bucket ${B} \\(CloudTrail logs of trail main\\) is public through its access points open: its access point open \\(arn:aws:s3:us-east-1:${A}:accesspoint/open\\) has a policy S3 reports as public \\(GetAccessPointPolicyStatus IsPublic\\)\\. Fix: remove or pin the access point policy, or aws s3api put-public-access-block --bucket ${B} `,
          ),
        },
      ],
    },
    {
      name: 'access points that could not be listed → ERROR, never a PASS',
      snapshot: () => single({ ...policyOpen, accessPoints: unreadable('AccessDenied', 'ListAccessPoints') }),
      findings: [{ status: 'ERROR', messageId: 'undecided', data: { why: /its access points are unknown \(ListAccessPoints failed in account 111111111111, region us-east-1: AccessDenied/ } }],
    },
    {
      name: "an access point's unreadable policy status → ERROR naming it",
      snapshot: () => single({ ...policyOpen, accessPoints: [ap('analytics', { policyStatus: denied('GetAccessPointPolicyStatus') })] }),
      findings: [{ status: 'ERROR', messageId: 'undecided', data: { why: /the policy status of its access point analytics \(arn:aws:s3:us-east-1:111111111111:accesspoint\/analytics\) is unknown \(GetAccessPointPolicyStatus failed/ } }],
    },
    {
      name: "a public access point whose own Block Public Access is unreadable → ERROR",
      snapshot: () => single({ ...policyOpen, accessPoints: [{ ...publicAp('open'), publicAccessBlock: denied('GetAccessPoint') }] }),
      findings: [{ status: 'ERROR', messageId: 'undecided', data: { why: /open: access point Block Public Access RestrictPublicBuckets is unknown \(GetAccessPoint failed/ } }],
    },
    {
      name: 'public by policy and through an access point: both named',
      snapshot: () => single({ ...policyOpen, policy: doc(open()), accessPoints: [publicAp('open')] }),
      findings: [{ status: 'FAIL', messageId: 'publicPolicy', data: { reasons: /its bucket policy statement "Read".*; its access point open/, accessPoints: 'open' } }],
    },
  ],
});

describe('trail-bucket-not-public findings', () => {
  it('reports one finding per bucket and puts the trails and settings in evidence', async () => {
    const findings = await runCheck(check, orgSnapshot({ ...policyOpen, policy: doc(open({ StringEquals: { 'aws:PrincipalOrgID': 'o-abc123def4' } })) }, null, null));
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect(f.status).toBe('PASS');
    expect(f).toMatchObject({
      messageId: 'notPublic',
      data: { bucket: 'org-logs', trails: 'trails local, org-trail', summary: 'no public ACL grant; no public bucket policy statement; no access point' },
    });
    expect(f.message).toBe('Bucket org-logs (CloudTrail logs of trails local, org-trail) is not public: no public ACL grant; no public bucket policy statement; no access point.');
    expect(f.evidence.trails).toEqual([
      'arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail',
      'arn:aws:cloudtrail:us-east-1:333333333333:trail/local',
    ]);
    expect(f.evidence.pinnedPolicyStatements).toEqual([{ index: 0, sid: 'Read', pinnedBy: 'StringEquals aws:PrincipalOrgID' }]);
    expect(f.evidence.objectOwnership).toBe('BucketOwnerEnforced');
    expect(f.evidence.accountPublicAccessBlock).toBeNull();
    expect(f.evidence.awsPolicyStatus).toEqual({ isPublic: false });
    expect(f.frameworks).toMatchObject({ 'cis-aws-1.2.0': ['2.3'], 'aws-fsbp': ['CloudTrail.6'] });
  });

  it('says in the message what neutralised a public grant', async () => {
    const [f] = await runCheck(check, single({ ownership: 'BucketOwnerEnforced', publicAccessBlock: null, acl: { grants: [aclGrants.allUsers()] } }));
    expect(f?.message).toMatch(/its ACL grants READ to AllUsers \(anyone on the internet\), but Object Ownership BucketOwnerEnforced \(ACLs disabled\) neutralises it/);
    expect(f?.evidence.aclNeutralisedBy).toEqual(['Object Ownership BucketOwnerEnforced (ACLs disabled)']);
  });

  it('puts the access points and what S3 says of each in evidence', async () => {
    const [f] = await runCheck(check, single({ ...policyOpen, accessPoints: [ap('analytics'), publicAp('open')] }));
    expect(f?.evidence.publicAccessPoints).toEqual(['open']);
    expect(f?.evidence.accessPoints).toEqual([
      { name: 'analytics', arn: `arn:aws:s3:us-east-1:${A}:accesspoint/analytics`, networkOrigin: 'Internet', awsPolicyStatus: { isPublic: false } },
      {
        name: 'open',
        arn: `arn:aws:s3:us-east-1:${A}:accesspoint/open`,
        networkOrigin: 'Internet',
        awsPolicyStatus: { isPublic: true },
        publicAccessBlock: { blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false },
        policy: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }] },
      },
    ]);
  });

  it('a snapshot from before access points were collected: evidence says so, the verdict is as before', async () => {
    const snap = single(policyOpen);
    delete snap.accounts[A]!.buckets![B]!.accessPoints;
    const [f] = await runCheck(check, snap);
    expect(f?.status).toBe('PASS');
    expect(f?.messageId).toBe('notPublic');
    expect(f?.data?.summary).toMatch(/; access points not collected$/);
    expect(f?.message).toMatch(/; access points not collected\.$/);
    expect(f?.evidence.accessPoints).toBe('not collected');
  });

  it('reports ERROR when a setting was not collected at all', async () => {
    const snap = single(aclOpen);
    delete snap.accounts[A]!.buckets![B]!.acl;
    const [f] = await runCheck(check, snap);
    expect(f?.status).toBe('ERROR');
    expect(f?.messageId).toBe('undecided');
    expect(f?.message).toMatch(/the ACL is unknown \(GetBucketAcl failed in account 111111111111, region us-east-1: NotCollected/);
  });

  it('reports ERROR naming the call when the account Block Public Access was not collected and it matters', async () => {
    const snap = single({ ...policyOpen, policy: doc(open()) });
    delete snap.accounts[A]!.s3AccountPublicAccessBlock;
    const [f] = await runCheck(check, snap);
    expect(f).toMatchObject({ status: 'ERROR', messageId: 'undecided' });
    expect(f?.data?.why).toMatch(/account Block Public Access RestrictPublicBuckets is unknown \(GetPublicAccessBlock failed in account 111111111111: NotCollected/);
    expect(f?.evidence.accountPublicAccessBlock).toBe('not collected');
  });
});
