import { type Snapshot, isKnown, validateSnapshot } from '@trailwarden/core';
import { describe, expect, it } from 'vitest';
import {
  account,
  advancedSelectors,
  bucket,
  classicSelectors,
  iamGroup,
  iamRole,
  iamUser,
  kmsKey,
  managedPolicy,
  organization,
  policy,
  allow,
  snapshot,
  trail,
  unreadable,
} from './index.js';

const MGMT = '111111111111';
const LOGS = '222222222222';
const PROD = '333333333333';

const trailsOf = (s: Snapshot, id: string) => s.accounts[id]?.trails?.value ?? [];

describe('snapshot builders', () => {
  it('builds a valid single-account snapshot with compliant defaults everywhere', () => {
    const s = snapshot({ accounts: [account(MGMT, { trails: [trail({ name: 'main' })] })] });
    expect(() => validateSnapshot(s)).not.toThrow();
    expect(s.scope.mode).toBe('single-account');
    expect(s.organization).toBeUndefined();
    const [t] = trailsOf(s, MGMT);
    expect(t).toMatchObject({
      arn: `arn:aws:cloudtrail:us-east-1:${MGMT}:trail/main`,
      ownerAccountId: MGMT,
      homeRegion: 'us-east-1',
      isMultiRegionTrail: true,
      isOrganizationTrail: false,
      logFileValidationEnabled: true,
      s3BucketName: `aws-cloudtrail-logs-${MGMT}-main`,
    });
    expect(t?.status?.value?.isLogging).toBe(true);
    expect(Date.parse(s.collectedAt) - Date.parse(t?.status?.value?.latestDeliveryTime ?? '')).toBe(5 * 60_000);
    expect(t?.eventSelectors?.value).toEqual({ eventSelectors: classicSelectors.allManagement() });
    // A multi-region trail is listed in every region, held once.
    expect(s.accounts[MGMT]?.trailListing).toEqual({ 'us-east-1': { value: [t?.arn] }, 'eu-west-1': { value: [t?.arn] } });
    const b = s.accounts[MGMT]?.buckets?.[t?.s3BucketName as string];
    expect(b?.publicAccessBlock?.value).toEqual({ blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true });
    expect(b?.objectLock?.value).toEqual({ enabled: true, defaultRetention: { mode: 'COMPLIANCE', days: 365 } });
    expect(b?.ownershipControls?.value).toBe('BucketOwnerEnforced');
    expect(b?.policyStatus?.value).toEqual({ isPublic: false });
    expect(JSON.stringify(b?.policy?.value)).toContain(t?.arn);
    expect(b?.encryption?.value?.[0]).toMatchObject({ sseAlgorithm: 'aws:kms', kmsMasterKeyId: t?.kmsKeyId });
    const key = s.accounts[MGMT]?.keys?.[t?.kmsKeyId as string];
    expect(key?.metadata?.value).toMatchObject({ keyState: 'Enabled', enabled: true, keyManager: 'CUSTOMER' });
    expect(key?.rotation?.value?.enabled).toBe(true);
    expect(JSON.stringify(key?.policy?.value)).toContain('cloudtrail.amazonaws.com');
  });

  it('is deterministic', () => {
    const build = () => snapshot({ accounts: [account(MGMT, { trails: [trail({ name: 'a' }), trail({ name: 'b', multiRegion: false })], keys: [kmsKey()] })] });
    expect(JSON.stringify(build())).toBe(JSON.stringify(build()));
  });

  it('lists a single-region trail only in its home region', () => {
    const s = snapshot({ accounts: [account(MGMT, { trails: [trail({ name: 'local', multiRegion: false, homeRegion: 'eu-west-1' })] })] });
    expect(s.accounts[MGMT]?.trailListing).toEqual({
      'us-east-1': { value: [] },
      'eu-west-1': { value: [`arn:aws:cloudtrail:eu-west-1:${MGMT}:trail/local`] },
    });
  });

  it('shows an organization trail in every member account, without the selectors only its owner can read', () => {
    const s = snapshot({
      organization: organization({ managementAccountId: MGMT, ous: [{ name: 'Security', accounts: [LOGS] }, { name: 'Prod', parent: 'Security', accounts: [PROD] }] }),
      accounts: [
        account(MGMT, { trails: [trail({ name: 'org', organization: true, bucket: 'org-logs' })] }),
        account(LOGS, { buckets: [bucket('org-logs')] }),
        account(PROD),
      ],
    });
    expect(s.scope.mode).toBe('organization');
    const owner = trailsOf(s, MGMT)[0];
    const member = trailsOf(s, PROD)[0];
    expect(member?.arn).toBe(owner?.arn);
    expect(member?.eventSelectors).toBeUndefined();
    expect(member?.status).toBeUndefined();
    expect(member?.insightSelectors).toBeUndefined();
    expect(owner?.eventSelectors?.value).toBeDefined();
    expect(s.accounts[PROD]?.trailListing?.['eu-west-1']).toEqual({ value: [owner?.arn] });
    // The bucket lives in the log-archive account only, and its policy admits the org trail's paths.
    expect(Object.keys(s.accounts[MGMT]?.buckets ?? {})).toEqual([]);
    expect(JSON.stringify(s.accounts[LOGS]?.buckets?.['org-logs']?.policy?.value)).toContain('AWSLogs/o-abc123def4/*');
    const org = s.organization?.value;
    expect(org?.accounts.find((a) => a.id === PROD)?.ouPath).toEqual(['r-abc1', 'ou-abc1-security', 'ou-abc1-prod0000']);
    expect(org?.accounts.find((a) => a.id === MGMT)?.ouPath).toEqual(['r-abc1']);
    // As in AWS, FullAWSAccess is attached at every level (an SCP must allow at each one); RCPs are off.
    expect(org?.policies.scp.value).toEqual([
      expect.objectContaining({ name: 'FullAWSAccess', awsManaged: true, targets: ['r-abc1', 'ou-abc1-security', 'ou-abc1-prod0000', MGMT, LOGS, PROD] }),
    ]);
    expect(org?.policies.rcp.value).toEqual([]);
    expect(s.accounts[PROD]?.access.value).toEqual({ via: 'role', roleArn: `arn:aws:iam::${PROD}:role/OrganizationAccountAccessRole` });
  });

  it('resolves keys by ARN or id wherever they are defined, and creates missing ones in their owner', () => {
    const keyArn = `arn:aws:kms:us-east-1:${LOGS}:key/11111111-2222-4333-a444-555555555555`;
    const s = snapshot({
      organization: organization({ managementAccountId: MGMT }),
      accounts: [
        account(MGMT, { trails: [trail({ name: 'a', kmsKey: keyArn }), trail({ name: 'b', kmsKey: 'shared' }), trail({ name: 'c', kmsKey: null })] }),
        account(LOGS, { keys: [kmsKey({ id: 'shared', region: 'eu-west-1' })] }),
      ],
    });
    const [a, b, c] = trailsOf(s, MGMT);
    expect(a?.kmsKeyId).toBe(keyArn);
    expect(s.accounts[LOGS]?.keys?.[keyArn]?.keyId).toBe('11111111-2222-4333-a444-555555555555');
    expect(b?.kmsKeyId).toBe(`arn:aws:kms:eu-west-1:${LOGS}:key/shared`);
    expect(c?.kmsKeyId).toBeUndefined();
    expect(Object.keys(s.accounts[MGMT]?.keys ?? {})).toEqual([]);
  });

  it('leaves buckets and keys out when asked, or when their owner was not scanned, and names them in `unresolved`', () => {
    const foreign = 'arn:aws:kms:us-east-1:999999999999:key/abc';
    const s = snapshot({
      accounts: [
        account(MGMT, {
          trails: [
            trail({ name: 'a', bucket: 'elsewhere', unresolved: { bucket: true } }),
            trail({ name: 'b', kmsKey: foreign }),
            trail({ name: 'c', bucket: 'denied', unresolved: { bucket: unreadable('AccessDenied', 'ListBuckets') } }),
          ],
        }),
      ],
    });
    expect(s.unresolved?.buckets?.elsewhere).toMatchObject({ code: 'BucketOutOfScope', message: expect.stringContaining('outside the scanned accounts') });
    expect(s.unresolved?.buckets?.denied).toMatchObject({ code: 'AccessDenied', operation: 'ListBuckets', accountId: MGMT });
    expect(s.unresolved?.keys?.[foreign]).toMatchObject({ code: 'KeyOutOfScope', accountId: '999999999999' });
    expect(s.accounts[MGMT]?.buckets?.elsewhere).toBeUndefined();
  });

  it('marks unreadable data as Known errors filled with the account and region', () => {
    const s = snapshot({
      accounts: [
        account(MGMT, {
          deniedRegions: ['eu-west-1'],
          trails: [trail({ name: 't', status: unreadable('AccessDenied', 'GetTrailStatus'), eventSelectors: unreadable('ThrottlingException', 'GetEventSelectors') })],
          buckets: [bucket('bkt', { policy: unreadable('AccessDenied', 'GetBucketPolicy'), objectLock: null })],
          iam: unreadable('AccessDenied', 'GetAccountAuthorizationDetails'),
        }),
        account(LOGS, { access: unreadable('AccessDenied', 'AssumeRole') }),
        account(PROD, { deniedRegions: ['us-east-1', 'eu-west-1'] }),
      ],
    });
    const t = trailsOf(s, MGMT)[0];
    expect(t?.status?.error).toMatchObject({ code: 'AccessDenied', operation: 'GetTrailStatus', accountId: MGMT, region: 'us-east-1' });
    expect(t?.eventSelectors?.error?.message).toBe('Rate exceeded');
    expect(s.accounts[MGMT]?.trailListing?.['eu-west-1']?.error).toMatchObject({ code: 'AccessDenied', operation: 'DescribeTrails', region: 'eu-west-1' });
    expect(s.accounts[MGMT]?.buckets?.bkt?.policy?.error).toMatchObject({ operation: 'GetBucketPolicy', region: 'us-east-1' });
    expect(s.accounts[MGMT]?.buckets?.bkt?.objectLock).toEqual({ value: null });
    expect(s.accounts[MGMT]?.iam?.error?.operation).toBe('GetAccountAuthorizationDetails');
    expect(s.accounts[LOGS]).toEqual({ id: LOGS, access: { error: expect.objectContaining({ code: 'AccessDenied', operation: 'AssumeRole', accountId: LOGS }) } });
    expect(s.accounts[PROD]?.trails?.error).toMatchObject({ operation: 'DescribeTrails' });
    expect(s.scope.mode).toBe('fixture');
  });

  it('leaves out the data of sections that were not collected', () => {
    const s = snapshot({ sections: ['trailStatus'], accounts: [account(MGMT, { trails: [trail({ name: 't' })] })] });
    expect(s.sections).toEqual(['regions', 'trails', 'trailStatus']);
    const t = trailsOf(s, MGMT)[0];
    expect(t?.status).toBeDefined();
    expect(t?.eventSelectors).toBeUndefined();
    expect(s.accounts[MGMT]?.buckets).toBeUndefined();
    expect(s.accounts[MGMT]?.iam).toBeUndefined();
  });

  it('accepts advanced selectors and raw responses, and refuses mixing kinds', () => {
    const s = snapshot({
      accounts: [
        account(MGMT, {
          trails: [
            trail({ name: 'adv', eventSelectors: [...advancedSelectors.management({ readOnly: false }), ...advancedSelectors.s3Data({ bucket: 'x' })] }),
            trail({ name: 'raw', eventSelectors: { eventSelectors: [] } }),
          ],
        }),
      ],
    });
    const [adv, raw] = trailsOf(s, MGMT);
    expect(adv?.hasCustomEventSelectors).toBe(true);
    expect(adv?.eventSelectors?.value?.advancedEventSelectors?.[1]?.fieldSelectors).toContainEqual({ field: 'resources.ARN', startsWith: ['arn:aws:s3:::x/'] });
    expect(raw?.eventSelectors?.value).toEqual({ eventSelectors: [] });
    expect(() =>
      snapshot({ accounts: [account(MGMT, { trails: [trail({ name: 'm', eventSelectors: [...classicSelectors.allManagement(), ...advancedSelectors.managementAll()] as never })] })] }),
    ).toThrow(/mixes classic and advanced/);
  });

  it('builds IAM principals with ARNs, ids, groups and managed policies (AWS managed ones by name)', () => {
    const s = snapshot({
      accounts: [
        account(MGMT, {
          iam: {
            users: [iamUser('alice', { groups: ['admins'], tags: { team: 'sec' } })],
            groups: [iamGroup('admins', { attachedPolicies: ['AdministratorAccess'] })],
            roles: [iamRole('Auditor', { attachedPolicies: ['audit'], inlinePolicies: { read: policy(allow('cloudtrail:Get*')) } })],
            policies: [managedPolicy('audit', policy(allow('cloudtrail:Describe*')), { path: '/sec/' })],
          },
        }),
      ],
    });
    const iam = s.accounts[MGMT]?.iam;
    expect(isKnown(iam)).toBe(true);
    expect(iam?.value?.users[0]).toMatchObject({ arn: `arn:aws:iam::${MGMT}:user/alice`, groups: ['admins'], tags: [{ key: 'team', value: 'sec' }] });
    expect(iam?.value?.users[0]?.id).toMatch(/^AIDA[0-9A-F]{17}$/);
    expect(iam?.value?.roles[0]?.attachedPolicies).toEqual([{ arn: `arn:aws:iam::${MGMT}:policy/sec/audit`, name: 'audit' }]);
    expect(iam?.value?.policies.map((p) => p.arn)).toEqual(['arn:aws:iam::111111111111:policy/sec/audit', 'arn:aws:iam::aws:policy/AdministratorAccess']);
    expect(() => snapshot({ accounts: [account(MGMT, { iam: { users: [iamUser('bob', { attachedPolicies: ['NoSuchPolicy'] })] } })] })).toThrow(
      /user bob attaches "NoSuchPolicy".*managedPolicy\('NoSuchPolicy', document\)/,
    );
    expect(() => snapshot({ accounts: [account(MGMT, { iam: { users: [iamUser('bob', { groups: ['ghosts'] })] } })] })).toThrow(/group "ghosts", which is not defined/);
  });

  it('derives logging from a given status, marks opt-in regions, builds trust policies and keeps extensions', () => {
    const s = snapshot({
      accounts: [
        account(MGMT, {
          regions: ['us-east-1', 'af-south-1'],
          trails: [trail({ name: 'stopped', status: { isLogging: false } })],
          iam: { roles: [iamRole('Cross', { trust: [LOGS, 'arn:aws:iam::333333333333:role/Ops', 'lambda.amazonaws.com'] }), iamRole('Self')] },
        }),
      ],
      extensions: { '@acme/x': { 'alarms/111111111111/us-east-1': { value: [] } } },
    });
    const status = trailsOf(s, MGMT)[0]?.status?.value;
    expect(status?.isLogging).toBe(false);
    expect(status?.stopLoggingTime).toBeDefined();
    expect(s.accounts[MGMT]?.regions?.value?.map((r) => `${r.name}:${r.optInStatus}`)).toEqual(['us-east-1:opt-in-not-required', 'af-south-1:opted-in']);
    const [cross, self] = s.accounts[MGMT]?.iam?.value?.roles ?? [];
    expect(cross?.assumeRolePolicy).toEqual(
      policy({
        Effect: 'Allow',
        Principal: { AWS: [`arn:aws:iam::${LOGS}:root`, 'arn:aws:iam::333333333333:role/Ops'], Service: 'lambda.amazonaws.com' },
        Action: 'sts:AssumeRole',
      }),
    );
    expect(self?.assumeRolePolicy).toEqual(policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MGMT}:root` }, Action: 'sts:AssumeRole' }));
    expect(s.extensions).toEqual({ '@acme/x': { 'alarms/111111111111/us-east-1': { value: [] } } });
  });

  it('refuses impossible setups with a message saying what to change', () => {
    expect(() => snapshot({ accounts: [account(MGMT, { trails: [trail({ name: 'o', organization: true })] })] })).toThrow(/has no organization/);
    expect(() =>
      snapshot({ organization: organization({ managementAccountId: MGMT }), accounts: [account(MGMT), account(PROD, { trails: [trail({ name: 'o', organization: true })] })] }),
    ).toThrow(/only the management account/);
    expect(() => snapshot({ accounts: [account(MGMT, { buckets: [bucket('bkt')] }), account(LOGS, { buckets: [bucket('bkt')] })] })).toThrow(/bucket names are global/);
    expect(() => snapshot({ accounts: [account(MGMT, { deniedRegions: ['ap-south-1'] })] })).toThrow(/not one of its regions/);
    expect(() => snapshot({ accounts: [account(MGMT, { trails: [trail({ name: 't', homeRegion: 'ap-south-1' })] })] })).toThrow(
      /trail t has home region ap-south-1, which is not one of the account's regions \(us-east-1, eu-west-1\)/,
    );
    expect(() => account('123')).toThrow(/12 digits/);
    expect(() => bucket('Bad_Name')).toThrow(/not a valid S3 bucket name/);
  });

  it('lets a delegated administrator own an organization trail, and resolves SCP targets by OU name', () => {
    const s = snapshot({
      organization: organization({
        managementAccountId: MGMT,
        delegatedAdministrators: [{ accountId: LOGS, servicePrincipal: 'cloudtrail.amazonaws.com' }],
        ous: [{ name: 'Workloads', accounts: [PROD] }],
        scps: [{ name: 'protect-trails', document: policy({ Effect: 'Deny', Action: 'cloudtrail:StopLogging', Resource: '*' }), targets: ['Workloads', PROD] }],
      }),
      accounts: [account(MGMT), account(LOGS, { trails: [trail({ name: 'org', organization: true })] }), account(PROD)],
    });
    expect(trailsOf(s, MGMT).map((t) => t.name)).toEqual(['org']);
    expect(s.organization?.value?.policies.scp.value?.[1]).toMatchObject({ name: 'protect-trails', targets: ['ou-abc1-workload', PROD] });
    const withRcps = snapshot({ organization: organization({ managementAccountId: MGMT, rcps: [] }), accounts: [account(MGMT)] });
    expect(withRcps.organization?.value?.policies.rcp.value?.map((p) => `${p.name} ${p.targets.join(',')}`)).toEqual([`RCPFullAWSAccess r-abc1,${MGMT}`]);
    const bare = snapshot({ organization: organization({ managementAccountId: MGMT, fullAWSAccess: false, scps: unreadable('AccessDenied', 'ListPolicies') }), accounts: [account(MGMT)] });
    expect(bare.organization?.value?.policies.scp.error).toMatchObject({ code: 'AccessDenied', accountId: MGMT });
  });
});
