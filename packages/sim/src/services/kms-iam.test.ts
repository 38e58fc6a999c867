import { GetAccountAuthorizationDetailsCommand, paginateGetAccountAuthorizationDetails } from '@aws-sdk/client-iam';
import { DescribeKeyCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clients, clientsAs, DEMO, errorOf } from '../clients.test-util.js';
import { DEMO_WORLD_PATH, type SimServer, startSimulator, type World } from '../index.js';

let sim: SimServer;
beforeAll(async () => {
  sim = await startSimulator({ world: DEMO_WORLD_PATH });
});
afterAll(() => sim.stop());

const ORG_KEY = 'arn:aws:kms:us-east-1:318273645501:key/7d3f6a9e-2b41-4c8e-9f15-0a6b2c4d8e11';

describe('KMS', () => {
  it('describes a key by id, alias and ARN', async () => {
    const kms = (await clientsAs(sim, DEMO.logArchive)).kms;
    for (const keyId of ['7d3f6a9e-2b41-4c8e-9f15-0a6b2c4d8e11', 'alias/cloudtrail-org', ORG_KEY, 'arn:aws:kms:us-east-1:318273645501:alias/cloudtrail-org']) {
      const out = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
      expect(out.KeyMetadata).toMatchObject({ Arn: ORG_KEY, AWSAccountId: DEMO.logArchive, KeyState: 'Enabled', Enabled: true, KeyManager: 'CUSTOMER', KeySpec: 'SYMMETRIC_DEFAULT' });
    }
    expect((await kms.send(new GetKeyRotationStatusCommand({ KeyId: ORG_KEY })))).toMatchObject({ KeyRotationEnabled: true, RotationPeriodInDays: 365 });
    const policy = JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId: ORG_KEY, PolicyName: 'default' }))).Policy!);
    expect(policy.Statement[1].Sid).toBe('Allow CloudTrail to encrypt logs');
  });

  it('reports disabled and pending-deletion keys', async () => {
    const security = (await clientsAs(sim, DEMO.security, 'us-west-2')).kms;
    const disabled = await security.send(new DescribeKeyCommand({ KeyId: '1c9e4b72-5a3d-4f80-b6e2-93d17a0c5f42' }));
    expect(disabled.KeyMetadata).toMatchObject({ KeyState: 'Disabled', Enabled: false });
    const payments = (await clientsAs(sim, DEMO.payments)).kms;
    const pending = await payments.send(new DescribeKeyCommand({ KeyId: '5b0e8c31-7f4a-4d2b-a1c6-e8f902b3d774' }));
    expect(pending.KeyMetadata).toMatchObject({ KeyState: 'PendingDeletion', Enabled: false, DeletionDate: new Date('2026-12-01T00:00:00Z') });
    expect((await payments.send(new GetKeyRotationStatusCommand({ KeyId: '5b0e8c31-7f4a-4d2b-a1c6-e8f902b3d774' }))).KeyRotationEnabled).toBe(false);
  });

  it("lets another account describe a key when the key policy allows it, never read its policy", async () => {
    const mgmt = clients(sim).kms;
    expect((await mgmt.send(new DescribeKeyCommand({ KeyId: ORG_KEY }))).KeyMetadata?.KeyState).toBe('Enabled');
    expect(await errorOf(mgmt.send(new GetKeyPolicyCommand({ KeyId: ORG_KEY })))).toMatchObject({ name: 'AccessDeniedException' });
    const web = (await clientsAs(sim, DEMO.web)).kms;
    expect(await errorOf(web.send(new DescribeKeyCommand({ KeyId: ORG_KEY })))).toMatchObject({ name: 'AccessDeniedException' });
  });

  it('answers NotFoundException for an unknown key or a key of another region', async () => {
    const kms = (await clientsAs(sim, DEMO.logArchive, 'us-west-2')).kms;
    expect(await errorOf(kms.send(new DescribeKeyCommand({ KeyId: '7d3f6a9e-2b41-4c8e-9f15-0a6b2c4d8e11' })))).toMatchObject({ name: 'NotFoundException' });
    expect(await errorOf(kms.send(new DescribeKeyCommand({ KeyId: ORG_KEY })))).toMatchObject({ name: 'NotFoundException' });
  });
});

describe('IAM GetAccountAuthorizationDetails', () => {
  it('returns users, groups, roles and policies with URL-encoded documents', async () => {
    const iam = (await clientsAs(sim, DEMO.security)).iam;
    const out = await iam.send(new GetAccountAuthorizationDetailsCommand({}));
    expect(out.IsTruncated).toBe(false);
    const user = out.UserDetailList?.[0];
    expect(user).toMatchObject({
      UserName: 'siem-reader',
      Arn: 'arn:aws:iam::427364519802:user/siem-reader',
      GroupList: ['auditors'],
      PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: 'arn:aws:iam::427364519802:policy/ReadOnlyBoundary' },
    });
    const group = out.GroupDetailList?.[0];
    expect(group?.AttachedManagedPolicies).toEqual([{ PolicyName: 'SecurityAudit', PolicyArn: 'arn:aws:iam::aws:policy/SecurityAudit' }]);
    const inline = group?.GroupPolicyList?.[0];
    expect(inline?.PolicyName).toBe('ReadTrailLogs');
    // The SDK does not decode: documents arrive URL-encoded, as from AWS.
    expect(inline?.PolicyDocument).toMatch(/^%7B%22Version%22/);
    expect(JSON.parse(decodeURIComponent(inline!.PolicyDocument!)).Statement[0].Action).toEqual(['s3:GetObject', 's3:ListBucket']);
    const role = out.RoleDetailList?.find((r) => r.RoleName === 'TrailwardenAudit');
    expect(JSON.parse(decodeURIComponent(role!.AssumeRolePolicyDocument!)).Statement[0].Principal.AWS).toBe('arn:aws:iam::210987654321:root');
    const boundary = out.Policies?.find((p) => p.PolicyName === 'ReadOnlyBoundary');
    expect(boundary).toMatchObject({ DefaultVersionId: 'v2', PermissionsBoundaryUsageCount: 1, AttachmentCount: 0 });
    expect(boundary?.PolicyVersionList?.map((v) => [v.VersionId, v.IsDefaultVersion])).toEqual([
      ['v1', false],
      ['v2', true],
    ]);
    // AWS managed policies in use are listed too.
    expect(out.Policies?.map((p) => p.PolicyName).sort()).toEqual(['AdministratorAccess', 'ReadOnlyAccess', 'ReadOnlyBoundary', 'SecurityAudit']);
  });

  it('pages with MaxItems and Marker, and filters', async () => {
    const roles = Array.from({ length: 7 }, (_, i) => ({ name: `role-${i}`, trustPolicy: { Version: '2012-10-17', Statement: [] } }));
    const world: World = { accounts: [{ id: '111111111111', name: 'a', iam: { users: [{ name: 'u1' }, { name: 'u2' }], roles } }] };
    const small = await startSimulator({ world });
    try {
      const iam = clients(small).iam;
      const names: string[] = [];
      let pages = 0;
      for await (const page of paginateGetAccountAuthorizationDetails({ client: iam, pageSize: 3 }, {})) {
        pages++;
        names.push(...(page.UserDetailList ?? []).map((u) => u.UserName!), ...(page.RoleDetailList ?? []).map((r) => r.RoleName!));
      }
      expect(pages).toBe(3);
      expect(names).toEqual(['u1', 'u2', ...roles.map((r) => r.name)]);
      const onlyUsers = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['User'] }));
      expect(onlyUsers.UserDetailList).toHaveLength(2);
      expect(onlyUsers.RoleDetailList).toEqual([]);
      expect(await errorOf(iam.send(new GetAccountAuthorizationDetailsCommand({ Marker: 'garbage' })))).toMatchObject({ name: 'ValidationError' });
    } finally {
      await small.stop();
    }
  });
});
