/**
 * The root user, unreadable SCPs and region-deny SCPs (issue #13 items 5, 8, 11), the whole way a
 * user's scan goes: a world served by the simulator, collected by the real collector through the
 * real AWS SDK, evaluated by every built-in check loaded from its sources.
 *
 *   121200000001  management   caller of the management scans; owns a trail; its root user has an
 *                              access key (GetAccountSummary AccountAccessKeysPresent = 1)
 *   121200000002  guarded      OU Guarded: an SCP denies the tamper actions to everyone but
 *                              role/BreakGlass (so to root too), and a Control Tower-style SCP denies
 *                              every region but us-east-1 (aws:RequestedRegion)
 *   121200000003  open         OU Open: no SCP but FullAWSAccess; its root can tamper with its trail
 *   121200000004  security     CloudTrail delegated administrator: the caller of the delegated scans
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { collect } from '@trailwarden/aws';
import { type Finding, type LoadedCheck, SNAPSHOT_SECTIONS, type Snapshot, computeCoverage, evaluate, loadPlugin } from '@trailwarden/core';
import { type InjectionOptions, type World, startSimulator } from '@trailwarden/sim';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const NOW = new Date('2026-11-21T16:00:00Z');
const RECENT = '2026-11-21T15:30:00Z';
const MGMT = '121200000001';
const GUARDED = '121200000002';
const OPEN = '121200000003';
const SECURITY = '121200000004';
const LP = 'trail-api-least-privilege';
const SCP = 'org-scp-trail-protection';
const rootOf = (a: string) => `arn:aws:iam::${a}:root`;
const roleOf = (a: string, name: string) => `arn:aws:iam::${a}:role/${name}`;

const TAMPER = [
  'cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail', 'cloudtrail:PutEventSelectors', 'cloudtrail:PutInsightSelectors',
  's3:DeleteObject*', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy', 's3:PutLifecycleConfiguration', 's3:PutBucketVersioning',
  's3:PutBucketObjectLockConfiguration', 's3:DeleteBucket', 'kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:PutKeyPolicy',
];
const readOnly = ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/SecurityAudit'];
const auditRole = {
  name: 'TrailwardenAudit',
  trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: [rootOf(MGMT), rootOf(SECURITY)] }, Action: 'sts:AssumeRole' }] },
  managedPolicies: readOnly,
};
const adminRole = { name: 'Admin', trustPolicy: auditRole.trustPolicy, managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'] };
const trail = (account: string) => ({
  name: `trail-${account}`,
  homeRegion: 'us-east-1',
  multiRegion: true,
  bucket: `logs-${account}`,
  logFileValidation: true,
  status: { isLogging: true, latestDeliveryTime: RECENT, latestDigestDeliveryTime: RECENT },
});
const bucket = (account: string) => ({ name: `logs-${account}`, region: 'us-east-1' });
const DELEGATION = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: rootOf(SECURITY) },
      Action: ['organizations:ListPolicies', 'organizations:DescribePolicy', 'organizations:ListTargetsForPolicy', 'organizations:ListPoliciesForTarget'],
      Resource: '*',
    },
  ],
};

function world(caller: string, delegation = false): World {
  return {
    regions: ['us-east-1', 'eu-west-1', 'eu-central-1'],
    organization: {
      id: 'o-scproot001',
      managementAccountId: MGMT,
      ous: ['Guarded', 'Open'],
      delegatedAdministrators: [{ accountId: SECURITY, servicePrincipal: 'cloudtrail.amazonaws.com' }],
      ...(delegation ? { resourcePolicy: DELEGATION } : {}),
      policies: [
        {
          name: 'DenyLogTampering',
          type: 'SERVICE_CONTROL_POLICY',
          targets: ['Guarded'],
          document: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Deny', Action: TAMPER, Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/BreakGlass' } } }],
          },
        },
        {
          // AWS Control Tower's Region deny control, abridged: global services stay reachable.
          name: 'RegionDeny',
          type: 'SERVICE_CONTROL_POLICY',
          targets: ['Guarded'],
          document: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'GRREGIONDENY',
                Effect: 'Deny',
                NotAction: ['iam:*', 'organizations:*', 'sts:*', 'support:*'],
                Resource: '*',
                Condition: { StringNotEquals: { 'aws:RequestedRegion': ['us-east-1'] }, ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/AWSControlTowerExecution'] } },
              },
            ],
          },
        },
      ],
    },
    caller: { accountId: caller },
    accounts: [
      {
        id: MGMT,
        name: 'management',
        trails: [trail(MGMT)],
        buckets: [bucket(MGMT)],
        rootUser: { accessKeysPresent: true, mfaEnabled: true },
        iam: { roles: [auditRole] },
      },
      { id: GUARDED, name: 'guarded', ou: 'Guarded', trails: [trail(GUARDED)], buckets: [bucket(GUARDED)], iam: { roles: [auditRole, adminRole] } },
      { id: OPEN, name: 'open', ou: 'Open', trails: [trail(OPEN)], buckets: [bucket(OPEN)], iam: { roles: [auditRole] } },
      { id: SECURITY, name: 'security', ou: 'Open', iam: { roles: [auditRole] } },
    ],
  };
}

let checks: LoadedCheck[];

interface Scan {
  snapshot: Snapshot;
  findings: Finding[];
}

async function scan(caller: string, options: { delegation?: boolean; inject?: InjectionOptions } = {}): Promise<Scan> {
  const sim = await startSimulator({ world: world(caller, options.delegation), port: 0, ...(options.inject ? { inject: options.inject } : {}) });
  try {
    const snapshot = await collect({ sections: [...SNAPSHOT_SECTIONS], endpointUrl: sim.url, credentials: sim.callerCredentials, region: 'us-east-1', roleName: 'TrailwardenAudit', now: () => NOW });
    expect(sim.counters().mutations).toBe(0);
    return { snapshot, findings: (await evaluate(snapshot, { checks, now: NOW })).findings };
  } finally {
    await sim.stop();
  }
}

const about = (s: Scan, checkId: string, arn: string) => s.findings.filter((f) => f.checkId === checkId && f.resource.arn === arn);
const statuses = (s: Scan, checkId: string, arn: string) => about(s, checkId, arn).map((f) => `${f.status}${f.messageId ? ` ${f.messageId}` : ''}`);

let fromManagement: Scan;
let fromDelegatedAdmin: Scan;
let fromDelegatedAdminWithDelegation: Scan;

beforeAll(async () => {
  checks = [];
  for (const dir of readdirSync(join(ROOT, 'checks')).sort()) {
    const plugin = await loadPlugin(join(ROOT, 'checks', dir, 'src', 'index.ts'), ROOT);
    for (const check of plugin.checks) checks.push({ check, plugin: { name: plugin.name }, options: { ...(check.options?.defaults ?? {}) } });
  }
  fromManagement = await scan(MGMT);
  fromDelegatedAdmin = await scan(SECURITY);
  fromDelegatedAdminWithDelegation = await scan(SECURITY, { delegation: true });
}, 60_000);

describe('the root user (item 5)', () => {
  it('GetAccountSummary is read into the snapshot: the world\'s root credentials, through the SDK', () => {
    expect(fromManagement.snapshot.accounts[MGMT]?.rootUser).toEqual({ value: { accessKeysPresent: true, mfaEnabled: true } });
    expect(fromManagement.snapshot.accounts[OPEN]?.rootUser).toEqual({ value: { accessKeysPresent: false, mfaEnabled: true } });
  });

  it('management account: SCPs cannot restrict its root, so the access key is the FAIL, and the fix is to delete it', () => {
    const [f] = about(fromManagement, LP, rootOf(MGMT));
    expect(`${f?.status} ${f?.messageId}`).toBe('FAIL rootUnsecured');
    expect(f?.message).toMatch(/SCPs never restrict the management account.*has access keys/);
    expect(f?.message).toMatch(/delete its access keys/);
    expect(f?.message).not.toMatch(/remove these actions/);
  });

  it('member without a root-denying SCP: FAIL with the SCP fix (aws:PrincipalArn like root), never "edit its policies"', () => {
    const [f] = about(fromManagement, LP, rootOf(OPEN));
    expect(`${f?.status} ${f?.messageId}`).toBe('FAIL rootNotDenied');
    expect(f?.message).toContain('arn:aws:iam::*:root');
    expect(f?.message).not.toMatch(/remove these actions/);
    expect(JSON.parse(String(f?.evidence.fixScp)).Statement[0].Condition).toEqual({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:root' } });
  });

  it('member whose SCP denies the tamper actions to root: the account PASSes with that evidence', () => {
    expect(statuses(fromManagement, LP, rootOf(GUARDED))).toEqual(['PASS noTamper']);
    expect(about(fromManagement, LP, rootOf(GUARDED))[0]?.evidence.rootUser).toEqual({ canTamper: false, why: expect.stringContaining('no tamper action') });
  });
});

describe('SCPs that could not be read are not "no SCPs" (item 8)', () => {
  it('the CloudTrail delegated administrator cannot read SCPs: ListPolicies is AccessDenied, as on AWS', () => {
    const scp = fromDelegatedAdmin.snapshot.organization?.value?.policies.scp;
    expect(scp?.error).toMatchObject({ code: 'AccessDeniedException', operation: 'ListPolicies' });
    // It still reads the organization's structure (accounts, OUs) as a delegated administrator.
    expect(Object.keys(fromDelegatedAdmin.snapshot.accounts).sort()).toEqual([MGMT, GUARDED, OPEN, SECURITY]);
  });

  it('verdicts that depend on SCPs are ERROR, not FAIL computed as if there were none', () => {
    // Guarded's admin is denied by the SCP (no finding from the management scan)...
    expect(statuses(fromManagement, LP, roleOf(GUARDED, 'Admin'))).toEqual([]);
    // ...and unknown from the delegated administrator, which cannot see the SCP.
    const [admin] = about(fromDelegatedAdmin, LP, roleOf(GUARDED, 'Admin'));
    expect(admin?.status).toBe('ERROR');
    expect(admin?.message).toMatch(/the SCPs could not be read \(ListPolicies: AccessDeniedException/);
    expect(statuses(fromDelegatedAdmin, LP, rootOf(OPEN))).toEqual(['ERROR orgPoliciesUnknown']);
    for (const account of [GUARDED, OPEN]) {
      const [f] = about(fromDelegatedAdmin, SCP, rootOf(account));
      expect(f?.status).toBe('ERROR');
      expect(f?.message).toMatch(/delegation policy/);
    }
    // SCPs never restrict the management account: its verdicts stand without them.
    expect(statuses(fromDelegatedAdmin, SCP, rootOf(MGMT))).toEqual(['NOT_APPLICABLE managementAccount']);
    expect(statuses(fromDelegatedAdmin, LP, rootOf(MGMT))).toEqual(['FAIL rootUnsecured']);
  });

  it('with an Organizations delegation policy, the delegated administrator reads SCPs and gets the management scan\'s verdicts', () => {
    expect(fromDelegatedAdminWithDelegation.snapshot.organization?.value?.policies.scp.value?.map((p) => p.name).sort()).toEqual(['DenyLogTampering', 'FullAWSAccess', 'RegionDeny']);
    const tamper = (f: Finding) => f.checkId === LP || f.checkId === SCP;
    const lines = (s: Scan) => s.findings.filter(tamper).map((f) => `${f.checkId} ${f.resource.arn} ${f.status} ${f.messageId ?? ''}`).sort();
    expect(lines(fromDelegatedAdminWithDelegation)).toEqual(lines(fromManagement));
  });
});

describe('region-deny SCPs (item 11)', () => {
  it('the simulator answers DescribeTrails in a denied region with AWS\'s SCP message', () => {
    const denied = fromManagement.snapshot.accounts[GUARDED]?.governedOutRegions;
    expect(Object.keys(denied ?? {}).sort()).toEqual(['eu-central-1', 'eu-west-1']);
    expect(denied?.['eu-west-1']).toMatchObject({
      code: 'AccessDeniedException',
      operation: 'DescribeTrails',
      message: `User: arn:aws:sts::${GUARDED}:assumed-role/TrailwardenAudit/trailwarden is not authorized to perform: cloudtrail:DescribeTrails with an explicit deny in a service control policy`,
    });
  });

  it('is recorded as governed out, said once for the account, and neither an ERROR per region nor an incomplete scan', () => {
    const s = fromManagement;
    expect(Object.keys(s.snapshot.accounts[GUARDED]?.trailListing ?? {})).toEqual(['us-east-1']);
    const notes = (s.snapshot.scope.notes ?? []).filter((n) => n.includes(GUARDED));
    expect(notes).toEqual([`Account ${GUARDED}: regions eu-central-1, eu-west-1 are governed out by a service control policy (DescribeTrails: explicit deny in a service control policy); nothing was read there.`]);
    // (trail-log-integrity is opt-in: without --verify-logs it says so as an ERROR, wherever the trail is.)
    expect(s.findings.filter((f) => f.status === 'ERROR' && f.accountId === GUARDED && f.checkId !== 'trail-log-integrity').map((f) => `${f.checkId} ${f.message}`)).toEqual([]);
    expect(computeCoverage(s.snapshot).errors).toEqual([]);
    expect(computeCoverage(s.snapshot).complete).toBe(true);
    // The account is judged on what it has: its multi-region trail covers it.
    expect(statuses(s, 'trail-multi-region', rootOf(GUARDED))).toEqual(['PASS covered']);
  });

  it('a region denied for reasons we cannot see (a plain AccessDenied) stays an ERROR and the scan incomplete', async () => {
    const s = await scan(MGMT, { inject: { accessDenied: [{ operation: 'DescribeTrails', accountId: OPEN, region: 'eu-west-1' }] } });
    expect(s.snapshot.accounts[OPEN]?.governedOutRegions).toBeUndefined();
    expect(s.snapshot.accounts[OPEN]?.trailListing?.['eu-west-1']?.error?.code).toBe('AccessDeniedException');
    expect(s.findings.filter((f) => f.status === 'ERROR' && f.accountId === OPEN && f.region === 'eu-west-1').length).toBeGreaterThan(0);
    expect(computeCoverage(s.snapshot).complete).toBe(false);
  });
});
