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
    { name: 'logging to a dedicated access-log bucket (the kit default)', snapshot: () => single({}) },
    { name: 'logging without a target prefix', snapshot: () => single({ logging: { targetBucket: 'acme-s3-access-logs' } }) },
  ],
  invalid: [
    {
      name: 'server access logging off',
      snapshot: () => single({ logging: null }),
      findings: [
        {
          status: 'FAIL',
          messageId: 'notEnabled',
          resource: B,
          accountId: A,
          data: { bucket: B, trails: 'trail main', target: 'none' },
          // The fix command is the point of the wording.
          message: `Bucket ${B} (CloudTrail logs of trail main) has server access logging off, so nobody can tell who read or deleted its log files. Fix: aws s3api put-bucket-logging --bucket ${B} --bucket-logging-status '{"LoggingEnabled":{"TargetBucket":"<access-log-bucket>","TargetPrefix":"${B}/"}}'`,
        },
      ],
    },
    {
      name: 'logging into itself',
      snapshot: () => single({ logging: { targetBucket: B, targetPrefix: 'access/' } }),
      findings: [{ status: 'FAIL', messageId: 'logsToItself', data: { bucket: B, target: `s3://${B}/access/`, fix: /--bucket trail-logs / }, evidence: { logging: { targetBucket: B, targetPrefix: 'access/' } } }],
    },
    {
      name: 'unreadable logging status → ERROR',
      snapshot: () => single({ logging: unreadable('AccessDenied', 'GetBucketLogging') }),
      findings: [{ status: 'ERROR', resource: B, messageId: 'core.cannotDecide', data: { operation: 'GetBucketLogging', code: 'AccessDenied' }, message: /^Cannot decide: GetBucketLogging failed in account 111111111111, region us-east-1: AccessDenied/ }],
    },
    {
      name: 'cross-account: judged once, in the bucket owner account',
      snapshot: () =>
        snapshot({
          organization: organization({ managementAccountId: A }),
          accounts: [
            account(A, { trails: [trail({ name: 'org-trail', organization: true, bucket: 'org-logs' })] }),
            account('222222222222', { buckets: [bucket('org-logs', { logging: null })] }),
            account('333333333333', { trails: [trail({ name: 'local', bucket: 'org-logs' })] }),
          ],
        }),
      findings: [{ status: 'FAIL', messageId: 'notEnabled', resource: 'org-logs', accountId: '222222222222', data: { bucket: 'org-logs', trails: 'trails local, org-trail' } }],
    },
  ],
});

describe('trail-bucket-access-logging', () => {
  it('names the target in the message and evidence, and maps to CIS and FSBP', async () => {
    const [f] = await runCheck(check, single({ logging: { targetBucket: 'acme-s3-access-logs', targetPrefix: 'trail-logs/' } }));
    expect(f).toMatchObject({ status: 'PASS', messageId: 'enabled', data: { bucket: B, trails: 'trail main', target: 's3://acme-s3-access-logs/trail-logs/' } });
    expect(f?.message).toBe(`Bucket ${B} (CloudTrail logs of trail main) has server access logging on, delivering to s3://acme-s3-access-logs/trail-logs/.`);
    expect(f?.evidence.logging).toEqual({ targetBucket: 'acme-s3-access-logs', targetPrefix: 'trail-logs/' });
    expect(f?.frameworks).toEqual({
      'aws-fsbp': ['CloudTrail.7'],
      'cis-aws-1.2.0': ['2.6'],
      'cis-aws-1.4.0': ['3.6'],
      'cis-aws-1.5.0': ['3.6'],
      'cis-aws-2.0.0': ['3.6'],
      'cis-aws-3.0.0': ['3.4'],
      'cis-aws-4.0.1': ['3.4'],
      'cis-aws-5.0.0': ['3.4'],
      'cis-aws-6.0.0': ['4.4'],
    });
  });

  it('reports ERROR when the logging status was not collected', async () => {
    const snap = single({});
    delete snap.accounts[A]!.buckets![B]!.logging;
    const [f] = await runCheck(check, snap);
    expect(f).toMatchObject({ status: 'ERROR', messageId: 'core.cannotDecide', data: { operation: 'GetBucketLogging', code: 'NotCollected' } });
  });
});
