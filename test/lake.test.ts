/**
 * CloudTrail Lake end to end (issue #13 item 9, issue #18 item 4): event data stores served by the
 * simulator, listed in every region and read by the real collector through the real AWS SDK, judged by
 * the built-in checks loaded from their sources.
 *
 *   120000000001  management   no trail; the organization event data store org-eds (all management
 *                              events, every region, a key AWS owns) and audit-eds (eu-west-1, a
 *                              customer managed key)
 *   120000000002  security     CloudTrail delegated administrator: lists org-eds too
 *   120000000003  workload     its own store, stopped, single-region
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { collect } from '@trailwarden/aws';
import { type Finding, type LoadedCheck, SNAPSHOT_SECTIONS, type Snapshot, evaluate, loadPlugin } from '@trailwarden/core';
import { type InjectionOptions, type World, startSimulator } from '@trailwarden/sim';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const NOW = new Date('2026-11-21T16:00:00Z');
const MGMT = '120000000001';
const SECURITY = '120000000002';
const WORKLOAD = '120000000003';
const KEY = `arn:aws:kms:eu-west-1:${MGMT}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`;
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];

const trusting = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MGMT}:root` }, Action: 'sts:AssumeRole' }] };
const auditRole = { name: 'TrailwardenAudit', trustPolicy: trusting, managedPolicies: ['arn:aws:iam::aws:policy/SecurityAudit'] };

const world: World = {
  regions: REGIONS,
  organization: { id: 'o-lake000002', managementAccountId: MGMT, delegatedAdministrators: [{ accountId: SECURITY, servicePrincipal: 'cloudtrail.amazonaws.com' }] },
  caller: { accountId: MGMT },
  accounts: [
    {
      id: MGMT,
      name: 'management',
      eventDataStores: [
        { name: 'org-eds', region: 'us-east-1', organization: true },
        { name: 'audit-eds', region: 'eu-west-1', kmsKeyId: KEY },
      ],
    },
    { id: SECURITY, name: 'security', iam: { roles: [auditRole] } },
    { id: WORKLOAD, name: 'workload', eventDataStores: [{ name: 'own-eds', region: 'us-west-2', multiRegion: false, status: 'STOPPED_INGESTION' }], iam: { roles: [auditRole] } },
  ],
} as World;

let checks: LoadedCheck[];
beforeAll(async () => {
  checks = [];
  for (const dir of readdirSync(join(ROOT, 'checks')).sort()) {
    const plugin = await loadPlugin(join(ROOT, 'checks', dir, 'src', 'index.ts'), ROOT);
    for (const check of plugin.checks) checks.push({ check, plugin: { name: plugin.name }, options: { ...(check.options?.defaults ?? {}) } });
  }
});

async function scan(inject?: InjectionOptions): Promise<{ snapshot: Snapshot; findings: Finding[]; calls: Record<string, number>; mutations: number }> {
  const sim = await startSimulator({ world, port: 0, ...(inject ? { inject } : {}) });
  try {
    const snapshot = await collect({ sections: [...SNAPSHOT_SECTIONS], endpointUrl: sim.url, credentials: sim.callerCredentials, region: 'us-east-1', roleName: 'TrailwardenAudit', now: () => NOW });
    const counters = sim.counters();
    return { snapshot, findings: (await evaluate(snapshot, { checks, now: NOW })).findings, calls: counters.byOperation, mutations: counters.mutations };
  } finally {
    await sim.stop();
  }
}

const of = (findings: Finding[], checkId: string, accountId?: string) => findings.filter((f) => f.checkId === checkId && (accountId === undefined || f.accountId === accountId));

describe('CloudTrail Lake event data stores, through the simulator and the real collector', () => {
  let clean: Awaited<ReturnType<typeof scan>>;
  beforeAll(async () => {
    clean = await scan();
  }, 60_000);

  it('lists the stores in every region of every account, one GetEventDataStore per store listed, and nothing else', () => {
    expect(clean.mutations).toBe(0);
    expect(clean.calls['CloudTrail.ListEventDataStores']).toBe(3 * REGIONS.length);
    // org-eds twice (the management account and the delegated administrator list it), audit-eds, own-eds.
    expect(clean.calls['CloudTrail.GetEventDataStore']).toBe(4);
    const mgmt = clean.snapshot.accounts[MGMT]!.eventDataStores!;
    expect(Object.keys(mgmt)).toEqual(REGIONS.slice().sort());
    expect(mgmt['us-east-1']!.value!.map((s) => [s.name, s.details.value?.organizationEnabled, s.details.value?.kmsKeyId ?? null])).toEqual([['org-eds', true, null]]);
    expect(mgmt['eu-west-1']!.value![0]!.details.value?.kmsKeyId).toBe(KEY);
    // The delegated administrator lists the organization's store, owned by the management account.
    expect(clean.snapshot.accounts[SECURITY]!.eventDataStores!['us-east-1']!.value!.map((s) => [s.name, s.ownerAccountId])).toEqual([['org-eds', MGMT]]);
    // A member never sees it.
    expect(Object.values(clean.snapshot.accounts[WORKLOAD]!.eventDataStores!).flatMap((k) => k.value!.map((s) => s.name))).toEqual(['own-eds']);
  });

  it('lake-kms-encryption: FAIL with the fix for a key AWS owns, PASS for a customer managed key, each store once, NOT_APPLICABLE where an account owns none', () => {
    const lake = of(clean.findings, 'lake-kms-encryption');
    expect(lake.map((f) => `${f.accountId} ${f.resource.name} ${f.status}`).sort()).toEqual([
      `${MGMT} audit-eds PASS`,
      `${MGMT} org-eds FAIL`,
      `${SECURITY} security NOT_APPLICABLE`,
      `${WORKLOAD} own-eds FAIL`,
    ]);
    const org = lake.find((f) => f.resource.name === 'org-eds')!;
    expect(org.message).toContain(`aws cloudtrail update-event-data-store --event-data-store ${org.resource.arn} --kms-key-id <customer-managed-key-arn> --region us-east-1`);
    expect(org.frameworks).toEqual({ 'aws-fsbp': ['CloudTrail.10'] });
  });

  it('trail-multi-region and org-trail-coverage still FAIL without a trail, name the organization store, and never say activity is not recorded', () => {
    for (const id of [MGMT, SECURITY, WORKLOAD]) {
      const [mr] = of(clean.findings, 'trail-multi-region', id);
      expect(mr?.status).toBe('FAIL');
      expect(mr?.message).toMatch(/recorded by .*CloudTrail Lake organization event data store org-eds .*CIS requires a trail/);
      expect(mr?.message).not.toMatch(/not recorded/);
    }
    const [cov] = of(clean.findings, 'org-trail-coverage', WORKLOAD);
    expect(cov?.status).toBe('FAIL');
    expect(cov?.message).toMatch(/Its management events are recorded by CloudTrail Lake organization event data store org-eds/);
    const stores = (of(clean.findings, 'trail-multi-region', WORKLOAD)[0]?.evidence.eventDataStores ?? []) as { name: string; verdict: string }[];
    expect(stores.map((s) => `${s.name}: ${s.verdict}`).sort()).toEqual(['org-eds: records all management events', 'own-eds: not ingesting (status STOPPED_INGESTION), single-region (us-west-2 only)']);
  });

  it('trail-api-least-privilege judges who can delete, stop or change an event data store, in the account that owns it', () => {
    const tamper = of(clean.findings, 'trail-api-least-privilege', WORKLOAD).filter((f) => f.status === 'FAIL');
    const own = clean.snapshot.accounts[WORKLOAD]!.eventDataStores!['us-west-2']!.value![0]!;
    const root = tamper.find((f) => f.resource.arn === `arn:aws:iam::${WORKLOAD}:root`);
    expect(root?.message).toMatch(/cloudtrail:DeleteEventDataStore/);
    expect(root?.message).toMatch(/cloudtrail:StopEventDataStoreIngestion/);
    expect(root?.message).toContain(own.arn);
    // The organization's store is judged in the management account only, never in a member.
    const orgArn = clean.snapshot.accounts[MGMT]!.eventDataStores!['us-east-1']!.value![0]!.arn;
    expect(tamper.some((f) => f.message.includes(orgArn))).toBe(false);
    // There only root can change it, and SCPs cannot restrict the management account's root: its
    // credentials decide (no access keys, MFA on here), so the store is evidence on the account's PASS.
    const mgmt = of(clean.findings, 'trail-api-least-privilege', MGMT);
    expect(mgmt.filter((f) => f.status === 'FAIL')).toEqual([]);
    expect(mgmt.some((f) => f.status === 'PASS' && JSON.stringify(f.evidence).includes(orgArn))).toBe(true);
  });

  it('store listings that failed are unknown, never "none": ERROR for lake-kms-encryption, "unknown" in the trail checks', async () => {
    const denied = await scan({ accessDenied: [{ operation: 'ListEventDataStores' }] });
    const lake = of(denied.findings, 'lake-kms-encryption');
    expect(lake.length).toBeGreaterThan(0);
    expect(lake.every((f) => f.status === 'ERROR' && /ListEventDataStores failed/.test(f.message))).toBe(true);
    for (const id of [MGMT, WORKLOAD]) {
      const [mr] = of(denied.findings, 'trail-multi-region', id);
      expect(mr?.status).toBe('FAIL');
      expect(mr?.message).toMatch(/whether a CloudTrail Lake event data store records its management events is unknown \(ListEventDataStores failed/);
      expect(mr?.message).not.toMatch(/not recorded/);
    }
  }, 60_000);
});
