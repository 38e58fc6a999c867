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
      findings: [{ status: 'FAIL', messageId: 'deliveryError', data: { name: 'main', where: ' in region eu-west-1', error: 'AccessDenied' }, evidence: { region: 'eu-west-1', regions: { 'eu-west-1': 'deliveryError', 'us-west-2': 'active' } } }],
    },
    {
      name: 'every failing region is named',
      snapshot: () => perRegion({ 'eu-west-1': { value: { ...ok, latestDeliveryTime: hoursAgo(30) } }, 'us-west-2': { value: { ...ok, latestDeliveryError: 'KMS.AccessDenied' } } }),
      findings: [{ status: 'FAIL', messageId: 'stale', data: { where: ' in regions eu-west-1, us-west-2', age: '30 h 0 min', max: 24 } }],
    },
    {
      name: 'a region whose status could not be read is an ERROR, not a PASS',
      snapshot: () => perRegion({ 'eu-west-1': { error: { code: 'AccessDenied', message: 'denied', operation: 'GetTrailStatus', accountId: A, region: 'eu-west-1' } }, 'us-west-2': { value: ok } }),
      findings: [{ status: 'ERROR', messageId: 'statusUnread', data: { name: 'main', read: 'us-east-1, us-west-2', unread: 'eu-west-1', code: 'AccessDenied' }, evidence: { error: { code: 'AccessDenied', region: 'eu-west-1' } } }],
    },
    {
      name: 'a stopped trail',
      snapshot: () => one({ logging: false }),
      findings: [
        {
          status: 'FAIL',
          messageId: 'stopped',
          data: { name: 'main', arn: `arn:aws:cloudtrail:us-east-1:${A}:trail/main`, since: ' since 2026-01-13T12:00:00.000Z', where: '' },
          // The fix command is the point of the wording.
          message: /not logging \(stopped since 2026-01-13T12:00:00\.000Z\).*Fix: aws cloudtrail start-logging --name arn:aws:cloudtrail:us-east-1:111111111111:trail\/main$/,
        },
      ],
    },
    {
      name: 'a delivery error',
      snapshot: () => one({ status: { latestDeliveryError: 'AccessDenied' } }),
      findings: [{ status: 'FAIL', messageId: 'deliveryError', data: { bucket: 'aws-cloudtrail-logs-111111111111-main', error: 'AccessDenied', where: '' } }],
    },
    {
      name: 'never delivered',
      snapshot: () => one({ status: { latestDeliveryTime: undefined } }),
      findings: [{ status: 'FAIL', messageId: 'neverDelivered', data: { bucket: 'aws-cloudtrail-logs-111111111111-main', since: / \(logging since \d{4}-\d{2}-\d{2}T/ }, evidence: { latestDeliveryTime: null } }],
    },
    {
      name: 'last delivery 25 hours ago',
      snapshot: () => one({ status: { latestDeliveryTime: hoursAgo(25) } }),
      findings: [{ status: 'FAIL', messageId: 'stale', data: { age: '25 h 0 min', time: '2026-01-14T11:00:00.000Z', max: 24, where: '' } }],
    },
    {
      name: 'a tighter maxDeliveryAgeHours',
      snapshot: () => one({ status: { latestDeliveryTime: hoursAgo(2) } }),
      options: { maxDeliveryAgeHours: 1 },
      findings: [{ status: 'FAIL', messageId: 'stale', data: { age: '2 h 0 min', max: 1 } }],
    },
    {
      name: 'unreadable status is an ERROR',
      snapshot: () => one({ status: unreadable('AccessDenied', 'GetTrailStatus') }),
      findings: [{ status: 'ERROR', messageId: 'core.cannotDecide', data: { operation: 'GetTrailStatus', code: 'AccessDenied', reason: /in account 111111111111, region us-east-1/ } }],
    },
    {
      name: 'a delivery time that is not a timestamp is an ERROR naming the field',
      snapshot: () => one({ status: { latestDeliveryTime: 'last Tuesday' } }),
      findings: [{ status: 'ERROR', messageId: 'notATimestamp', data: { name: 'main', problem: 'LatestDeliveryTime "last Tuesday"', where: '' } }],
    },
    {
      name: 'in a multi-region trail, an unparseable delivery time is an ERROR naming its region',
      snapshot: () => perRegion({ 'us-west-2': { value: { ...ok, latestDeliveryTime: '2026-13-45T99:00:00Z' } } }),
      findings: [{ status: 'ERROR', messageId: 'notATimestamp', data: { problem: 'LatestDeliveryTime "2026-13-45T99:00:00Z"', where: ' in us-west-2' } }],
    },
    {
      name: 'unreadable trails are an ERROR for the account',
      snapshot: () => snapshot({ accounts: [account(A, { trails: unreadable('AccessDenied', 'DescribeTrails') })] }),
      findings: [{ status: 'ERROR', resource: `arn:aws:iam::${A}:root`, messageId: 'core.cannotDecide', data: { operation: 'DescribeTrails', code: 'AccessDenied' } }],
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

  it('passes with the age and the regions read in the data', async () => {
    const [single] = await runCheck(check, one({ status: { latestDeliveryTime: hoursAgo(3) } }), { now: new Date(NOW) });
    expect(single).toMatchObject({ status: 'PASS', messageId: 'active', data: { name: 'main', age: '3 h 0 min', where: '' } });
    const [multi] = await runCheck(check, perRegion({ 'eu-west-1': { value: ok }, 'us-west-2': { value: ok } }), { now: new Date(NOW) });
    expect(multi).toMatchObject({ status: 'PASS', messageId: 'active', data: { where: ' (read in 3 regions)' } });
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
        expect(findings[0]?.data).toMatchObject({ time: '2026-01-14T10:00:00.000Z', age: '26 h 0 min' });
      }
      const fresh = await runCheck(check, one({ status: { latestDeliveryTime: '2026-01-15T10:00:00' } }), { now: new Date(NOW) });
      expect(fresh.map((f) => f.status)).toEqual(['PASS']);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});
