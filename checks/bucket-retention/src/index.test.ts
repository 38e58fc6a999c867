import type { LifecycleRule, Snapshot } from '@trailwarden/core';
import { CheckTester, type BucketInput, account, bucket, organization, runCheck, snapshot, trail, unreadable } from '@trailwarden/testing';
import { describe, expect, it } from 'vitest';
import check from './index.js';

const A = '111111111111';
const B = 'trail-logs';
// The kit's snapshots are taken 2026-01-15T12:00:00Z.
const single = (input: BucketInput, prefix?: string): Snapshot =>
  snapshot({ accounts: [account(A, { trails: [trail({ name: 'main', bucket: B, ...(prefix ? { prefix } : {}) })], buckets: [bucket(B, input)] })] });
const rules = (...lifecycle: Partial<LifecycleRule>[]): BucketInput => ({ lifecycle: lifecycle.map((r, i) => ({ id: `r${i + 1}`, status: 'Enabled', ...r })) });

new CheckTester().run(check, {
  valid: [
    { name: 'no lifecycle configuration (the kit default)', snapshot: () => single({}) },
    { name: 'expiration after 7 years, transition to Glacier after 90 days', snapshot: () => single(rules({ expiration: { days: 2555 }, transitions: [{ days: 90, storageClass: 'GLACIER' }] })) },
    { name: 'expiration after exactly 365 days', snapshot: () => single(rules({ filter: { Prefix: '' }, expiration: { days: 365 } })) },
    { name: 'a disabled rule expiring after 1 day', snapshot: () => single(rules({ status: 'Disabled', expiration: { days: 1 } })) },
    { name: 'a rule on another prefix expiring after 1 day', snapshot: () => single(rules({ filter: { Prefix: 'tmp/' }, expiration: { days: 1 } })) },
    {
      name: 'a rule on AWSLogs/ when the trail writes under a key prefix',
      snapshot: () => single(rules({ filter: { Prefix: 'AWSLogs/' }, expiration: { days: 30 } }), 'cloudtrail'),
    },
    { name: 'only expired delete markers and incomplete uploads are cleaned', snapshot: () => single(rules({ expiration: { expiredObjectDeleteMarker: true }, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } })) },
    { name: '90-day expiration with minimumRetentionDays 90', snapshot: () => single(rules({ expiration: { days: 90 } })), options: { minimumRetentionDays: 90 } },
  ],
  invalid: [
    {
      name: 'expiration after 90 days',
      snapshot: () => single(rules({ id: 'expire-old-logs', expiration: { days: 90 } })),
      findings: [
        {
          status: 'FAIL',
          messageId: 'deletesEarly',
          data: { bucket: B, trails: 'trail main', minimum: 365, reasons: 'rule "expire-old-logs" expires log files after 90 days' },
          resource: B,
          accountId: A,
          message: `Bucket ${B} (CloudTrail logs of trail main) deletes log files before the required 365 days: rule "expire-old-logs" expires log files after 90 days. Fix: aws s3api put-bucket-lifecycle-configuration --bucket ${B} --lifecycle-configuration file://lifecycle.json (every Enabled rule reaching AWSLogs/ keeps objects and noncurrent versions >= 365 days, no Expiration Date)`,
        },
      ],
    },
    {
      name: 'a rule on the trail key prefix',
      snapshot: () => single(rules({ filter: { Prefix: 'cloudtrail/' }, expiration: { days: 30 } }), 'cloudtrail'),
      findings: [{ status: 'FAIL', messageId: 'deletesEarly', data: { reasons: 'rule "r1" expires log files after 30 days', minimum: 365 } }],
    },
    {
      name: 'a rule narrower than the logs (one account\'s logs) still deletes logs',
      snapshot: () => single(rules({ filter: { Prefix: 'AWSLogs/111111111111/' }, expiration: { days: 30 } })),
      findings: [{ status: 'FAIL', messageId: 'deletesEarly', data: { reasons: 'rule "r1" expires log files after 30 days' } }],
    },
    {
      name: 'a tag-filtered rule is assumed to reach the logs, and the message says so',
      snapshot: () => single(rules({ filter: { Tag: { Key: 'class', Value: 'temp' } }, expiration: { days: 30 } })),
      findings: [{ status: 'FAIL', messageId: 'deletesEarly', data: { reasons: 'rule "r1" expires log files after 30 days; rule "r1" was assumed to reach the logs because its tag filter cannot be resolved' } }],
    },
    {
      name: 'a date-based expiration earlier than the snapshot time + minimum',
      snapshot: () => single(rules({ expiration: { date: '2026-06-01T00:00:00.000Z' } })),
      findings: [{ status: 'FAIL', messageId: 'deletesEarly', data: { reasons: /expires every log file on 2026-06-01, less than 365 days after the snapshot was taken/ } }],
    },
    {
      name: 'a date-based expiration in the past',
      snapshot: () => single(rules({ expiration: { date: '2025-01-01T00:00:00.000Z' } })),
      findings: [{ status: 'FAIL', messageId: 'deletesEarly', data: { reasons: /has expired every log file since 2025-01-01/ } }],
    },
    {
      name: 'a date-based expiration far ahead still deletes young log files on that day',
      snapshot: () => single(rules({ expiration: { date: '2030-01-01T00:00:00.000Z' } })),
      findings: [{ status: 'FAIL', messageId: 'deletesEarly', data: { reasons: /on 2030-01-01, including those delivered less than 365 days before/ } }],
    },
    {
      name: 'noncurrent versions deleted after 30 days',
      snapshot: () => single(rules({ noncurrentVersionExpiration: { noncurrentDays: 30 } })),
      findings: [{ status: 'FAIL', messageId: 'deletesEarly', data: { reasons: /permanently deletes overwritten or deleted log file versions 30 days after they become noncurrent/ } }],
    },
    {
      name: '1 year against minimumRetentionDays 730',
      snapshot: () => single(rules({ expiration: { days: 365 } })),
      options: { minimumRetentionDays: 730 },
      findings: [{ status: 'FAIL', messageId: 'deletesEarly', data: { minimum: 730, reasons: 'rule "r1" expires log files after 365 days', fix: /keeps objects and noncurrent versions >= 730 days/ } }],
    },
    {
      name: 'unreadable lifecycle → ERROR',
      snapshot: () => single({ lifecycle: unreadable('AccessDenied', 'GetBucketLifecycleConfiguration') }),
      findings: [{ status: 'ERROR', resource: B, messageId: 'core.cannotDecide', data: { operation: 'GetBucketLifecycleConfiguration', code: 'AccessDenied' }, message: /^Cannot decide: GetBucketLifecycleConfiguration failed in account 111111111111, region us-east-1: AccessDenied/ }],
    },
    {
      name: 'cross-account: judged once, in the owner account, against every trail\'s prefix',
      snapshot: () =>
        snapshot({
          organization: organization({ managementAccountId: A }),
          accounts: [
            account(A, { trails: [trail({ name: 'org-trail', organization: true, bucket: 'org-logs', prefix: 'org' })] }),
            account('222222222222', { buckets: [bucket('org-logs', rules({ filter: { Prefix: 'local/' }, expiration: { days: 30 } }))] }),
            account('333333333333', { trails: [trail({ name: 'local', bucket: 'org-logs', prefix: 'local' })] }),
          ],
        }),
      findings: [{ status: 'FAIL', messageId: 'deletesEarly', resource: 'org-logs', accountId: '222222222222', data: { bucket: 'org-logs', trails: 'trails local, org-trail' } }],
    },
  ],
});

describe('trail-bucket-retention', () => {
  it('explains ignored rules in the PASS message and puts the rules in evidence', async () => {
    const [f] = await runCheck(check, single(rules({ id: 'tmp', filter: { Prefix: 'tmp/' }, expiration: { days: 1 } }, { id: 'off', status: 'Disabled', expiration: { days: 1 } })));
    expect(f).toMatchObject({
      status: 'PASS',
      messageId: 'retained',
      data: { bucket: B, trails: 'trail main', minimum: 365, summary: 'no Enabled lifecycle rule deletes them earlier (ignored: "tmp", its prefix "tmp/" cannot match log files under AWSLogs/; "off", disabled)' },
    });
    expect(f?.message).toBe(
      `Bucket ${B} (CloudTrail logs of trail main) keeps log files for at least 365 days: no Enabled lifecycle rule deletes them earlier (ignored: "tmp", its prefix "tmp/" cannot match log files under AWSLogs/; "off", disabled).`,
    );
    expect(f?.evidence.logPrefixes).toEqual(['AWSLogs/']);
    expect(f?.evidence.lifecycleRules).toHaveLength(2);
    expect(f?.evidence.earlyDeletions).toEqual([]);
  });

  it('says "no lifecycle configuration" when there is none', async () => {
    const [f] = await runCheck(check, single({}));
    expect(f).toMatchObject({ status: 'PASS', messageId: 'retained', data: { minimum: 365, summary: 'it has no lifecycle configuration' } });
    expect(f?.evidence.lifecycleRules).toBeNull();
  });

  it('reports ERROR when the lifecycle was not collected', async () => {
    const snap = single({});
    delete snap.accounts[A]!.buckets![B]!.lifecycle;
    const [f] = await runCheck(check, snap);
    expect(f).toMatchObject({ status: 'ERROR', messageId: 'core.cannotDecide', data: { operation: 'GetBucketLifecycleConfiguration', code: 'NotCollected' } });
  });
});
