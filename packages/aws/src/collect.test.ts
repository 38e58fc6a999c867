import { DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { ListPoliciesCommand } from '@aws-sdk/client-organizations';
import { GetBucketPolicyCommand } from '@aws-sdk/client-s3';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { SNAPSHOT_SECTIONS, validateSnapshot } from '@trailwarden/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ARCHIVE_BUCKET,
  awsError,
  CALLER_CREDENTIALS,
  DENIED,
  defaultWorld,
  FOREIGN_BUCKET,
  LOCAL_BUCKET,
  LOCAL_TRAIL_ARN,
  LOGS,
  MEMBER,
  MGMT,
  type Mocks,
  mockWorld,
  ORG_KEY_ARN,
  ORG_TRAIL_ARN,
  OU_SEC,
  OU_WORK,
  ROOT,
  type World,
} from './__fixtures__/mock-world.js';
import { type CollectOptions, type CollectProgress, collect } from './index.js';

let mocks: Mocks | undefined;
afterEach(() => {
  mocks?.restore();
  mocks = undefined;
});

const NOW = () => new Date('2026-11-21T12:00:00Z');

function run(world: World, extra: Partial<CollectOptions> = {}) {
  mocks = mockWorld(world);
  return collect({ sections: [...SNAPSHOT_SECTIONS], credentials: CALLER_CREDENTIALS, now: NOW, endpointUrl: 'http://127.0.0.1:1', ...extra });
}

describe('collect() — organization scan', () => {
  it('discovers the organization (OU paths, paged account list, SCP targets) and validates', async () => {
    const snapshot = await run(defaultWorld());
    expect(() => validateSnapshot(JSON.parse(JSON.stringify(snapshot)))).not.toThrow();
    expect(snapshot.scope.mode).toBe('organization');
    expect(snapshot.scope.accounts).toEqual([MGMT, LOGS, MEMBER, DENIED]);
    expect(snapshot.scope.notes?.join(' ')).toMatch(/555555555555 \(SUSPENDED\)/);
    const org = snapshot.organization?.value;
    expect(org?.managementAccountId).toBe(MGMT);
    expect(org?.accounts.map((a) => [a.id, a.ouPath])).toEqual([
      [MGMT, [ROOT]],
      [LOGS, [ROOT, OU_SEC]],
      [MEMBER, [ROOT, OU_WORK]],
      [DENIED, [ROOT, OU_WORK]],
      ['555555555555', [ROOT, OU_WORK]],
    ]);
    expect(org?.policies.scp.value?.[0]).toMatchObject({ id: 'p-protect', targets: [OU_WORK, ROOT].sort(), document: { Statement: [{ Effect: 'Deny' }] } });
    expect(org?.policies.rcp).toEqual({ value: [] });
    expect(snapshot.partition).toBe('aws');
    expect(snapshot.collectedAt).toBe('2026-11-21T12:00:00.000Z');
  });

  it('reads the caller account with its own credentials and assumes the role elsewhere (session trailwarden)', async () => {
    const snapshot = await run(defaultWorld(), { roleName: 'AuditRole', externalId: 'ext-1' });
    expect(snapshot.accounts[MGMT]!.access).toEqual({ value: { via: 'caller' } });
    expect(snapshot.accounts[LOGS]!.access).toEqual({ value: { via: 'role', roleArn: `arn:aws:iam::${LOGS}:role/AuditRole` } });
    const assumed = mocks!.sts.commandCalls(AssumeRoleCommand as never).map((c) => c.args[0].input as { RoleArn: string; RoleSessionName: string; ExternalId: string });
    expect(assumed.map((a) => a.RoleArn.split(':')[4]).sort()).toEqual([LOGS, MEMBER, DENIED].sort());
    expect(new Set(assumed.map((a) => a.RoleSessionName))).toEqual(new Set(['trailwarden']));
    expect(new Set(assumed.map((a) => a.ExternalId))).toEqual(new Set(['ext-1']));
  });

  it('a failed AssumeRole is an ERROR for that account, and nothing else is read there', async () => {
    const snapshot = await run(defaultWorld());
    const denied = snapshot.accounts[DENIED]!;
    expect(denied.access.error).toMatchObject({ code: 'AccessDenied', operation: 'AssumeRole', accountId: DENIED });
    expect(denied.trails).toBeUndefined();
    expect(denied.iam).toBeUndefined();
    // AccessDenied is never retried.
    const denies = mocks!.sts.commandCalls(AssumeRoleCommand as never).filter((c) => (c.args[0].input as { RoleArn: string }).RoleArn.includes(DENIED));
    expect(denies).toHaveLength(1);
  });

  it('lists only enabled regions and de-duplicates shadow copies of multi-region trails by ARN', async () => {
    const snapshot = await run(defaultWorld());
    const member = snapshot.accounts[MEMBER]!;
    expect(member.regions?.value?.find((r) => r.name === 'ap-east-1')).toEqual({ name: 'ap-east-1', optInStatus: 'not-opted-in', enabled: false });
    expect(Object.keys(member.trailListing!).sort()).toEqual(['eu-west-1', 'us-east-1']);
    expect(member.trailListing!['eu-west-1']).toEqual({ value: [LOCAL_TRAIL_ARN, ORG_TRAIL_ARN].sort() });
    expect(member.trails?.value?.map((t) => t.arn)).toEqual([LOCAL_TRAIL_ARN, ORG_TRAIL_ARN].sort());
    const org = member.trails!.value!.find((t) => t.arn === ORG_TRAIL_ARN)!;
    expect(org).toMatchObject({ ownerAccountId: MGMT, isOrganizationTrail: true, homeRegion: 'us-east-1' });
    const dt = mocks!.calls('DescribeTrails');
    expect(dt.filter((c) => c.account === MEMBER).map((c) => c.region).sort()).toEqual(['eu-west-1', 'us-east-1']);
  });

  it('reads status in every region the trail covers and selectors once, in its home region, by full ARN, in the owner account', async () => {
    const snapshot = await run(defaultWorld());
    const status = mocks!.calls('GetTrailStatus');
    const forOrg = status.filter((c) => c.input.Name === ORG_TRAIL_ARN).sort((a, b) => (a.region < b.region ? -1 : 1));
    // GetTrailStatus answers one region: the multi-region org trail is read in each region listing it.
    expect(forOrg).toEqual([
      { operation: 'GetTrailStatus', input: { Name: ORG_TRAIL_ARN }, account: MGMT, region: 'eu-west-1' },
      { operation: 'GetTrailStatus', input: { Name: ORG_TRAIL_ARN }, account: MGMT, region: 'us-east-1' },
    ]);
    const forLocal = status.filter((c) => c.input.Name === LOCAL_TRAIL_ARN);
    expect(forLocal).toEqual([{ operation: 'GetTrailStatus', input: { Name: LOCAL_TRAIL_ARN }, account: MEMBER, region: 'eu-west-1' }]);
    const mgmtOrg = snapshot.accounts[MGMT]!.trails!.value!.find((t) => t.arn === ORG_TRAIL_ARN)!;
    expect(mgmtOrg.status).toEqual({ value: { isLogging: true, latestDeliveryTime: '2026-11-20T10:00:00.000Z' } });
    expect(mgmtOrg.eventSelectors).toEqual({ value: { advancedEventSelectors: [{ name: 'mgmt', fieldSelectors: [{ field: 'eventCategory', equals: ['Management'] }] }] } });
    expect(mgmtOrg.insightSelectors).toEqual({ value: [{ insightType: 'ApiCallRateInsight' }] });
    // In a member, the org trail is coverage only: its selectors live in the owner's record.
    const memberOrg = snapshot.accounts[MEMBER]!.trails!.value!.find((t) => t.arn === ORG_TRAIL_ARN)!;
    expect(memberOrg.status).toBeUndefined();
    expect(memberOrg.eventSelectors).toBeUndefined();
    // HasInsightSelectors=false on an own trail is AWS's answer: no GetInsightSelectors call.
    const local = snapshot.accounts[MEMBER]!.trails!.value!.find((t) => t.arn === LOCAL_TRAIL_ARN)!;
    expect(local.insightSelectors).toEqual({ value: [] });
    const insights = mocks!.calls('GetInsightSelectors');
    expect(insights.map((c) => c.input.TrailName)).toEqual([ORG_TRAIL_ARN]);
    expect(local.eventSelectors).toEqual({ value: { eventSelectors: [{ readWriteType: 'All', includeManagementEvents: true, dataResources: [] }] } });
  });

  it('an org trail whose owner is not scanned: its status is read from the member by ARN (AWS’s refusal stored); its selectors are not asked for', async () => {
    const snapshot = await run(defaultWorld(), { accounts: [MEMBER] });
    expect(snapshot.scope.accounts).toEqual([MEMBER]);
    const org = snapshot.accounts[MEMBER]!.trails!.value!.find((t) => t.arn === ORG_TRAIL_ARN)!;
    expect(org.status?.error).toMatchObject({ code: 'CloudTrailARNInvalidException', operation: 'GetTrailStatus', accountId: MEMBER, region: 'us-east-1' });
    // A member that is not the CloudTrail delegated administrator gets CloudTrailARNInvalidException
    // for an organization trail's selectors on real AWS: they are not asked for.
    expect(org.eventSelectors).toBeUndefined();
    expect(mocks!.calls('GetEventSelectors').filter((c) => c.input.TrailName === ORG_TRAIL_ARN)).toEqual([]);
    expect(mocks!.calls('GetInsightSelectors').filter((c) => c.input.TrailName === ORG_TRAIL_ARN)).toEqual([]);
    // The archive bucket's owner is not scanned: unresolved, not silently skipped.
    expect(snapshot.unresolved?.buckets?.[ARCHIVE_BUCKET]?.code).toBe('BucketOutOfScope');
    expect(snapshot.unresolved?.keys?.[ORG_KEY_ARN]?.code).toBe('KeyOutOfScope');
    expect(() => validateSnapshot(JSON.parse(JSON.stringify(snapshot)))).not.toThrow();
  });

  it('reads each trail bucket once, in the account that owns it, in the bucket’s own region', async () => {
    const snapshot = await run(defaultWorld());
    const bucket = snapshot.accounts[LOGS]!.buckets![ARCHIVE_BUCKET]!;
    expect(bucket).toMatchObject({ name: ARCHIVE_BUCKET, arn: `arn:aws:s3:::${ARCHIVE_BUCKET}`, ownerAccountId: LOGS, region: { value: 'eu-west-1' } });
    expect(bucket.policy?.value).toMatchObject({ Statement: [{ Principal: { Service: 'cloudtrail.amazonaws.com' } }] });
    expect(bucket.policyStatus).toEqual({ value: { isPublic: false } });
    expect(bucket.accessPoints).toEqual({ value: [] });
    expect(bucket.acl?.value?.grants[1]).toEqual({ grantee: { type: 'Group', uri: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers' }, permission: 'READ' });
    expect(bucket.publicAccessBlock).toEqual({ value: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: false } });
    expect(bucket.objectLock).toEqual({ value: { enabled: true, defaultRetention: { mode: 'COMPLIANCE', years: 1 } } });
    expect(bucket.encryption).toEqual({ value: [{ sseAlgorithm: 'aws:kms', kmsMasterKeyId: ORG_KEY_ARN, bucketKeyEnabled: true }] });
    expect(bucket.versioning).toEqual({ value: { status: 'Enabled', mfaDelete: 'Disabled' } });
    expect(bucket.lifecycle).toEqual({ value: [{ id: 'expire', status: 'Enabled', filter: { Prefix: 'AWSLogs/' }, expiration: { days: 400 } }] });
    // Only in the owner's entry, read exactly once (three accounts' trails use it).
    expect(snapshot.accounts[MGMT]!.buckets).toBeUndefined();
    const policyCalls = mocks!.calls('GetBucketPolicy');
    expect(policyCalls.filter((c) => c.input.Bucket === ARCHIVE_BUCKET)).toEqual([{ operation: 'GetBucketPolicy', input: { Bucket: ARCHIVE_BUCKET }, account: LOGS, region: 'eu-west-1' }]);
    // A bucket not used by any trail is not read.
    expect(policyCalls.find((c) => c.input.Bucket === 'unrelated-bucket')).toBeUndefined();
    // A trail bucket no scanned account lists while one account could not be read: owner unknown.
    expect(snapshot.unresolved?.buckets?.[FOREIGN_BUCKET]).toMatchObject({ code: 'BucketOwnerUnknown', operation: 'ListBuckets' });
    expect(snapshot.unresolved?.buckets?.[FOREIGN_BUCKET]?.message).toContain(DENIED);
  });

  it('a trail bucket that no scanned account owns is unresolved as BucketOutOfScope', async () => {
    const snapshot = await run(defaultWorld(), { excludeAccounts: [DENIED], sections: ['buckets'] });
    expect(snapshot.unresolved?.buckets?.[FOREIGN_BUCKET]).toMatchObject({ code: 'BucketOutOfScope', operation: 'ListBuckets' });
    expect(Object.keys(snapshot.unresolved?.buckets ?? {})).toEqual([FOREIGN_BUCKET]);
  });

  it('maps AWS "not configured" answers to null values', async () => {
    const snapshot = await run(defaultWorld());
    const bucket = snapshot.accounts[MEMBER]!.buckets![LOCAL_BUCKET]!;
    expect(bucket.region).toEqual({ value: 'us-east-1' }); // LocationConstraint null
    expect(bucket.policy).toEqual({ value: null });
    expect(bucket.policyStatus).toEqual({ value: null });
    expect(bucket.publicAccessBlock).toEqual({ value: null });
    expect(bucket.ownershipControls).toEqual({ value: null });
    expect(bucket.objectLock).toEqual({ value: null });
    expect(bucket.logging).toEqual({ value: null });
    expect(bucket.versioning).toEqual({ value: { status: null, mfaDelete: null } });
    expect(bucket.lifecycle).toEqual({ value: null });
    expect(snapshot.accounts[MEMBER]!.s3AccountPublicAccessBlock).toEqual({ value: null });
    expect(snapshot.accounts[LOGS]!.s3AccountPublicAccessBlock?.value?.restrictPublicBuckets).toBe(true);
  });

  it('reads the trail key in the owner account named by its ARN', async () => {
    const snapshot = await run(defaultWorld());
    const key = snapshot.accounts[LOGS]!.keys![ORG_KEY_ARN]!;
    expect(key).toMatchObject({ arn: ORG_KEY_ARN, keyId: '1111-aaaa', ownerAccountId: LOGS, region: 'us-east-1' });
    expect(key.metadata?.value).toMatchObject({ keyState: 'Enabled', enabled: true, keyManager: 'CUSTOMER' });
    expect(key.rotation).toEqual({ value: { enabled: true, rotationPeriodInDays: 365 } });
    expect(key.policy).toEqual({ value: { Version: '2012-10-17', Statement: [] } });
  });

  it('records AccessDenied on one bucket setting as an error with code, operation, account and region, and goes on', async () => {
    const world = defaultWorld();
    mocks = mockWorld(world);
    mocks.s3.on(GetBucketPolicyCommand as never).rejects(awsError('AccessDenied', 403, 'Access Denied'));
    const snapshot = await collect({ sections: ['buckets'], credentials: CALLER_CREDENTIALS, now: NOW });
    const bucket = snapshot.accounts[LOGS]!.buckets![ARCHIVE_BUCKET]!;
    expect(bucket.policy).toEqual({ error: { code: 'AccessDenied', message: 'Access Denied', operation: 'GetBucketPolicy', accountId: LOGS, region: 'eu-west-1' } });
    expect(bucket.acl?.value).toBeDefined();
    expect(snapshot.accounts[MEMBER]!.buckets![LOCAL_BUCKET]!.policy?.error?.code).toBe('AccessDenied');
    // never retried
    expect(mocks.s3.commandCalls(GetBucketPolicyCommand as never)).toHaveLength(2);
    expect(snapshot.sections).toEqual(['regions', 'trails', 'buckets']);
  });
});

describe('collect() — sections, pacing and retries', () => {
  it('collects only what the sections need', async () => {
    const snapshot = await run(defaultWorld(), { sections: ['iam'] });
    expect(mocks!.cloudtrail.calls()).toHaveLength(0);
    expect(mocks!.s3.calls()).toHaveLength(0);
    expect(mocks!.ec2.calls()).toHaveLength(0);
    expect(snapshot.sections).toEqual(['iam']);
    // Not asked for: no organization record (it would claim "no SCPs" without having read them).
    expect(snapshot.organization).toBeUndefined();
    expect(mocks!.org.commandCalls(ListPoliciesCommand as never)).toHaveLength(0);
    expect(snapshot.scope.mode).toBe('organization');
    expect(snapshot.accounts[MEMBER]!.iam?.value).toEqual({ users: [], groups: [], roles: [], policies: [] });
    expect(() => validateSnapshot(JSON.parse(JSON.stringify(snapshot)))).not.toThrow();
  });

  it('retries throttling with backoff, counts it, and gets the answer', async () => {
    mocks = mockWorld(defaultWorld());
    mocks.ec2.on((await import('@aws-sdk/client-ec2')).DescribeRegionsCommand as never)
      .rejectsOnce(awsError('RequestLimitExceeded', 503))
      .rejectsOnce(awsError('Throttling', 400))
      .resolves({ Regions: [{ RegionName: 'us-east-1', OptInStatus: 'opt-in-not-required' }] } as never);
    const events: CollectProgress[] = [];
    const snapshot = await collect({ sections: ['regions'], credentials: CALLER_CREDENTIALS, accounts: [MGMT], onProgress: (e) => events.push(e) });
    expect(snapshot.accounts[MGMT]!.regions).toEqual({ value: [{ name: 'us-east-1', optInStatus: 'opt-in-not-required', enabled: true }] });
    const last = events.at(-1)!;
    expect(last).toMatchObject({ phase: 'done', accountsDone: 1, accountsTotal: 1, throttles: 2, retries: 2, errors: 0 });
    expect(events.map((e) => e.phase)).toEqual(expect.arrayContaining(['discovery', 'accounts', 'resources', 'done']));
  });

  it('gives up after maxAttempts and stores the throttling error; other regions are still read', async () => {
    mocks = mockWorld(defaultWorld());
    mocks.cloudtrail.on(DescribeTrailsCommand as never).callsFake(async (_: unknown, gc: () => { config: { region: () => Promise<string> } }) => {
      if ((await gc().config.region()) === 'eu-west-1') throw awsError('ThrottlingException', 400, 'Rate exceeded');
      return { trailList: [] };
    });
    const snapshot = await collect({ sections: ['trails'], credentials: CALLER_CREDENTIALS, accounts: [MGMT], maxAttempts: 2 });
    const listing = snapshot.accounts[MGMT]!.trailListing!;
    expect(listing['us-east-1']).toEqual({ value: [] });
    expect(listing['eu-west-1']?.error).toMatchObject({ code: 'ThrottlingException', operation: 'DescribeTrails', accountId: MGMT, region: 'eu-west-1' });
    expect(snapshot.accounts[MGMT]!.trails).toEqual({ value: [] });
    expect(mocks.cloudtrail.commandCalls(DescribeTrailsCommand as never)).toHaveLength(3);
  });

  it('retries 5xx but never AccessDenied', async () => {
    mocks = mockWorld(defaultWorld());
    mocks.cloudtrail.on(GetTrailStatusCommand as never).rejectsOnce(awsError('InternalError', 500)).resolves({ IsLogging: false } as never);
    mocks.cloudtrail.on(GetEventSelectorsCommand as never).rejects(awsError('AccessDeniedException', 400));
    const snapshot = await collect({ sections: ['trailStatus', 'eventSelectors'], credentials: CALLER_CREDENTIALS, accounts: [MGMT] });
    const trail = snapshot.accounts[MGMT]!.trails!.value![0]!;
    expect(trail.status?.value ?? trail.regionStatus).toBeDefined();
    const statuses = [trail.status, ...Object.values(trail.regionStatus ?? {})];
    expect(statuses).toEqual([{ value: { isLogging: false } }, { value: { isLogging: false } }]);
    expect(trail.eventSelectors?.error?.code).toBe('AccessDeniedException');
    expect(mocks.cloudtrail.commandCalls(GetEventSelectorsCommand as never)).toHaveLength(1);
    // Two regions (the multi-region trail's home and its shadow), one of them retried once.
    expect(mocks.cloudtrail.commandCalls(GetTrailStatusCommand as never)).toHaveLength(3);
  });
});

describe('collect() — without Organizations access', () => {
  it('scans the caller account alone when it is in no organization, and says so', async () => {
    const world = defaultWorld();
    world.organizations = 'not-in-use';
    const snapshot = await run(world);
    expect(snapshot.scope).toMatchObject({ mode: 'single-account', accounts: [MGMT] });
    expect(snapshot.scope.notes?.[0]).toMatch(/Single-account scan: account 111111111111 is not a member of an AWS organization/);
    expect(snapshot.organization?.error?.code).toBe('AWSOrganizationsNotInUseException');
    expect(mocks!.sts.commandCalls(AssumeRoleCommand as never)).toHaveLength(0);
    expect(() => validateSnapshot(JSON.parse(JSON.stringify(snapshot)))).not.toThrow();
  });

  it('scans the caller account alone from a member account without Organizations rights', async () => {
    const world = defaultWorld();
    world.organizations = 'member';
    const snapshot = await run(world);
    expect(snapshot.scope.mode).toBe('single-account');
    expect(snapshot.scope.notes?.[0]).toMatch(/belongs to organization o-abc123 but cannot list it \(ListRoots: AccessDeniedException\)/);
  });

  it('refuses bad filter values as bad input', async () => {
    await expect(collect({ sections: ['trails'], credentials: CALLER_CREDENTIALS, accounts: ['12345'] })).rejects.toThrow(/--accounts: "12345" is not a 12-digit AWS account id/);
    await expect(collect({ sections: ['trails'], credentials: CALLER_CREDENTIALS, ous: ['sales'] })).rejects.toThrow(/--ous/);
  });
});

describe('collect() — filters and IAM', () => {
  it('--ous and --exclude-accounts narrow the scan', async () => {
    const snapshot = await run(defaultWorld(), { ous: [OU_WORK], excludeAccounts: [DENIED], sections: ['iam'] });
    expect(snapshot.scope.accounts).toEqual([MEMBER]);
    expect(snapshot.scope.filters).toEqual({ ous: [OU_WORK], excludeAccounts: [DENIED] });
  });

  it('--regions narrows the regions listed', async () => {
    const snapshot = await run(defaultWorld(), { regions: ['eu-west-1'], accounts: [MEMBER], sections: ['trails'] });
    expect(Object.keys(snapshot.accounts[MEMBER]!.trailListing!)).toEqual(['eu-west-1']);
    expect(snapshot.scope.regions).toEqual(['eu-west-1']);
  });

  it('reads every page of GetAccountAuthorizationDetails and decodes documents', async () => {
    const world = defaultWorld();
    const doc = encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }));
    world.iamPages[MGMT] = [
      {
        page: {
          IsTruncated: true,
          Marker: 'm2',
          UserDetailList: [{ Arn: `arn:aws:iam::${MGMT}:user/alice`, UserName: 'alice', UserId: 'AIDA1', Path: '/', GroupList: ['admins'], UserPolicyList: [{ PolicyName: 'inline', PolicyDocument: doc }], AttachedManagedPolicies: [] }],
          RoleDetailList: [],
          GroupDetailList: [],
          Policies: [],
        },
      },
      {
        Marker: 'm2',
        page: {
          IsTruncated: false,
          UserDetailList: [],
          GroupDetailList: [{ Arn: `arn:aws:iam::${MGMT}:group/admins`, GroupName: 'admins', GroupId: 'AGPA1', Path: '/', GroupPolicyList: [], AttachedManagedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess', PolicyName: 'AdministratorAccess' }] }],
          RoleDetailList: [
            { Arn: `arn:aws:iam::${MGMT}:role/breakglass`, RoleName: 'breakglass', RoleId: 'AROA1', Path: '/', AssumeRolePolicyDocument: '%7Bnot-json', RolePolicyList: [], AttachedManagedPolicies: [], Tags: [{ Key: 'team', Value: 'sec' }] },
          ],
          Policies: [
            { Arn: 'arn:aws:iam::aws:policy/AdministratorAccess', PolicyName: 'AdministratorAccess', PolicyId: 'ANPA1', Path: '/', DefaultVersionId: 'v2', PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: false, Document: '%7B%7D' }, { VersionId: 'v2', IsDefaultVersion: true, Document: doc }] },
          ],
        },
      },
    ];
    const snapshot = await run(world, { sections: ['iam'], accounts: [MGMT] });
    const iam = snapshot.accounts[MGMT]!.iam!.value!;
    expect(iam.users[0]!.inlinePolicies[0]!.document).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    expect(iam.groups[0]!.attachedPolicies).toEqual([{ arn: 'arn:aws:iam::aws:policy/AdministratorAccess', name: 'AdministratorAccess' }]);
    expect(iam.roles[0]!.assumeRolePolicy).toBe('{not-json');
    expect(iam.roles[0]!.tags).toEqual([{ key: 'team', value: 'sec' }]);
    expect(iam.policies[0]!.document).toMatchObject({ Statement: [{ Action: '*' }] });
  });
});

describe('collect() — no usable credentials', () => {
  it('fails once, plainly, when the caller cannot be identified', async () => {
    mocks = mockWorld(defaultWorld());
    const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
    mocks.sts.on(GetCallerIdentityCommand as never).rejects(awsError('InvalidClientTokenId', 403, 'The security token included in the request is invalid.'));
    await expect(collect({ sections: ['trails'], credentials: CALLER_CREDENTIALS })).rejects.toThrow(
      /cannot identify the caller \(sts:GetCallerIdentity in [a-z0-9-]+: InvalidClientTokenId — The security token included in the request is invalid\.\); check the credentials, --profile and --endpoint-url; /,
    );
    expect(mocks.sts.calls()).toHaveLength(1);
  });
});

describe('collect() — a malformed answer', () => {
  it('is an error for that read in that account, and the scan goes on', async () => {
    mocks = mockWorld(defaultWorld());
    // An answer the SDK would never give, to make the collector itself fail on one account.
    const { DescribeRegionsCommand } = await import('@aws-sdk/client-ec2');
    mocks.ec2.on(DescribeRegionsCommand as never).callsFake(async (_: unknown, gc: () => { config: { credentials: () => Promise<{ accessKeyId: string }> } }) => {
      const { accessKeyId } = await gc().config.credentials();
      if (accessKeyId === `AK${MEMBER}`) return { Regions: [null] };
      return { Regions: [{ RegionName: 'us-east-1', OptInStatus: 'opt-in-not-required' }] };
    });
    const snapshot = await collect({ sections: ['regions'], credentials: CALLER_CREDENTIALS, excludeAccounts: [DENIED] });
    expect(snapshot.accounts[MGMT]!.regions?.value).toHaveLength(1);
    const member = snapshot.accounts[MEMBER]!;
    expect(member.regions?.error).toMatchObject({ code: 'TypeError', operation: 'DescribeRegions', accountId: MEMBER });
    expect(member.access).toEqual({ value: { via: 'role', roleArn: `arn:aws:iam::${MEMBER}:role/OrganizationAccountAccessRole` } });
    expect(() => validateSnapshot(JSON.parse(JSON.stringify(snapshot)))).not.toThrow();
  });
});

describe('collect() — a bucket used only by another account’s trail', () => {
  it('is read after the account pass, in its owner account', async () => {
    const world = defaultWorld();
    world.buckets['member-trail-into-archive'] = { owner: LOGS, location: 'us-west-2' };
    const memberTrails = world.trails[MEMBER]!;
    for (const region of Object.keys(memberTrails)) {
      memberTrails[region] = memberTrails[region]!.map((t) => (t.TrailARN === LOCAL_TRAIL_ARN ? { ...t, S3BucketName: 'member-trail-into-archive' } : t));
    }
    const snapshot = await run(world, { sections: ['buckets'] });
    const bucket = snapshot.accounts[LOGS]!.buckets!['member-trail-into-archive']!;
    expect(bucket).toMatchObject({ ownerAccountId: LOGS, region: { value: 'us-west-2' }, policy: { value: null } });
    expect(Object.keys(snapshot.accounts[LOGS]!.buckets!)).toEqual(['member-trail-into-archive', ARCHIVE_BUCKET]); // sorted
    expect(snapshot.accounts[MEMBER]!.buckets).toBeUndefined();
    expect(mocks!.calls('GetBucketPolicy').filter((c) => c.input.Bucket === 'member-trail-into-archive')).toEqual([
      { operation: 'GetBucketPolicy', input: { Bucket: 'member-trail-into-archive' }, account: LOGS, region: 'us-west-2' },
    ]);
  });
});
