/**
 * A real organization's shape, where the emulators are kinder than AWS (issue #13): served by the
 * simulator, collected by the real collector through the real AWS SDK, evaluated by every built-in
 * check loaded from its sources.
 *
 *   111100000001  management    owns the organization trail (created by the delegated administrator:
 *                               AWS makes the management account its owner); no
 *                               OrganizationAccountAccessRole; AWSServiceRoleForCloudTrail (the
 *                               simulator creates it, as CloudTrail does); MgmtAudit trusts security
 *   111100000002  security      CloudTrail delegated administrator; the scanner's caller in the
 *                               delegated-admin scans
 *   111100000003  log-archive   the trail's bucket, whose policy delegates access control to the
 *                               account's access points (s3:DataAccessPointAccount)
 *   111100000004  workload      two trails: one encrypted with a multi-Region replica key (its primary,
 *                               in us-west-2, does not rotate), one with a key in a CloudHSM key store
 *
 * The organization trail delivers in us-east-1 and us-west-2 but fails in eu-west-1 (its bucket policy
 * pins aws:SourceArn to the trail's home region, say): GetTrailStatus answers per region.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { collect } from '@trailwarden/aws';
import { type Finding, type LoadedCheck, SNAPSHOT_SECTIONS, type Snapshot, evaluate, loadPlugin } from '@trailwarden/core';
import { type World, startSimulator } from '@trailwarden/sim';
import { beforeAll, describe, expect, it } from 'vitest';
import { runWithSimulator } from './helpers.js';

const ROOT = resolve(import.meta.dirname, '..');
const NOW = new Date('2026-11-21T16:00:00Z');
const RECENT = '2026-11-21T15:30:00Z';

const MGMT = '111100000001';
const SECURITY = '111100000002';
const ARCHIVE = '111100000003';
const WORKLOAD = '111100000004';
const BUCKET = 'real-org-trail-logs';
const ORG_TRAIL = `arn:aws:cloudtrail:us-east-1:${MGMT}:trail/org-trail`;
const MRK = 'mrk-0123456789abcdef0123456789abcdef';
const PRIMARY_KEY = `arn:aws:kms:us-west-2:${WORKLOAD}:key/${MRK}`;
const REPLICA_KEY = `arn:aws:kms:us-east-1:${WORKLOAD}:key/${MRK}`;
const HSM_ID = '5f0e8a3c-1b2d-4e6f-8a9b-0c1d2e3f4a5b';
const HSM_KEY = `arn:aws:kms:us-east-1:${WORKLOAD}:key/${HSM_ID}`;
const SLR = `arn:aws:iam::${MGMT}:role/aws-service-role/cloudtrail.amazonaws.com/AWSServiceRoleForCloudTrail`;

const readOnly = ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/SecurityAudit'];
const trusting = (...accounts: string[]) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: accounts.map((a) => `arn:aws:iam::${a}:root`) }, Action: 'sts:AssumeRole' }],
});
const auditRole = { name: 'TrailwardenAudit', trustPolicy: trusting(MGMT, SECURITY), managedPolicies: readOnly };
const admin = { name: 'admin', managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'] };

function world(caller: string): World {
  return {
    regions: ['us-east-1', 'us-west-2', 'eu-west-1'],
    organization: {
      id: 'o-realorg001',
      managementAccountId: MGMT,
      delegatedAdministrators: [{ accountId: SECURITY, servicePrincipal: 'cloudtrail.amazonaws.com' }],
      // Being the CloudTrail delegated administrator does not let security read SCPs: the
      // management account delegates that with an Organizations resource-based policy.
      resourcePolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DelegatePolicyReads',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${SECURITY}:root` },
            Action: ['organizations:ListPolicies', 'organizations:DescribePolicy', 'organizations:ListTargetsForPolicy', 'organizations:ListPoliciesForTarget'],
            Resource: '*',
          },
        ],
      },
    },
    caller: { accountId: caller },
    accounts: [
      {
        id: MGMT,
        name: 'management',
        trails: [
          {
            name: 'org-trail',
            homeRegion: 'us-east-1',
            multiRegion: true,
            organization: true,
            bucket: BUCKET,
            logFileValidation: true,
            status: { isLogging: true, latestDeliveryTime: RECENT, latestDigestDeliveryTime: RECENT },
            regionStatus: { 'eu-west-1': { latestDeliveryError: 'AccessDenied', latestDeliveryTime: '2026-11-18T09:00:00Z' } },
          },
        ],
        iam: { users: [admin], roles: [{ name: 'MgmtAudit', trustPolicy: trusting(SECURITY), managedPolicies: readOnly }] },
      },
      { id: SECURITY, name: 'security', iam: { users: [admin], roles: [auditRole] } },
      {
        id: ARCHIVE,
        name: 'log-archive',
        buckets: [
          {
            name: BUCKET,
            region: 'us-east-1',
            policy: {
              Version: '2012-10-17',
              Statement: [
                { Sid: 'CloudTrailWrite', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: `arn:aws:s3:::${BUCKET}/*` },
                // AWS's access-point delegation pattern: access control moves to the owner's access points.
                {
                  Sid: 'DelegateToAccessPoints',
                  Effect: 'Allow',
                  Principal: { AWS: '*' },
                  Action: '*',
                  Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
                  Condition: { StringEquals: { 's3:DataAccessPointAccount': ARCHIVE } },
                },
              ],
            },
            versioning: { status: 'Enabled' },
          },
        ],
        iam: { roles: [auditRole] },
      },
      {
        id: WORKLOAD,
        name: 'workload',
        trails: [
          { name: 'replica-trail', homeRegion: 'us-east-1', bucket: BUCKET, kmsKeyId: REPLICA_KEY, status: { latestDeliveryTime: RECENT } },
          { name: 'hsm-trail', homeRegion: 'us-east-1', bucket: BUCKET, kmsKeyId: HSM_KEY, status: { latestDeliveryTime: RECENT } },
        ],
        kmsKeys: [
          { id: MRK, region: 'us-west-2', multiRegion: true, rotation: false },
          { id: MRK, region: 'us-east-1', multiRegion: true, primaryKeyArn: PRIMARY_KEY, rotation: true },
          { id: HSM_ID, region: 'us-east-1', origin: 'AWS_CLOUDHSM', customKeyStoreId: 'cks-0123456789abcdefg' },
        ],
        iam: { roles: [auditRole] },
      },
    ],
  };
}

let checks: LoadedCheck[];

beforeAll(async () => {
  checks = [];
  for (const dir of readdirSync(join(ROOT, 'checks')).sort()) {
    const plugin = await loadPlugin(join(ROOT, 'checks', dir, 'src', 'index.ts'), ROOT);
    for (const check of plugin.checks) checks.push({ check, plugin: { name: plugin.name }, options: { ...(check.options?.defaults ?? {}) } });
  }
});

interface Scan {
  snapshot: Snapshot;
  findings: Finding[];
  calls: Record<string, number>;
  mutations: number;
}

async function scan(caller: string, options: { managementRoleName?: string } = {}): Promise<Scan> {
  const sim = await startSimulator({ world: world(caller), port: 0 });
  try {
    const snapshot = await collect({
      sections: [...SNAPSHOT_SECTIONS],
      endpointUrl: sim.url,
      credentials: sim.callerCredentials,
      region: 'us-east-1',
      roleName: 'TrailwardenAudit',
      ...options,
      now: () => NOW,
    });
    const counters = sim.counters();
    const findings = (await evaluate(snapshot, { checks, now: NOW })).findings;
    return { snapshot, findings, calls: counters.byOperation, mutations: counters.mutations };
  } finally {
    await sim.stop();
  }
}

/** A scan's verdicts, one line each, comparable across scans. */
const verdicts = (findings: Finding[], keep: (f: Finding) => boolean = () => true) =>
  findings
    .filter(keep)
    .map((f) => `${f.checkId} ${f.resource.arn} ${f.status}${f.messageId ? ` ${f.messageId}` : ''}`)
    .sort();
const about = (findings: Finding[], checkId: string, arn: string) => findings.filter((f) => f.checkId === checkId && f.resource.arn === arn);

let fromManagement: Scan;
let fromDelegatedAdmin: Scan;
let fromDelegatedAdminWithManagementRole: Scan;

beforeAll(async () => {
  fromManagement = await scan(MGMT);
  fromDelegatedAdmin = await scan(SECURITY);
  fromDelegatedAdminWithManagementRole = await scan(SECURITY, { managementRoleName: 'MgmtAudit' });
}, 60_000);

describe('scanning a real organization', () => {
  it('is read-only', () => {
    for (const s of [fromManagement, fromDelegatedAdmin, fromDelegatedAdminWithManagementRole]) expect(s.mutations).toBe(0);
  });

  it('from the management account: its own account is read with the caller credentials, no AssumeRole into itself', () => {
    expect(fromManagement.snapshot.accounts[MGMT]?.access).toEqual({ value: { via: 'caller' } });
    expect(fromManagement.calls['STS.AssumeRole']).toBe(3);
  });

  it('from the delegated administrator with --management-role-name: the same verdicts as from the management account', () => {
    expect(fromDelegatedAdminWithManagementRole.snapshot.accounts[MGMT]?.access).toEqual({ value: { via: 'role', roleArn: `arn:aws:iam::${MGMT}:role/MgmtAudit` } });
    expect(verdicts(fromDelegatedAdminWithManagementRole.findings)).toEqual(verdicts(fromManagement.findings));
  });

  it('from the delegated administrator without a role in the management account: the organization trail is still judged, with the same verdicts', () => {
    expect(fromDelegatedAdmin.snapshot.accounts[MGMT]?.access.error?.code).toBe('AccessDenied');
    // Everything not about the management account itself is judged as from the management account.
    // But not the trail's Event History: StopLogging and DeleteTrail of an organization trail are
    // recorded in the owner's (the management account's) Event History, which this caller cannot read.
    const continuity = (f: Finding) => f.checkId === 'trail-logging-continuity' && f.resource.arn === ORG_TRAIL;
    const notManagement = (f: Finding) => (f.accountId !== MGMT || f.resource.arn === ORG_TRAIL) && !continuity(f);
    expect(verdicts(fromDelegatedAdmin.findings, notManagement)).toEqual(verdicts(fromManagement.findings, notManagement));
    expect(fromDelegatedAdmin.findings.filter(continuity).map((f) => f.status)).toEqual(['ERROR']);
    expect(fromManagement.findings.filter(continuity).map((f) => f.status)).toEqual(['PASS']);
    for (const checkId of ['trail-logging-active', 'trail-log-file-validation', 'trail-insights']) {
      expect(about(fromDelegatedAdmin.findings, checkId, ORG_TRAIL).map((f) => f.status)).not.toContain('ERROR');
    }
    // The workload account is covered by the organization trail, read through the delegated administrator.
    expect(about(fromDelegatedAdmin.findings, 'trail-multi-region', `arn:aws:iam::${WORKLOAD}:root`).map((f) => f.status)).toEqual(['PASS']);
    // Status and selectors were read once, from the caller (the delegated administrator), by ARN.
    const record = fromDelegatedAdmin.snapshot.accounts[SECURITY]?.trails?.value?.find((t) => t.arn === ORG_TRAIL);
    expect(record?.status?.value?.isLogging).toBe(true);
    expect(record?.eventSelectors?.value).toBeDefined();
    for (const id of [ARCHIVE, WORKLOAD]) {
      const seen = fromDelegatedAdmin.snapshot.accounts[id]?.trails?.value?.find((t) => t.arn === ORG_TRAIL);
      expect(seen?.status, id).toBeUndefined();
    }
  });

  it('a region where delivery fails FAILs trail-logging-active, naming that region', () => {
    for (const s of [fromManagement, fromDelegatedAdmin]) {
      const [finding] = about(s.findings, 'trail-logging-active', ORG_TRAIL);
      expect(finding?.status).toBe('FAIL');
      expect(finding?.message).toMatch(/eu-west-1/);
      expect(finding?.message).not.toMatch(/us-west-2/);
    }
    // One GetTrailStatus per covered region, no more: 3 for the organization trail, 1 for each of
    // the workload's two single-region trails.
    expect(fromManagement.calls['CloudTrail.GetTrailStatus']).toBe(3 + 2);
  });

  it('AWSServiceRoleForCloudTrail (only CloudTrail can assume it) is evidence, never a FAIL', () => {
    const roles = fromManagement.snapshot.accounts[MGMT]?.iam?.value?.roles.map((r) => r.arn);
    expect(roles).toContain(SLR);
    expect(about(fromManagement.findings, 'trail-api-least-privilege', SLR)).toEqual([]);
    const flagged = fromManagement.findings.filter((f) => f.checkId === 'trail-api-least-privilege' && JSON.stringify(f.evidence).includes('AWSServiceRoleForCloudTrail'));
    expect(flagged.map((f) => f.status)).not.toContain('FAIL');
  });

  it('a bucket policy delegating to access points (s3:DataAccessPointAccount) is not public, as S3 itself says', () => {
    const bucket = fromManagement.snapshot.accounts[ARCHIVE]?.buckets?.[BUCKET];
    expect(bucket?.policyStatus).toEqual({ value: { isPublic: false } });
    expect(about(fromManagement.findings, 'trail-bucket-not-public', `arn:aws:s3:::${BUCKET}`).map((f) => `${f.status} ${f.messageId}`)).toEqual(['PASS notPublic']);
  });
});

describe('buckets as S3 lists them', () => {
  it('ListBuckets is sent with MaxBuckets, so S3 answers BucketRegion and no GetBucketLocation is needed', () => {
    expect(fromManagement.snapshot.accounts[ARCHIVE]?.buckets?.[BUCKET]?.region).toEqual({ value: 'us-east-1' });
    expect(fromManagement.calls['S3.GetBucketLocation'] ?? 0).toBe(0);
  });
});

describe('keys as KMS has them', () => {
  it('a key in a custom key store is NOT_APPLICABLE for rotation; a replica FAILs with a fix that points at its primary', () => {
    const [hsm] = about(fromManagement.findings, 'trail-kms-key-rotation', HSM_KEY);
    expect(`${hsm?.status} ${hsm?.messageId}`).toBe('NOT_APPLICABLE customKeyStore');
    expect(hsm?.message).toMatch(/custom key store \(origin AWS_CLOUDHSM\)/);
    const [replica] = about(fromManagement.findings, 'trail-kms-key-rotation', REPLICA_KEY);
    expect(`${replica?.status} ${replica?.messageId}`).toBe('FAIL notRotatingReplica');
    expect(replica?.message).toContain(`aws kms enable-key-rotation --key-id ${PRIMARY_KEY} --region us-west-2`);
    expect(fromManagement.snapshot.accounts[WORKLOAD]?.keys?.[REPLICA_KEY]?.metadata?.value).toMatchObject({ multiRegionKeyType: 'REPLICA', primaryKeyArn: PRIMARY_KEY });
  });
});

describe('a single account outside any organization', () => {
  it('org-scp-trail-protection is NOT_APPLICABLE with the reason, and the scan is complete (exit 0)', async () => {
    const standalone: World = { regions: ['us-east-1'], accounts: [{ id: '222200000001', name: 'standalone', iam: { users: [admin] } }] };
    const sim = await startSimulator({ world: standalone, port: 0 });
    try {
      const r = await runWithSimulator(sim, ['scan', '--endpoint-url', sim.url, '--checks', 'org-scp-trail-protection', '--format', 'json', '--quiet']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const report = JSON.parse(readFileSync(join(r.cwd, 'trailwarden-out/trailwarden-report.json'), 'utf8'));
      expect(report.findings.map((f: Finding) => `${f.status} ${f.messageId}`)).toEqual(['NOT_APPLICABLE standalone']);
      expect(report.findings[0].message).toMatch(/AWSOrganizationsNotInUseException/);
      expect(sim.counters().mutations).toBe(0);
    } finally {
      await sim.stop();
    }
  });
});
