import type { Snapshot } from '@trailwarden/core';
import { CheckTester, type BucketInput, account, bucket, organization, runCheck, snapshot, trail, unreadable } from '@trailwarden/testing';
import { describe, expect, it } from 'vitest';
import check from './index.js';

const A = '111111111111';
const B = 'trail-logs';
const single = (input: BucketInput): Snapshot =>
  snapshot({ accounts: [account(A, { trails: [trail({ name: 'main', bucket: B })], buckets: [bucket(B, input)] })] });

new CheckTester().run(check, {
  valid: [
    { name: 'COMPLIANCE, 365 days (the kit default)', snapshot: () => single({}) },
    { name: 'COMPLIANCE, 1 year', snapshot: () => single({ objectLock: { mode: 'COMPLIANCE', years: 1 } }) },
    { name: 'COMPLIANCE, 7 years', snapshot: () => single({ objectLock: { mode: 'COMPLIANCE', years: 7 } }) },
    { name: 'GOVERNANCE with allowGovernance', snapshot: () => single({ objectLock: { mode: 'GOVERNANCE', days: 400 } }), options: { allowGovernance: true } },
    { name: 'COMPLIANCE, 90 days with minimumRetentionDays 90', snapshot: () => single({ objectLock: { days: 90 } }), options: { minimumRetentionDays: 90 } },
  ],
  invalid: [
    {
      name: 'no Object Lock configuration',
      snapshot: () => single({ objectLock: null }),
      findings: [
        {
          status: 'FAIL',
          messageId: 'notEnabled',
          data: { bucket: B, trails: 'trail main', retention: 'none', mode: 'none', minimum: 365 },
          resource: B,
          accountId: A,
          message: `Bucket ${B} (CloudTrail logs of trail main) does not have Object Lock enabled, so its log files can be deleted or overwritten. Fix (after enabling versioning): aws s3api put-object-lock-configuration --bucket ${B} --object-lock-configuration '{"ObjectLockEnabled":"Enabled","Rule":{"DefaultRetention":{"Mode":"COMPLIANCE","Days":365}}}'`,
        },
      ],
    },
    { name: 'Object Lock disabled', snapshot: () => single({ objectLock: { enabled: false } }), findings: [{ status: 'FAIL', messageId: 'notEnabled', data: { bucket: B, retention: 'none' } }] },
    {
      name: 'enabled without a default retention rule',
      snapshot: () => single({ objectLock: { enabled: true } }),
      findings: [{ status: 'FAIL', messageId: 'noDefaultRetention', data: { retention: 'none', mode: 'none', fix: /"Mode":"COMPLIANCE","Days":365/ } }],
    },
    {
      name: 'GOVERNANCE mode by default is not enough',
      snapshot: () => single({ objectLock: { mode: 'GOVERNANCE', days: 400 } }),
      findings: [{ status: 'FAIL', messageId: 'governanceMode', data: { mode: 'GOVERNANCE', retention: '400 days', fix: /"Mode":"COMPLIANCE","Days":400/ } }],
    },
    {
      name: 'COMPLIANCE for 30 days',
      snapshot: () => single({ objectLock: { days: 30 } }),
      findings: [{ status: 'FAIL', messageId: 'retentionTooShort', data: { retention: '30 days', minimum: 365, mode: 'COMPLIANCE' } }],
    },
    {
      name: 'COMPLIANCE for 1 year against minimumRetentionDays 400',
      snapshot: () => single({ objectLock: { years: 1 } }),
      options: { minimumRetentionDays: 400 },
      findings: [{ status: 'FAIL', messageId: 'retentionTooShort', data: { retention: '1 year (365 days)', minimum: 400, fix: /"Days":400}/ } }],
    },
    {
      name: 'GOVERNANCE for 30 days: both reasons',
      snapshot: () => single({ objectLock: { mode: 'GOVERNANCE', days: 30 } }),
      findings: [{ status: 'FAIL', messageId: 'governanceAndTooShort', data: { mode: 'GOVERNANCE', retention: '30 days', minimum: 365 } }],
    },
    {
      name: 'GOVERNANCE for 30 days with allowGovernance: still too short',
      snapshot: () => single({ objectLock: { mode: 'GOVERNANCE', days: 30 } }),
      options: { allowGovernance: true },
      findings: [{ status: 'FAIL', messageId: 'retentionTooShort', data: { mode: 'GOVERNANCE', retention: '30 days' } }],
    },
    {
      name: 'unreadable Object Lock configuration → ERROR',
      snapshot: () => single({ objectLock: unreadable('AccessDenied', 'GetObjectLockConfiguration') }),
      findings: [{ status: 'ERROR', resource: B, messageId: 'core.cannotDecide', data: { operation: 'GetObjectLockConfiguration', code: 'AccessDenied' }, message: /^Cannot decide: GetObjectLockConfiguration failed in account 111111111111, region us-east-1: AccessDenied/ }],
    },
    {
      name: 'cross-account: judged once, in the log-archive account that owns the bucket',
      snapshot: () =>
        snapshot({
          organization: organization({ managementAccountId: A }),
          accounts: [
            account(A, { trails: [trail({ name: 'org-trail', organization: true, bucket: 'org-logs' })] }),
            account('222222222222', { buckets: [bucket('org-logs', { objectLock: null })] }),
            account('333333333333', { trails: [trail({ name: 'local', bucket: 'org-logs' })] }),
          ],
        }),
      findings: [{ status: 'FAIL', messageId: 'notEnabled', resource: 'org-logs', accountId: '222222222222', data: { bucket: 'org-logs', trails: 'trails local, org-trail' } }],
    },
  ],
});

describe('trail-bucket-object-lock', () => {
  it('puts the configuration and the thresholds in evidence', async () => {
    const [f] = await runCheck(check, single({ objectLock: { years: 2 } }));
    expect(f).toMatchObject({
      status: 'PASS',
      messageId: 'locked',
      data: { bucket: B, trails: 'trail main', retention: '2 years (730 days)', mode: 'COMPLIANCE', minimum: 365 },
    });
    expect(f?.message).toBe(`Bucket ${B} (CloudTrail logs of trail main) locks every new log file for 2 years (730 days) in COMPLIANCE mode (minimum 365 days).`);
    expect(f?.evidence).toEqual({
      trails: ['arn:aws:cloudtrail:us-east-1:111111111111:trail/main'],
      objectLock: { enabled: true, defaultRetention: { mode: 'COMPLIANCE', years: 2 } },
      retentionDays: 730,
      minimumRetentionDays: 365,
      allowGovernance: false,
    });
  });

  it('reports ERROR when Object Lock was not collected', async () => {
    const snap = single({});
    delete snap.accounts[A]!.buckets![B]!.objectLock;
    const [f] = await runCheck(check, snap);
    expect(f).toMatchObject({ status: 'ERROR', messageId: 'core.cannotDecide', data: { operation: 'GetObjectLockConfiguration', code: 'NotCollected' } });
  });

  it('refuses bad options the way the CLI does', async () => {
    await expect(runCheck(check, single({}), { options: { minimumRetentionDays: 0 } })).rejects.toThrow(/minimumRetentionDays/);
  });
});
