import type { Finding, JsonValue } from '@trailwarden/core';
import { account, deny, iamRole, iamUser, organization, policy, runCheck, snapshot, trail, unreadable } from '@trailwarden/testing';
import { describe, expect, it } from 'vitest';
import check from './index.js';

const MGMT = '111111111111';
const A = '222222222222';
const B = '333333333333';
const TAMPER = ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail', 'cloudtrail:PutEventSelectors', 'cloudtrail:PutInsightSelectors'];

const denyScp = (condition: JsonValue | undefined, actions = TAMPER, targets = ['ou-workloads']) => {
  const extra: Record<string, JsonValue> = { Sid: 'ProtectCloudTrail' };
  if (condition) extra.Condition = condition;
  return { name: 'DenyCloudTrailTamper', id: 'p-denyct', targets, document: policy(deny(actions, '*', extra)) };
};

const breakGlass = { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/BreakGlass*' } };

const roles = (...names: string[]) => names.map((n) => iamRole(n, { attachedPolicies: ['AdministratorAccess'] }));

function world(scps: ReturnType<typeof denyScp>[], aRoles = roles('Admin', 'BreakGlass'), extra: { otherAccounts?: boolean } = {}) {
  return snapshot({
    organization: organization({
      managementAccountId: MGMT,
      ous: [{ id: 'ou-workloads', name: 'Workloads', accounts: extra.otherAccounts ? [A] : [A, B] }],
      scps,
    }),
    accounts: [
      account(MGMT, { trails: [trail({ name: 'org', organization: true })], iam: {} }),
      account(A, { trails: [trail({ name: 'local' })], iam: { roles: aRoles, users: [iamUser('dev', { attachedPolicies: ['AdministratorAccess'] })] } }),
      ...(extra.otherAccounts ? [] : [account(B, { iam: { roles: roles('Ops') } })]),
    ],
  });
}

const of = (findings: Finding[], id: string) => findings.find((f) => f.accountId === id);
const SORTED_TAMPER = TAMPER.slice().sort().join(', ');

describe('org-scp-trail-protection', () => {
  it('PASS: deny SCP with a break-glass exception; the exempted principal is the evidence', async () => {
    const findings = await runCheck(check, world([denyScp(breakGlass)]));
    const a = of(findings, A);
    expect(a).toMatchObject({ status: 'PASS', messageId: 'protected', data: { account: A, exempted: 1 } });
    expect(a?.evidence.exemptedPrincipals).toEqual([{ arn: `arn:aws:iam::${A}:role/BreakGlass`, actions: TAMPER.slice().sort(), conditional: false }]);
    expect(a?.evidence.denyingStatements).toEqual([
      { policy: 'DenyCloudTrailTamper', attachedTo: 'ou-workloads', effect: 'Deny', index: 0, policyArn: expect.stringContaining('p-denyct'), sid: 'ProtectCloudTrail' },
    ]);
    expect(of(findings, B)).toMatchObject({ status: 'PASS', messageId: 'protected', data: { account: B, exempted: 0 } });
    expect(of(findings, MGMT)).toMatchObject({ status: 'NOT_APPLICABLE', messageId: 'managementAccount', data: { account: MGMT } });
  });

  it('FAIL: no SCP denies the tamper actions', async () => {
    const findings = await runCheck(check, world([]));
    expect(of(findings, A)).toMatchObject({ status: 'FAIL', messageId: 'notDenied', data: { account: A, actions: SORTED_TAMPER, target: 'ou-workloads' } });
    // The fix names the OU right above the account.
    expect(of(findings, A)?.message).toMatch(/Fix: aws organizations attach-policy --policy-id <deny-tamper-scp-id> --target-id ou-workloads$/);
  });

  it('FAIL: the SCP misses an action', async () => {
    const findings = await runCheck(check, world([denyScp(breakGlass, TAMPER.filter((a) => a !== 'cloudtrail:PutEventSelectors'))]));
    expect(of(findings, A)).toMatchObject({
      status: 'FAIL',
      messageId: 'notDenied',
      data: { account: A, actions: 'cloudtrail:PutEventSelectors', target: 'ou-workloads' },
      evidence: { notDenied: ['cloudtrail:PutEventSelectors'] },
    });
  });

  it('FAIL: the deny holds only under an undecidable condition', async () => {
    const findings = await runCheck(check, world([denyScp({ BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } })]));
    expect(of(findings, A)).toMatchObject({ status: 'FAIL', messageId: 'conditional', data: { account: A, actions: SORTED_TAMPER } });
  });

  it('an SCP on a single account protects only that account', async () => {
    const findings = await runCheck(check, world([denyScp(breakGlass, TAMPER, [A])]));
    expect(of(findings, A)?.messageId).toBe('protected');
    expect(of(findings, B)).toMatchObject({ status: 'FAIL', messageId: 'notDenied', data: { account: B } });
  });

  it('exemption by principal tag', async () => {
    const tagged = [iamRole('Admin', { attachedPolicies: ['AdministratorAccess'] }), iamRole('Responder', { attachedPolicies: ['AdministratorAccess'], tags: { 'trail-admin': 'true' } })];
    const findings = await runCheck(check, world([denyScp({ StringNotEquals: { 'aws:PrincipalTag/trail-admin': 'true' } })], tagged));
    expect(of(findings, A)?.status).toBe('PASS');
    expect(((of(findings, A)?.evidence.exemptedPrincipals ?? []) as { arn: string }[]).map((e) => e.arn)).toEqual([`arn:aws:iam::${A}:role/Responder`]);
  });

  it('FAIL: more exempted principals than maxExemptedPrincipals', async () => {
    const many = roles('BreakGlass1', 'BreakGlass2', 'BreakGlass3', 'BreakGlass4');
    const findings = await runCheck(check, world([denyScp(breakGlass)], many));
    expect(of(findings, A)).toMatchObject({
      status: 'FAIL',
      messageId: 'tooManyExempted',
      data: { account: A, count: 4, max: 3, principals: [1, 2, 3, 4].map((i) => `arn:aws:iam::${A}:role/BreakGlass${i}`).join(', '), policies: 'SCP DenyCloudTrailTamper' },
    });
    const raised = await runCheck(check, world([denyScp(breakGlass)], many), { options: { maxExemptedPrincipals: 4 } });
    expect(of(raised, A)?.status).toBe('PASS');
  });

  it('FAIL: exempted principals outside allowedPrincipals', async () => {
    const findings = await runCheck(check, world([denyScp({ ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/BreakGlass', 'arn:aws:iam::*:role/Admin'] } })]), {
      options: { allowedPrincipals: ['arn:aws:iam::*:role/BreakGlass'] },
    });
    expect(of(findings, A)).toMatchObject({
      status: 'FAIL',
      messageId: 'notAllowListed',
      data: { account: A, principals: `arn:aws:iam::${A}:role/Admin`, policies: 'SCP DenyCloudTrailTamper' },
      evidence: { notAllowListed: [`arn:aws:iam::${A}:role/Admin`] },
    });
  });

  it('ERROR: SCPs unreadable, malformed SCP on the path, IAM unknown, no organization', async () => {
    const unreadableScps = snapshot({
      organization: organization({ managementAccountId: MGMT, ous: [{ id: 'ou-workloads', name: 'W', accounts: [A] }], scps: unreadable('AccessDenied', 'ListPolicies') }),
      accounts: [account(MGMT, { iam: {} }), account(A, { iam: {} })],
    });
    const unreadableFindings = await runCheck(check, unreadableScps);
    expect(of(unreadableFindings, A)).toMatchObject({
      status: 'ERROR',
      messageId: 'scpsUnreadable',
      data: { account: A, code: 'AccessDenied', operation: 'ListPolicies', cause: expect.stringMatching(/^ListPolicies: AccessDenied/) },
    });
    // The message says what reading SCPs takes; the management account is NOT_APPLICABLE whatever they say.
    expect(of(unreadableFindings, A)?.message).toMatch(/management account or an AWS Organizations resource-based delegation policy/);
    expect(of(unreadableFindings, MGMT)).toMatchObject({ status: 'NOT_APPLICABLE', messageId: 'managementAccount' });

    const malformed = world([{ name: 'Broken', id: 'p-broken', targets: ['ou-workloads'], document: '{"Statement": [' as never }, denyScp(breakGlass)]);
    const m = of(await runCheck(check, malformed), A);
    expect(m).toMatchObject({ status: 'ERROR', messageId: 'scpMalformed', data: { account: A, policy: 'Broken', policyId: 'p-broken', problem: expect.any(String) } });

    const noIam = snapshot({
      organization: organization({ managementAccountId: MGMT, ous: [{ id: 'ou-workloads', name: 'W', accounts: [A] }], scps: [denyScp(breakGlass)] }),
      accounts: [account(A, { iam: unreadable('AccessDenied', 'GetAccountAuthorizationDetails') })],
    });
    expect(of(await runCheck(check, noIam), A)).toMatchObject({
      status: 'ERROR',
      messageId: 'core.cannotDecide',
      data: { code: 'AccessDenied', operation: 'GetAccountAuthorizationDetails' },
    });

    const single = snapshot({ accounts: [account(A, { iam: {} })] });
    expect(of(await runCheck(check, single), A)).toMatchObject({ status: 'ERROR', messageId: 'noOrganizationData', data: { account: A } });
  });

  it('NOT_APPLICABLE: a standalone account (Organizations not in use) cannot have SCPs, and says why', async () => {
    const standalone = snapshot({ accounts: [account(A, { iam: {} })] });
    standalone.organization = { error: { code: 'AWSOrganizationsNotInUseException', message: 'not in use', operation: 'DescribeOrganization', accountId: A } };
    expect(of(await runCheck(check, standalone), A)).toMatchObject({
      status: 'NOT_APPLICABLE',
      messageId: 'standalone',
      data: { account: A },
      evidence: { organization: 'AWSOrganizationsNotInUseException' },
    });
    // Any other failure to read the organization stays an ERROR.
    standalone.organization = { error: { code: 'AccessDeniedException', message: 'denied', operation: 'DescribeOrganization', accountId: A } };
    expect(of(await runCheck(check, standalone), A)).toMatchObject({
      status: 'ERROR',
      messageId: 'core.cannotDecide',
      data: { code: 'AccessDeniedException', operation: 'DescribeOrganization' },
    });
  });

  it('FAIL: a scanned account outside the organization has no SCP to protect it', async () => {
    const outside = snapshot({
      organization: organization({ managementAccountId: MGMT, ous: [{ id: 'ou-workloads', name: 'W', accounts: [A] }], scps: [denyScp(breakGlass)] }),
      accounts: [account(MGMT, { iam: {} }), account(A, { iam: { roles: roles('BreakGlass') } }), account(B, { iam: { roles: roles('Ops') } })],
    });
    // The builder puts every account in the organization; B is scanned, but not one of its members.
    const org = outside.organization?.value;
    if (org) org.accounts = org.accounts.filter((a) => a.id !== B);
    const findings = await runCheck(check, outside);
    expect(of(findings, B)).toMatchObject({ status: 'FAIL', messageId: 'notInOrganization', data: { account: B } });
    expect(of(findings, A)?.messageId).toBe('protected');
  });
});
