/**
 * S3 access points of the trail buckets (issue #13 item 3): served by the simulator over S3 Control,
 * collected by the real collector through the real AWS SDK, judged by trail-bucket-not-public.
 *
 *   open-ap-logs      us-west-2  an access point whose policy S3 calls public (and one it does not)
 *   private-ap-logs   us-east-1  only an access point pinned to the organization, and a VPC one
 *   denied-ap-logs    eu-west-1  ListAccessPoints denied in that region
 *   disagree-logs     us-east-1  our analysis says the bucket policy is public, S3's IsPublic says not
 */
import { join, resolve } from 'node:path';
import { collect } from '@trailwarden/aws';
import { type Finding, type LoadedCheck, SNAPSHOT_SECTIONS, type Snapshot, evaluate, loadPlugin } from '@trailwarden/core';
import { type World, startSimulator } from '@trailwarden/sim';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const NOW = new Date('2026-11-21T16:00:00Z');
const ID = '222200000007';
const RECENT = '2026-11-21T15:30:00Z';
const allow = (resource: string, condition?: object) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: resource, ...(condition ? { Condition: condition } : {}) }],
});
const trail = (name: string, homeRegion: string, bucket: string) => ({ name, homeRegion, bucket, status: { latestDeliveryTime: RECENT } });

const world: World = {
  regions: ['us-east-1', 'us-west-2', 'eu-west-1'],
  accounts: [
    {
      id: ID,
      name: 'standalone',
      iam: { users: [{ name: 'admin', managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'] }] },
      trails: [
        trail('open-trail', 'us-west-2', 'open-ap-logs'),
        trail('private-trail', 'us-east-1', 'private-ap-logs'),
        trail('denied-trail', 'eu-west-1', 'denied-ap-logs'),
        trail('disagree-trail', 'us-east-1', 'disagree-logs'),
      ],
      buckets: [
        {
          name: 'open-ap-logs',
          region: 'us-west-2',
          publicAccessBlock: null,
          accessPoints: [
            { name: 'partner-feed', policy: allow(`arn:aws:s3:us-west-2:${ID}:accesspoint/partner-feed/object/*`), publicAccessBlock: { blockPublicPolicy: false, restrictPublicBuckets: false } },
            { name: 'analytics', policy: allow('*', { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdef1234' } }) },
          ],
        },
        {
          name: 'private-ap-logs',
          region: 'us-east-1',
          publicAccessBlock: null,
          accessPoints: [
            { name: 'analytics-east', policy: allow('*', { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdef1234' } }) },
            { name: 'inside', networkOrigin: 'VPC', vpcId: 'vpc-0a1b2c3d4e5f60718', policy: allow('*'), publicAccessBlock: { blockPublicPolicy: false, restrictPublicBuckets: false } },
          ],
        },
        { name: 'denied-ap-logs', region: 'eu-west-1', publicAccessBlock: null },
        // A condition key our analysis does not model pins it, say: S3 says not public.
        { name: 'disagree-logs', region: 'us-east-1', publicAccessBlock: null, policy: allow('arn:aws:s3:::disagree-logs/*'), policyStatus: { isPublic: false } },
      ],
    },
  ],
};

let checks: LoadedCheck[];
let snapshot: Snapshot;
let findings: Finding[];
let calls: Record<string, number>;

beforeAll(async () => {
  const plugin = await loadPlugin(join(ROOT, 'checks', 'bucket-not-public', 'src', 'index.ts'), ROOT);
  checks = plugin.checks.map((check) => ({ check, plugin: { name: plugin.name }, options: {} }));
  const sim = await startSimulator({ world, port: 0, inject: { accessDenied: [{ operation: 'S3Control.ListAccessPoints', region: 'eu-west-1' }] } });
  try {
    snapshot = await collect({ sections: [...SNAPSHOT_SECTIONS], endpointUrl: sim.url, credentials: sim.callerCredentials, region: 'us-east-1', now: () => NOW });
    calls = sim.counters().byOperation;
    expect(sim.counters().mutations).toBe(0);
  } finally {
    await sim.stop();
  }
  findings = (await evaluate(snapshot, { checks, now: NOW })).findings;
}, 60_000);

const finding = (bucket: string) => {
  const found = findings.filter((f) => f.resource.arn === `arn:aws:s3:::${bucket}`);
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('access points of the trail buckets', () => {
  it('a public access point FAILs the bucket, naming the access point', () => {
    const f = finding('open-ap-logs');
    expect(`${f.status} ${f.messageId}`).toBe('FAIL publicAccessPoint');
    expect(f.message).toContain(`its access point partner-feed (arn:aws:s3:us-west-2:${ID}:accesspoint/partner-feed) has a policy S3 reports as public`);
    expect(f.message).not.toContain('analytics');
    expect(f.evidence.publicAccessPoints).toEqual(['partner-feed']);
  });

  it('access points S3 calls not public (or reachable only from a VPC) PASS', () => {
    const f = finding('private-ap-logs');
    expect(f.status).toBe('PASS');
    expect(f.message).toMatch(/but inside: network origin VPC neutralises it/);
  });

  it('access points that could not be listed are an ERROR for that bucket, never a PASS', () => {
    const f = finding('denied-ap-logs');
    expect(f.status).toBe('ERROR');
    expect(f.message).toMatch(/its access points are unknown \(ListAccessPoints failed in account 222200000007, region eu-west-1: AccessDenied/);
  });

  it('our judgement public, S3 IsPublic false: an ERROR with both views, not a FAIL', () => {
    const f = finding('disagree-logs');
    expect(f.status).toBe('ERROR');
    expect(f.message).toMatch(/its bucket policy statement #1 allows s3:GetObject to Principal "\*" with no condition.* — but S3's own GetBucketPolicyStatus says IsPublic false/);
    expect(f.evidence.awsDisagrees).toBe(true);
    expect(f.evidence.awsPolicyStatus).toEqual({ isPublic: false });
  });

  it('costs one ListAccessPoints per bucket, one status per access point, and two reads more per public one', () => {
    expect(calls['S3Control.ListAccessPoints']).toBe(4);
    expect(calls['S3Control.GetAccessPointPolicyStatus']).toBe(4);
    expect(calls['S3Control.GetAccessPoint']).toBe(2);
    expect(calls['S3Control.GetAccessPointPolicy']).toBe(2);
  });
});
