// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are written ${key}, not JS templates
import type { Snapshot } from '@trailwarden/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { A, B, FULL_ACCESS, MGMT, ORG_ID, OUTSIDE, allowAll, doc, iam, managed, role, scp, snapshot, user } from './__fixtures__/snapshot.js';
import { type ActionCatalog, loadActionCatalog } from './catalog.js';
import { type Decision, type IamModel, type ResourceTarget, createIamModel } from './model.js';

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const adminPolicy = { arn: ADMIN, name: 'AdministratorAccess', id: 'ANPAADMIN', path: '/', document: doc(allowAll) };
const attachAdmin = { attachedPolicies: [{ arn: ADMIN, name: 'AdministratorAccess' }] };
const homeDir = doc({ Effect: 'Allow', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::logs-a/home/${aws:username}/*' });

/** The world of the rule table: accounts MGMT (under the root), A and B (in ou-1). */
function world(): Snapshot {
  return snapshot({
    iam: {
      [A]: iam({
        policies: [
          adminPolicy,
          managed(A, 'Boundary', doc({ Effect: 'Allow', Action: ['cloudtrail:Describe*', 'cloudtrail:Get*', 's3:Get*', 's3:List*'], Resource: '*' })),
        ],
        groups: [{ arn: `arn:aws:iam::${A}:group/Admins`, name: 'Admins', id: 'AGPA1', path: '/', ...attachAdmin, inlinePolicies: [] }],
        users: [
          user(A, 'alice', { groups: ['Admins'] }),
          user(A, 'bob', {
            inlinePolicies: [{ name: 'ReadTrails', document: doc({ Effect: 'Allow', Action: ['cloudtrail:Describe*', 'cloudtrail:Get*', 'cloudtrail:List*'], Resource: '*' }) }],
          }),
          user(A, 'carol', { inlinePolicies: [{ name: 'All', document: doc(allowAll) }], permissionsBoundary: `arn:aws:iam::${A}:policy/Boundary` }),
          user(A, 'dave', { inlinePolicies: [{ name: 'Home', document: homeDir }] }),
          user(A, 'broken', { ...attachAdmin, inlinePolicies: [{ name: 'Garbled', document: '{"Statement": [' }] }),
        ],
        roles: [
          role(A, 'Admin', attachAdmin),
          role(A, 'BreakGlass', attachAdmin),
          role(A, 'Tagged', { ...attachAdmin, tags: [{ key: 'breakglass', value: 'true' }] }),
          role(A, 'MfaAdmin', {
            inlinePolicies: [{ name: 'Mfa', document: doc({ ...allowAll, Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }) }],
          }),
          role(A, 'AWSServiceRoleForThing', { path: '/aws-service-role/thing.amazonaws.com/', inlinePolicies: [{ name: 'All', document: doc(allowAll) }] }),
          role(A, 'NotActionAdmin', { inlinePolicies: [{ name: 'PowerUser', document: doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }) }] }),
          role(A, 'NoPolicy'),
          role(A, 'HomeDir', { inlinePolicies: [{ name: 'Home', document: homeDir }] }),
          role(A, 'IpDenied', {
            inlinePolicies: [
              { name: 'All', document: doc(allowAll) },
              { name: 'Corp', document: doc({ Sid: 'CorpOnly', Effect: 'Deny', Action: '*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }) },
            ],
          }),
          role(A, 'Wildcard', { inlinePolicies: [{ name: 'Q', document: doc({ Effect: 'Allow', Action: 'cloudtrail:?pdateTrail', Resource: 'arn:aws:cloudtrail:*:*:trail/m?in' }) }] }),
          role(A, 'BoundedRole', { permissionsBoundary: `arn:aws:iam::${A}:policy/Boundary` }),
          role(A, 'SessionRole', { permissionsBoundary: `arn:aws:iam::${A}:policy/Boundary` }),
          role(A, 'NotResource', {
            inlinePolicies: [{ name: 'NR', document: doc({ Effect: 'Allow', Action: 'cloudtrail:*', NotResource: 'arn:aws:cloudtrail:*:*:trail/main' }) }],
          }),
        ],
      }),
      [B]: iam({ policies: [adminPolicy], roles: [role(B, 'Auditor', attachAdmin), role(B, 'NoPerms'), role(B, 'Writer', attachAdmin)] }),
      [MGMT]: iam({ policies: [adminPolicy], roles: [role(MGMT, 'Admin', attachAdmin)] }),
    },
    scps: [
      FULL_ACCESS(['r-1', 'ou-1', A, B, MGMT]),
      scp(
        'p-denytamper',
        ['r-1'],
        doc({
          Sid: 'DenyTamper',
          Effect: 'Deny',
          Action: ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail'],
          Resource: '*',
          Condition: {
            StringNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/BreakGlass' },
            StringNotEquals: { 'aws:PrincipalTag/breakglass': 'true' },
          },
        }),
        'DenyTrailTamper',
      ),
    ],
    rcps: [
      { ...scp('p-RCPFullAWSAccess', ['r-1', 'ou-1', A, B, MGMT], doc({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }), 'RCPFullAWSAccess'), awsManaged: true },
      scp(
        'p-rcpdeny',
        ['r-1'],
        doc(
          { Sid: 'NoVersioningChanges', Effect: 'Deny', Principal: '*', Action: ['s3:PutBucketVersioning', 'cloudtrail:UpdateTrail'], Resource: '*' },
          { Sid: 'OrgOnly', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': ORG_ID } } },
        ),
        'ResourcePerimeter',
      ),
    ],
  });
}

let catalog: ActionCatalog;
let model: IamModel;
const resources: Record<string, ResourceTarget> = {};

beforeAll(async () => {
  catalog = await loadActionCatalog(['cloudtrail', 's3', 'kms', 'iam']);
  model = createIamModel(world(), { catalog });
  const compiled = (document: Parameters<IamModel['compileResourcePolicy']>[0], name: string, arn: string) => {
    const r = model.compileResourcePolicy(document, { name, arn });
    if (r.error !== undefined) throw new Error(r.error);
    return r.policy;
  };
  const logsA = doc(
    { Sid: 'AuditorDeletes', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:role/Auditor` }, Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::logs-a/*' },
    { Sid: 'NoPolicyManages', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:role/NoPolicy` }, Action: 's3:PutBucketPolicy', Resource: 'arn:aws:s3:::logs-a' },
    { Sid: 'NeverDelete', Effect: 'Deny', Principal: '*', Action: 's3:DeleteBucket', Resource: 'arn:aws:s3:::logs-a' },
    {
      Sid: 'PolicyAdmins',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutBucketPolicy',
      Resource: 'arn:aws:s3:::logs-a',
      Condition: { StringNotLike: { 'aws:PrincipalArn': [`arn:aws:iam::${A}:role/NoPolicy`, `arn:aws:iam::${A}:role/Admin`] } },
    },
    { Sid: 'ToRoleArn', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:role/BoundedRole` }, Action: 's3:PutLifecycleConfiguration', Resource: 'arn:aws:s3:::logs-a' },
    { Sid: 'ToSession', Effect: 'Allow', Principal: { AWS: `arn:aws:sts::${A}:assumed-role/SessionRole/ops` }, Action: 's3:PutLifecycleConfiguration', Resource: 'arn:aws:s3:::logs-a' },
    { Sid: 'ToUser', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:user/carol` }, Action: 's3:PutLifecycleConfiguration', Resource: 'arn:aws:s3:::logs-a' },
    { Sid: 'Outsider', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OUTSIDE}:role/Ext` }, Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::logs-a/*' },
  );
  const logsB = doc(
    { Sid: 'OnlyAuditor', Effect: 'Deny', NotPrincipal: { AWS: [`arn:aws:iam::${B}:root`, `arn:aws:sts::${B}:assumed-role/Auditor/s`] }, Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::logs-b/*' },
    { Sid: 'RoleArnOnly', Effect: 'Deny', NotPrincipal: { AWS: [`arn:aws:iam::${B}:role/Auditor`] }, Action: 's3:DeleteBucket', Resource: 'arn:aws:s3:::logs-b' },
  );
  const key = doc(
    { Sid: 'EnableIAM', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'kms:*', Resource: '*' },
    { Sid: 'CrossAccount', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: 'kms:DisableKey', Resource: '*' },
  );
  const key2 = doc({ Sid: 'OnlyNoPolicy', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:role/NoPolicy` }, Action: 'kms:*', Resource: '*' });
  Object.assign(resources, {
    trail: { arn: `arn:aws:cloudtrail:us-east-1:${A}:trail/main`, accountId: A, region: 'us-east-1' },
    otherTrail: { arn: `arn:aws:cloudtrail:us-east-1:${A}:trail/other`, accountId: A, region: 'us-east-1' },
    mgmtTrail: { arn: `arn:aws:cloudtrail:us-east-1:${MGMT}:trail/org`, accountId: MGMT, region: 'us-east-1' },
    bucketA: { arn: 'arn:aws:s3:::logs-a', accountId: A, policy: compiled(logsA, 'bucket policy', 'arn:aws:s3:::logs-a') },
    objectA: { arn: 'arn:aws:s3:::logs-a/AWSLogs/x.gz', accountId: A, policy: compiled(logsA, 'bucket policy', 'arn:aws:s3:::logs-a') },
    daveObject: { arn: 'arn:aws:s3:::logs-a/home/dave/x', accountId: A, policy: compiled(logsA, 'bucket policy', 'arn:aws:s3:::logs-a') },
    erinObject: { arn: 'arn:aws:s3:::logs-a/home/erin/x', accountId: A, policy: compiled(logsA, 'bucket policy', 'arn:aws:s3:::logs-a') },
    homeDirObject: { arn: 'arn:aws:s3:::logs-a/home/HomeDir/x', accountId: A, policy: compiled(logsA, 'bucket policy', 'arn:aws:s3:::logs-a') },
    bucketB: { arn: 'arn:aws:s3:::logs-b', accountId: B, policy: compiled(logsB, 'bucket policy', 'arn:aws:s3:::logs-b') },
    objectB: { arn: 'arn:aws:s3:::logs-b/x', accountId: B, policy: compiled(logsB, 'bucket policy', 'arn:aws:s3:::logs-b') },
    mgmtBucket: { arn: 'arn:aws:s3:::mgmt-logs', accountId: MGMT, policy: null },
    key: { arn: `arn:aws:kms:us-east-1:${A}:key/1`, accountId: A, region: 'us-east-1', policy: compiled(key, 'key policy', `arn:aws:kms:us-east-1:${A}:key/1`) },
    key2: { arn: `arn:aws:kms:us-east-1:${A}:key/2`, accountId: A, region: 'us-east-1', policy: compiled(key2, 'key policy', `arn:aws:kms:us-east-1:${A}:key/2`) },
  });
});

const U = (acct: string, name: string) => `arn:aws:iam::${acct}:user/${name}`;
const R = (acct: string, name: string) => `arn:aws:iam::${acct}:role/${name}`;
const ROOT = (acct: string) => `arn:aws:iam::${acct}:root`;
const SLR = `arn:aws:iam::${A}:role/aws-service-role/thing.amazonaws.com/AWSServiceRoleForThing`;

type Row = [rule: string, principal: string, action: string, resource: string, expected: Decision['decision'], check?: (d: Decision) => void];

const rows: Row[] = [
  ['managed policy through a group', U(A, 'alice'), 'cloudtrail:UpdateTrail', 'trail', 'allowed', (d) =>
    expect(d.statements).toEqual([{ type: 'identity', name: 'AdministratorAccess', arn: ADMIN, via: 'group:Admins', effect: 'Allow', index: 0 }])],
  ['inline policy', U(A, 'bob'), 'cloudtrail:DescribeTrails', 'trail', 'allowed', (d) => expect(d.statements[0]).toMatchObject({ name: 'ReadTrails', via: 'inline' })],
  ['implicit deny without an identity grant', U(A, 'bob'), 'cloudtrail:UpdateTrail', 'trail', 'denied', (d) => expect(d.reason).toBe('no identity-based policy allows it')],
  ['managed policy attached to a role', R(A, 'Admin'), 'cloudtrail:PutEventSelectors', 'trail', 'allowed'],
  ['SCP deny along the OU path', U(A, 'alice'), 'cloudtrail:StopLogging', 'trail', 'denied', (d) =>
    expect(d.statements).toEqual([{ type: 'scp', name: 'DenyTrailTamper', arn: expect.stringContaining('p-denytamper'), via: 'r-1', effect: 'Deny', index: 0, sid: 'DenyTamper' }])],
  ['SCP exemption by aws:PrincipalArn', R(A, 'BreakGlass'), 'cloudtrail:StopLogging', 'trail', 'allowed'],
  ['SCP exemption by principal tag', R(A, 'Tagged'), 'cloudtrail:DeleteTrail', 'trail', 'allowed'],
  ['SCPs do not apply to the management account', R(MGMT, 'Admin'), 'cloudtrail:StopLogging', 'mgmtTrail', 'allowed'],
  ['SCPs do not apply to service-linked roles', SLR, 'cloudtrail:StopLogging', 'trail', 'allowed'],
  ['root: full access of its account', ROOT(A), 'cloudtrail:UpdateTrail', 'trail', 'allowed', (d) => expect(d.reason).toMatch(/root user/)],
  ['root: SCPs still deny it', ROOT(A), 'cloudtrail:StopLogging', 'trail', 'denied'],
  ['root of the management account', ROOT(MGMT), 'cloudtrail:StopLogging', 'mgmtTrail', 'allowed'],
  ['permission boundary removes an action', U(A, 'carol'), 'cloudtrail:UpdateTrail', 'trail', 'denied', (d) => expect(d.reason).toMatch(/permissions boundary .*Boundary does not allow it/)],
  ['permission boundary keeps an action', U(A, 'carol'), 'cloudtrail:GetTrailStatus', 'trail', 'allowed'],
  ['undecidable condition (MFA)', R(A, 'MfaAdmin'), 'cloudtrail:UpdateTrail', 'trail', 'conditional', (d) =>
    expect(d.conditions).toEqual([expect.objectContaining({ operator: 'Bool', key: 'aws:MultiFactorAuthPresent', values: ['true'], requirement: 'must-hold' })])],
  ['undecidable deny condition (source IP)', R(A, 'IpDenied'), 'cloudtrail:UpdateTrail', 'trail', 'conditional', (d) =>
    expect(d.conditions).toEqual([expect.objectContaining({ operator: 'NotIpAddress', key: 'aws:SourceIp', requirement: 'must-not-hold', statement: expect.objectContaining({ sid: 'CorpOnly' }) })])],
  ['NotAction allow', R(A, 'NotActionAdmin'), 'cloudtrail:UpdateTrail', 'trail', 'allowed'],
  ['NotAction excludes', R(A, 'NotActionAdmin'), 'iam:CreateUser', 'trail', 'denied'],
  ['NotResource excludes', R(A, 'NotResource'), 'cloudtrail:UpdateTrail', 'trail', 'denied'],
  ['NotResource allows others', R(A, 'NotResource'), 'cloudtrail:UpdateTrail', 'otherTrail', 'allowed'],
  ['? wildcard in Action and Resource', R(A, 'Wildcard'), 'cloudtrail:UpdateTrail', 'trail', 'allowed'],
  ['? wildcard does not match more', R(A, 'Wildcard'), 'cloudtrail:UpdateTrail', 'otherTrail', 'denied'],
  ['no policy at all', R(A, 'NoPolicy'), 'cloudtrail:UpdateTrail', 'trail', 'denied'],
  ['same-account bucket policy grant suffices alone', R(A, 'NoPolicy'), 's3:PutBucketPolicy', 'bucketA', 'allowed', (d) =>
    expect(d.statements).toEqual([expect.objectContaining({ type: 'resource', sid: 'NoPolicyManages' })])],
  ['bucket policy explicit deny beats admin', U(A, 'alice'), 's3:PutBucketPolicy', 'bucketA', 'denied', (d) => expect(d.statements[0]?.sid).toBe('PolicyAdmins')],
  ['bucket policy deny exempts by aws:PrincipalArn', R(A, 'Admin'), 's3:PutBucketPolicy', 'bucketA', 'allowed'],
  ['bucket owner root can always manage the bucket policy', ROOT(A), 's3:PutBucketPolicy', 'bucketA', 'allowed'],
  ['bucket deny to * applies to root', ROOT(A), 's3:DeleteBucket', 'bucketA', 'denied'],
  ['cross-account: identity and bucket policy', R(B, 'Auditor'), 's3:DeleteObject', 'objectA', 'allowed', (d) =>
    expect(d.statements.map((s) => s.type).sort()).toEqual(['identity', 'resource'])],
  ['cross-account: bucket grant but no identity grant', R(B, 'NoPerms'), 's3:DeleteObject', 'objectA', 'denied'],
  ['cross-account: identity grant but no bucket grant', R(B, 'Auditor'), 's3:PutLifecycleConfiguration', 'bucketA', 'denied', (d) =>
    expect(d.reason).toMatch(/does not allow the principal or its account/)],
  ['cross-account principal of an unscanned account', R(OUTSIDE, 'Ext'), 's3:DeleteObject', 'objectA', 'conditional', (d) => {
    expect(d.conditions.map((c) => c.key)).toEqual(['identity-policies', 'aws:PrincipalOrgID']);
    expect(d.conditions[1]).toMatchObject({ requirement: 'must-not-hold', statement: { type: 'rcp', sid: 'OrgOnly' } });
  }],
  ['policy variable in Resource (user)', U(A, 'dave'), 's3:DeleteObject', 'daveObject', 'allowed'],
  ['policy variable in Resource (other user)', U(A, 'dave'), 's3:DeleteObject', 'erinObject', 'denied'],
  ['policy variable absent for roles', R(A, 'HomeDir'), 's3:DeleteObject', 'homeDirObject', 'denied'],
  ['RCP deny on a covered service', R(A, 'Admin'), 's3:PutBucketVersioning', 'bucketA', 'denied', (d) => expect(d.statements[0]).toMatchObject({ type: 'rcp', sid: 'NoVersioningChanges' })],
  ['RCPs ignore services they do not cover', R(A, 'Admin'), 'cloudtrail:UpdateTrail', 'trail', 'allowed'],
  ['RCPs do not apply in the management account', R(MGMT, 'Admin'), 's3:PutBucketVersioning', 'mgmtBucket', 'allowed'],
  ['RCPs do not apply to service-linked roles', SLR, 's3:PutBucketVersioning', 'bucketA', 'allowed'],
  ['KMS: key policy delegates to the account', R(A, 'Admin'), 'kms:ScheduleKeyDeletion', 'key', 'allowed', (d) =>
    expect(d.statements.map((s) => s.sid ?? s.name).sort()).toEqual(['AdministratorAccess', 'EnableIAM'])],
  ['KMS: without delegation identity policies do not count', R(A, 'Admin'), 'kms:ScheduleKeyDeletion', 'key2', 'denied', (d) => expect(d.reason).toMatch(/neither names the principal nor delegates/)],
  ['KMS: key policy grant alone suffices', R(A, 'NoPolicy'), 'kms:ScheduleKeyDeletion', 'key2', 'allowed'],
  ['KMS: root needs the key policy too', ROOT(A), 'kms:ScheduleKeyDeletion', 'key2', 'denied'],
  ['KMS: root through the account grant', ROOT(A), 'kms:PutKeyPolicy', 'key', 'allowed'],
  ['KMS cross-account: key policy and identity policy', R(B, 'Auditor'), 'kms:DisableKey', 'key', 'allowed'],
  ['KMS cross-account: key policy without identity policy', R(B, 'NoPerms'), 'kms:DisableKey', 'key', 'denied'],
  ['KMS cross-account: identity policy without key policy', R(B, 'Auditor'), 'kms:ScheduleKeyDeletion', 'key', 'denied'],
  ['NotPrincipal deny: exempt with account and session listed', R(B, 'Auditor'), 's3:DeleteObject', 'objectB', 'allowed'],
  ['NotPrincipal deny: others denied', R(B, 'Writer'), 's3:DeleteObject', 'objectB', 'denied', (d) => expect(d.statements[0]?.sid).toBe('OnlyAuditor')],
  ['NotPrincipal deny: the role ARN alone does not exempt its sessions', R(B, 'Auditor'), 's3:DeleteBucket', 'bucketB', 'denied'],
  ['boundary limits a bucket grant naming the role ARN', R(A, 'BoundedRole'), 's3:PutLifecycleConfiguration', 'bucketA', 'denied'],
  ['boundary does not limit a grant naming the role session', R(A, 'SessionRole'), 's3:PutLifecycleConfiguration', 'bucketA', 'allowed', (d) =>
    expect(d.statements).toEqual([expect.objectContaining({ sid: 'ToSession' })])],
  ["boundary does not limit a grant naming the user", U(A, 'carol'), 's3:PutLifecycleConfiguration', 'bucketA', 'allowed'],
  ['malformed policy is skipped, the rest evaluated', U(A, 'broken'), 'cloudtrail:UpdateTrail', 'trail', 'allowed'],
];

describe('IAM evaluation rules', () => {
  it.each(rows)('%s: %s %s on %s → %s', (_rule, principalArn, action, resourceKey, expected, check) => {
    const principal = model.principal(principalArn);
    const resource = resources[resourceKey];
    if (!resource) throw new Error(`no resource ${resourceKey}`);
    const d = model.evaluate({ principal, action, resource });
    expect(d.decision, d.reason).toBe(expected);
    check?.(d);
  });

  it('evaluateScps answers for SCPs alone, and probe roles stand for "anyone"', () => {
    const r = resources.trail!;
    const probe = model.probeRole(A, 'probe');
    expect(probe).toMatchObject({ arn: `arn:aws:iam::${A}:role/probe`, identity: [], tags: {} });
    const denied = model.evaluateScps({ principal: probe, action: 'cloudtrail:StopLogging', resource: r });
    expect(denied).toMatchObject({ decision: 'denied', statements: [{ sid: 'DenyTamper', via: 'r-1' }] });
    // SCPs alone allow it, though the probe has no identity policy.
    expect(model.evaluateScps({ principal: probe, action: 'cloudtrail:UpdateTrail', resource: r }).decision).toBe('allowed');
    expect(model.evaluate({ principal: probe, action: 'cloudtrail:UpdateTrail', resource: r }).decision).toBe('denied');
    expect(model.evaluateScps({ principal: model.principal(R(A, 'BreakGlass')), action: 'cloudtrail:StopLogging', resource: r }).decision).toBe('allowed');
    expect(model.evaluateScps({ principal: model.principal(R(MGMT, 'Admin')), action: 'cloudtrail:StopLogging', resource: resources.mgmtTrail! }).reason).toBe(
      'SCPs do not apply to this principal',
    );
  });

  it('mayReach: only same-account principals or those a resource policy allows', () => {
    expect(model.mayReach(model.principal(R(B, 'NoPerms')), resources.trail!)).toBe(false);
    expect(model.mayReach(model.principal(R(B, 'Auditor')), resources.objectA!)).toBe(true);
    expect(model.mayReach(model.principal(R(B, 'Writer')), resources.objectA!)).toBe(false);
    expect(model.mayReach(model.principal(R(B, 'Writer')), resources.key!)).toBe(true);
    expect(model.mayReach(model.principal(R(A, 'NoPolicy')), resources.trail!)).toBe(true);
    expect(model.mayReach(model.principal(R(OUTSIDE, 'Ext')), resources.bucketA!)).toBe(true);
    expect(model.mayReach(model.principal(R(OUTSIDE, 'Ext')), resources.objectA!, 's3:DeleteObject')).toBe(true);
    expect(model.mayReach(model.principal(R(OUTSIDE, 'Ext')), resources.objectA!, 's3:DeleteObjectVersion')).toBe(false);
  });

  it('request context supplied by the caller decides conditions', () => {
    const principal = model.principal(R(A, 'IpDenied'));
    const r = resources.trail!;
    expect(model.evaluate({ principal, action: 'cloudtrail:UpdateTrail', resource: r, context: { 'aws:SourceIp': '10.9.9.9' } }).decision).toBe('allowed');
    expect(model.evaluate({ principal, action: 'cloudtrail:UpdateTrail', resource: r, context: { 'aws:SourceIp': '8.8.8.8' } }).decision).toBe('denied');
    const mfa = model.principal(R(A, 'MfaAdmin'));
    expect(model.evaluate({ principal: mfa, action: 'cloudtrail:UpdateTrail', resource: r, context: { 'aws:MultiFactorAuthPresent': 'false' } }).decision).toBe('denied');
  });

  it('fills the request context the engine knows', () => {
    const alice = model.principal(U(A, 'alice'));
    const get = (k: string) => alice.context.get(k);
    expect(get('aws:PrincipalArn')).toEqual({ state: 'present', values: [U(A, 'alice')] });
    expect(get('aws:principalaccount')).toEqual({ state: 'present', values: [A] });
    expect(get('aws:PrincipalOrgID')).toEqual({ state: 'present', values: [ORG_ID] });
    expect(get('aws:PrincipalOrgPaths')).toEqual({ state: 'present', values: [`${ORG_ID}/r-1/ou-1/`] });
    expect(get('aws:PrincipalType')).toEqual({ state: 'present', values: ['User'] });
    expect(get('aws:username')).toEqual({ state: 'present', values: ['alice'] });
    expect(get('aws:userid')).toEqual({ state: 'present', values: ['AIDAALICE'] });
    expect(get('aws:PrincipalTag/any')).toEqual({ state: 'absent' });
    expect(get('aws:SourceArn')).toEqual({ state: 'absent' });
    expect(get('aws:SourceIp')).toEqual({ state: 'unknown' });
    const tagged = model.principal(R(A, 'Tagged'));
    expect(tagged.context.get('aws:PrincipalTag/breakglass')).toEqual({ state: 'present', values: ['true'] });
    expect(tagged.context.get('aws:PrincipalType')).toEqual({ state: 'present', values: ['AssumedRole'] });
    expect(tagged.context.get('aws:username')).toEqual({ state: 'absent' });
    expect(model.principal(ROOT(A)).context.get('aws:PrincipalType')).toEqual({ state: 'present', values: ['Account'] });
    expect(model.principal(R(OUTSIDE, 'Ext')).context.get('aws:PrincipalOrgID')).toEqual({ state: 'unknown' });
  });

  it('lists every principal of an account (users, roles, root), sorted, with policy problems named', () => {
    const list = model.principals(A).value!;
    expect(list.map((p) => p.arn)).toEqual([...list.map((p) => p.arn)].sort());
    expect(list.filter((p) => p.kind === 'root').map((p) => p.arn)).toEqual([ROOT(A)]);
    expect(list.find((p) => p.arn === SLR)?.serviceLinked).toBe(true);
    expect(list.find((p) => p.name === 'broken')?.problems).toEqual([{ policy: 'Garbled', via: 'inline', kind: 'malformed', message: 'the document is not valid JSON' }]);
    expect(list.filter((p) => p.problems.length > 0).map((p) => p.name)).toEqual(['broken']);
  });
});

describe('IAM data and organization problems', () => {
  it('unknown IAM data is an error, not an empty account', () => {
    const s = world();
    s.accounts[A]!.iam = { error: { code: 'AccessDenied', message: 'no', operation: 'GetAccountAuthorizationDetails', accountId: A } };
    const m = createIamModel(s, { catalog });
    expect(m.principals(A).error?.code).toBe('AccessDenied');
    delete s.accounts[B]!.iam;
    expect(createIamModel(s, { catalog }).principals(B).error?.code).toBe('NotCollected');
    expect(m.principals(OUTSIDE).error?.code).toBe('OutOfScope');
  });

  it('a policy referenced but missing from the IAM data is a problem of the principal', () => {
    const s = snapshot({ iam: { [A]: iam({ roles: [role(A, 'R', { ...attachAdmin, permissionsBoundary: `arn:aws:iam::${A}:policy/Gone` })] }) } });
    const p = createIamModel(s, { catalog }).principal(R(A, 'R'));
    expect(p.problems.map((x) => x.message)).toEqual(['the managed policy is not in the IAM data', 'the permissions boundary policy is not in the IAM data']);
  });

  it('unreadable and malformed SCPs are reported; a malformed one is left out', () => {
    const s = snapshot({
      iam: { [A]: iam({ policies: [adminPolicy], roles: [role(A, 'Admin', attachAdmin)] }) },
      scps: [FULL_ACCESS(['r-1', 'ou-1', A]), scp('p-bad', ['r-1'], '{"Statement"', 'Broken')],
    });
    const m = createIamModel(s, { catalog });
    expect(m.orgPolicyProblems).toEqual([{ kind: 'scp', policy: 'Broken', policyId: 'p-bad', message: 'the document is not valid JSON' }]);
    expect(m.evaluate({ principal: m.principal(R(A, 'Admin')), action: 'cloudtrail:StopLogging', resource: { arn: 'arn:aws:cloudtrail:us-east-1:222222222222:trail/t', accountId: A } }).decision).toBe('allowed');
    const unknown = snapshot({ iam: { [A]: iam({}) }, scps: { error: { code: 'AccessDenied', message: 'x', operation: 'ListPolicies' } } });
    expect(createIamModel(unknown, { catalog }).orgPolicyProblems[0]).toMatchObject({ kind: 'scp', error: { code: 'AccessDenied' } });
  });

  it('each level of the OU path needs an SCP that allows', () => {
    const s = snapshot({
      iam: { [A]: iam({ policies: [adminPolicy], roles: [role(A, 'Admin', attachAdmin)] }) },
      scps: [FULL_ACCESS(['r-1', A]), scp('p-s3only', ['ou-1'], doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }), 'S3Only')],
    });
    const m = createIamModel(s, { catalog });
    const principal = m.principal(R(A, 'Admin'));
    const ct = m.evaluate({ principal, action: 'cloudtrail:UpdateTrail', resource: { arn: 'arn:aws:cloudtrail:us-east-1:222222222222:trail/t', accountId: A } });
    expect(ct).toMatchObject({ decision: 'denied', reason: 'no SCP attached to ou-1 allows it' });
    expect(m.evaluate({ principal, action: 's3:DeleteObject', resource: { arn: 'arn:aws:s3:::b/k', accountId: A, policy: null } }).decision).toBe('allowed');
    expect(m.orgPolicyLevels('scp', A)?.map((l) => [l.target, l.policies.map((p) => p.source.name)])).toEqual([
      ['r-1', ['FullAWSAccess']],
      ['ou-1', ['S3Only']],
      [A, ['FullAWSAccess']],
    ]);
  });

  it('a standalone account (Organizations not in use) is a fact, not a problem', () => {
    const s = snapshot({ noOrg: true, iam: { [A]: iam({}) } });
    s.organization = { error: { code: 'AWSOrganizationsNotInUseException', message: 'not in use', operation: 'DescribeOrganization' } };
    expect(createIamModel(s, { catalog }).orgPolicyProblems).toEqual([]);
    s.organization = { error: { code: 'AccessDenied', message: 'no', operation: 'DescribeOrganization' } };
    expect(createIamModel(s, { catalog }).orgPolicyProblems).toEqual([{ kind: 'scp', message: 'the organization could not be read', error: s.organization.error }]);
  });

  it('without an organization no SCPs apply and org keys are unknown', () => {
    const s = snapshot({ noOrg: true, iam: { [A]: iam({ policies: [adminPolicy], roles: [role(A, 'Admin', attachAdmin)] }) } });
    const m = createIamModel(s, { catalog });
    const p = m.principal(R(A, 'Admin'));
    expect(m.scpApplies(p)).toBe(false);
    expect(p.context.get('aws:PrincipalOrgID')).toEqual({ state: 'unknown' });
  });
});
