/**
 * A bucket read by the collector's own reader, through the real AWS SDK, against @trailwarden/sim,
 * which answers a bucket request in the wrong region as S3 does (301 PermanentRedirect or 400
 * IllegalLocationConstraintException, with x-amz-bucket-region), and serves S3 Control access points.
 */
import { type SimServer, type World, startSimulator } from '@trailwarden/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientFactory } from './clients.js';
import { Caller } from './pacing/caller.js';
import { Metrics } from './pacing/metrics.js';
import { readBucket } from './read/buckets.js';
import { AccountSession } from './session.js';

const OWNER = '111100000003';
const WEST = 'west-trail-logs';
const SOUTH = 'south-trail-logs';
const EAST = 'east-trail-logs';
const admin = { name: 'admin', managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'] };
const world: World = {
  regions: ['us-east-1', 'us-west-2', 'af-south-1'],
  caller: { accountId: OWNER },
  accounts: [
    {
      id: OWNER,
      name: 'log-archive',
      optInRegions: ['af-south-1'],
      iam: { users: [admin] },
      buckets: [
        {
          name: WEST,
          region: 'us-west-2',
          versioning: { status: 'Enabled' },
          accessPoints: [
            { name: 'open', policy: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }] }, publicAccessBlock: { blockPublicPolicy: false, restrictPublicBuckets: false } },
            { name: 'plain' },
          ],
        },
        { name: SOUTH, region: 'af-south-1', versioning: { status: 'Enabled' } },
        { name: EAST, region: 'us-east-1', accessPoints: [{ name: 'east' }] },
      ],
    },
  ],
};

let sim: SimServer;
let factory: ClientFactory;
let metrics: Metrics;
let session: AccountSession;

beforeAll(async () => {
  // GetBucketLocation denied (as when the scan role lacks s3:GetBucketLocation): the region is unknown.
  // ListAccessPoints denied in af-south-1 only.
  sim = await startSimulator({
    world,
    port: 0,
    inject: { accessDenied: [{ operation: 'S3.GetBucketLocation' }, { operation: 'S3Control.ListAccessPoints', region: 'af-south-1' }] },
  });
  factory = await new ClientFactory(sim.url).loadClientClasses();
  metrics = new Metrics();
  session = new AccountSession(OWNER, async () => sim.callerCredentials, factory, new Caller({ metrics }));
});
afterAll(async () => {
  factory.close();
  await sim.stop();
});

describe('readBucket in the bucket’s own region, whatever the listing said', () => {
  it('a stale region (301 PermanentRedirect): retried once in x-amz-bucket-region; every setting read, the region corrected', async () => {
    const before = sim.counters().byOperation;
    const b = await readBucket(session, WEST, 'aws', 'us-east-1', metrics, 'us-east-1');
    expect(b.region).toEqual({ value: 'us-west-2' });
    expect(b.versioning).toEqual({ value: { status: 'Enabled', mfaDelete: null } });
    for (const setting of ['policy', 'policyStatus', 'acl', 'publicAccessBlock', 'ownershipControls', 'objectLock', 'encryption', 'logging', 'versioning', 'lifecycle'] as const) {
      expect(b[setting]?.error, setting).toBeUndefined();
    }
    // Ten bucket reads, each redirected at most once (they run at once, so some may go straight there).
    const after = sim.counters().byOperation;
    expect((after['S3.GetBucketVersioning'] ?? 0) - (before['S3.GetBucketVersioning'] ?? 0)).toBeLessThanOrEqual(2);
    // The access points are listed in the corrected region, where they live.
    expect(b.accessPoints?.value?.map((a) => [a.name, a.policyStatus.value?.isPublic ?? null])).toEqual([
      ['open', true],
      ['plain', null],
    ]);
  });

  it('no region at all (GetBucketLocation denied): read from the home region, redirected, still read', async () => {
    const b = await readBucket(session, WEST, 'aws', 'us-east-1', metrics);
    expect(b.region).toEqual({ value: 'us-west-2' });
    expect(b.versioning).toEqual({ value: { status: 'Enabled', mfaDelete: null } });
    expect(b.accessPoints?.value).toHaveLength(2);
  });

  it('no region, and none needed (the bucket is in the home region): its access points are listed where S3 served it', async () => {
    const b = await readBucket(session, EAST, 'aws', 'us-east-1', metrics);
    expect(b.region.error).toMatchObject({ code: 'AccessDenied', operation: 'GetBucketLocation' });
    expect(b.versioning?.error).toBeUndefined();
    expect(b.accessPoints?.value?.map((a) => a.name)).toEqual(['east']);
  });

  it('a region launched after March 2019 (400 IllegalLocationConstraintException): retried there too', async () => {
    const b = await readBucket(session, SOUTH, 'aws', 'us-east-1', metrics);
    expect(b.region).toEqual({ value: 'af-south-1' });
    expect(b.versioning).toEqual({ value: { status: 'Enabled', mfaDelete: null } });
    // ListAccessPoints is denied there: an error, never an empty list.
    expect(b.accessPoints?.error).toMatchObject({ code: 'AccessDenied', operation: 'ListAccessPoints', region: 'af-south-1' });
  });
});

describe('access points of a bucket', () => {
  it('a public one gets its Block Public Access and policy read too; the others only their status', async () => {
    const b = await readBucket(session, WEST, 'aws', 'us-east-1', metrics, 'us-west-2');
    const [open, plain] = b.accessPoints?.value ?? [];
    expect(open).toEqual({
      name: 'open',
      arn: `arn:aws:s3:us-west-2:${OWNER}:accesspoint/open`,
      networkOrigin: 'Internet',
      policyStatus: { value: { isPublic: true } },
      publicAccessBlock: { value: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: false } },
      policy: { value: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }] } },
    });
    expect(plain).toEqual({ name: 'plain', arn: `arn:aws:s3:us-west-2:${OWNER}:accesspoint/plain`, networkOrigin: 'Internet', policyStatus: { value: null } });
    expect(sim.counters().mutations).toBe(0);
  });
});
