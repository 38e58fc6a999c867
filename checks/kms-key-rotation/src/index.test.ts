import { DEFAULT_CATALOGUE, type Snapshot, validateCheck, BUILTIN_PACKS, frameworksOfCheck } from '@trailwarden/core';
import { CheckTester, account, kmsKey, organization, runCheck, snapshot, trail, unreadable } from '@trailwarden/testing';
import { describe, expect, it } from 'vitest';
import check from './index.js';

const A = '111111111111';
const ARCHIVE = '333333333333';
const KEY_ARN = `arn:aws:kms:us-east-1:${A}:key/k1`;

const withKey = (key: Parameters<typeof kmsKey>[0] = {}): Snapshot =>
  snapshot({ accounts: [account(A, { trails: [trail({ name: 'main', kmsKey: 'k1' })], keys: [kmsKey({ id: 'k1', ...key })] })] });

/** The kit's key with its DescribeKey metadata changed (origins and replicas have no builder input). */
const withMetadata = (change: Record<string, unknown>, key: Parameters<typeof kmsKey>[0] = {}): Snapshot => {
  const snap = withKey(key);
  const meta = snap.accounts[A]?.keys?.[KEY_ARN]?.metadata;
  if (!meta?.value) throw new Error('test setup: key metadata missing');
  Object.assign(meta.value, change);
  return snap;
};
const withOrigin = (origin: string): Snapshot => withMetadata({ origin });
const PRIMARY_ARN = `arn:aws:kms:eu-west-1:${A}:key/mrk-primary`;

new CheckTester().run(check, {
  valid: [
    { name: 'rotation on, every 365 days', snapshot: () => withKey() },
    { name: 'rotation on, every 180 days', snapshot: () => withKey({ rotation: { enabled: true, rotationPeriodInDays: 180 } }) },
    { name: 'rotation on without a period given (365 by default)', snapshot: () => withKey({ rotation: { enabled: true } }) },
    { name: 'a longer period accepted by maxRotationPeriodDays', snapshot: () => withKey({ rotation: { enabled: true, rotationPeriodInDays: 730 } }), options: { maxRotationPeriodDays: 730 } },
    { name: 'an AWS-managed key is not applicable (AWS rotates it)', snapshot: () => withKey({ manager: 'AWS', rotation: false }) },
    { name: 'imported key material cannot rotate automatically: not applicable', snapshot: () => withOrigin('EXTERNAL') },
    {
      name: 'a key in the log-archive account is judged there',
      snapshot: () =>
        snapshot({
          organization: organization({ managementAccountId: A }),
          accounts: [
            account(A, { trails: [trail({ name: 'org', organization: true, kmsKey: `arn:aws:kms:us-east-1:${ARCHIVE}:key/archive-key` })] }),
            account(ARCHIVE, { keys: [kmsKey({ id: 'archive-key' })] }),
          ],
        }),
    },
  ],
  invalid: [
    {
      name: 'rotation off',
      snapshot: () => withKey({ rotation: false }),
      // The message id and its data, as RuleTester asserts them: the fix names the key the data names.
      findings: [{ status: 'FAIL', messageId: 'notRotating', data: { key: KEY_ARN, trails: 'trail main' }, resource: KEY_ARN, accountId: A }],
    },
    {
      name: 'a rotation period longer than allowed',
      snapshot: () => withKey({ rotation: { enabled: true, rotationPeriodInDays: 730 } }),
      findings: [{ status: 'FAIL', messageId: 'periodTooLong', data: { days: 730, max: 365 } }],
    },
    {
      name: 'a multi-Region replica whose primary does not rotate: the fix names the primary, in its region',
      snapshot: () => withMetadata({ multiRegion: true, multiRegionKeyType: 'REPLICA', primaryKeyArn: PRIMARY_ARN }, { rotation: false }),
      findings: [
        {
          status: 'FAIL',
          messageId: 'notRotatingReplica',
          data: { key: KEY_ARN, trails: 'trail main', primary: PRIMARY_ARN, primaryRegion: 'eu-west-1' },
          evidence: { primaryKeyArn: PRIMARY_ARN, rotationEnabled: false },
          message: new RegExp(`Fix: aws kms enable-key-rotation --key-id ${PRIMARY_ARN} --region eu-west-1$`),
        },
      ],
    },
    {
      name: 'a multi-Region primary key (not a replica) that does not rotate: the plain fix',
      snapshot: () => withMetadata({ multiRegion: true, multiRegionKeyType: 'PRIMARY', primaryKeyArn: KEY_ARN }, { rotation: false }),
      findings: [{ status: 'FAIL', messageId: 'notRotating', data: { key: KEY_ARN } }],
    },
    {
      name: 'GetKeyRotationStatus denied is an ERROR',
      snapshot: () => withKey({ rotation: unreadable('AccessDeniedException', 'GetKeyRotationStatus') }),
      findings: [{ status: 'ERROR', messageId: 'core.cannotDecide', data: { code: 'AccessDeniedException', operation: 'GetKeyRotationStatus', reason: /in account 111111111111, region us-east-1/ } }],
    },
    {
      name: 'DescribeKey denied is an ERROR',
      snapshot: () => withKey({ state: unreadable('AccessDeniedException', 'DescribeKey') }),
      findings: [{ status: 'ERROR', messageId: 'core.cannotDecide', data: { operation: 'DescribeKey' } }],
    },
    {
      name: 'a key owned outside the scanned accounts is an ERROR',
      snapshot: () => snapshot({ accounts: [account(A, { trails: [trail({ name: 'main', kmsKey: 'arn:aws:kms:us-east-1:999999999999:key/far' })] })] }),
      findings: [{ status: 'ERROR', accountId: '999999999999', messageId: 'core.cannotDecide', data: { code: 'KeyOutOfScope', operation: 'DescribeKey' } }],
    },
  ],
});

describe('trail-kms-key-rotation details', () => {
  it('is a valid plugin with the controls its framework packs map to it', () => {
    expect(() => validateCheck(check, 'kms-key-rotation')).not.toThrow();
    expectCatalogued(frameworksOfCheck(check.id, BUILTIN_PACKS), /otation/);
    expect(frameworksOfCheck(check.id, BUILTIN_PACKS)).toEqual({
      'cis-aws-1.2.0': ['2.8'],
      'cis-aws-1.4.0': ['3.8'],
      'cis-aws-1.5.0': ['3.8'],
      'cis-aws-2.0.0': ['3.8'],
      'cis-aws-3.0.0': ['3.6'],
      'cis-aws-4.0.1': ['3.6'],
      'cis-aws-5.0.0': ['3.6'],
      'cis-aws-6.0.0': ['4.6'],
    });
  });

  it('reports a key shared by several trails once, naming them all', async () => {
    const snap = snapshot({
      accounts: [
        account(A, { trails: [trail({ name: 'a', kmsKey: 'k1' }), trail({ name: 'b', kmsKey: 'k1' })], keys: [kmsKey({ id: 'k1', rotation: false })] }),
      ],
    });
    const findings = await runCheck(check, snap);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ messageId: 'notRotating', data: { trails: 'trail a, b' } });
    expect(findings[0]?.evidence).toMatchObject({ rotationEnabled: false, trails: [`arn:aws:cloudtrail:us-east-1:${A}:trail/a`, `arn:aws:cloudtrail:us-east-1:${A}:trail/b`] });
  });

  it('says which keys it does not judge, and why (message ids and data)', async () => {
    const [aws] = await runCheck(check, withKey({ manager: 'AWS', rotation: false }));
    expect(aws).toMatchObject({ status: 'NOT_APPLICABLE', messageId: 'awsManaged', data: { key: KEY_ARN, trails: 'trail main' }, evidence: { keyManager: 'AWS' } });
    for (const origin of ['AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE']) {
      const [f] = await runCheck(check, withMetadata({ origin, customKeyStoreId: 'cks-0123456789abcdefg' }));
      expect(f).toMatchObject({ status: 'NOT_APPLICABLE', messageId: 'customKeyStore', data: { key: KEY_ARN, trails: 'trail main', origin }, evidence: { origin, customKeyStoreId: 'cks-0123456789abcdefg' } });
    }
    const [imported] = await runCheck(check, withOrigin('EXTERNAL'));
    expect(imported).toMatchObject({ status: 'NOT_APPLICABLE', messageId: 'importedMaterial', data: { key: KEY_ARN, trails: 'trail main' }, evidence: { origin: 'EXTERNAL' } });
    // The wording matters here: it is the on-demand command to use instead.
    expect(imported?.message).toContain(`aws kms rotate-key-on-demand --key-id ${KEY_ARN}`);
  });

  it('a rotating key passes with its period in the data', async () => {
    const [f] = await runCheck(check, withKey({ rotation: { enabled: true, rotationPeriodInDays: 180 } }));
    expect(f).toMatchObject({ status: 'PASS', messageId: 'rotating', data: { key: KEY_ARN, trails: 'trail main', days: 180 } });
    const [byDefault] = await runCheck(check, withKey({ rotation: { enabled: true } }));
    expect(byDefault).toMatchObject({ status: 'PASS', messageId: 'rotating', data: { days: 365 } });
  });

  it('refuses a rotation period AWS does not allow', async () => {
    await expect(runCheck(check, withKey(), { options: { maxRotationPeriodDays: 30 } })).rejects.toThrow(/maxRotationPeriodDays/);
  });
});

/** Every control the check maps to is in the core catalogue, with a title about the same thing. */
function expectCatalogued(frameworks: Record<string, string[]> | undefined, topic: RegExp): void {
  for (const [fw, controls] of Object.entries(frameworks ?? {})) {
    for (const id of controls) expect(DEFAULT_CATALOGUE[fw]?.controls[id], `${fw} ${id}`).toMatch(topic);
  }
}
