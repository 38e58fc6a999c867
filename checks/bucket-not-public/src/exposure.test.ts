import type { AclGrant, BucketAcl, Known, KnownError, PublicAccessBlock } from '@trailwarden/core';
import { describe, expect, it } from 'vitest';
import { publicAclGrants } from './acl.js';
import { type ExposureInputs, assessExposure } from './exposure.js';

const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const AUTH_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';

const owner: AclGrant = { grantee: { type: 'CanonicalUser', id: 'c0ffee' }, permission: 'FULL_CONTROL' };
const group = (uri: string, permission: AclGrant['permission'] = 'READ'): AclGrant => ({ grantee: { type: 'Group', uri }, permission });
const acl = (...grants: AclGrant[]): BucketAcl => ({ ownerId: 'c0ffee', grants: [owner, ...grants] });
const block = (s: Partial<PublicAccessBlock>): PublicAccessBlock => ({
  blockPublicAcls: false,
  ignorePublicAcls: false,
  blockPublicPolicy: false,
  restrictPublicBuckets: false,
  ...s,
});
const denied = (operation: string): KnownError => ({ code: 'AccessDenied', message: 'Access Denied', operation, accountId: '222222222222' });
const err = <T>(operation: string): Known<T> => ({ error: denied(operation) });
const publicPolicy = { Statement: [{ Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] };

const base: ExposureInputs = {
  acl: { value: acl() },
  policy: { value: null },
  policyStatus: { value: null },
  ownership: { value: 'BucketOwnerPreferred' },
  bucketBlock: { value: null },
  accountBlock: { value: null },
};
const assess = (over: Partial<ExposureInputs>) => assessExposure({ ...base, ...over });

describe('publicAclGrants', () => {
  it('finds AllUsers and AuthenticatedUsers grants, not LogDelivery or canonical users', () => {
    expect(publicAclGrants(acl(group(LOG_DELIVERY, 'WRITE'), group(AUTH_USERS, 'READ'), group(ALL_USERS, 'WRITE_ACP')))).toEqual([
      { group: 'AllUsers', permission: 'WRITE_ACP' },
      { group: 'AuthenticatedUsers', permission: 'READ' },
    ]);
    expect(publicAclGrants(acl())).toEqual([]);
    expect(publicAclGrants(acl(group('https://acs.amazonaws.com/groups/global/AllUsers')))).toHaveLength(1);
  });
});

describe('assessExposure', () => {
  it.each<[string, Partial<ExposureInputs>, 'public' | 'not-public' | 'unknown']>([
    ['private ACL, no policy', {}, 'not-public'],
    ['AllUsers READ', { acl: { value: acl(group(ALL_USERS)) } }, 'public'],
    ['AuthenticatedUsers READ is public (a peer mistake)', { acl: { value: acl(group(AUTH_USERS)) } }, 'public'],
    ['LogDelivery WRITE is not public', { acl: { value: acl(group(LOG_DELIVERY, 'WRITE')) } }, 'not-public'],
    ['AllUsers grant with ACLs disabled (BucketOwnerEnforced)', { acl: { value: acl(group(ALL_USERS)) }, ownership: { value: 'BucketOwnerEnforced' } }, 'not-public'],
    ['AllUsers grant with bucket IgnorePublicAcls', { acl: { value: acl(group(ALL_USERS)) }, bucketBlock: { value: block({ ignorePublicAcls: true }) } }, 'not-public'],
    ['AllUsers grant with account IgnorePublicAcls', { acl: { value: acl(group(ALL_USERS)) }, accountBlock: { value: block({ ignorePublicAcls: true }) } }, 'not-public'],
    ['AllUsers grant with only BlockPublicAcls (stops new grants, keeps old ones)', { acl: { value: acl(group(ALL_USERS)) }, bucketBlock: { value: block({ blockPublicAcls: true }) } }, 'public'],
    ['public policy', { policy: { value: publicPolicy } }, 'public'],
    ['public policy with bucket RestrictPublicBuckets', { policy: { value: publicPolicy }, bucketBlock: { value: block({ restrictPublicBuckets: true }) } }, 'not-public'],
    ['public policy with account RestrictPublicBuckets', { policy: { value: publicPolicy }, accountBlock: { value: block({ restrictPublicBuckets: true }) } }, 'not-public'],
    ['public policy with only BlockPublicPolicy (stops new policies, keeps the old one)', { policy: { value: publicPolicy }, bucketBlock: { value: block({ blockPublicPolicy: true }) } }, 'public'],
    ['public policy with IgnorePublicAcls only (wrong neutraliser)', { policy: { value: publicPolicy }, bucketBlock: { value: block({ ignorePublicAcls: true }) } }, 'public'],
    ['public ACL with RestrictPublicBuckets only (wrong neutraliser)', { acl: { value: acl(group(ALL_USERS)) }, bucketBlock: { value: block({ restrictPublicBuckets: true }) } }, 'public'],
    ['ACL unknown', { acl: err('GetBucketAcl') }, 'unknown'],
    ['ACL unknown but ACLs disabled', { acl: err('GetBucketAcl'), ownership: { value: 'BucketOwnerEnforced' } }, 'not-public'],
    ['ACL unknown but account IgnorePublicAcls', { acl: err('GetBucketAcl'), accountBlock: { value: block({ ignorePublicAcls: true }) } }, 'not-public'],
    ['public ACL and ownership unknown', { acl: { value: acl(group(ALL_USERS)) }, ownership: err('GetBucketOwnershipControls') }, 'unknown'],
    ['public ACL, ownership unknown, but IgnorePublicAcls on', { acl: { value: acl(group(ALL_USERS)) }, ownership: err('GetBucketOwnershipControls'), bucketBlock: { value: block({ ignorePublicAcls: true }) } }, 'not-public'],
    ['private ACL and ownership unknown (irrelevant)', { ownership: err('GetBucketOwnershipControls') }, 'not-public'],
    ['policy unknown', { policy: err('GetBucketPolicy') }, 'unknown'],
    ['policy unknown but RestrictPublicBuckets on', { policy: err('GetBucketPolicy'), bucketBlock: { value: block({ restrictPublicBuckets: true }) } }, 'not-public'],
    ['policy unknown and AWS says public', { policy: err('GetBucketPolicy'), policyStatus: { value: { isPublic: true } } }, 'public'],
    ['public policy and account block unknown', { policy: { value: publicPolicy }, accountBlock: err('GetPublicAccessBlock') }, 'unknown'],
    ['public ACL settles it even when the policy is unknown', { acl: { value: acl(group(AUTH_USERS)) }, policy: err('GetBucketPolicy') }, 'public'],
    ['malformed policy text', { policy: { value: '{"Statement": [' } }, 'unknown'],
    ['malformed policy text and AWS says public', { policy: { value: '{"Statement": [' }, policyStatus: { value: { isPublic: true } } }, 'public'],
    ['AWS says public, our analysis does not', { policyStatus: { value: { isPublic: true } }, policy: { value: { Statement: [] } } }, 'public'],
    ['AWS says public, RestrictPublicBuckets on', { policyStatus: { value: { isPublic: true } }, accountBlock: { value: block({ restrictPublicBuckets: true }) } }, 'not-public'],
    ['AWS policy status unknown is only evidence', { policyStatus: err('GetBucketPolicyStatus') }, 'not-public'],
    ['AWS policy status not collected is only evidence', { policyStatus: undefined }, 'not-public'],
  ])('%s → %s', (_name, over, verdict) => {
    expect(assess(over).verdict).toBe(verdict);
  });

  it('explains a public ACL and a public policy together', () => {
    const e = assess({ acl: { value: acl(group(AUTH_USERS)) }, policy: { value: publicPolicy } });
    expect(e.acl).toEqual({ state: 'public', reasons: ['its ACL grants READ to AuthenticatedUsers (anyone with an AWS account)'] });
    expect(e.policy.state).toBe('public');
    if (e.policy.state === 'public') expect(e.policy.reasons[0]).toMatch(/^its bucket policy statement "Open" \(#1\) allows s3:GetObject to Principal "\*"/);
    expect(e.awsDisagrees).toBe(false);
  });

  it('says when S3 disagrees with our analysis', () => {
    const e = assess({ policyStatus: { value: { isPublic: true } }, policy: { value: { Statement: [] } } });
    expect(e.awsDisagrees).toBe(true);
    if (e.policy.state === 'public') expect(e.policy.reasons[0]).toMatch(/S3 reports its bucket policy as public .* although our analysis/);
  });

  it('our analysis says public, S3 says not: unknown, with both views (never a FAIL)', () => {
    const e = assess({ policyStatus: { value: { isPublic: false } }, policy: { value: publicPolicy } });
    expect(e.verdict).toBe('unknown');
    expect(e.awsDisagrees).toBe(true);
    expect(e.policy.state === 'unknown' && e.policy.why[0]).toMatch(/allows s3:GetObject to Principal "\*".* but S3's own GetBucketPolicyStatus says IsPublic false/);
    // Control: S3 agreeing (or not read) keeps the FAIL.
    expect(assess({ policyStatus: { value: { isPublic: true } }, policy: { value: publicPolicy } }).verdict).toBe('public');
    expect(assess({ policyStatus: undefined, policy: { value: publicPolicy } }).verdict).toBe('public');
  });

  it('names what neutralised a public grant, and the unknowns', () => {
    const n = assess({ acl: { value: acl(group(ALL_USERS)) }, ownership: { value: 'BucketOwnerEnforced' }, accountBlock: { value: block({ ignorePublicAcls: true }) } });
    expect(n.acl).toEqual({
      state: 'neutralised',
      by: ['Object Ownership BucketOwnerEnforced (ACLs disabled)', 'account Block Public Access IgnorePublicAcls'],
      wouldBe: ['its ACL grants READ to AllUsers (anyone on the internet)'],
    });
    const u = assess({ policy: { value: publicPolicy }, bucketBlock: err('GetPublicAccessBlock') });
    expect(u.policy.state).toBe('unknown');
    if (u.policy.state === 'unknown') {
      expect(u.policy.why[0]).toMatch(/whether that is neutralised is unknown: bucket Block Public Access RestrictPublicBuckets is unknown \(GetPublicAccessBlock failed in account 222222222222: AccessDenied/);
      expect(u.policy.errors).toEqual([denied('GetPublicAccessBlock')]);
    }
    const m = assess({ policy: { value: 'not json' } });
    if (m.policy.state === 'unknown') expect(m.policy.why).toEqual(['the bucket policy is not valid JSON (text begins "not json"), so it cannot be analysed']);
  });
});
