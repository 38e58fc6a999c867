import { GetBucketLocationCommand, GetBucketPolicyStatusCommand, GetBucketVersioningCommand } from '@aws-sdk/client-s3';
import {
  GetAccessPointCommand,
  GetAccessPointPolicyCommand,
  GetAccessPointPolicyStatusCommand,
  ListAccessPointsCommand,
} from '@aws-sdk/client-s3-control';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clients, errorOf } from '../clients.test-util.js';
import { type SimServer, type World, startSimulator } from '../index.js';

const OWNER = '111100000003';
const BUCKET = 'ap-trail-logs';
const SOUTH = 'ap-south-trail-logs';
const publicPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:us-west-2:${OWNER}:accesspoint/open/object/*` }] };
const pinnedPolicy = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdef1234' } } }],
};

const world: World = {
  regions: ['us-east-1', 'us-west-2', 'af-south-1'],
  caller: { accountId: OWNER },
  accounts: [
    {
      id: OWNER,
      name: 'log-archive',
      optInRegions: ['af-south-1'],
      iam: { users: [{ name: 'admin', managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'] }] },
      buckets: [
        {
          name: BUCKET,
          region: 'us-west-2',
          accessPoints: [
            { name: 'open', policy: publicPolicy, publicAccessBlock: { blockPublicPolicy: false, restrictPublicBuckets: false } },
            { name: 'analytics', policy: pinnedPolicy },
            { name: 'plain' },
            { name: 'inside', networkOrigin: 'VPC', vpcId: 'vpc-0a1b2c3d4e5f60718' },
          ],
        },
        { name: SOUTH, region: 'af-south-1' },
      ],
    },
    { id: '111100000009', name: 'other', iam: { users: [{ name: 'admin', managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'] }] } },
  ],
};

let sim: SimServer;
beforeAll(async () => {
  sim = await startSimulator({ world, port: 0 });
});
afterAll(() => sim.stop());

/** The error's name, status and `x-amz-bucket-region` header, as the SDK hands them over. */
async function redirectOf(p: Promise<unknown>): Promise<{ name: string; status?: number; region?: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; $metadata?: { httpStatusCode?: number }; $response?: { headers?: Record<string, string> } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, region: e.$response?.headers?.['x-amz-bucket-region'] };
  }
  throw new Error('expected the call to fail');
}

describe('S3 bucket requests in the wrong region', () => {
  it('301 PermanentRedirect with x-amz-bucket-region, as S3 answers a request at another region endpoint', async () => {
    const east = clients(sim, { region: 'us-east-1' }).s3;
    expect(await redirectOf(east.send(new GetBucketVersioningCommand({ Bucket: BUCKET })))).toEqual({ name: 'PermanentRedirect', status: 301, region: 'us-west-2' });
    const west = clients(sim, { region: 'us-west-2' }).s3;
    expect((await west.send(new GetBucketVersioningCommand({ Bucket: BUCKET }))).Status).toBeUndefined();
  });

  it('400 IllegalLocationConstraintException for a region launched after 20 March 2019 (af-south-1)', async () => {
    const east = clients(sim, { region: 'us-east-1' }).s3;
    expect(await redirectOf(east.send(new GetBucketPolicyStatusCommand({ Bucket: SOUTH })))).toEqual({
      name: 'IllegalLocationConstraintException',
      status: 400,
      region: 'af-south-1',
    });
    const south = clients(sim, { region: 'af-south-1' }).s3;
    expect(await errorOf(south.send(new GetBucketVersioningCommand({ Bucket: BUCKET })))).toMatchObject({ name: 'IllegalLocationConstraintException', status: 400 });
  });

  it('GetBucketLocation answers from any region (it is how a client finds the region)', async () => {
    const east = clients(sim, { region: 'us-east-1' }).s3;
    expect((await east.send(new GetBucketLocationCommand({ Bucket: SOUTH }))).LocationConstraint).toBe('af-south-1');
  });
});

describe('S3 Control access points', () => {
  const west = () => clients(sim, { region: 'us-west-2' }).s3control;

  it('ListAccessPoints lists the account’s access points of the calling region, filtered by bucket, paged', async () => {
    const out = await west().send(new ListAccessPointsCommand({ AccountId: OWNER, Bucket: BUCKET }));
    expect(out.AccessPointList?.map((a) => [a.Name, a.NetworkOrigin, a.Bucket, a.AccessPointArn, a.BucketAccountId])).toEqual([
      ['analytics', 'Internet', BUCKET, `arn:aws:s3:us-west-2:${OWNER}:accesspoint/analytics`, OWNER],
      ['inside', 'VPC', BUCKET, `arn:aws:s3:us-west-2:${OWNER}:accesspoint/inside`, OWNER],
      ['open', 'Internet', BUCKET, `arn:aws:s3:us-west-2:${OWNER}:accesspoint/open`, OWNER],
      ['plain', 'Internet', BUCKET, `arn:aws:s3:us-west-2:${OWNER}:accesspoint/plain`, OWNER],
    ]);
    expect(out.AccessPointList?.[1]?.VpcConfiguration?.VpcId).toBe('vpc-0a1b2c3d4e5f60718');
    expect(out.AccessPointList?.[0]?.Alias).toMatch(/^analytics-[0-9a-f]{30}-s3alias$/);
    expect(out.NextToken).toBeUndefined();
    const first = await west().send(new ListAccessPointsCommand({ AccountId: OWNER, Bucket: BUCKET, MaxResults: 3 }));
    expect(first.AccessPointList?.map((a) => a.Name)).toEqual(['analytics', 'inside', 'open']);
    const rest = await west().send(new ListAccessPointsCommand({ AccountId: OWNER, Bucket: BUCKET, MaxResults: 3, NextToken: first.NextToken }));
    expect(rest.AccessPointList?.map((a) => a.Name)).toEqual(['plain']);
    expect(rest.NextToken).toBeUndefined();
    // Access points are regional: another region lists none of them; another bucket has none.
    const east = clients(sim, { region: 'us-east-1' }).s3control;
    expect((await east.send(new ListAccessPointsCommand({ AccountId: OWNER, Bucket: BUCKET }))).AccessPointList ?? []).toEqual([]);
    expect((await west().send(new ListAccessPointsCommand({ AccountId: OWNER, Bucket: SOUTH }))).AccessPointList ?? []).toEqual([]);
  });

  it('GetAccessPointPolicyStatus is S3’s meaning of public; no policy is NoSuchAccessPointPolicy', async () => {
    const status = async (Name: string) => (await west().send(new GetAccessPointPolicyStatusCommand({ AccountId: OWNER, Name }))).PolicyStatus?.IsPublic;
    expect(await status('open')).toBe(true);
    expect(await status('analytics')).toBe(false);
    expect(await errorOf(west().send(new GetAccessPointPolicyStatusCommand({ AccountId: OWNER, Name: 'plain' })))).toMatchObject({ name: 'NoSuchAccessPointPolicy', status: 404 });
    expect(await errorOf(west().send(new GetAccessPointPolicyCommand({ AccountId: OWNER, Name: 'plain' })))).toMatchObject({ name: 'NoSuchAccessPointPolicy', status: 404 });
    expect(await errorOf(west().send(new GetAccessPointPolicyStatusCommand({ AccountId: OWNER, Name: 'nope' })))).toMatchObject({ name: 'NoSuchAccessPoint', status: 404 });
  });

  it('GetAccessPoint has its own Block Public Access (all four on unless created otherwise); GetAccessPointPolicy its policy', async () => {
    const open = await west().send(new GetAccessPointCommand({ AccountId: OWNER, Name: 'open' }));
    expect(open).toMatchObject({ Name: 'open', Bucket: BUCKET, NetworkOrigin: 'Internet', BucketAccountId: OWNER });
    expect(open.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: false });
    const plain = await west().send(new GetAccessPointCommand({ AccountId: OWNER, Name: 'plain' }));
    expect(plain.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
    const policy = await west().send(new GetAccessPointPolicyCommand({ AccountId: OWNER, Name: 'open' }));
    expect(JSON.parse(policy.Policy!)).toEqual(publicPolicy);
  });

  it('refuses another account id', async () => {
    const other = clients(sim, { region: 'us-west-2' }).s3control;
    expect(await errorOf(other.send(new ListAccessPointsCommand({ AccountId: '111100000009', Bucket: BUCKET })))).toMatchObject({ name: 'AccessDenied', status: 403 });
  });
});
