/**
 * End to end through the real AWS SDK against @trailwarden/sim: serialization, paging, signing,
 * role assumption, S3 path-style and S3 Control addressing, throttling — and not one mutation.
 */
import { DEMO_WORLD_PATH, loadWorld, type SimServer, startSimulator } from '@trailwarden/sim';
import { type Snapshot, SNAPSHOT_SECTIONS, validateSnapshot } from '@trailwarden/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type CollectOptions, type CollectProgress, collect } from './index.js';

const MGMT = '210987654321';
const LOG_ARCHIVE = '318273645501';
const PAYMENTS = '536271849003';
const DEV = '754093021605';
const ORG_TRAIL = `arn:aws:cloudtrail:us-east-1:${MGMT}:trail/acme-org-trail`;
const ARCHIVE_BUCKET = 'acme-org-cloudtrail-logs-318273645501';
const ARCHIVE_KEY = 'arn:aws:kms:us-east-1:318273645501:key/7d3f6a9e-2b41-4c8e-9f15-0a6b2c4d8e11';
const NOW = () => new Date('2026-11-21T16:00:00Z');

let sim: SimServer | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function scan(simOptions: Parameters<typeof startSimulator>[0], extra: Partial<CollectOptions> = {}): Promise<Snapshot> {
  sim = await startSimulator(simOptions);
  const snapshot = await collect({
    sections: [...SNAPSHOT_SECTIONS],
    endpointUrl: sim.url,
    credentials: sim.callerCredentials,
    roleName: 'TrailwardenAudit',
    now: NOW,
    ...extra,
  });
  // What a user would write to disk must validate.
  validateSnapshot(JSON.parse(JSON.stringify(snapshot)));
  return snapshot;
}

/** Every Known error in a snapshot, as "path code". */
function errorsOf(value: unknown, path = ''): string[] {
  if (!value || typeof value !== 'object') return [];
  const o = value as Record<string, unknown>;
  const own = o.error && typeof o.error === 'object' && 'code' in (o.error as object) ? [`${path} ${(o.error as { code: string }).code}`] : [];
  return [...own, ...Object.entries(o).flatMap(([k, v]) => (k === 'error' ? [] : errorsOf(v, `${path}/${k}`)))];
}

describe('collect() against the simulator (demo world)', () => {
  it('scans the organization read-only and gets every trail, bucket and key where it lives', async () => {
    const snapshot = await scan({ world: DEMO_WORLD_PATH, port: 0 });
    const counters = sim!.counters();
    expect(counters.mutations).toBe(0);
    expect(snapshot.scope.mode).toBe('organization');
    expect(snapshot.scope.accounts).toHaveLength(6);
    expect(snapshot.organization?.value?.policies.scp.value?.map((p) => p.name)).toEqual(expect.arrayContaining(['DenyEuWest1ForDev', 'ProtectCloudTrail']));
    expect(snapshot.organization?.value?.policies.rcp.value?.some((p) => p.name === 'EnforceSecureTransport')).toBe(true);

    // The org trail: judged in the management account, coverage only in members.
    const owner = snapshot.accounts[MGMT]!.trails!.value!.find((t) => t.arn === ORG_TRAIL)!;
    expect(owner.status?.value?.isLogging).toBe(true);
    expect(owner.eventSelectors?.value?.eventSelectors?.[0]).toMatchObject({ readWriteType: 'All', includeManagementEvents: true });
    const inMember = snapshot.accounts[PAYMENTS]!.trails!.value!.find((t) => t.arn === ORG_TRAIL)!;
    expect(inMember).toMatchObject({ isOrganizationTrail: true, ownerAccountId: MGMT });
    expect(inMember.status).toBeUndefined();

    // Selectors once per owned trail; status once per region the trail covers (GetTrailStatus answers
    // one region's status), never once per account that sees a copy.
    const ownedTrails = Object.values(snapshot.accounts).flatMap((a) => (a.trails?.value ?? []).filter((t) => t.ownerAccountId === a.id));
    const statusRegions = ownedTrails.reduce((n, t) => n + 1 + Object.keys(t.regionStatus ?? {}).length, 0);
    expect(ownedTrails.some((t) => t.regionStatus)).toBe(true);
    expect(counters.byOperation['CloudTrail.GetTrailStatus']).toBe(statusRegions);
    expect(counters.byOperation['CloudTrail.GetEventSelectors']).toBe(ownedTrails.length);

    // Cross-account log archive: the bucket and key in their owner's entry, read once.
    const bucket = snapshot.accounts[LOG_ARCHIVE]!.buckets![ARCHIVE_BUCKET]!;
    expect(bucket.ownerAccountId).toBe(LOG_ARCHIVE);
    expect(bucket.versioning).toEqual({ value: { status: 'Enabled', mfaDelete: 'Disabled' } });
    expect(bucket.policy?.value).toMatchObject({ Statement: expect.any(Array) });
    expect(snapshot.accounts[MGMT]!.buckets).toBeUndefined();
    expect(snapshot.accounts[LOG_ARCHIVE]!.keys![ARCHIVE_KEY]!.metadata?.value?.keyManager).toBe('CUSTOMER');

    // The demo world's only denial is an SCP region deny: AWS's answer, recorded as the account's
    // scope (governed out), not as a failed read.
    const errors = errorsOf(snapshot);
    expect(errors).toEqual([]);
    expect(snapshot.accounts[DEV]!.governedOutRegions?.['eu-west-1']).toMatchObject({ code: 'AccessDeniedException', operation: 'DescribeTrails' });
    expect(snapshot.accounts[DEV]!.trailListing?.['eu-west-1']).toBeUndefined();
    expect(snapshot.scope.notes).toContainEqual(expect.stringMatching(new RegExp(`^Account ${DEV}: region eu-west-1 is governed out by a service control policy`)));

    // Calls: per account at most regions + 7 (AssumeRole, DescribeRegions, DescribeTrails per
    // region, ListBuckets, GetAccountAuthorizationDetails, GetAccountSummary, account Block Public
    // Access), plus the per-trail, per-bucket and per-key reads, plus discovery once.
    let budget = 1; // GetCallerIdentity
    for (const [id, account] of Object.entries(snapshot.accounts)) {
      budget += Object.keys(account.trailListing ?? {}).length + Object.keys(account.governedOutRegions ?? {}).length + 7;
      budget += (account.trails?.value ?? []).filter((t) => t.ownerAccountId === id).reduce((n, t) => n + 3 + Object.keys(t.regionStatus ?? {}).length, 0);
      budget += Object.keys(account.buckets ?? {}).length * 11 + Object.keys(account.keys ?? {}).length * 3;
      // One LookupEvents per (region, event name) looked up: the demo world plants no events.
      budget += Object.values(account.eventHistory?.eventNames ?? {}).reduce((n, names) => n + names.length, 0);
      // CloudTrail Lake: one ListEventDataStores per region listed, one GetEventDataStore per store.
      budget += Object.values(account.eventDataStores ?? {}).reduce((n, k) => n + 1 + (k.value?.length ?? 0), 0);
    }
    budget += Object.entries(counters.byOperation)
      .filter(([op]) => op.startsWith('Organizations.'))
      .reduce((n, [, v]) => n + v, 0);
    expect(counters.total).toBeLessThanOrEqual(budget);
  });

  it('gets the same snapshot with 20 % injected throttling, quotas and faults, with no failed read', async () => {
    const clean = await scan({ world: DEMO_WORLD_PATH, port: 0 });
    await sim!.stop();
    sim = undefined;
    const events: CollectProgress[] = [];
    const throttled = await scan(
      { world: DEMO_WORLD_PATH, port: 0, seed: 7, inject: { throttleRate: 0.2, faultRate: 0.02, quotas: true } },
      { onProgress: (e) => events.push(e), maxAttempts: 10 },
    );
    expect(sim!.counters().throttled).toBeGreaterThan(0);
    expect(throttled).toEqual(clean);
    // Byte-identical, not only deep-equal: reads finish in another order, the output does not.
    expect(JSON.stringify(throttled)).toBe(JSON.stringify(clean));
    const last = events.at(-1)!;
    expect(last.phase).toBe('done');
    expect(last.throttles).toBe(sim!.counters().throttled);
    expect(last.calls).toBe(sim!.counters().total);
    expect(last.errors).toBe(errorsOf(clean).length); // AWS's denials, as in the clean scan: no read failed
  });

  it('records a role that cannot be assumed as an ERROR for that account and reads the rest', async () => {
    const snapshot = await scan({ world: DEMO_WORLD_PATH, port: 0 }, { roleName: 'NoSuchAuditRole' });
    expect(snapshot.accounts[MGMT]!.access).toEqual({ value: { via: 'caller' } });
    expect(snapshot.accounts[MGMT]!.trails?.value?.length).toBeGreaterThan(0);
    const failed = Object.values(snapshot.accounts).filter((a) => a.access.error);
    expect(failed).toHaveLength(5);
    // The archive bucket's owner could not be read: its owner is unknown, and says why.
    expect(snapshot.unresolved?.buckets?.[ARCHIVE_BUCKET]?.code).toBe('BucketOwnerUnknown');
    for (const a of failed) {
      expect(a.access.error).toMatchObject({ operation: 'AssumeRole', accountId: a.id });
      expect(a.trails).toBeUndefined();
    }
    expect(sim!.counters().mutations).toBe(0);
  });

  it('from a member account without Organizations rights: a plain single-account scan that reads the org trail by ARN (endpoint from AWS_ENDPOINT_URL)', async () => {
    const world = await loadWorld(DEMO_WORLD_PATH);
    world.caller = { accountId: PAYMENTS, arn: `arn:aws:iam::${PAYMENTS}:user/auditor` };
    sim = await startSimulator({ world, port: 0 });
    const saved = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = sim.url;
    let snapshot: Snapshot;
    try {
      snapshot = await collect({ sections: [...SNAPSHOT_SECTIONS], credentials: sim.callerCredentials, roleName: 'TrailwardenAudit', now: NOW });
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = saved;
    }
    validateSnapshot(JSON.parse(JSON.stringify(snapshot)));
    expect(snapshot.scope).toMatchObject({ mode: 'single-account', accounts: [PAYMENTS] });
    expect(snapshot.scope.notes?.[0]).toMatch(/^Single-account scan/);
    const org = snapshot.accounts[PAYMENTS]!.trails!.value!.find((t) => t.arn === ORG_TRAIL)!;
    expect(org.isOrganizationTrail).toBe(true);
    // A member may read an organization trail's status by ARN, in every region it covers; its
    // selectors only the owner or the CloudTrail delegated administrator may read: not asked for.
    expect(org.status?.value?.isLogging).toBe(true);
    expect(Object.keys(org.regionStatus ?? {}).length).toBeGreaterThan(0);
    expect(org.eventSelectors).toBeUndefined();
    expect(sim!.counters().byOperation['CloudTrail.GetEventSelectors'] ?? 0).toBe(1); // its own trail only
    expect(snapshot.unresolved?.buckets?.[ARCHIVE_BUCKET]?.code).toBe('BucketOutOfScope');
    expect(sim!.counters().mutations).toBe(0);
  });
});
