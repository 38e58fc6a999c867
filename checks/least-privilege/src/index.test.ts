import type { Finding } from '@trailwarden/core';
import {
  account,
  allow,
  bucket,
  deny,
  iamRole,
  iamUser,
  kmsKey,
  managedPolicy,
  organization,
  policy,
  runCheck,
  snapshot,
  trail,
  unreadable,
} from '@trailwarden/testing';
import { describe, expect, it } from 'vitest';
import check from './index.js';

const MGMT = '111111111111';
const A = '222222222222';
const EXT = '999999999999';
const ALL_TAMPER = [
  'cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail', 'cloudtrail:PutEventSelectors', 'cloudtrail:PutInsightSelectors',
  's3:DeleteObject*', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy', 's3:PutLifecycleConfiguration', 's3:PutBucketVersioning',
  's3:PutBucketObjectLockConfiguration', 's3:DeleteBucket', 'kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:PutKeyPolicy',
];

/** Deny every tamper action to everyone but the break-glass role (the SCP AWS recommends). */
const denyTamperScp = (exempt: string[] = ['arn:aws:iam::*:role/BreakGlass']) => ({
  name: 'DenyTrailTamper',
  targets: ['ou-workloads'],
  document: policy(deny(ALL_TAMPER, '*', { Sid: 'DenyTamper', Condition: { ArnNotLike: { 'aws:PrincipalArn': exempt } } })),
});

const org = (scps: ReturnType<typeof denyTamperScp>[] = []) =>
  organization({ id: 'o-abc123def4', managementAccountId: MGMT, ous: [{ id: 'ou-workloads', name: 'Workloads', accounts: [A] }], scps });

const byName = (findings: Finding[], name: string) => findings.filter((f) => f.resource.name === name);
const statusOf = (findings: Finding[], name: string) => byName(findings, name).map((f) => f.status);

describe('trail-api-least-privilege', () => {
  it('admin user: FAIL with the actions and the granting statement', async () => {
    const snap = snapshot({ accounts: [account(A, { trails: [trail({ name: 'main' })], iam: { users: [iamUser('admin', { attachedPolicies: ['AdministratorAccess'] })] } })] });
    const findings = await runCheck(check, snap);
    const [f] = byName(findings, 'admin');
    expect(f).toMatchObject({
      status: 'FAIL',
      messageId: 'canTamper',
      data: { principal: `arn:aws:iam::${A}:user/admin`, actions: expect.stringMatching(/ and \d+ more$/), resources: expect.stringContaining(`arn:aws:cloudtrail:us-east-1:${A}:trail/main`) },
    });
    expect(f?.message).toMatch(/^arn:aws:iam::222222222222:user\/admin can tamper with CloudTrail logging: .* Fix: remove these actions .* add it to allowedPrincipals\.$/);
    expect(f?.resource).toEqual({ arn: `arn:aws:iam::${A}:user/admin`, type: 'AWS::IAM::User', name: 'admin' });
    const actions = (f?.evidence.actions ?? []) as string[];
    expect(actions).toEqual(expect.arrayContaining(['cloudtrail:StopLogging', 's3:PutBucketPolicy', 'kms:ScheduleKeyDeletion']));
    const grants = (f?.evidence.grants ?? []) as { actions: string[]; resourceKind: string; statements: unknown[] }[];
    expect(grants.find((g) => g.resourceKind === 'trail')).toEqual({
      actions: ['cloudtrail:DeleteTrail', 'cloudtrail:PutEventSelectors', 'cloudtrail:PutInsightSelectors', 'cloudtrail:StopLogging', 'cloudtrail:UpdateTrail'],
      resource: `arn:aws:cloudtrail:us-east-1:${A}:trail/main`,
      resourceKind: 'trail',
      decision: 'allowed',
      statements: [{ policyType: 'identity', policy: 'AdministratorAccess', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess', via: 'attached', effect: 'Allow', index: 0 }],
    });
    // Every action appears in exactly one grant.
    expect(grants.flatMap((g) => g.actions).sort()).toEqual(actions);
    // The default bucket has Object Lock in COMPLIANCE mode: deleting log objects is impossible.
    expect(actions).not.toContain('s3:DeleteObject');
    expect(f?.evidence.notes).toEqual([expect.stringMatching(/COMPLIANCE/)]);
    // The root user of a standalone account has full access too; no SCP can restrict it and its
    // credentials (GetAccountSummary) are not in this snapshot: unknown, not FAIL.
    const [root] = byName(findings, 'root');
    expect(root).toMatchObject({
      status: 'ERROR',
      messageId: 'rootUndecided',
      data: { account: A, actions: expect.stringContaining('cloudtrail:DeleteTrail'), reason: "the root user's credentials (IAM GetAccountSummary) are not in the snapshot" },
    });
  });

  it('an event data store listing that failed makes the account ERROR, never a PASS resting on stores it could not see', async () => {
    const accounts = (stores?: ReturnType<typeof unreadable>) => [account(MGMT, { trails: [trail({ name: 'org', organization: true })], ...(stores ? { eventDataStores: stores } : {}) }), account(A, { iam: {} })];
    const options = { options: { allowedPrincipals: ['arn:aws:iam::*:root'] } };
    // Control: with the stores listed, the management account PASSes.
    const listed = await runCheck(check, snapshot({ organization: org(), accounts: accounts() }), options);
    expect(listed.filter((f) => f.accountId === MGMT).map((f) => [f.status, f.messageId])).toEqual([['PASS', 'noTamper']]);
    const findings = await runCheck(check, snapshot({ organization: org(), accounts: accounts(unreadable('AccessDeniedException', 'ListEventDataStores')) }), options);
    const mgmt = findings.filter((f) => f.accountId === MGMT);
    expect(mgmt.some((f) => f.status === 'PASS')).toBe(false);
    expect(mgmt).toContainEqual(expect.objectContaining({ status: 'ERROR', messageId: 'core.cannotDecide', data: expect.objectContaining({ code: 'AccessDeniedException', operation: 'ListEventDataStores' }) }));
  });

  it('a service-linked role (AWSServiceRoleForCloudTrail, cloudtrail:*) is evidence on the account PASS, never a FAIL', async () => {
    const slr = iamRole('AWSServiceRoleForCloudTrail', {
      path: '/aws-service-role/cloudtrail.amazonaws.com/',
      trust: 'cloudtrail.amazonaws.com',
      inlinePolicies: { CloudTrailServiceRolePolicy: policy(allow('cloudtrail:*')) },
    });
    const snap = snapshot({ organization: org(), accounts: [account(MGMT, { trails: [trail({ name: 'org', organization: true })], iam: { roles: [slr] } }), account(A, { iam: {} })] });
    // The root user (it holds every permission) is allow-listed here, so the account can PASS.
    const findings = await runCheck(check, snap, { options: { allowedPrincipals: ['arn:aws:iam::*:root'] } });
    expect(byName(findings, 'AWSServiceRoleForCloudTrail')).toEqual([]);
    const slrArn = `arn:aws:iam::${MGMT}:role/aws-service-role/cloudtrail.amazonaws.com/AWSServiceRoleForCloudTrail`;
    const pass = findings.filter((f) => f.resource.arn === `arn:aws:iam::${MGMT}:root`);
    expect(pass.map((f) => [f.status, f.messageId])).toEqual([['PASS', 'noTamper']]);
    expect(pass[0]?.evidence.serviceLinkedRolesThatCanTamper).toEqual([slrArn]);
    // Control: the same role outside /aws-service-role/ is an ordinary role, and FAILs.
    const plain = iamRole('AWSServiceRoleForCloudTrail', { trust: 'cloudtrail.amazonaws.com', inlinePolicies: { P: policy(allow('cloudtrail:*')) } });
    const control = snapshot({ organization: org(), accounts: [account(MGMT, { trails: [trail({ name: 'org', organization: true })], iam: { roles: [plain] } }), account(A, { iam: {} })] });
    expect(statusOf(await runCheck(check, control), 'AWSServiceRoleForCloudTrail')).toEqual(['FAIL']);
  });

  it('read-only role: not FAIL', async () => {
    const snap = snapshot({ accounts: [account(A, { trails: [trail({ name: 'main' })], iam: { roles: [iamRole('Reader', { attachedPolicies: ['AWSCloudTrail_ReadOnlyAccess'] })] } })] });
    const findings = await runCheck(check, snap);
    expect(byName(findings, 'Reader')).toEqual([]);
  });

  it('SCP deny with a break-glass exception: admin not FAIL, break-glass FAIL unless allow-listed; the account PASSes', async () => {
    const snap = () =>
      snapshot({
        organization: org([denyTamperScp()]),
        accounts: [
          account(MGMT, { iam: {} }),
          account(A, {
            trails: [trail({ name: 'main' })],
            iam: { roles: [iamRole('Admin', { attachedPolicies: ['AdministratorAccess'] }), iamRole('BreakGlass', { attachedPolicies: ['AdministratorAccess'] })] },
          }),
        ],
      });
    const findings = await runCheck(check, snap());
    expect(byName(findings, 'Admin')).toEqual([]);
    expect(statusOf(findings, 'BreakGlass')).toEqual(['FAIL']);
    expect(findings.filter((f) => f.accountId === A && f.resource.name === 'root')).toEqual([]);

    const allowListed = await runCheck(check, snap(), { options: { allowedPrincipals: ['arn:aws:iam::*:role/BreakGlass'] } });
    expect(allowListed.filter((f) => f.accountId === A).map((f) => [f.status, f.resource.type])).toEqual([['PASS', 'AWS::::Account']]);
    // Admin, BreakGlass and the root user.
    expect(allowListed.find((f) => f.accountId === A)).toMatchObject({ messageId: 'noTamper', data: { account: A, principals: 3 } });
    expect(allowListed.find((f) => f.accountId === A)?.evidence.allowListedPrincipalsThatCanTamper).toEqual([`arn:aws:iam::${A}:role/BreakGlass`]);
    // SCPs do not restrict the management account: its root can still reach... nothing here (no trail there).
    expect(allowListed.find((f) => f.accountId === MGMT)?.status).toBe('PASS');
  });

  it('an SCP level with only Deny statements denies everything below it; the PASS says so', async () => {
    const snap = snapshot({
      organization: organization({
        managementAccountId: MGMT,
        ous: [{ id: 'ou-workloads', name: 'Workloads', accounts: [A] }],
        fullAWSAccess: false,
        scps: [{ name: 'RootOnlyFullAccess', document: policy(allow('*')) }, denyTamperScp()],
      }),
      accounts: [account(MGMT, { iam: {} }), account(A, { trails: [trail({ name: 'main' })], iam: { roles: [iamRole('Admin', { attachedPolicies: ['AdministratorAccess'] })] } })],
    });
    const a = (await runCheck(check, snap)).filter((f) => f.accountId === A);
    expect(a.map((f) => f.status)).toEqual(['PASS']);
    expect(a[0]?.evidence.notes).toEqual([expect.stringMatching(/no SCP attached to ou-workloads allows anything/)]);
  });

  it('permission boundary that removes the tamper actions: not FAIL', async () => {
    const boundary = managedPolicy('NoTamper', policy({ Effect: 'Allow', NotAction: ALL_TAMPER, Resource: '*' }));
    const snap = snapshot({
      accounts: [
        account(A, {
          trails: [trail({ name: 'main' })],
          iam: { policies: [boundary], roles: [iamRole('Bounded', { attachedPolicies: ['AdministratorAccess'], permissionsBoundary: 'NoTamper' }), iamRole('Unbounded', { attachedPolicies: ['AdministratorAccess'] })] },
        }),
      ],
    });
    const findings = await runCheck(check, snap);
    expect(byName(findings, 'Bounded')).toEqual([]);
    expect(statusOf(findings, 'Unbounded')).toEqual(['FAIL']);
  });

  it("bucket policy granting s3:DeleteObject to another account's role: FAIL for that role", async () => {
    const ext = `arn:aws:iam::${EXT}:role/Partner`;
    const snap = snapshot({
      accounts: [
        account(A, {
          trails: [trail({ name: 'main', bucket: 'central-logs' })],
          buckets: [
            bucket('central-logs', {
              objectLock: null,
              policy: policy({ Sid: 'PartnerCleanup', Effect: 'Allow', Principal: { AWS: ext }, Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::central-logs/*' }),
            }),
          ],
        }),
      ],
    });
    const findings = await runCheck(check, snap);
    const [f] = byName(findings, 'Partner');
    expect(f).toMatchObject({ status: 'FAIL', accountId: A, messageId: 'canTamperIf', resource: { arn: ext, type: 'AWS::IAM::Principal' } });
    expect(f?.message).toBe(
      `${ext} can tamper with CloudTrail logging (s3:DeleteObject on arn:aws:s3:::central-logs/*) if these conditions, which a snapshot cannot decide, allow it: allowed if the identity policies in account 999999999999 (not scanned) allow it. Fix: remove these actions from the policies that grant them (see evidence.grants), or deny them with a permission boundary or an SCP; if it is a break-glass principal, add it to allowedPrincipals.`,
    );
    const [hit] = (f?.evidence.grants ?? []) as { actions: string[]; resource: string; statements: { sid: string }[]; allowedIf: { note: string }[] }[];
    expect(hit?.actions).toEqual(['s3:DeleteObject']);
    expect(hit?.resource).toBe(`arn:aws:s3:::central-logs/AWSLogs/${A}/CloudTrail/us-east-1/*`);
    expect(hit?.statements.map((s) => s.sid)).toEqual(['PartnerCleanup']);
    expect(hit?.allowedIf[0]?.note).toMatch(/account 999999999999 \(not scanned\)/);
  });

  it("bucket policy granting s3:DeleteObject to a scanned account's role: FAIL in that account, judged on both sides", async () => {
    const B = '333333333333';
    const snap = snapshot({
      accounts: [
        account(A, {
          trails: [trail({ name: 'main', bucket: 'central-logs' })],
          buckets: [
            bucket('central-logs', {
              objectLock: null,
              policy: policy({ Sid: 'OpsCleanup', Effect: 'Allow', Principal: { AWS: [`arn:aws:iam::${B}:role/Ops`, `arn:aws:iam::${B}:role/Idle`] }, Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::central-logs/*' }),
            }),
          ],
        }),
        account(B, {
          iam: { roles: [iamRole('Ops', { inlinePolicies: { Del: policy(allow('s3:DeleteObject', 'arn:aws:s3:::central-logs/*')) } }), iamRole('Idle'), iamRole('Other', { attachedPolicies: ['AdministratorAccess'] })] },
        }),
      ],
    });
    const findings = await runCheck(check, snap);
    const [ops] = byName(findings, 'Ops');
    expect(ops).toMatchObject({ status: 'FAIL', accountId: B, messageId: 'canTamper' });
    const [hit] = (ops?.evidence.grants ?? []) as { statements: { policyType: string; sid?: string; policy: string }[] }[];
    expect(hit?.statements.map((s) => `${s.policyType}:${s.sid ?? s.policy}`).sort()).toEqual(['identity:Del', 'resource:OpsCleanup']);
    // Named by the bucket policy but without an identity grant; admin without a bucket grant.
    expect(byName(findings, 'Idle')).toEqual([]);
    expect(byName(findings, 'Other')).toEqual([]);
  });

  it('bucket policy allowing everyone (*) inside the organization: FAIL for "everyone", allowed if the org condition holds', async () => {
    const snap = snapshot({
      accounts: [
        account(A, {
          trails: [trail({ name: 'main', bucket: 'open-logs' })],
          buckets: [
            bucket('open-logs', {
              policy: policy({ Sid: 'OrgMayChangeLifecycle', Effect: 'Allow', Principal: '*', Action: 's3:PutLifecycleConfiguration', Resource: 'arn:aws:s3:::open-logs', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123def4' } } }),
            }),
          ],
        }),
      ],
    });
    const [f] = byName(await runCheck(check, snap), 'everyone (*)');
    expect(f).toMatchObject({ status: 'FAIL', accountId: A, messageId: 'canTamperIf', resource: { arn: '*' } });
    const [hit] = (f?.evidence.grants ?? []) as { allowedIf: { key: string }[] }[];
    expect(hit?.allowedIf.map((c) => c.key)).toEqual(['identity-policies', 'aws:PrincipalOrgID']);
  });

  it('malformed bucket policy: ERROR for the bucket naming the problem', async () => {
    const snap = snapshot({
      accounts: [account(A, { trails: [trail({ name: 'main', bucket: 'logs-a' })], buckets: [bucket('logs-a', { policy: { Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] } })] })],
    });
    const b = (await runCheck(check, snap)).find((f) => f.resource.type === 'AWS::S3::Bucket');
    expect(b).toMatchObject({ status: 'ERROR', messageId: 'bucketPolicyMalformed', data: { bucket: 'logs-a', problem: 'Statement[0] must have Principal or NotPrincipal' } });
  });

  it('malformed key policy: ERROR for the key naming the problem', async () => {
    const snap = snapshot({
      accounts: [account(A, { trails: [trail({ name: 'main', kmsKey: 'k1' })], keys: [kmsKey({ id: 'k1', policy: { Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] } })] })],
    });
    const k = (await runCheck(check, snap)).find((f) => f.resource.type === 'AWS::KMS::Key');
    expect(k).toMatchObject({ status: 'ERROR', messageId: 'keyPolicyMalformed', data: { key: k?.resource.arn, problem: 'Statement[0] must have Principal or NotPrincipal' } });
  });

  it('unreadable key policy: ERROR for the key with AWS\'s error', async () => {
    const snap = snapshot({ accounts: [account(A, { trails: [trail({ name: 'main', kmsKey: 'k1' })], keys: [kmsKey({ id: 'k1', policy: unreadable('AccessDeniedException', 'GetKeyPolicy') })] })] });
    const k = (await runCheck(check, snap)).find((f) => f.resource.type === 'AWS::KMS::Key');
    expect(k).toMatchObject({ status: 'ERROR', messageId: 'core.cannotDecide', data: { code: 'AccessDeniedException', operation: 'GetKeyPolicy' } });
  });

  it('malformed policy: ERROR for that principal naming the policy, the rest is evaluated', async () => {
    const snap = snapshot({
      accounts: [
        account(A, {
          trails: [trail({ name: 'main' })],
          iam: {
            roles: [iamRole('Garbled', { inlinePolicies: { Broken: '{"Version":"2012-10-17","Statement":[' } }), iamRole('Admin', { attachedPolicies: ['AdministratorAccess'] })],
          },
        }),
      ],
    });
    const findings = await runCheck(check, snap);
    const [e] = byName(findings, 'Garbled');
    expect(e).toMatchObject({
      status: 'ERROR',
      messageId: 'policyMalformed',
      data: { principal: `arn:aws:iam::${A}:role/Garbled`, policy: 'Broken', via: 'inline', problem: expect.stringMatching(/^the document is not valid JSON/), more: '' },
    });
    expect(statusOf(findings, 'Admin')).toEqual(['FAIL']);
    expect(findings.some((f) => f.status === 'PASS')).toBe(false);
  });

  it('a managed policy the IAM data does not hold: ERROR policyUnusable for that principal', async () => {
    const snap = snapshot({ accounts: [account(A, { trails: [trail({ name: 'main' })], iam: { roles: [iamRole('Dangling')] } })] });
    // The builder refuses a reference to a policy it does not define; real IAM data can hold one.
    const gone = `arn:aws:iam::${A}:policy/Gone`;
    snap.accounts[A]?.iam?.value?.roles[0]?.attachedPolicies.push({ name: 'Gone', arn: gone });
    const [e] = byName(await runCheck(check, snap), 'Dangling');
    expect(e).toMatchObject({
      status: 'ERROR',
      messageId: 'policyUnusable',
      data: { principal: `arn:aws:iam::${A}:role/Dangling`, policy: gone, via: 'attached', problem: 'the managed policy is not in the IAM data', more: '' },
    });
  });

  it('an account with no trail, bucket or key: NOT_APPLICABLE noTrails', async () => {
    const findings = await runCheck(check, snapshot({ accounts: [account(A, { iam: {} })] }));
    expect(findings.map((f) => [f.accountId, f.status, f.messageId])).toEqual([[A, 'NOT_APPLICABLE', 'noTrails']]);
  });

  it('unknown IAM data: ERROR for the account, never PASS', async () => {
    const snap = snapshot({ accounts: [account(A, { trails: [trail({ name: 'main' })], iam: unreadable('AccessDenied', 'GetAccountAuthorizationDetails') })] });
    const findings = await runCheck(check, snap);
    expect(findings.map((f) => [f.status, f.resource.type])).toEqual([['ERROR', 'AWS::::Account']]);
    expect(findings[0]).toMatchObject({ messageId: 'core.cannotDecide', data: { code: 'AccessDenied', operation: 'GetAccountAuthorizationDetails' } });
  });

  it('Object Lock in GOVERNANCE mode does not stop deletion', async () => {
    const deleter = iamRole('Deleter', { inlinePolicies: { Del: policy(allow('s3:DeleteObject', 'arn:aws:s3:::logs-a/*')) } });
    const build = (mode: 'COMPLIANCE' | 'GOVERNANCE') =>
      snapshot({ accounts: [account(A, { trails: [trail({ name: 'main', bucket: 'logs-a' })], buckets: [bucket('logs-a', { objectLock: { mode, days: 365 } })], iam: { roles: [deleter] } })] });
    expect(byName(await runCheck(check, build('COMPLIANCE')), 'Deleter')).toEqual([]);
    const gov = byName(await runCheck(check, build('GOVERNANCE')), 'Deleter');
    expect(gov.map((f) => f.status)).toEqual(['FAIL']);
    expect(gov[0]?.evidence.actions).toEqual(['s3:DeleteObject']);
  });

  it('organization trail: changed only from the management account', async () => {
    const snap = snapshot({
      organization: org(),
      accounts: [
        account(MGMT, { trails: [trail({ name: 'org', organization: true })], iam: { roles: [iamRole('OrgAdmin', { attachedPolicies: ['AdministratorAccess'] })] } }),
        account(A, { iam: { roles: [iamRole('MemberAdmin', { attachedPolicies: ['AdministratorAccess'] })] } }),
      ],
    });
    const findings = await runCheck(check, snap);
    expect(byName(findings, 'MemberAdmin')).toEqual([]);
    const [f] = byName(findings, 'OrgAdmin');
    expect(f?.status).toBe('FAIL');
    expect(f?.evidence.notes).toEqual(expect.arrayContaining([expect.stringMatching(/organization trail: it can be changed only from its owner account 111111111111/)]));
    expect(findings.find((x) => x.accountId === A)).toMatchObject({ status: 'PASS', messageId: 'noTamper', data: { account: A } });
  });

  it('unreadable bucket policy: ERROR for the bucket, the trail and key are still judged', async () => {
    const snap = snapshot({
      accounts: [
        account(A, {
          trails: [trail({ name: 'main', bucket: 'logs-a' })],
          buckets: [bucket('logs-a', { policy: unreadable('AccessDenied', 'GetBucketPolicy') })],
          iam: { roles: [iamRole('TrailOnly', { inlinePolicies: { T: policy(allow('cloudtrail:StopLogging')) } })] },
        }),
      ],
    });
    const findings = await runCheck(check, snap);
    expect(findings.find((f) => f.resource.type === 'AWS::S3::Bucket')).toMatchObject({
      status: 'ERROR',
      resource: { name: 'logs-a' },
      messageId: 'core.cannotDecide',
      data: { code: 'AccessDenied', operation: 'GetBucketPolicy' },
    });
    expect(statusOf(findings, 'TrailOnly')).toEqual(['FAIL']);
  });

  it('an account whose bucket policy is unknown gets no PASS: who can tamper with the bucket is unknown', async () => {
    // The SCP denies every tamper action in A, so without the bucket A would PASS.
    const snap = snapshot({
      organization: org([denyTamperScp()]),
      accounts: [
        account(MGMT, { iam: {} }),
        account(A, {
          trails: [trail({ name: 'main', bucket: 'logs-a' })],
          buckets: [bucket('logs-a', { policy: unreadable('AccessDenied', 'GetBucketPolicy') })],
          iam: { roles: [iamRole('Admin', { attachedPolicies: ['AdministratorAccess'] })] },
        }),
      ],
    });
    const findings = await runCheck(check, snap);
    expect(findings.find((f) => f.resource.type === 'AWS::S3::Bucket')).toMatchObject({ status: 'ERROR', messageId: 'core.cannotDecide', data: { operation: 'GetBucketPolicy' } });
    expect(findings.filter((f) => f.accountId === A && f.status === 'PASS')).toEqual([]);
    // Another account's PASS says what it could not take into account.
    const mgmt = findings.find((f) => f.accountId === MGMT);
    expect(mgmt?.status).toBe('PASS');
    expect(mgmt?.evidence.notes).toEqual(expect.arrayContaining([expect.stringMatching(/not evaluated because they could not be read: bucket logs-a/)]));
  });

  it('an account whose trails cannot be listed gets an ERROR and no PASS beside it', async () => {
    const snap = snapshot({
      accounts: [
        account(MGMT, { trails: [trail({ name: 'main' })], iam: {} }),
        account(A, { trails: unreadable('AccessDenied', 'DescribeTrails'), iam: { roles: [iamRole('Reader', { attachedPolicies: ['AWSCloudTrail_ReadOnlyAccess'] })] } }),
      ],
    });
    const findings = await runCheck(check, snap);
    const ofA = findings.filter((f) => f.accountId === A);
    expect(ofA.map((f) => f.status)).toEqual(['ERROR']);
    expect(ofA[0]?.message).toMatch(/DescribeTrails failed/);
    expect(ofA[0]?.evidence.alsoReported).toBeUndefined();
  });

  it('a bucket and a key outside the scan, used by several trails of an account, give one ERROR each', async () => {
    const key = `arn:aws:kms:us-east-1:${EXT}:key/0f0e0d0c-0b0a-4909-8807-060504030201`;
    const snap = snapshot({
      accounts: [
        account(A, {
          trails: [
            trail({ name: 'one', bucket: 'foreign-logs', kmsKey: key, unresolved: true }),
            trail({ name: 'two', bucket: 'foreign-logs', kmsKey: key, unresolved: true }),
          ],
          iam: {},
        }),
      ],
    });
    const findings = await runCheck(check, snap);
    expect(findings.filter((f) => f.resource.type === 'AWS::S3::Bucket').map((f) => f.status)).toEqual(['ERROR']);
    expect(findings.filter((f) => f.resource.type === 'AWS::KMS::Key').map((f) => f.status)).toEqual(['ERROR']);
  });

  it('no trail found because the trails could not be listed: ERROR, not NOT_APPLICABLE', async () => {
    const snap = snapshot({ accounts: [account(A, { trails: unreadable('AccessDenied', 'DescribeTrails'), iam: {} })] });
    const findings = await runCheck(check, snap);
    expect(findings.map((f) => f.status)).toEqual(['ERROR']);
    expect(findings[0]?.message).toMatch(/DescribeTrails failed/);
    expect(findings[0]?.evidence.alsoReported).toBeUndefined();
  });

  it('no trail found in the readable accounts while another account\'s trails are unknown: ERROR, not NOT_APPLICABLE', async () => {
    const snap = snapshot({
      accounts: [account(MGMT, { trails: unreadable('AccessDenied', 'DescribeTrails'), iam: {} }), account(A, { iam: {} })],
    });
    const findings = await runCheck(check, snap);
    expect(findings.map((f) => [f.accountId, f.status])).toEqual([
      [MGMT, 'ERROR'],
      [A, 'ERROR'],
    ]);
    expect(findings.find((f) => f.accountId === A)).toMatchObject({ messageId: 'trailsUnknown', data: { accounts: MGMT } });
  });

  it('options are validated by the schema', async () => {
    const snap = snapshot({ accounts: [account(A, {})] });
    await expect(runCheck(check, snap, { options: { allowedPrincipals: 'x' as never } })).rejects.toThrow(/allowedPrincipals/);
  });

  describe('the root user (judged by the controls AWS gives it, never "remove these actions")', () => {
    const withRoot = (snap: ReturnType<typeof snapshot>, id: string, accessKeysPresent: boolean, mfaEnabled: boolean) => {
      snap.accounts[id]!.rootUser = { value: { accessKeysPresent, mfaEnabled } };
      return snap;
    };
    const memberSnap = (scps: ReturnType<typeof denyTamperScp>[]) =>
      withRoot(snapshot({ organization: org(scps), accounts: [account(MGMT, { iam: {} }), account(A, { trails: [trail({ name: 'main' })], iam: {} })] }), A, false, true);

    it('in a member account no SCP denies it: FAIL rootNotDenied, the fix is an SCP on aws:PrincipalArn like root', async () => {
      const [f] = (await runCheck(check, memberSnap([]))).filter((x) => x.accountId === A && x.resource.name === 'root');
      expect(f).toMatchObject({ status: 'FAIL', messageId: 'rootNotDenied', data: { account: A, partition: 'aws', actions: expect.stringContaining('cloudtrail:StopLogging') } });
      expect(f?.message).not.toMatch(/remove these actions/);
      expect(f?.message).toContain('arn:aws:iam::*:root');
      expect(JSON.parse(f?.evidence.fixScp as string).Statement[0]).toMatchObject({ Effect: 'Deny', Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:root' } } });
    });

    it('in a member account an SCP denies it every tamper action: no FAIL, the account PASS says so', async () => {
      const findings = (await runCheck(check, memberSnap([denyTamperScp()]))).filter((x) => x.accountId === A);
      expect(findings.map((f) => f.status)).toEqual(['PASS']);
      expect(findings[0]?.evidence.rootUser).toEqual({ canTamper: false, why: expect.stringContaining('no tamper action') });
    });

    it('the management account: SCPs cannot restrict root; keys and MFA decide', async () => {
      const base = () => snapshot({ organization: org(), accounts: [account(MGMT, { trails: [trail({ name: 'org' })], iam: {} }), account(A, { iam: {} })] });
      const secured = (await runCheck(check, withRoot(base(), MGMT, false, true))).filter((f) => f.accountId === MGMT);
      expect(secured.map((f) => f.status)).toEqual(['PASS']);
      expect(secured[0]?.evidence.rootUser).toEqual({ canTamper: true, why: 'SCPs never restrict the management account', accessKeysPresent: false, mfaEnabled: true });

      const [unsecured] = (await runCheck(check, withRoot(base(), MGMT, true, false))).filter((f) => f.accountId === MGMT && f.resource.name === 'root');
      expect(unsecured).toMatchObject({
        status: 'FAIL',
        messageId: 'rootUnsecured',
        data: {
          account: MGMT,
          why: 'SCPs never restrict the management account',
          problems: 'it has access keys (AccountAccessKeysPresent = 1) and MFA is not enabled on it (AccountMFAEnabled = 0)',
        },
      });
      expect(unsecured?.message).not.toMatch(/remove these actions/);
    });
  });

  describe('SCPs that could not be read are not "no SCPs"', () => {
    const snapWith = () => {
      const snap = snapshot({
        organization: org([denyTamperScp()]),
        accounts: [account(MGMT, { trails: [trail({ name: 'mgmt' })], iam: { roles: [iamRole('Admin', { attachedPolicies: ['AdministratorAccess'] })] } }), account(A, { trails: [trail({ name: 'main' })], iam: { roles: [iamRole('Admin', { attachedPolicies: ['AdministratorAccess'] })] } })],
      });
      snap.accounts[MGMT]!.rootUser = { value: { accessKeysPresent: false, mfaEnabled: true } };
      return snap;
    };

    it('a member administrator is ERROR (an SCP may deny it), not FAIL; the management account\'s is still FAIL', async () => {
      const snap = snapWith();
      snap.organization!.value!.policies.scp = { error: { code: 'AccessDeniedException', message: "You don't have permissions to access this resource.", operation: 'ListPolicies', accountId: A } };
      const findings = await runCheck(check, snap);
      const member = findings.find((f) => f.resource.arn === `arn:aws:iam::${A}:role/Admin`);
      expect(member).toMatchObject({
        status: 'ERROR',
        messageId: 'orgPoliciesUnknown',
        data: { principal: `arn:aws:iam::${A}:role/Admin`, why: expect.stringMatching(/^the SCPs could not be read \(ListPolicies: AccessDeniedException/) },
      });
      expect(member?.evidence.actions).toEqual(expect.arrayContaining(['cloudtrail:StopLogging']));
      expect(findings.find((f) => f.resource.arn === `arn:aws:iam::${A}:root`)).toMatchObject({ status: 'ERROR', messageId: 'orgPoliciesUnknown', data: { principal: `the root user of account ${A}` } });
      expect(findings.find((f) => f.resource.arn === `arn:aws:iam::${MGMT}:role/Admin`)?.status).toBe('FAIL');
      // Control: with the SCPs readable, the deny-tamper SCP protects the member: no finding for its admin.
      expect((await runCheck(check, snapWith())).filter((f) => f.resource.arn === `arn:aws:iam::${A}:role/Admin`)).toEqual([]);
    });
  });
});
