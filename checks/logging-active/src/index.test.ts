import { DEFAULT_CATALOGUE, type Known, type Snapshot, type TrailStatus, validateCheck, BUILTIN_PACKS, frameworksOfCheck } from '@trailwarden/core';
import { CheckTester, account, organization, runCheck, snapshot, trail, unreadable } from '@trailwarden/testing';
import { describe, expect, it } from 'vitest';
import check, { formatAge } from './index.js';

const A = '111111111111';
const MEMBER = '222222222222';
const NOW = '2026-01-15T12:00:00.000Z';
const hoursAgo = (h: number) => new Date(Date.parse(NOW) - h * 3_600_000).toISOString();
const one = (t: Omit<Parameters<typeof trail>[0], 'name'>): Snapshot => snapshot({ accounts: [account(A, { trails: [trail({ name: 'main', ...t })] })] });
/** A multi-region trail whose status was also read in other regions. */
const perRegion = (regionStatus: Record<string, Known<TrailStatus>>): Snapshot => {
  const s = one({ multiRegion: true });
  const t = s.accounts[A]!.trails!.value![0]!;
  t.regionStatus = regionStatus;
  return s;
};
const ok = { isLogging: true, latestDeliveryTime: hoursAgo(1) };

new CheckTester({ now: new Date(NOW) }).run(check, {
  valid: [
    { name: 'logging, delivered 5 minutes ago', snapshot: () => one({}) },
    { name: 'a multi-region trail delivering in every region', snapshot: () => perRegion({ 'eu-west-1': { value: ok }, 'us-west-2': { value: ok } }) },
    { name: 'delivered 23 hours ago', snapshot: () => one({ status: { latestDeliveryTime: hoursAgo(23) } }) },
    { name: 'delivered exactly 24 hours ago', snapshot: () => one({ status: { latestDeliveryTime: hoursAgo(24) } }) },
    { name: 'an older delivery within a larger maxDeliveryAgeHours', snapshot: () => one({ status: { latestDeliveryTime: hoursAgo(30) } }), options: { maxDeliveryAgeHours: 48 } },
    {
      name: 'an organization trail is judged once, in its owner account',
      snapshot: () => snapshot({ organization: organization({ managementAccountId: A }), accounts: [account(A, { trails: [trail({ name: 'org', organization: true })] }), account(MEMBER)] }),
    },
  ],
  invalid: [
    {
      name: 'a region where delivery fails is a FAIL naming that region (GetTrailStatus answers per region)',
      snapshot: () => perRegion({ 'eu-west-1': { value: { ...ok, latestDeliveryError: 'AccessDenied' } }, 'us-west-2': { value: ok } }),
      findings: [{ status: 'FAIL', messageId: 'deliveryError', message: /cannot deliver log files to S3 bucket \S+ in region eu-west-1: AccessDenied/ }],
    },
    {
      name: 'every failing region is named',
      snapshot: () => perRegion({ 'eu-west-1': { value: { ...ok, latestDeliveryTime: hoursAgo(30) } }, 'us-west-2': { value: { ...ok, latestDeliveryError: 'KMS.AccessDenied' } } }),
      findings: [{ status: 'FAIL', messageId: 'stale', message: /in regions eu-west-1, us-west-2 / }],
    },
    {
      name: 'a region whose status could not be read is an ERROR, not a PASS',
      snapshot: () => perRegion({ 'eu-west-1': { error: { code: 'AccessDenied', message: 'denied', operation: 'GetTrailStatus', accountId: A, region: 'eu-west-1' } }, 'us-west-2': { value: ok } }),
      findings: [{ status: 'ERROR', message: /its status in eu-west-1 could not be read/ }],
    },
    {
      name: 'a stopped trail',
      snapshot: () => one({ logging: false }),
      findings: [{ status: 'FAIL', messageId: 'stopped', message: /not logging \(stopped since 2026-01-13T12:00:00\.000Z\).*aws cloudtrail start-logging --name arn:aws:cloudtrail:us-east-1:111111111111:trail\/main/ }],
    },
    {
      name: 'a delivery error',
      snapshot: () => one({ status: { latestDeliveryError: 'AccessDenied' } }),
      findings: [{ status: 'FAIL', messageId: 'deliveryError', message: /cannot deliver log files to S3 bucket aws-cloudtrail-logs-111111111111-main: AccessDenied/ }],
    },
    {
      name: 'never delivered',
      snapshot: () => one({ status: { latestDeliveryTime: undefined } }),
      findings: [{ status: 'FAIL', messageId: 'neverDelivered' }],
    },
    {
      name: 'last delivery 25 hours ago',
      snapshot: () => one({ status: { latestDeliveryTime: hoursAgo(25) } }),
      findings: [{ status: 'FAIL', messageId: 'stale', message: /last delivered a log file to S3 25 h 0 min ago \(at 2026-01-14T11:00:00\.000Z\), more than the allowed 24 h/ }],
    },
    {
      name: 'a tighter maxDeliveryAgeHours',
      snapshot: () => one({ status: { latestDeliveryTime: hoursAgo(2) } }),
      options: { maxDeliveryAgeHours: 1 },
      findings: [{ status: 'FAIL', messageId: 'stale' }],
    },
    {
      name: 'unreadable status is an ERROR',
      snapshot: () => one({ status: unreadable('AccessDenied', 'GetTrailStatus') }),
      findings: [{ status: 'ERROR', message: /GetTrailStatus failed in account 111111111111, region us-east-1: AccessDenied/ }],
    },
    {
      name: 'unreadable trails are an ERROR for the account',
      snapshot: () => snapshot({ accounts: [account(A, { trails: unreadable('AccessDenied', 'DescribeTrails') })] }),
      findings: [{ status: 'ERROR', resource: `arn:aws:iam::${A}:root`, message: /DescribeTrails failed/ }],
    },
  ],
});

describe('trail-logging-active details', () => {
  it('is a valid plugin mapped to FSBP CloudTrail.3', () => {
    expect(() => validateCheck(check, 'logging-active')).not.toThrow();
    expectCatalogued(frameworksOfCheck(check.id, BUILTIN_PACKS), /enabled/);
    expect(frameworksOfCheck(check.id, BUILTIN_PACKS)).toEqual({ 'aws-fsbp': ['CloudTrail.3'] });
    expect(check.options?.defaults).toEqual({ maxDeliveryAgeHours: 24 });
  });

  it('refuses a non-positive maxDeliveryAgeHours', async () => {
    await expect(runCheck(check, one({}), { options: { maxDeliveryAgeHours: 0 } })).rejects.toThrow(/maxDeliveryAgeHours/);
  });

  it('formats ages for people', () => {
    expect(formatAge(-1)).toBe('0 min');
    expect(formatAge(59 * 60_000)).toBe('59 min');
    expect(formatAge(125 * 60_000)).toBe('2 h 5 min');
    expect(formatAge(50 * 3_600_000)).toBe('2 d 2 h');
  });
});

/** Every control the check maps to is in the core catalogue, with a title about the same thing. */
function expectCatalogued(frameworks: Record<string, string[]> | undefined, topic: RegExp): void {
  for (const [fw, controls] of Object.entries(frameworks ?? {})) {
    for (const id of controls) expect(DEFAULT_CATALOGUE[fw]?.controls[id], `${fw} ${id}`).toMatch(topic);
  }
}

describe('logging-active: delivery times are UTC', () => {
  it('reads a timestamp without a zone designator as UTC, whatever the machine time zone', async () => {
    const saved = process.env.TZ;
    process.env.TZ = 'America/Los_Angeles';
    try {
      // 26 h before NOW in UTC; read as Los Angeles local time it would look 18 h old.
      for (const time of ['2026-01-14T10:00:00', '2026-01-14 10:00:00.000']) {
        const findings = await runCheck(check, one({ status: { latestDeliveryTime: time } }), { now: new Date(NOW) });
        expect(findings.map((f) => [f.status, f.messageId])).toEqual([['FAIL', 'stale']]);
        expect(findings[0]?.message).toMatch(/ago \(at 2026-01-14T10:00:00\.000Z\)/);
      }
      const fresh = await runCheck(check, one({ status: { latestDeliveryTime: '2026-01-15T10:00:00' } }), { now: new Date(NOW) });
      expect(fresh.map((f) => f.status)).toEqual(['PASS']);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});
