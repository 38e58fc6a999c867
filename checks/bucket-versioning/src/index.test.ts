import type { Snapshot } from '@trailwarden/core';
import { CheckTester, type BucketInput, account, bucket, organization, runCheck, snapshot, trail, unreadable } from '@trailwarden/testing';
import { describe, expect, it } from 'vitest';
import check from './index.js';

const A = '111111111111';
const B = 'trail-logs';
const single = (input: BucketInput): Snapshot =>
  snapshot({ accounts: [account(A, { trails: [trail({ name: 'main', bucket: B })], buckets: [bucket(B, input)] })] });

new CheckTester().run(check, {
  valid: [{ name: 'versioning and MFA delete enabled (the kit default)', snapshot: () => single({}) }],
  invalid: [
    {
      name: 'versioning on, MFA delete off',
      snapshot: () => single({ versioning: { status: 'Enabled', mfaDelete: 'Disabled' } }),
      findings: [
        {
          status: 'FAIL',
          messageId: 'mfaDeleteOff',
          resource: B,
          accountId: A,
          data: { bucket: B, trails: 'trail main', state: 'versioning Enabled, MFA delete Disabled' },
          // The fix command is the point of the wording.
          message: `Bucket ${B} (CloudTrail logs of trail main) has versioning on but MFA delete off (versioning Enabled, MFA delete Disabled), so anyone allowed s3:DeleteObjectVersion can erase log files for good. Fix: aws s3api put-bucket-versioning --bucket ${B} --versioning-configuration Status=Enabled,MFADelete=Enabled --mfa "arn:aws:iam::${A}:mfa/root-account-mfa-device <code>" (as the root user of account ${A})`,
        },
      ],
    },
    {
      name: 'in aws-us-gov the fix names the MFA device in that partition',
      snapshot: () =>
        snapshot({
          partition: 'aws-us-gov',
          accounts: [account(A, { regions: ['us-gov-west-1'], trails: [trail({ name: 'main', bucket: B })], buckets: [bucket(B, { versioning: { mfaDelete: 'Disabled' } })] })],
        }),
      findings: [{ status: 'FAIL', messageId: 'mfaDeleteOff', data: { fix: new RegExp(`--mfa "arn:aws-us-gov:iam::${A}:mfa/root-account-mfa-device <code>"`) } }],
    },
    {
      name: 'Object Lock on (so versioning on) still needs MFA delete',
      snapshot: () => single({ objectLock: { mode: 'COMPLIANCE', days: 365 }, versioning: { status: 'Enabled', mfaDelete: null } }),
      findings: [{ status: 'FAIL', messageId: 'mfaDeleteOff', data: { state: 'versioning Enabled, MFA delete never configured' }, evidence: { objectLockEnabled: true } }],
    },
    {
      name: 'versioning suspended, MFA delete still enabled',
      snapshot: () => single({ versioning: { status: 'Suspended', mfaDelete: 'Enabled' } }),
      findings: [{ status: 'FAIL', messageId: 'versioningOff', data: { bucket: B, state: 'versioning Suspended, MFA delete Enabled' } }],
    },
    {
      name: 'versioning never enabled',
      snapshot: () => single({ objectLock: null, versioning: { status: null, mfaDelete: null } }),
      findings: [{ status: 'FAIL', messageId: 'bothOff', data: { bucket: B, state: 'versioning never enabled, MFA delete never configured' } }],
    },
    {
      name: 'unreadable versioning → ERROR',
      snapshot: () => single({ versioning: unreadable('AccessDenied', 'GetBucketVersioning') }),
      findings: [{ status: 'ERROR', resource: B, messageId: 'core.cannotDecide', data: { operation: 'GetBucketVersioning', code: 'AccessDenied' }, message: /^Cannot decide: GetBucketVersioning failed in account 111111111111, region us-east-1: AccessDenied/ }],
    },
    {
      name: 'cross-account: judged once, in the bucket owner account (and its root user in the fix)',
      snapshot: () =>
        snapshot({
          organization: organization({ managementAccountId: A }),
          accounts: [
            account(A, { trails: [trail({ name: 'org-trail', organization: true, bucket: 'org-logs' })] }),
            account('222222222222', { buckets: [bucket('org-logs', { versioning: { mfaDelete: 'Disabled' } })] }),
            account('333333333333', { trails: [trail({ name: 'local', bucket: 'org-logs' })] }),
          ],
        }),
      findings: [
        { status: 'FAIL', messageId: 'mfaDeleteOff', resource: 'org-logs', accountId: '222222222222', data: { trails: 'trails local, org-trail', fix: /arn:aws:iam::222222222222:mfa/ } },
      ],
    },
  ],
});

describe('trail-bucket-versioning-mfa-delete', () => {
  it('puts the versioning state in evidence', async () => {
    const [f] = await runCheck(check, single({}));
    expect(f).toMatchObject({ status: 'PASS', messageId: 'protected', data: { bucket: B, trails: 'trail main', state: 'versioning Enabled, MFA delete Enabled' } });
    expect(f?.evidence).toEqual({
      trails: ['arn:aws:cloudtrail:us-east-1:111111111111:trail/main'],
      versioningStatus: 'Enabled',
      mfaDelete: 'Enabled',
      objectLockEnabled: true,
    });
  });

  it('reports ERROR when versioning was not collected', async () => {
    const snap = single({});
    delete snap.accounts[A]!.buckets![B]!.versioning;
    const [f] = await runCheck(check, snap);
    expect(f).toMatchObject({ status: 'ERROR', messageId: 'core.cannotDecide', data: { operation: 'GetBucketVersioning', code: 'NotCollected' } });
  });
});
