/**
 * A small organization served through aws-sdk-client-mock: every SDK client class is stubbed, and
 * each answer depends on the calling account (read from the client's credentials: access key
 * `AK<account id>`) and region, as in AWS. Trail details answer only by full ARN, in the trail's
 * home region, from the owner account (CloudTrailARNInvalidException elsewhere), like AWS.
 */
import { CloudTrailClient, DescribeTrailsCommand, GetEventSelectorsCommand, GetInsightSelectorsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetAccountAuthorizationDetailsCommand, IAMClient } from '@aws-sdk/client-iam';
import { DescribeKeyCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListAccountsForParentCommand,
  ListDelegatedAdministratorsCommand,
  ListOrganizationalUnitsForParentCommand,
  ListPoliciesCommand,
  ListRootsCommand,
  ListTargetsForPolicyCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import {
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand, ListAccessPointsCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Trail as SdkTrail } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';

export const MGMT = '111111111111';
export const LOGS = '222222222222';
export const MEMBER = '333333333333';
export const DENIED = '444444444444';
export const ROOT = 'r-ab12';
export const OU_SEC = 'ou-ab12-secu1234';
export const OU_WORK = 'ou-ab12-work1234';

export const ORG_TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${MGMT}:trail/org-trail`;
export const LOCAL_TRAIL_ARN = `arn:aws:cloudtrail:eu-west-1:${MEMBER}:trail/local`;
export const ORG_KEY_ARN = `arn:aws:kms:us-east-1:${LOGS}:key/1111-aaaa`;
export const ARCHIVE_BUCKET = 'org-cloudtrail-archive';
export const LOCAL_BUCKET = 'member-local-logs';
export const FOREIGN_BUCKET = 'someone-elses-bucket';

/** An AWS-style service error. */
export function awsError(name: string, status = 400, message = name): Error {
  const e = new Error(message) as Error & { $metadata: { httpStatusCode: number }; $fault: string };
  e.name = name;
  e.$metadata = { httpStatusCode: status };
  e.$fault = status >= 500 ? 'server' : 'client';
  return e;
}

interface BucketState {
  owner: string;
  location: string | undefined;
  policy?: string;
  publicAccessBlock?: boolean;
  lifecycle?: boolean;
}

export interface World {
  buckets: Record<string, BucketState>;
  trails: Record<string, Record<string, SdkTrail[]>>;
  /** Account ids whose role cannot be assumed. */
  denyAssume: Set<string>;
  organizations: 'ok' | 'not-in-use' | 'member';
  iamPages: Record<string, { Marker?: string; page: object }[]>;
}

const orgTrail: SdkTrail = {
  Name: 'org-trail',
  TrailARN: ORG_TRAIL_ARN,
  HomeRegion: 'us-east-1',
  IsMultiRegionTrail: true,
  IsOrganizationTrail: true,
  IncludeGlobalServiceEvents: true,
  LogFileValidationEnabled: true,
  S3BucketName: ARCHIVE_BUCKET,
  KmsKeyId: ORG_KEY_ARN,
  HasCustomEventSelectors: true,
  HasInsightSelectors: true,
};
const localTrail: SdkTrail = {
  Name: 'local',
  TrailARN: LOCAL_TRAIL_ARN,
  HomeRegion: 'eu-west-1',
  IsMultiRegionTrail: false,
  IsOrganizationTrail: false,
  IncludeGlobalServiceEvents: false,
  LogFileValidationEnabled: false,
  S3BucketName: LOCAL_BUCKET,
  HasCustomEventSelectors: false,
  HasInsightSelectors: false,
};
const foreignTrail: SdkTrail = { ...localTrail, Name: 'to-foreign', TrailARN: `arn:aws:cloudtrail:eu-west-1:${LOGS}:trail/to-foreign`, S3BucketName: FOREIGN_BUCKET };

export function defaultWorld(): World {
  return {
    buckets: {
      [ARCHIVE_BUCKET]: {
        owner: LOGS,
        location: 'EU',
        policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: '*' }] }),
        publicAccessBlock: true,
        lifecycle: true,
      },
      [LOCAL_BUCKET]: { owner: MEMBER, location: undefined },
      'unrelated-bucket': { owner: MEMBER, location: 'us-west-2' },
    },
    trails: {
      // The org trail: listed in every region of every member (shadow copies outside us-east-1).
      [MGMT]: { 'us-east-1': [orgTrail], 'eu-west-1': [orgTrail] },
      [LOGS]: { 'us-east-1': [orgTrail], 'eu-west-1': [orgTrail, foreignTrail] },
      [MEMBER]: { 'us-east-1': [orgTrail], 'eu-west-1': [orgTrail, localTrail] },
    },
    denyAssume: new Set([DENIED]),
    organizations: 'ok',
    iamPages: {},
  };
}

/** The slice of aws-sdk-client-mock's stub the tests use, loosely typed (answers are per test). */
type Fake = (input: never, getClient: () => never) => unknown;
export interface Behavior {
  callsFake(fn: Fake): Behavior;
  resolves(value: unknown): Behavior;
  rejects(error: unknown): Behavior;
  rejectsOnce(error: unknown): Behavior;
}
export interface StubCall {
  args: [{ input: unknown }];
  thisValue: unknown;
}
export interface AnyStub {
  on(command: unknown): Behavior;
  calls(): StubCall[];
  commandCalls(command: unknown): StubCall[];
  restore(): void;
}
export interface Mocks {
  sts: AnyStub;
  org: AnyStub;
  ec2: AnyStub;
  cloudtrail: AnyStub;
  s3: AnyStub;
  s3control: AnyStub;
  iam: AnyStub;
  kms: AnyStub;
  restore(): void;
  /** Logged calls of one operation. */
  calls(operation: string): LoggedCall[];
}

interface ClientLike {
  config: { region: () => Promise<string>; credentials: () => Promise<{ accessKeyId: string }> };
}

export interface LoggedCall {
  operation: string;
  input: Record<string, unknown>;
  account: string;
  region: string;
}

/** Calls answered by the fakes that log, with the account and region they were made in. */
let callLog: LoggedCall[] = [];

/** The calling account (from the request's credentials) and region; logs the call when named. */
async function who(getClient: () => unknown, operation?: string, input?: object): Promise<{ account: string; region: string }> {
  const client = getClient() as ClientLike;
  const [region, creds] = await Promise.all([client.config.region(), client.config.credentials()]);
  const account = creds.accessKeyId.replace(/^AK/, '');
  if (operation) callLog.push({ operation, input: { ...(input as Record<string, unknown>) }, account, region });
  return { account, region };
}

export const CALLER_CREDENTIALS = { accessKeyId: `AK${MGMT}`, secretAccessKey: 'secret' };

/** Stub every client the collector uses with answers from `world`. */
export function mockWorld(world: World): Mocks {
  callLog = [];
  const m = {
    sts: mockClient(STSClient),
    org: mockClient(OrganizationsClient),
    ec2: mockClient(EC2Client),
    cloudtrail: mockClient(CloudTrailClient),
    s3: mockClient(S3Client),
    s3control: mockClient(S3ControlClient),
    iam: mockClient(IAMClient),
    kms: mockClient(KMSClient),
  } as unknown as Omit<Mocks, 'restore'>;
  const all = Object.values(m) as AnyStub[];

  m.sts.on(GetCallerIdentityCommand as never).callsFake(async (_: unknown, gc: () => unknown) => {
    const { account } = await who(gc);
    return { Account: account, Arn: `arn:aws:iam::${account}:user/auditor` };
  });
  m.sts.on(AssumeRoleCommand as never).callsFake((input: { RoleArn: string; RoleSessionName: string }) => {
    const account = input.RoleArn.split(':')[4]!;
    if (world.denyAssume.has(account)) throw awsError('AccessDenied', 403, `not authorized to perform sts:AssumeRole on ${input.RoleArn}`);
    return {
      Credentials: { AccessKeyId: `AK${account}`, SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(Date.now() + 3600_000) },
    };
  });

  m.org.on(DescribeOrganizationCommand as never).callsFake(() => {
    if (world.organizations === 'not-in-use') throw awsError('AWSOrganizationsNotInUseException');
    return { Organization: { Id: 'o-abc123', Arn: `arn:aws:organizations::${MGMT}:organization/o-abc123`, MasterAccountId: MGMT, FeatureSet: 'ALL' } };
  });
  m.org.on(ListRootsCommand as never).callsFake(() => {
    if (world.organizations === 'member') throw awsError('AccessDeniedException', 400, 'You don’t have permissions to access this resource.');
    return { Roots: [{ Id: ROOT, Name: 'Root' }] };
  });
  m.org.on(ListOrganizationalUnitsForParentCommand as never).callsFake((input: { ParentId: string }) => ({
    OrganizationalUnits:
      input.ParentId === ROOT
        ? [
            { Id: OU_SEC, Name: 'Security' },
            { Id: OU_WORK, Name: 'Workloads' },
          ]
        : [],
  }));
  m.org.on(ListAccountsForParentCommand as never).callsFake((input: { ParentId: string; NextToken?: string }) => {
    if (input.ParentId === ROOT) return { Accounts: [{ Id: MGMT, Name: 'management', Status: 'ACTIVE' }] };
    if (input.ParentId === OU_SEC) return { Accounts: [{ Id: LOGS, Name: 'log-archive', Status: 'ACTIVE' }] };
    // Workloads: two pages, to prove paging.
    if (!input.NextToken) return { Accounts: [{ Id: MEMBER, Name: 'workload', Status: 'ACTIVE' }], NextToken: 'page2' };
    return {
      Accounts: [
        { Id: DENIED, Name: 'locked', Status: 'ACTIVE' },
        { Id: '555555555555', Name: 'closed', Status: 'SUSPENDED' },
      ],
    };
  });
  m.org.on(ListPoliciesCommand as never).callsFake((input: { Filter: string }) =>
    input.Filter === 'SERVICE_CONTROL_POLICY'
      ? { Policies: [{ Id: 'p-protect', Name: 'protect-trails', AwsManaged: false, Arn: 'arn:aws:organizations::111111111111:policy/o-abc123/service_control_policy/p-protect' }] }
      : { Policies: [] },
  );
  m.org.on(DescribePolicyCommand as never).callsFake(() => ({
    Policy: { Content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'cloudtrail:StopLogging', Resource: '*' }] }) },
  }));
  m.org.on(ListTargetsForPolicyCommand as never).resolves({ Targets: [{ TargetId: OU_WORK }, { TargetId: ROOT }] } as never);
  m.org.on(ListDelegatedAdministratorsCommand as never).resolves({ DelegatedAdministrators: [] } as never);

  m.ec2.on(DescribeRegionsCommand as never).resolves({
    Regions: [
      { RegionName: 'us-east-1', OptInStatus: 'opt-in-not-required' },
      { RegionName: 'eu-west-1', OptInStatus: 'opt-in-not-required' },
      { RegionName: 'ap-east-1', OptInStatus: 'not-opted-in' },
    ],
  } as never);

  m.cloudtrail.on(DescribeTrailsCommand as never).callsFake(async (input: object, gc: () => unknown) => {
    const { account, region } = await who(gc, 'DescribeTrails', input);
    return { trailList: world.trails[account]?.[region] ?? [] };
  });
  const trailDetail = (op: string, answer: (arn: string) => object) => async (input: { Name?: string; TrailName?: string }, gc: () => unknown) => {
    const { account, region } = await who(gc, op, input);
    const name = input.Name ?? input.TrailName ?? '';
    if (!name.startsWith('arn:')) throw awsError('TrailNotFoundException', 400, `${op}: by name only works for the account's own trails in their home region`);
    const [, , , home, owner] = name.split(':');
    if (owner !== account) throw awsError('CloudTrailARNInvalidException', 400, `${op}: ARN ${name} is not valid for this account`);
    if (home !== region) throw awsError('TrailNotFoundException', 400, `${op}: trail ${name} is not in ${region}`);
    return answer(name);
  };
  m.cloudtrail.on(GetTrailStatusCommand as never).callsFake(
    trailDetail('GetTrailStatus', () => ({ IsLogging: true, LatestDeliveryTime: new Date('2026-11-20T10:00:00Z'), LatestDeliveryError: '' })),
  );
  m.cloudtrail.on(GetEventSelectorsCommand as never).callsFake(
    trailDetail('GetEventSelectors', (arn) =>
      arn === ORG_TRAIL_ARN
        ? {
            AdvancedEventSelectors: [{ Name: 'mgmt', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }],
          }
        : { EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [] }] },
    ),
  );
  m.cloudtrail.on(GetInsightSelectorsCommand as never).callsFake(trailDetail('GetInsightSelectors', () => ({ InsightSelectors: [{ InsightType: 'ApiCallRateInsight' }] })));

  // S3: answers only in the owner account; settings only in the bucket's own region.
  const bucketOf = async (input: { Bucket: string }, gc: () => unknown, needRegion = true, operation?: string) => {
    const { account, region } = await who(gc, operation, input);
    const b = world.buckets[input.Bucket];
    if (!b || b.owner !== account) throw awsError('AccessDenied', 403, `account ${account} cannot read ${input.Bucket}`);
    const home = !b.location ? 'us-east-1' : b.location === 'EU' ? 'eu-west-1' : b.location;
    if (needRegion && home !== region) throw awsError('PermanentRedirect', 301, `bucket is in ${home}, asked in ${region}`);
    return b;
  };
  m.s3.on(ListBucketsCommand as never).callsFake(async (input: { ContinuationToken?: string }, gc: () => unknown) => {
    const { account } = await who(gc);
    const names = Object.entries(world.buckets)
      .filter(([, b]) => b.owner === account)
      .map(([Name]) => ({ Name }));
    // One bucket per page: proves ContinuationToken paging.
    const start = input.ContinuationToken ? Number(input.ContinuationToken) : 0;
    const page = names.slice(start, start + 1);
    return { Buckets: page, ...(start + 1 < names.length ? { ContinuationToken: String(start + 1) } : {}) };
  });
  m.s3.on(GetBucketLocationCommand as never).callsFake(async (input: { Bucket: string }, gc: () => unknown) => ({
    LocationConstraint: (await bucketOf(input, gc, false)).location,
  }));
  m.s3.on(GetBucketPolicyCommand as never).callsFake(async (input: { Bucket: string }, gc: () => unknown) => {
    const b = await bucketOf(input, gc, true, 'GetBucketPolicy');
    if (!b.policy) throw awsError('NoSuchBucketPolicy', 404);
    return { Policy: b.policy };
  });
  m.s3.on(GetBucketPolicyStatusCommand as never).callsFake(async (input: { Bucket: string }, gc: () => unknown) => {
    const b = await bucketOf(input, gc);
    if (!b.policy) throw awsError('NoSuchBucketPolicy', 404);
    return { PolicyStatus: { IsPublic: false } };
  });
  m.s3.on(GetBucketAclCommand as never).callsFake(async (input: { Bucket: string }, gc: () => unknown) => {
    await bucketOf(input, gc);
    return {
      Owner: { ID: 'canon-owner' },
      Grants: [
        { Grantee: { Type: 'CanonicalUser', ID: 'canon-owner' }, Permission: 'FULL_CONTROL' },
        { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers' }, Permission: 'READ' },
      ],
    };
  });
  m.s3.on(GetPublicAccessBlockCommand as never).callsFake(async (input: { Bucket: string }, gc: () => unknown) => {
    const b = await bucketOf(input, gc);
    if (!b.publicAccessBlock) throw awsError('NoSuchPublicAccessBlockConfiguration', 404);
    return { PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true } };
  });
  m.s3.on(GetBucketOwnershipControlsCommand as never).callsFake(async (input: { Bucket: string }, gc: () => unknown) => {
    await bucketOf(input, gc);
    throw awsError('OwnershipControlsNotFoundError', 404);
  });
  m.s3.on(GetObjectLockConfigurationCommand as never).callsFake(async (input: { Bucket: string }, gc: () => unknown) => {
    const b = await bucketOf(input, gc);
    if (b.owner !== LOGS) throw awsError('ObjectLockConfigurationNotFoundError', 404);
    return { ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Years: 1 } } } };
  });
  m.s3.on(GetBucketEncryptionCommand as never).callsFake(async (input: { Bucket: string }, gc: () => unknown) => {
    await bucketOf(input, gc);
    return { ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: ORG_KEY_ARN }, BucketKeyEnabled: true }] } };
  });
  m.s3.on(GetBucketLoggingCommand as never).callsFake(async (input: { Bucket: string }, gc: () => unknown) => {
    await bucketOf(input, gc);
    return {};
  });
  m.s3.on(GetBucketVersioningCommand as never).callsFake(async (input: { Bucket: string }, gc: () => unknown) => {
    const b = await bucketOf(input, gc);
    return b.owner === LOGS ? { Status: 'Enabled', MFADelete: 'Disabled' } : {};
  });
  m.s3.on(GetBucketLifecycleConfigurationCommand as never).callsFake(async (input: { Bucket: string }, gc: () => unknown) => {
    const b = await bucketOf(input, gc);
    if (!b.lifecycle) throw awsError('NoSuchLifecycleConfiguration', 404);
    return { Rules: [{ ID: 'expire', Status: 'Enabled', Filter: { Prefix: 'AWSLogs/' }, Expiration: { Days: 400 } }] };
  });
  m.s3control.on(GetAccountPublicAccessBlockCommand as never).callsFake(async (input: { AccountId: string }, gc: () => unknown) => {
    const { account } = await who(gc);
    if (input.AccountId !== account) throw awsError('AccessDenied', 403);
    if (account === MEMBER) throw awsError('NoSuchPublicAccessBlockConfiguration', 404);
    return { PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } };
  });
  // No access points anywhere (the simulator's tests cover them).
  m.s3control.on(ListAccessPointsCommand as never).callsFake(async (input: { AccountId: string }, gc: () => unknown) => {
    const { account } = await who(gc);
    if (input.AccountId !== account) throw awsError('AccessDenied', 403);
    return { AccessPointList: [] };
  });

  m.kms.on(DescribeKeyCommand as never).callsFake(async (input: { KeyId: string }, gc: () => unknown) => {
    const { account, region } = await who(gc);
    const [, , , keyRegion, owner] = input.KeyId.split(':');
    if (owner !== account || keyRegion !== region) throw awsError('NotFoundException', 400);
    return { KeyMetadata: { KeyId: '1111-aaaa', Arn: input.KeyId, KeyState: 'Enabled', Enabled: true, KeyManager: 'CUSTOMER', KeySpec: 'SYMMETRIC_DEFAULT' } };
  });
  m.kms.on(GetKeyPolicyCommand as never).resolves({ Policy: '{"Version":"2012-10-17","Statement":[]}' } as never);
  m.kms.on(GetKeyRotationStatusCommand as never).resolves({ KeyRotationEnabled: true, RotationPeriodInDays: 365 } as never);

  m.iam.on(GetAccountAuthorizationDetailsCommand as never).callsFake(async (input: { Marker?: string }, gc: () => unknown) => {
    const { account } = await who(gc);
    const pages = world.iamPages[account];
    if (!pages) return { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [], IsTruncated: false };
    const index = pages.findIndex((p) => p.Marker === input.Marker);
    return pages[index]!.page;
  });

  return {
    ...m,
    calls: (operation: string) => callLog.filter((c) => c.operation === operation),
    restore: () => {
      for (const s of all) s.restore();
    },
  };
}
