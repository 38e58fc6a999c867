/**
 * CloudTrail Event History end to end: the simulator's LookupEvents through the real AWS SDK and the
 * collector — paging, one attribute per call, the 2-per-second quota, record shape, failures.
 */
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { validateSnapshot } from '@trailwarden/core';
import { type SimServer, type World, startSimulator } from '@trailwarden/sim';
import { afterEach, describe, expect, it } from 'vitest';
import { collect } from './index.js';

const A = '100000000001';
const TRAIL = `arn:aws:cloudtrail:us-east-1:${A}:trail/main`;
const BUCKET = `logs-${A}`;
const KEY = `arn:aws:kms:eu-west-1:${A}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`;
const OPS = `arn:aws:sts::${A}:assumed-role/Ops/jane`;
const now = Date.now();
const iso = (hoursAgo: number) => new Date(now - hoursAgo * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

function world(extraStops = 0): World {
  return {
    regions: ['us-east-1', 'eu-west-1'],
    accounts: [
      {
        id: A,
        name: 'solo',
        trails: [
          {
            name: 'main',
            homeRegion: 'us-east-1',
            multiRegion: true,
            bucket: BUCKET,
            kmsKeyId: KEY,
            loggingWindows: [
              { stoppedAt: iso(50), startedAt: iso(48), by: `arn:aws:iam::${A}:user/mallory`, startedBy: OPS },
              ...Array.from({ length: extraStops }, (_, i) => ({ stoppedAt: iso(1000 + i * 2), startedAt: iso(999 + i * 2) })),
            ],
          },
        ],
        buckets: [{ name: BUCKET, region: 'eu-west-1' }],
        kmsKeys: [{ id: '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0', region: 'eu-west-1' }],
        events: [
          { eventName: 'PutBucketPolicy', eventTime: iso(10), region: 'eu-west-1', actor: OPS, resource: BUCKET },
          { eventName: 'ScheduleKeyDeletion', eventTime: iso(9), region: 'eu-west-1', actor: OPS, resource: KEY, requestParameters: { keyId: KEY, pendingWindowInDays: 7 } },
          // Older than Event History keeps: never returned.
          { eventName: 'DeleteTrail', eventTime: iso(24 * 100), region: 'us-east-1', resource: TRAIL },
          { eventName: 'StopLogging', eventTime: iso(3), region: 'us-east-1', actor: OPS, resource: TRAIL, errorCode: 'AccessDenied' },
        ],
        iam: { users: [{ name: 'admin', managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'] }, { name: 'mallory' }], roles: [{ name: 'Ops', trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'sts:AssumeRole' }] } }] },
      },
    ],
  } as World;
}

let sim: SimServer | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

describe('LookupEvents: simulator and collector', () => {
  it('collects the events of the trail home region and of the bucket and key regions, as CloudTrail records them, within the quota', async () => {
    sim = await startSimulator({ world: world(60), port: 0, inject: { quotas: true } });
    const snapshot = await collect({ sections: ['eventHistory', 'buckets', 'keys'], endpointUrl: sim.url, credentials: sim.callerCredentials });
    validateSnapshot(JSON.parse(JSON.stringify(snapshot)));
    const eh = snapshot.accounts[A]!.eventHistory!;
    expect(eh.schemaVersion).toBe(1);
    expect(Object.keys(eh.regions)).toEqual(['eu-west-1', 'us-east-1']);
    expect(eh.eventNames['eu-west-1']).toEqual(['DeleteBucketPolicy', 'DisableKey', 'PutBucketLifecycle', 'PutBucketPolicy', 'PutBucketVersioning', 'PutKeyPolicy', 'ScheduleKeyDeletion']);
    const us = eh.regions['us-east-1']!.value!;
    // 61 windows (the planted one plus 60 old ones) → 122 events over three pages of 50, oldest first; the 100-day-old DeleteTrail is gone.
    expect(us.filter((e) => e.eventName === 'StopLogging' && !e.errorCode)).toHaveLength(61);
    expect(us.some((e) => e.eventName === 'DeleteTrail')).toBe(false);
    expect(sim.counters().byOperation['CloudTrail.LookupEvents']).toBeGreaterThanOrEqual(10 + 7 + 2);
    const stop = us.find((e) => e.eventName === 'StopLogging' && e.eventTime === new Date(iso(50)).toISOString())!;
    expect(stop).toMatchObject({ eventSource: 'cloudtrail.amazonaws.com', awsRegion: 'us-east-1', readOnly: false, requestParameters: { name: TRAIL } });
    expect(stop.userIdentity).toMatchObject({ type: 'IAMUser', arn: `arn:aws:iam::${A}:user/mallory`, accountId: A, userName: 'mallory' });
    const restart = us.find((e) => e.eventName === 'StartLogging' && e.eventTime === new Date(iso(48)).toISOString())!;
    expect(restart.userIdentity).toMatchObject({ type: 'AssumedRole', arn: OPS, sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${A}:role/Ops` } } });
    expect(us.find((e) => e.errorCode)).toMatchObject({ eventName: 'StopLogging', errorCode: 'AccessDenied' });
    const eu = eh.regions['eu-west-1']!.value!;
    expect(eu.map((e) => [e.eventName, e.eventSource, e.requestParameters])).toEqual([
      ['PutBucketPolicy', 's3.amazonaws.com', { bucketName: BUCKET }],
      ['ScheduleKeyDeletion', 'kms.amazonaws.com', { keyId: KEY, pendingWindowInDays: 7 }],
    ]);
    // Paced under the 2-per-second quota: the simulator never had to throttle.
    expect(sim.counters().throttled).toBe(0);
    expect(sim.counters().mutations).toBe(0);
  }, 60_000);

  it('a lookup that fails is an error for the region, never "no events"', async () => {
    sim = await startSimulator({ world: world(), port: 0, inject: { accessDenied: [{ operation: 'LookupEvents', region: 'eu-west-1' }] } });
    const snapshot = await collect({ sections: ['eventHistory', 'buckets', 'keys'], endpointUrl: sim.url, credentials: sim.callerCredentials });
    const eh = snapshot.accounts[A]!.eventHistory!;
    expect(eh.regions['eu-west-1']!.error).toMatchObject({ code: 'AccessDeniedException', operation: 'LookupEvents', accountId: A, region: 'eu-west-1' });
    expect(eh.regions['us-east-1']!.value!.length).toBeGreaterThan(0);
  }, 60_000);

  it('answers as CloudTrail does: one attribute per call, at most 50 a page, newest first, throttled above 2 per second', async () => {
    sim = await startSimulator({ world: world(60), port: 0, inject: { quotas: true } });
    const client = new CloudTrailClient({ endpoint: sim.url, region: 'us-east-1', credentials: sim.callerCredentials, maxAttempts: 1 });
    try {
      await expect(
        client.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'StopLogging' }, { AttributeKey: 'Username', AttributeValue: 'x' }] })),
      ).rejects.toMatchObject({ name: 'InvalidLookupAttributesException' });
      await new Promise((r) => setTimeout(r, 1100));
      await expect(client.send(new LookupEventsCommand({ MaxResults: 51 }))).rejects.toMatchObject({ name: 'InvalidMaxResultsException' });
      await new Promise((r) => setTimeout(r, 1100));
      const page = await client.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'StartLogging' }] }));
      expect(page.Events).toHaveLength(50);
      expect(page.NextToken).toBeDefined();
      const times = page.Events!.map((e) => e.EventTime!.getTime());
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      expect(JSON.parse(page.Events![0]!.CloudTrailEvent!)).toMatchObject({ eventVersion: '1.09', eventCategory: 'Management', managementEvent: true, recipientAccountId: A });
      // Three at once from one account and region: the third is throttled.
      const burst = await Promise.allSettled([0, 1, 2].map(() => client.send(new LookupEventsCommand({}))));
      expect(burst.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.name)).toContain('ThrottlingException');
    } finally {
      client.destroy();
    }
  }, 60_000);
});
