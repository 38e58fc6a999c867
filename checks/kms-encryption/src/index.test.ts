import { DEFAULT_CATALOGUE, type JsonValue, type Snapshot, validateCheck, BUILTIN_PACKS, frameworksOfCheck } from '@trailwarden/core';
import { CheckTester, account, kmsKey, organization, runCheck, snapshot, trail, unreadable } from '@trailwarden/testing';
import { describe, expect, it } from 'vitest';
import check from './index.js';
import { cloudTrailMayUseKey } from './key-policy.js';

const A = '111111111111';
const ARCHIVE = '333333333333';
const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${A}:trail/main`;
const KEY_ARN = `arn:aws:kms:us-east-1:${A}:key/k1`;

const root = { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'kms:*', Resource: '*' };
const cloudtrail = (extra: Record<string, JsonValue> = {}) => ({
  Sid: 'CloudTrail',
  Effect: 'Allow',
  Principal: { Service: 'cloudtrail.amazonaws.com' },
  Action: 'kms:GenerateDataKey*',
  Resource: '*',
  ...extra,
});
const doc = (...Statement: JsonValue[]): JsonValue => ({ Version: '2012-10-17', Statement });

/** Account A, trail `main` encrypted with key `k1` (defined with the given properties). */
const withKey = (key: Parameters<typeof kmsKey>[0] = {}): Snapshot =>
  snapshot({ accounts: [account(A, { trails: [trail({ name: 'main', kmsKey: 'k1' })], keys: [kmsKey({ id: 'k1', ...key })] })] });

new CheckTester().run(check, {
  valid: [
    { name: 'a customer-managed key with the console policy', snapshot: () => snapshot({ accounts: [account(A, { trails: [trail({ name: 'main' })] })] }) },
    {
      name: 'a key in the log-archive account, judged from that account',
      snapshot: () =>
        snapshot({
          organization: organization({ managementAccountId: A }),
          accounts: [
            account(A, { trails: [trail({ name: 'main', organization: true, kmsKey: `arn:aws:kms:us-east-1:${ARCHIVE}:key/archive-key` })] }),
            account(ARCHIVE, { keys: [kmsKey({ id: 'archive-key' })] }),
          ],
        }),
    },
    { name: 'Principal "*" pinned by aws:SourceArn', snapshot: () => withKey({ policy: doc(root, { ...cloudtrail(), Principal: '*', Condition: { StringEquals: { 'aws:SourceArn': TRAIL_ARN } } }) }) },
    { name: 'kms:* to the CloudTrail service principal, in a list', snapshot: () => withKey({ policy: doc(root, cloudtrail({ Action: ['kms:*'], Principal: { Service: ['cloudtrail.amazonaws.com'] } })) }) },
    {
      name: 'an ArnLike aws:SourceArn and a StringEquals aws:SourceAccount both hold',
      snapshot: () =>
        withKey({
          policy: doc(root, cloudtrail({ Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:cloudtrail:*:${A}:trail/*` }, StringEquals: { 'aws:SourceAccount': A } } })),
        }),
    },
    {
      name: 'a Deny on key deletion does not block encryption',
      snapshot: () => withKey({ policy: doc(root, cloudtrail(), { Sid: 'NoDelete', Effect: 'Deny', Principal: '*', Action: 'kms:ScheduleKeyDeletion', Resource: '*' }) }),
    },
    {
      name: 'a Deny outside the organization that exempts AWS services does not block CloudTrail (one false condition settles it, whatever the others)',
      snapshot: () =>
        withKey({
          policy: doc(root, cloudtrail(), {
            Sid: 'DenyOutsideOrg',
            Effect: 'Deny',
            Principal: '*',
            Action: 'kms:*',
            Resource: '*',
            Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc123def4' }, Bool: { 'aws:PrincipalIsAWSService': 'false' } },
          }),
        }),
    },
  ],
  invalid: [
    {
      name: 'no KMS key: SSE-S3 only',
      snapshot: () => snapshot({ accounts: [account(A, { trails: [trail({ name: 'main', kmsKey: null })] })] }),
      findings: [
        {
          status: 'FAIL',
          messageId: 'noKey',
          resource: TRAIL_ARN,
          data: { name: 'main', arn: TRAIL_ARN },
          evidence: { kmsKeyId: null },
          // The fix command is the point of the wording.
          message: /Fix: aws cloudtrail update-trail --name arn:aws:cloudtrail:us-east-1:111111111111:trail\/main --kms-key-id <customer-managed-key-arn>$/,
        },
      ],
    },
    {
      name: 'a disabled key',
      snapshot: () => withKey({ state: 'Disabled' }),
      findings: [{ status: 'FAIL', messageId: 'keyUnusable', data: { key: KEY_ARN, state: 'disabled (state Disabled)', fix: `aws kms enable-key --key-id ${KEY_ARN}` } }],
    },
    {
      name: 'a key pending deletion',
      snapshot: () => withKey({ state: 'PendingDeletion' }),
      findings: [{ status: 'FAIL', messageId: 'keyUnusable', data: { state: /^pending deletion \(deletion on 2026-01-22/, fix: `aws kms cancel-key-deletion --key-id ${KEY_ARN} && aws kms enable-key --key-id ${KEY_ARN}` } }],
    },
    {
      name: 'an AWS-managed key',
      snapshot: () => withKey({ manager: 'AWS' }),
      findings: [{ status: 'FAIL', messageId: 'awsManaged', data: { name: 'main', arn: TRAIL_ARN, key: KEY_ARN }, evidence: { keyManager: 'AWS' } }],
    },
    {
      name: 'a key policy with no statement for CloudTrail',
      snapshot: () => withKey({ policy: doc(root) }),
      findings: [{ status: 'FAIL', messageId: 'policyDenies', data: { key: KEY_ARN, name: 'main', why: 'no statement grants it kms:GenerateDataKey*', partition: 'aws', account: A }, evidence: { policyDecision: 'not-allowed' } }],
    },
    {
      name: 'a Deny statement that blocks CloudTrail wins over the Allow',
      snapshot: () => withKey({ policy: doc(root, cloudtrail(), { Sid: 'NoCloudTrail', Effect: 'Deny', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:GenerateDataKey*', Resource: '*' }) }),
      findings: [{ status: 'FAIL', messageId: 'policyDenies', data: { why: /^statement NoCloudTrail denies kms:GenerateDataKey\* to cloudtrail\.amazonaws\.com/ }, evidence: { policyDecision: 'denied' } }],
    },
    {
      name: 'a Deny with NotPrincipal that does not exempt CloudTrail',
      snapshot: () =>
        withKey({ policy: doc(root, cloudtrail(), { Sid: 'OnlyAdmins', Effect: 'Deny', NotPrincipal: { AWS: `arn:aws:iam::${A}:role/Admin` }, Action: 'kms:*', Resource: '*' }) }),
      findings: [{ status: 'FAIL', messageId: 'policyDenies', data: { why: /^statement OnlyAdmins / } }],
    },
    {
      name: 'Principal "*" without conditions does not count',
      snapshot: () => withKey({ policy: doc(root, { ...cloudtrail(), Principal: '*' }) }),
      findings: [{ status: 'FAIL', messageId: 'policyDenies', data: { why: /^no statement grants it \(statement CloudTrail allows everyone \("\*"\) without conditions/ } }],
    },
    {
      name: "an encryption-context condition for another account's trails",
      snapshot: () => withKey({ policy: doc(root, cloudtrail({ Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:*:999999999999:trail/*' } } })) }),
      findings: [{ status: 'FAIL', messageId: 'policyDenies', data: { why: /condition does not hold for this trail/ } }],
    },
    {
      name: 'an Allow for other actions only',
      snapshot: () => withKey({ policy: doc(root, cloudtrail({ Action: ['kms:Decrypt', 'kms:DescribeKey'] })) }),
      findings: [{ status: 'FAIL', messageId: 'policyDenies', evidence: { policyDecision: 'not-allowed' } }],
    },
    {
      name: 'a condition key the reader does not understand is an ERROR, not a guess',
      snapshot: () => withKey({ policy: doc(root, cloudtrail({ Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } })) }),
      findings: [
        {
          status: 'ERROR',
          messageId: 'policyUncertain',
          data: { key: KEY_ARN, name: 'main', why: "statement CloudTrail condition key kms:ViaService is not one CloudTrail's request is known to carry" },
          evidence: { policyDecision: 'uncertain' },
        },
      ],
    },
    {
      name: 'an Allow whose one understood condition holds, beside one that is not understood, stays an ERROR',
      snapshot: () =>
        withKey({ policy: doc(root, cloudtrail({ Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com', 'aws:SourceAccount': A } } })) }),
      findings: [{ status: 'ERROR', messageId: 'policyUncertain', data: { why: /condition key kms:ViaService/ } }],
    },
    {
      name: 'a Deny the reader cannot evaluate beside a grant is an ERROR naming the Deny',
      snapshot: () =>
        withKey({
          policy: doc(root, cloudtrail(), { Sid: 'OrgOnly', Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc' } } }),
        }),
      findings: [{ status: 'ERROR', messageId: 'policyUncertain', data: { why: /^statement OrgOnly condition key aws:PrincipalOrgID / }, message: /^Cannot decide whether the key policy of / }],
    },
    {
      name: 'an Allow with a condition that fails for this trail is not a grant, even beside a condition that is not understood',
      snapshot: () =>
        withKey({ policy: doc(root, cloudtrail({ Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' }, ArnEquals: { 'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${A}:trail/other` } } })) }),
      findings: [{ status: 'FAIL', messageId: 'policyDenies', data: { why: /^no statement grants it \(statement CloudTrail .*condition does not hold for this trail/ } }],
    },
    {
      name: 'a key that no longer exists',
      snapshot: () => withKey({ state: unreadable('NotFoundException', 'DescribeKey', 'Key does not exist') }),
      findings: [{ status: 'FAIL', messageId: 'keyMissing', data: { name: 'main', key: KEY_ARN }, evidence: { error: { code: 'NotFoundException' } } }],
    },
    {
      name: 'DescribeKey denied is an ERROR',
      snapshot: () => withKey({ state: unreadable('AccessDeniedException', 'DescribeKey') }),
      findings: [{ status: 'ERROR', messageId: 'core.cannotDecide', data: { operation: 'DescribeKey', code: 'AccessDeniedException', reason: /in account 111111111111, region us-east-1/ } }],
    },
    {
      name: 'GetKeyPolicy denied is an ERROR',
      snapshot: () => withKey({ policy: unreadable('AccessDeniedException', 'GetKeyPolicy') }),
      findings: [{ status: 'ERROR', messageId: 'core.cannotDecide', data: { operation: 'GetKeyPolicy', code: 'AccessDeniedException' } }],
    },
    {
      name: 'a key owned outside the scanned accounts is an ERROR',
      snapshot: () => snapshot({ accounts: [account(A, { trails: [trail({ name: 'main', kmsKey: 'arn:aws:kms:us-east-1:999999999999:key/far' })] })] }),
      findings: [{ status: 'ERROR', resource: TRAIL_ARN, messageId: 'core.cannotDecide', data: { code: 'KeyOutOfScope' } }],
    },
  ],
});

describe('trail-kms-encryption details', () => {
  it('is a valid plugin with the controls its framework packs map to it', () => {
    expect(() => validateCheck(check, 'kms-encryption')).not.toThrow();
    expectCatalogued(frameworksOfCheck(check.id, BUILTIN_PACKS), /encrypt/);
    expect(frameworksOfCheck(check.id, BUILTIN_PACKS)).toEqual({
      'cis-aws-1.2.0': ['2.7'],
      'cis-aws-1.4.0': ['3.7'],
      'cis-aws-1.5.0': ['3.7'],
      'cis-aws-2.0.0': ['3.7'],
      'cis-aws-3.0.0': ['3.5'],
      'cis-aws-4.0.1': ['3.5'],
      'cis-aws-5.0.0': ['3.5'],
      'cis-aws-6.0.0': ['4.5'],
      'aws-fsbp': ['CloudTrail.2'],
    });
  });

  it('reports the trail once, in its owner account, with the key and the deciding statement as evidence', async () => {
    const findings = await runCheck(check, withKey());
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ status: 'PASS', messageId: 'encrypted', data: { name: 'main', key: KEY_ARN }, accountId: A, region: 'us-east-1' });
    expect(findings[0]?.evidence).toMatchObject({ kmsKeyId: KEY_ARN, keyManager: 'CUSTOMER', keyState: 'Enabled', policyDecision: 'allowed' });
  });
});

describe('key policy reader', () => {
  const req = { trailArn: TRAIL_ARN, trailAccountId: A, keyArn: KEY_ARN };
  const cases: [string, string, JsonValue][] = [
    ['console policy', 'allowed', doc(root, cloudtrail({ Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${A}:trail/*` } } }))],
    ['single statement object, not a list', 'allowed', { Statement: cloudtrail() }],
    ['policy as a JSON string', 'allowed', JSON.stringify(doc(cloudtrail()))],
    ['kms:GenerateDataKey exactly', 'allowed', doc(cloudtrail({ Action: 'kms:GenerateDataKey' }))],
    ['action case does not matter', 'allowed', doc(cloudtrail({ Action: 'KMS:generatedatakey*' }))],
    ['kms:Generate* wildcard', 'allowed', doc(cloudtrail({ Action: 'kms:Generate*' }))],
    ['"*" action', 'allowed', doc(cloudtrail({ Action: '*' }))],
    ['NotAction that leaves GenerateDataKey', 'allowed', doc(cloudtrail({ Action: undefined as unknown as JsonValue, NotAction: 'kms:Decrypt' }))],
    ['NotAction that removes it', 'not-allowed', doc(cloudtrail({ Action: undefined as unknown as JsonValue, NotAction: 'kms:Generate*' }))],
    ['Resource is the key ARN', 'allowed', doc(cloudtrail({ Resource: KEY_ARN }))],
    ['Resource is another key', 'not-allowed', doc(cloudtrail({ Resource: 'arn:aws:kms:us-east-1:111111111111:key/other' }))],
    ['other service principal', 'not-allowed', doc(cloudtrail({ Principal: { Service: 'logs.amazonaws.com' } }))],
    ['{ AWS: "*" } pinned by SourceAccount', 'allowed', doc(cloudtrail({ Principal: { AWS: '*' }, Condition: { StringEquals: { 'aws:SourceAccount': A } } }))],
    ['"*" pinned to another account', 'not-allowed', doc(cloudtrail({ Principal: '*', Condition: { StringEquals: { 'aws:SourceAccount': '999999999999' } } }))],
    ['StringNotEquals that holds', 'allowed', doc(cloudtrail({ Condition: { StringNotEquals: { 'aws:SourceAccount': '999999999999' } } }))],
    ['IfExists suffix', 'allowed', doc(cloudtrail({ Condition: { StringEqualsIfExists: { 'aws:SourceArn': TRAIL_ARN } } }))],
    ['Null false on a key CloudTrail sends', 'allowed', doc(cloudtrail({ Condition: { Null: { 'aws:SourceArn': 'false' } } }))],
    ['unknown operator', 'uncertain', doc(cloudtrail({ Condition: { DateGreaterThan: { 'aws:SourceArn': '2020-01-01' } } }))],
    ['Deny "*" with a condition that holds', 'denied', doc(cloudtrail(), { Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { StringNotEquals: { 'aws:SourceAccount': '999999999999' } } })],
    ['Deny "*" with a condition that does not hold', 'allowed', doc(cloudtrail(), { Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { StringEquals: { 'aws:SourceAccount': '999999999999' } } })],
    ['Deny without TLS does not touch CloudTrail', 'allowed', doc(cloudtrail(), { Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })],
    ['Deny unless AWS service applies to nobody here', 'allowed', doc(cloudtrail(), { Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { Bool: { 'aws:PrincipalIsAWSService': 'false' } } })],
    ['Deny with a condition the reader does not know', 'uncertain', doc(cloudtrail(), { Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc' } } })],
    ['Deny NotPrincipal exempting CloudTrail', 'allowed', doc(cloudtrail(), { Effect: 'Deny', NotPrincipal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:*', Resource: '*' })],
    ['empty policy', 'not-allowed', doc()],
    ['not an object', 'uncertain', 'not json'],
  ];
  it.each(cases)('%s → %s', (_name, decision, policy) => {
    expect(cloudTrailMayUseKey(policy, req).decision).toBe(decision);
  });
});

/** Every control the check maps to is in the core catalogue, with a title about the same thing. */
function expectCatalogued(frameworks: Record<string, string[]> | undefined, topic: RegExp): void {
  for (const [fw, controls] of Object.entries(frameworks ?? {})) {
    for (const id of controls) expect(DEFAULT_CATALOGUE[fw]?.controls[id], `${fw} ${id}`).toMatch(topic);
  }
}
