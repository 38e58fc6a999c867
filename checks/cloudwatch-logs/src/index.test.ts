import { DEFAULT_CATALOGUE, type Known, type Snapshot, type TrailStatus, validateCheck, BUILTIN_PACKS, frameworksOfCheck } from '@trailwarden/core';
import { CheckTester, account, organization, runCheck, snapshot, trail, unreadable } from '@trailwarden/testing';
import { describe, expect, it } from 'vitest';
import check from './index.js';

const A = '111111111111';
const MEMBER = '222222222222';
const NOW = '2026-01-15T12:00:00.000Z';
const hoursAgo = (h: number) => new Date(Date.parse(NOW) - h * 3_600_000).toISOString();
const one = (t: Omit<Parameters<typeof trail>[0], 'name'>): Snapshot => snapshot({ accounts: [account(A, { trails: [trail({ name: 'main', ...t })] })] });
/** A multi-region trail whose status was also read in other regions. */
const perRegion = (regionStatus: Record<string, Known<TrailStatus>>): Snapshot => {
  const s = one({ multiRegion: true });
  s.accounts[A]!.trails!.value![0]!.regionStatus = regionStatus;
  return s;
};
const ok = { isLogging: true, latestCloudWatchLogsDeliveryTime: hoursAgo(1) };
const GROUP = `arn:aws:logs:us-east-1:${A}:log-group:aws-cloudtrail-logs-main:*`;

new CheckTester({ now: new Date(NOW) }).run(check, {
  valid: [
    { name: 'integrated, delivered 4 minutes ago', snapshot: () => one({}) },
    { name: 'a multi-region trail delivering from every region', snapshot: () => perRegion({ 'eu-west-1': { value: ok }, 'us-west-2': { value: ok } }) },
    { name: 'delivered 23 hours ago', snapshot: () => one({ status: { latestCloudWatchLogsDeliveryTime: hoursAgo(23) } }) },
    {
      name: 'a delivery time with a UTC offset is compared as an instant',
      // 13:30+02:00 is 11:30Z, half an hour before NOW.
      snapshot: () => one({ status: { latestCloudWatchLogsDeliveryTime: '2026-01-15T13:30:00+02:00' } }),
      options: { maxDeliveryAgeHours: 1 },
    },
    {
      name: 'an organization trail is judged once, in its owner account',
      snapshot: () => snapshot({ organization: organization({ managementAccountId: A }), accounts: [account(A, { trails: [trail({ name: 'org', organization: true })] }), account(MEMBER)] }),
    },
  ],
  invalid: [
    {
      name: 'a region whose CloudWatch Logs delivery fails is a FAIL naming that region',
      snapshot: () => perRegion({ 'eu-west-1': { value: { ...ok, latestCloudWatchLogsDeliveryError: 'Access denied' } }, 'us-west-2': { value: ok } }),
      findings: [{ status: 'FAIL', messageId: 'deliveryError', data: { name: 'main', group: GROUP, where: ' (from region eu-west-1)', error: 'Access denied' }, evidence: { region: 'eu-west-1' } }],
    },
    {
      name: 'a region whose status could not be read is an ERROR, not a PASS',
      snapshot: () => perRegion({ 'eu-west-1': { error: { code: 'AccessDenied', message: 'denied', operation: 'GetTrailStatus', accountId: A, region: 'eu-west-1' } } }),
      findings: [
        {
          status: 'ERROR',
          messageId: 'statusUnread',
          data: { name: 'main', read: 'us-east-1', unread: 'eu-west-1', code: 'AccessDenied' },
          evidence: { regions: { 'us-east-1': 'delivering', 'eu-west-1': 'unreadable' } },
        },
      ],
    },
    {
      name: 'no CloudWatch Logs group',
      snapshot: () => one({ cloudWatchLogsLogGroupArn: null }),
      findings: [
        {
          status: 'FAIL',
          messageId: 'notIntegrated',
          data: { name: 'main', arn: `arn:aws:cloudtrail:us-east-1:${A}:trail/main`, group: '(none)' },
          // The fix command is the point of the wording.
          message: new RegExp(`Fix: aws cloudtrail update-trail --name arn:aws:cloudtrail:us-east-1:${A}:trail/main --cloud-watch-logs-log-group-arn <log-group-arn>:\\* --cloud-watch-logs-role-arn <role-arn>$`),
        },
      ],
    },
    {
      name: 'a CloudWatch Logs delivery error',
      snapshot: () => one({ status: { latestCloudWatchLogsDeliveryError: 'Access denied. Verify in IAM that the role has adequate permissions.' } }),
      findings: [{ status: 'FAIL', messageId: 'deliveryError', data: { group: GROUP, where: '', error: 'Access denied. Verify in IAM that the role has adequate permissions.' } }],
    },
    {
      name: 'never delivered',
      snapshot: () => one({ status: { latestCloudWatchLogsDeliveryTime: undefined } }),
      findings: [{ status: 'FAIL', messageId: 'neverDelivered', data: { name: 'main', group: GROUP, where: '' }, evidence: { latestCloudWatchLogsDeliveryTime: null } }],
    },
    {
      name: 'last delivery more than 24 hours ago (a stopped trail stops delivering)',
      snapshot: () => one({ logging: false }),
      findings: [{ status: 'FAIL', messageId: 'stale', data: { age: '2 d 0 h', time: '2026-01-13T12:00:00.000Z', max: 24 } }],
    },
    {
      name: 'a tighter maxDeliveryAgeHours',
      snapshot: () => one({ status: { latestCloudWatchLogsDeliveryTime: hoursAgo(3) } }),
      options: { maxDeliveryAgeHours: 2 },
      findings: [{ status: 'FAIL', messageId: 'stale', data: { age: '3 h 0 min', max: 2 } }],
    },
    {
      name: 'unreadable status is an ERROR',
      snapshot: () => one({ status: unreadable('AccessDenied', 'GetTrailStatus') }),
      findings: [{ status: 'ERROR', messageId: 'core.cannotDecide', data: { operation: 'GetTrailStatus', code: 'AccessDenied' } }],
    },
    {
      name: 'a delivery time that is not a timestamp is an ERROR naming the field',
      snapshot: () => one({ status: { latestCloudWatchLogsDeliveryTime: 'yesterday' } }),
      findings: [{ status: 'ERROR', messageId: 'notATimestamp', data: { name: 'main', problem: 'LatestCloudWatchLogsDeliveryTime "yesterday"', where: '' } }],
    },
    {
      name: 'in a multi-region trail, the region whose delivery time is not a timestamp is named',
      snapshot: () => perRegion({ 'eu-west-1': { value: { ...ok, latestCloudWatchLogsDeliveryTime: 'not-a-time' } } }),
      findings: [{ status: 'ERROR', messageId: 'notATimestamp', data: { problem: 'LatestCloudWatchLogsDeliveryTime "not-a-time"', where: ' in eu-west-1' } }],
    },
  ],
});

describe('trail-cloudwatch-logs details', () => {
  it('is a valid plugin with the controls its framework packs map to it', () => {
    expect(() => validateCheck(check, 'cloudwatch-logs')).not.toThrow();
    expectCatalogued(frameworksOfCheck(check.id, BUILTIN_PACKS), /CloudWatch/);
    expect(frameworksOfCheck(check.id, BUILTIN_PACKS)).toEqual({
      'cis-aws-1.2.0': ['2.4'],
      'cis-aws-1.4.0': ['3.4'],
      'cis-aws-1.5.0': ['3.4'],
      'cis-aws-2.0.0': ['3.4'],
      'aws-fsbp': ['CloudTrail.5'],
    });
  });

  it('judges an unintegrated trail without needing its status', async () => {
    const findings = await runCheck(check, one({ cloudWatchLogsLogGroupArn: null, status: unreadable('AccessDenied', 'GetTrailStatus') }), { now: new Date(NOW) });
    expect(findings.map((f) => f.status)).toEqual(['FAIL']);
  });

  it('passes with the group, the age and the regions read in the data', async () => {
    const [single] = await runCheck(check, one({}), { now: new Date(NOW) });
    expect(single).toMatchObject({ status: 'PASS', messageId: 'delivering', data: { name: 'main', group: GROUP, where: '' } });
    expect(single?.data?.age).toMatch(/^\d+ min$/);
    const [multi] = await runCheck(check, perRegion({ 'eu-west-1': { value: ok }, 'us-west-2': { value: ok } }), { now: new Date(NOW) });
    expect(multi).toMatchObject({ status: 'PASS', messageId: 'delivering', data: { where: ' (read in 3 regions)' } });
  });
});

/** Every control the check maps to is in the core catalogue, with a title about the same thing. */
function expectCatalogued(frameworks: Record<string, string[]> | undefined, topic: RegExp): void {
  for (const [fw, controls] of Object.entries(frameworks ?? {})) {
    for (const id of controls) expect(DEFAULT_CATALOGUE[fw]?.controls[id], `${fw} ${id}`).toMatch(topic);
  }
}

describe('cloudwatch-logs: delivery times are UTC', () => {
  it('reads a timestamp without a zone designator as UTC, whatever the machine time zone', async () => {
    const saved = process.env.TZ;
    process.env.TZ = 'America/Los_Angeles';
    try {
      // 26 h before NOW in UTC; read as Los Angeles local time it would look 18 h old.
      for (const time of ['2026-01-14T10:00:00', '2026-01-14 10:00:00.000']) {
        const findings = await runCheck(check, one({ status: { latestCloudWatchLogsDeliveryTime: time } }), { now: new Date(NOW) });
        expect(findings.map((f) => [f.status, f.messageId])).toEqual([['FAIL', 'stale']]);
        expect(findings[0]?.data).toMatchObject({ time: '2026-01-14T10:00:00.000Z', age: '26 h 0 min' });
      }
      const fresh = await runCheck(check, one({ status: { latestCloudWatchLogsDeliveryTime: '2026-01-15T10:00:00' } }), { now: new Date(NOW) });
      expect(fresh.map((f) => f.status)).toEqual(['PASS']);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});
