/**
 * A plugin collect entry end to end through the real SDK against @trailwarden/sim. The simulator
 * serves no plugin operation: what it answers (UnknownOperationException, as AWS does for an
 * operation it does not know) must land in the snapshot as a Known error where the call was made.
 */
import { DEMO_WORLD_PATH, type SimServer, startSimulator } from '@trailwarden/sim';
import { declarationHash, validateSnapshot } from '@trailwarden/core';
import { afterEach, describe, expect, it } from 'vitest';
import { collect } from './index.js';

const MGMT = '210987654321';
const ORG_TRAIL = `arn:aws:cloudtrail:us-east-1:${MGMT}:trail/acme-org-trail`;
const PLUGIN = '@acme/trailwarden-check-trail-tags';

let sim: SimServer | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

describe('plugin collect entries against the simulator', () => {
  it("stores the endpoint's refusal of an operation it does not serve as a Known error, read-only throughout", async () => {
    sim = await startSimulator({ world: DEMO_WORLD_PATH, port: 0 });
    const decl = { command: 'cloudtrail:ListTags', per: 'trail' as const, input: { ResourceIdList: ['{{trail.arn}}'] } };
    const snapshot = await collect({
      sections: ['trails'],
      endpointUrl: sim.url,
      credentials: sim.callerCredentials,
      roleName: 'TrailwardenAudit',
      now: () => new Date('2026-11-21T16:00:00Z'),
      extensions: [{ plugin: PLUGIN, entries: { trailTags: decl } }],
    });
    validateSnapshot(JSON.parse(JSON.stringify(snapshot)));
    expect(sim.counters().mutations).toBe(0);
    const stored = snapshot.extensions?.[PLUGIN] ?? {};
    expect(stored[`trailTags/trail/${ORG_TRAIL}`]).toEqual({
      error: { code: 'UnknownOperationException', message: expect.stringContaining('ListTags'), operation: 'ListTags', accountId: MGMT, region: 'us-east-1' },
    });
    // One value per trail, each read in its owner account.
    const owned = Object.values(snapshot.accounts).flatMap((a) => (a.trails?.value ?? []).filter((t) => t.ownerAccountId === a.id).map((t) => `trailTags/trail/${t.arn}`));
    expect(Object.keys(stored).sort()).toEqual(owned.sort());
    expect(snapshot.extensionsRequested).toEqual({ [PLUGIN]: { trailTags: declarationHash(decl) } });
  });

  it('S3 (REST-XML): an unserved operation is stored once per bucket, in its owner account and region, without retries', async () => {
    sim = await startSimulator({ world: DEMO_WORLD_PATH, port: 0 });
    const decl = { command: 's3:GetBucketTagging', per: 'bucket' as const, input: { Bucket: '{{bucket.name}}' }, notConfigured: ['NoSuchTagSet'] };
    const snapshot = await collect({
      sections: ['buckets'],
      endpointUrl: sim.url,
      credentials: sim.callerCredentials,
      roleName: 'TrailwardenAudit',
      now: () => new Date('2026-11-21T16:00:00Z'),
      extensions: [{ plugin: PLUGIN, entries: { tags: decl } }],
    });
    validateSnapshot(JSON.parse(JSON.stringify(snapshot)));
    expect(sim.counters().mutations).toBe(0);
    const stored = snapshot.extensions?.[PLUGIN] ?? {};
    const buckets = Object.values(snapshot.accounts).flatMap((a) => Object.values(a.buckets ?? {}).map((b) => ({ key: `tags/bucket/${b.name}`, accountId: a.id, region: b.region.value })));
    expect(buckets.length).toBeGreaterThan(0);
    expect(Object.keys(stored).sort()).toEqual(buckets.map((b) => b.key).sort());
    // One call per bucket: a 501 is not retried.
    const calls = Object.entries(sim.counters().byOperation).filter(([op]) => op.endsWith('.GetBucketTagging'));
    expect(calls.map(([, n]) => n)).toEqual([buckets.length]);
    for (const b of buckets) {
      expect(stored[b.key]?.error).toMatchObject({ code: 'NotImplemented', operation: 'GetBucketTagging', accountId: b.accountId, region: b.region });
    }
  });
});
