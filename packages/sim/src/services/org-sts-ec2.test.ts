import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListDelegatedAdministratorsCommand,
  ListOrganizationalUnitsForParentCommand,
  ListPoliciesCommand,
  ListPoliciesForTargetCommand,
  ListRootsCommand,
  ListTargetsForPolicyCommand,
  paginateListAccounts,
} from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assumeCredentials, clients, clientsAs, DEMO, errorOf } from '../clients.test-util.js';
import { DEMO_WORLD_PATH, type SimServer, startSimulator, type World } from '../index.js';

let sim: SimServer;
beforeAll(async () => {
  sim = await startSimulator({ world: DEMO_WORLD_PATH });
});
afterAll(() => sim.stop());

describe('Organizations', () => {
  it('describes the organization from any member', async () => {
    const org = (await clientsAs(sim, DEMO.sandbox)).organizations;
    const out = await org.send(new DescribeOrganizationCommand({}));
    expect(out.Organization).toMatchObject({ Id: 'o-acme7k2m9q', MasterAccountId: DEMO.management, FeatureSet: 'ALL' });
  });

  it('walks the OU tree from the root', async () => {
    const org = clients(sim).organizations;
    const roots = (await org.send(new ListRootsCommand({}))).Roots!;
    expect(roots.map((r) => r.Id)).toEqual(['r-acm3']);
    const top = (await org.send(new ListOrganizationalUnitsForParentCommand({ ParentId: 'r-acm3' }))).OrganizationalUnits!;
    expect(top.map((o) => o.Name).sort()).toEqual(['Sandbox', 'Security', 'Workloads']);
    const workloads = top.find((o) => o.Name === 'Workloads')!;
    const children = (await org.send(new ListOrganizationalUnitsForParentCommand({ ParentId: workloads.Id }))).OrganizationalUnits!;
    expect(children.map((o) => o.Name).sort()).toEqual(['Dev', 'Prod']);
    const prod = children.find((o) => o.Name === 'Prod')!;
    const accounts = (await org.send(new ListAccountsForParentCommand({ ParentId: prod.Id }))).Accounts!;
    expect(accounts.map((a) => a.Name)).toEqual(['acme-prod-payments', 'acme-prod-web']);
    const atRoot = (await org.send(new ListAccountsForParentCommand({ ParentId: 'r-acm3' }))).Accounts!;
    expect(atRoot.map((a) => a.Id)).toEqual([DEMO.management]);
    expect(await errorOf(org.send(new ListAccountsForParentCommand({ ParentId: 'ou-acm3-00000000' })))).toMatchObject({ name: 'ParentNotFoundException' });
  });

  it('lists SCPs and RCPs with their documents and targets', async () => {
    const org = clients(sim).organizations;
    const scps = (await org.send(new ListPoliciesCommand({ Filter: 'SERVICE_CONTROL_POLICY' }))).Policies!;
    expect(scps.map((p) => p.Name)).toEqual(['FullAWSAccess', 'ProtectCloudTrail', 'DenyEuWest1ForDev']);
    const rcps = (await org.send(new ListPoliciesCommand({ Filter: 'RESOURCE_CONTROL_POLICY' }))).Policies!;
    expect(rcps.map((p) => p.Name)).toEqual(['RCPFullAWSAccess', 'EnforceSecureTransport']);
    const protect = scps.find((p) => p.Name === 'ProtectCloudTrail')!;
    const described = await org.send(new DescribePolicyCommand({ PolicyId: protect.Id }));
    expect(JSON.parse(described.Policy!.Content!).Statement[0].Action).toContain('cloudtrail:StopLogging');
    expect((await org.send(new ListTargetsForPolicyCommand({ PolicyId: protect.Id }))).Targets).toEqual([
      { TargetId: 'r-acm3', Arn: 'arn:aws:organizations::210987654321:root/o-acme7k2m9q/r-acm3', Name: 'Root', Type: 'ROOT' },
    ]);
    const dev = scps.find((p) => p.Name === 'DenyEuWest1ForDev')!;
    expect((await org.send(new ListTargetsForPolicyCommand({ PolicyId: dev.Id }))).Targets?.map((t) => [t.Name, t.Type])).toEqual([['Dev', 'ORGANIZATIONAL_UNIT']]);
    expect(await errorOf(org.send(new DescribePolicyCommand({ PolicyId: 'p-00000000' })))).toMatchObject({ name: 'PolicyNotFoundException' });
  });

  it('lists delegated administrators, once per account, filtered by service', async () => {
    const org = clients(sim).organizations;
    const all = (await org.send(new ListDelegatedAdministratorsCommand({}))).DelegatedAdministrators!;
    expect(all.map((a) => a.Id)).toEqual([DEMO.security]);
    const gd = await org.send(new ListDelegatedAdministratorsCommand({ ServicePrincipal: 'guardduty.amazonaws.com' }));
    expect(gd.DelegatedAdministrators?.[0]?.DelegationEnabledDate).toEqual(new Date('2023-02-01T09:05:00Z'));
    expect((await org.send(new ListDelegatedAdministratorsCommand({ ServicePrincipal: 'cloudtrail.amazonaws.com' }))).DelegatedAdministrators).toEqual([]);
  });

  it('refuses list operations to a member account that is not a delegated administrator', async () => {
    const org = (await clientsAs(sim, DEMO.web)).organizations;
    expect(await errorOf(org.send(new ListAccountsCommand({})))).toMatchObject({ name: 'AccessDeniedException' });
    const admin = (await clientsAs(sim, DEMO.security)).organizations;
    expect((await admin.send(new ListAccountsCommand({}))).Accounts).toHaveLength(6);
  });

  it('refuses SCP reads to a delegated administrator unless the Organizations delegation policy allows them', async () => {
    // security is a delegated administrator (GuardDuty, Security Hub): it may list accounts, not read SCPs.
    const admin = (await clientsAs(sim, DEMO.security)).organizations;
    for (const call of [
      admin.send(new ListPoliciesCommand({ Filter: 'SERVICE_CONTROL_POLICY' })),
      admin.send(new DescribePolicyCommand({ PolicyId: 'p-FullAWSAccess' })),
      admin.send(new ListTargetsForPolicyCommand({ PolicyId: 'p-FullAWSAccess' })),
      admin.send(new ListPoliciesForTargetCommand({ TargetId: DEMO.security, Filter: 'SERVICE_CONTROL_POLICY' })),
    ]) {
      expect(await errorOf(call)).toMatchObject({ name: 'AccessDeniedException', message: "You don't have permissions to access this resource." });
    }
    const world: World = {
      organization: {
        id: 'o-delegate001',
        managementAccountId: '111111111111',
        delegatedAdministrators: [{ accountId: '222222222222', servicePrincipal: 'cloudtrail.amazonaws.com' }],
        resourcePolicy: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: ['organizations:ListPolicies', 'organizations:ListPoliciesForTarget'], Resource: '*' }],
        },
      },
      accounts: [
        { id: '111111111111', name: 'management' },
        { id: '222222222222', name: 'security', iam: { roles: [{ name: 'TrailwardenAudit', trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '111111111111' }, Action: 'sts:AssumeRole' }] } }] } },
      ],
    };
    const delegated = await startSimulator({ world });
    try {
      const org = (await clientsAs(delegated, '222222222222')).organizations;
      expect((await org.send(new ListPoliciesCommand({ Filter: 'SERVICE_CONTROL_POLICY' }))).Policies?.map((p) => p.Name)).toEqual(['FullAWSAccess']);
      expect((await org.send(new ListPoliciesForTargetCommand({ TargetId: '222222222222', Filter: 'SERVICE_CONTROL_POLICY' }))).Policies?.map((p) => p.Name)).toEqual(['FullAWSAccess']);
      // Only the actions the policy names: DescribePolicy is not among them.
      expect(await errorOf(org.send(new DescribePolicyCommand({ PolicyId: 'p-FullAWSAccess' })))).toMatchObject({ name: 'AccessDeniedException' });
    } finally {
      await delegated.stop();
    }
  });

  it('pages ListAccounts by 20 and refuses larger pages', async () => {
    const accounts = Array.from({ length: 45 }, (_, i) => ({ id: String(100000000000 + i), name: `account-${i}` }));
    const world: World = { organization: { id: 'o-bigorg0001', managementAccountId: accounts[0]!.id }, accounts };
    const big = await startSimulator({ world });
    try {
      const org = clients(big).organizations;
      const sizes: number[] = [];
      const ids: string[] = [];
      for await (const page of paginateListAccounts({ client: org }, {})) {
        sizes.push(page.Accounts!.length);
        ids.push(...page.Accounts!.map((a) => a.Id!));
      }
      expect(sizes).toEqual([20, 20, 5]);
      expect(ids).toEqual(accounts.map((a) => a.id));
      expect(await errorOf(org.send(new ListAccountsCommand({ MaxResults: 21 })))).toMatchObject({ name: 'InvalidInputException' });
    } finally {
      await big.stop();
    }
  });

  it('answers AWSOrganizationsNotInUseException without an organization', async () => {
    const solo = await startSimulator({ world: { accounts: [{ id: '111111111111', name: 'solo' }] } });
    try {
      expect(await errorOf(clients(solo).organizations.send(new DescribeOrganizationCommand({})))).toMatchObject({ name: 'AWSOrganizationsNotInUseException' });
    } finally {
      await solo.stop();
    }
  });
});

describe('STS', () => {
  it('identifies the caller, then an assumed role acting in the target account', async () => {
    expect(await clients(sim).sts.send(new GetCallerIdentityCommand({}))).toMatchObject({ Account: DEMO.management, Arn: 'arn:aws:iam::210987654321:user/admin' });
    const member = await clientsAs(sim, DEMO.payments);
    expect(await member.sts.send(new GetCallerIdentityCommand({}))).toMatchObject({
      Account: DEMO.payments,
      Arn: 'arn:aws:sts::536271849003:assumed-role/TrailwardenAudit/trailwarden-test',
    });
  });

  it('chains roles: a role session can assume a role that trusts it', async () => {
    const breakGlass = await assumeCredentials(sim, DEMO.management, 'BreakGlassAdmin');
    const chained = await assumeCredentials(sim, DEMO.logArchive, 'BreakGlassAdmin', breakGlass);
    const out = await clients(sim, { credentials: chained }).sts.send(new GetCallerIdentityCommand({}));
    expect(out.Arn).toBe('arn:aws:sts::318273645501:assumed-role/BreakGlassAdmin/trailwarden-test');
    // The log-archive BreakGlassAdmin trusts only the management BreakGlassAdmin role, not the admin user.
    expect(await errorOf(assumeCredentials(sim, DEMO.logArchive, 'BreakGlassAdmin'))).toMatchObject({ name: 'AccessDenied', status: 403 });
  });

  it('refuses a role that does not exist or does not trust the caller, and checks the external id', async () => {
    expect(await errorOf(assumeCredentials(sim, DEMO.payments, 'NoSuchRole'))).toMatchObject({ name: 'AccessDenied' });
    expect(await errorOf(assumeCredentials(sim, '999999999999', 'TrailwardenAudit'))).toMatchObject({ name: 'AccessDenied' });
    const member = await assumeCredentials(sim, DEMO.payments);
    // A member's TrailwardenAudit trusts the management account, not its peers.
    expect(await errorOf(assumeCredentials(sim, DEMO.web, 'TrailwardenAudit', member))).toMatchObject({ name: 'AccessDenied' });
    expect(await errorOf(assumeCredentials(sim, DEMO.management, 'VendorAuditor'))).toMatchObject({ name: 'AccessDenied' });
    expect(await errorOf(assumeCredentials(sim, DEMO.management, 'VendorAuditor', undefined, 'wrong'))).toMatchObject({ name: 'AccessDenied' });
    const vendor = await assumeCredentials(sim, DEMO.management, 'VendorAuditor', undefined, 'acme-vendor-7731');
    expect(vendor.sessionToken).toBeTruthy();
  });

  it('refuses unknown access keys and session credentials without their token', async () => {
    const bogus = { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x' };
    expect(await errorOf(clients(sim, { credentials: bogus }).sts.send(new GetCallerIdentityCommand({})))).toMatchObject({ name: 'InvalidClientTokenId', status: 403 });
    const session = await assumeCredentials(sim, DEMO.payments);
    const noToken = { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey };
    expect(await errorOf(clients(sim, { credentials: noToken }).sts.send(new GetCallerIdentityCommand({})))).toMatchObject({ name: 'InvalidClientTokenId' });
  });
});

describe('EC2 DescribeRegions', () => {
  it('lists enabled regions with their opt-in status, and all regions on request', async () => {
    const web = (await clientsAs(sim, DEMO.web)).ec2;
    const enabled = (await web.send(new DescribeRegionsCommand({}))).Regions!;
    expect(enabled.map((r) => [r.RegionName, r.OptInStatus])).toEqual([
      ['us-east-1', 'opt-in-not-required'],
      ['us-west-2', 'opt-in-not-required'],
      ['eu-west-1', 'opt-in-not-required'],
      ['af-south-1', 'opted-in'],
    ]);
    const mgmt = clients(sim).ec2;
    expect((await mgmt.send(new DescribeRegionsCommand({}))).Regions?.map((r) => r.RegionName)).toEqual(['us-east-1', 'us-west-2', 'eu-west-1']);
    const all = (await mgmt.send(new DescribeRegionsCommand({ AllRegions: true }))).Regions!;
    expect(all.find((r) => r.RegionName === 'af-south-1')?.OptInStatus).toBe('not-opted-in');
  });

  it('answers AuthFailure in a region not enabled and UnauthorizedOperation in an SCP-denied one', async () => {
    expect(await errorOf(clients(sim, { region: 'af-south-1' }).ec2.send(new DescribeRegionsCommand({})))).toMatchObject({ name: 'AuthFailure', status: 401 });
    const sandbox = (await clientsAs(sim, DEMO.sandbox, 'eu-west-1')).ec2;
    expect(await errorOf(sandbox.send(new DescribeRegionsCommand({})))).toMatchObject({ name: 'UnauthorizedOperation', status: 403 });
  });
});
