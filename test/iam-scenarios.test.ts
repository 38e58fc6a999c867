/**
 * Scenario tests of the two tamper checks, the whole way a user's scan goes: a world file
 * (test/worlds/iam-scenarios.yaml, one account per scenario) served by the simulator, collected by the
 * real collector through the real AWS SDK, evaluated by trail-api-least-privilege and
 * org-scp-trail-protection. Each "not FAIL" verdict has a control: the same snapshot with the one
 * protection taken away must FAIL, so no assertion here holds merely because a principal was skipped.
 */
import { join, resolve } from 'node:path';
import { collect } from '@trailwarden/aws';
import { type Finding, type LoadedCheck, SNAPSHOT_SECTIONS, type Snapshot, evaluate, loadPlugin } from '@trailwarden/core';
import { startSimulator } from '@trailwarden/sim';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const WORLD = join(ROOT, 'test', 'worlds', 'iam-scenarios.yaml');
const NOW = new Date('2026-11-21T16:00:00Z');
const LP = 'trail-api-least-privilege';
const SCP = 'org-scp-trail-protection';

const MANAGEMENT = '100000000001';
const ADMIN_READERS = '200000000002';
const SCP_PROTECTED = '300000000003';
const CROSS_OWNER = '400000000004';
const LOCKED_OWNER = '500000000005';
const PARTNER = '600000000006';

const iam = (account: string, kind: 'user' | 'role', name: string) => `arn:aws:iam::${account}:${kind}/${name}`;
const root = (account: string) => `arn:aws:iam::${account}:root`;
const BREAK_GLASS = iam(SCP_PROTECTED, 'role', 'BreakGlass');

/** The tamper actions the checks' README lists (s3:DeleteObject* expands to more in the catalogue). */
const TRAIL_ACTIONS = ['cloudtrail:DeleteTrail', 'cloudtrail:PutEventSelectors', 'cloudtrail:PutInsightSelectors', 'cloudtrail:StopLogging', 'cloudtrail:UpdateTrail'];
const BUCKET_ACTIONS = ['s3:DeleteBucket', 's3:DeleteBucketPolicy', 's3:PutBucketObjectLockConfiguration', 's3:PutBucketPolicy', 's3:PutBucketVersioning', 's3:PutLifecycleConfiguration'];
const LOCKED_DELETIONS = ['s3:DeleteObject', 's3:DeleteObjectVersion'];

interface Options {
  leastPrivilege?: { allowedPrincipals?: string[] };
  scp?: { allowedPrincipals?: string[]; maxExemptedPrincipals?: number };
}

let snapshot: Snapshot;
let counters: { total: number; mutations: number };
const plugins: { check: LoadedCheck['check']; plugin: { name: string } }[] = [];

beforeAll(async () => {
  // The checks load as third-party plugins do; from their sources, so no build is needed.
  for (const dir of ['least-privilege', 'scp-protection']) {
    const plugin = await loadPlugin(join(ROOT, 'checks', dir, 'src', 'index.ts'), ROOT);
    for (const check of plugin.checks) plugins.push({ check, plugin: { name: plugin.name } });
  }
  const sim = await startSimulator({ world: WORLD, port: 0 });
  try {
    snapshot = await collect({
      sections: [...SNAPSHOT_SECTIONS],
      endpointUrl: sim.url,
      credentials: sim.callerCredentials,
      region: 'us-east-1',
      roleName: 'TrailwardenAudit',
      now: () => NOW,
    });
    counters = sim.counters();
  } finally {
    await sim.stop();
  }
});

async function run(options: Options = {}, snap: Snapshot = snapshot): Promise<Finding[]> {
  const checks: LoadedCheck[] = plugins.map(({ check, plugin }) => ({
    check,
    plugin,
    options: { ...(check.options?.defaults ?? {}), ...((check.id === LP ? options.leastPrivilege : options.scp) ?? {}) },
  }));
  return (await evaluate(snap, { checks, now: NOW })).findings;
}

/** The collected snapshot with one change, evaluated: the controls of the "not FAIL" scenarios. */
async function runVariant(change: (s: Snapshot) => void, options: Options = {}): Promise<Finding[]> {
  const copy = structuredClone(snapshot);
  change(copy);
  return run(options, copy);
}

const about = (findings: Finding[], checkId: string, arn: string) => findings.filter((f) => f.checkId === checkId && f.resource.arn === arn);

/** The single finding of a check on a resource. */
function only(findings: Finding[], checkId: string, arn: string): Finding {
  const list = about(findings, checkId, arn);
  expect(list.map((f) => `${f.status} ${f.message}`), `${checkId} on ${arn}`).toHaveLength(1);
  return list[0]!;
}

interface Grant {
  actions: string[];
  resource: string;
  resourceKind: string;
  decision: string;
  statements: { policyType: string; policy: string; policyArn?: string; via?: string; sid?: string; index: number }[];
}
const grants = (f: Finding) => f.evidence.grants as unknown as Grant[];
const actions = (f: Finding) => f.evidence.actions as string[];
/** "identity AdministratorAccess (attached)", "resource bucket policy #PartnerJanitorMayDelete"... */
const statementNames = (f: Finding) =>
  [...new Set(grants(f).flatMap((g) => g.statements.map((s) => `${s.policyType} ${s.policy}${s.via ? ` (${s.via})` : ''}${s.sid ? ` #${s.sid}` : ''}`)))].sort();

function iamData(s: Snapshot, account: string) {
  const data = s.accounts[account]?.iam?.value;
  if (!data) throw new Error(`test world: no IAM data for account ${account}`);
  return data;
}

function bucketOf(s: Snapshot, account: string, name: string) {
  const b = s.accounts[account]?.buckets?.[name];
  if (!b) throw new Error(`test world: no bucket ${name} in account ${account}`);
  return b;
}

describe('tamper scenarios through the simulator', () => {
  it('the scan is read-only and reaches every account through the audit role', () => {
    expect(counters.mutations).toBe(0);
    expect(counters.total).toBeGreaterThan(20);
    expect(Object.keys(snapshot.accounts).sort()).toEqual([MANAGEMENT, ADMIN_READERS, SCP_PROTECTED, CROSS_OWNER, LOCKED_OWNER, PARTNER]);
    for (const a of Object.values(snapshot.accounts)) expect(a.iam?.error, a.id).toBeUndefined();
  });

  it('gives exactly the expected verdict table (default options)', async () => {
    const findings = await run();
    const table = (checkId: string) =>
      findings
        .filter((f) => f.checkId === checkId)
        .map((f) => `${f.status} ${f.resource.arn}${f.messageId ? ` ${f.messageId}` : ''}`)
        .sort();
    expect(table(LP)).toEqual(
      [
        `PASS ${root(MANAGEMENT)} noTamper`, // no trail there: its admin user has nothing to tamper with
        `ERROR ${iam(ADMIN_READERS, 'role', 'BrokenInline')} policyMalformed`, // inline policy that is not JSON
        `ERROR ${iam(ADMIN_READERS, 'user', 'carol')} policyMalformed`, // managed policy with an invalid Effect
        `FAIL ${root(ADMIN_READERS)} rootNotDenied`, // root holds every permission of its account; only an SCP can deny it
        `FAIL ${iam(ADMIN_READERS, 'user', 'alice')} canTamper`, // AdministratorAccess
        `FAIL ${BREAK_GLASS} canTamper`, // exempted by the SCP, not allow-listed
        `FAIL ${root(CROSS_OWNER)} rootNotDenied`,
        `FAIL ${root(LOCKED_OWNER)} rootNotDenied`, // the bucket and trail actions Object Lock does not cover
        `FAIL ${iam(PARTNER, 'role', 'Janitor')} canTamper`, // cross-account s3:DeleteObject
      ].sort(),
    );
    expect(table(SCP)).toEqual(
      [
        `NOT_APPLICABLE ${root(MANAGEMENT)} managementAccount`,
        `FAIL ${root(ADMIN_READERS)} notDenied`,
        `PASS ${root(SCP_PROTECTED)} protected`,
        `FAIL ${root(CROSS_OWNER)} notDenied`,
        `FAIL ${root(LOCKED_OWNER)} notDenied`,
        `FAIL ${root(PARTNER)} notDenied`,
      ].sort(),
    );
  });

  it('an administrator user FAILs with every tamper action, granted by AdministratorAccess', async () => {
    const f = only(await run(), LP, iam(ADMIN_READERS, 'user', 'alice'));
    expect(f).toMatchObject({ status: 'FAIL', messageId: 'canTamper', accountId: ADMIN_READERS });
    expect(actions(f)).toEqual(expect.arrayContaining([...TRAIL_ACTIONS, ...BUCKET_ACTIONS, ...LOCKED_DELETIONS]));
    expect(statementNames(f)).toEqual(['identity AdministratorAccess (attached)']);
    expect(grants(f).map((g) => `${g.resourceKind} ${g.resource}`)).toEqual([
      `trail arn:aws:cloudtrail:us-east-1:${ADMIN_READERS}:trail/admin-trail`,
      `bucket arn:aws:s3:::admin-trail-logs-${ADMIN_READERS}`,
      `object arn:aws:s3:::admin-trail-logs-${ADMIN_READERS}/AWSLogs/${ADMIN_READERS}/CloudTrail/us-east-1/*`,
    ]);
    expect(grants(f).every((g) => g.decision === 'allowed')).toBe(true);
  });

  it('a read-only role is not FAIL (control: the same role with AdministratorAccess FAILs)', async () => {
    const auditor = iam(ADMIN_READERS, 'role', 'Auditor');
    const findings = await run();
    expect(about(findings, LP, auditor)).toEqual([]);
    // The scanner's own audit role (ReadOnlyAccess + SecurityAudit) is clean in every account.
    for (const account of Object.keys(snapshot.accounts)) expect(about(findings, LP, iam(account, 'role', 'TrailwardenAudit'))).toEqual([]);

    const control = await runVariant((s) => {
      const role = iamData(s, ADMIN_READERS).roles.find((r) => r.arn === auditor)!;
      role.attachedPolicies.push({ arn: 'arn:aws:iam::aws:policy/AdministratorAccess', name: 'AdministratorAccess' });
    });
    expect(only(control, LP, auditor).status).toBe('FAIL');
  });

  it('a permission boundary without the tamper actions keeps an administrator from FAILing (control: without it, FAIL)', async () => {
    const bounded = iam(ADMIN_READERS, 'role', 'BoundedAdmin');
    // The boundary came through the wire: the collector saw it on the role.
    expect(iamData(snapshot, ADMIN_READERS).roles.find((r) => r.arn === bounded)?.permissionsBoundary).toBe(`arn:aws:iam::${ADMIN_READERS}:policy/NoLogTampering`);
    expect(about(await run(), LP, bounded)).toEqual([]);

    const control = await runVariant((s) => {
      delete iamData(s, ADMIN_READERS).roles.find((r) => r.arn === bounded)!.permissionsBoundary;
    });
    const f = only(control, LP, bounded);
    expect(f.status).toBe('FAIL');
    expect(actions(f)).toEqual(expect.arrayContaining([...TRAIL_ACTIONS, ...BUCKET_ACTIONS, ...LOCKED_DELETIONS]));
  });

  describe('an SCP denying the tamper actions with a break-glass exception', () => {
    it('an administrator (and the root user) of the protected account is not FAIL (control: without the SCP, FAIL)', async () => {
      const bob = iam(SCP_PROTECTED, 'user', 'bob');
      const findings = await run();
      expect(about(findings, LP, bob)).toEqual([]);
      expect(about(findings, LP, root(SCP_PROTECTED))).toEqual([]);

      const control = await runVariant((s) => {
        const scps = s.organization?.value?.policies.scp.value ?? [];
        const deny = scps.find((p) => p.name === 'DenyLogTampering');
        if (!deny) throw new Error('test world: SCP DenyLogTampering not collected');
        deny.targets = [];
      });
      expect(only(control, LP, bob).status).toBe('FAIL');
      expect(only(control, LP, root(SCP_PROTECTED)).status).toBe('FAIL');
    });

    it('the break-glass role FAILs with every tamper action when not allow-listed', async () => {
      const findings = await run();
      const f = only(findings, LP, BREAK_GLASS);
      expect(f).toMatchObject({ status: 'FAIL', messageId: 'canTamper', accountId: SCP_PROTECTED });
      expect(actions(f)).toEqual(expect.arrayContaining([...TRAIL_ACTIONS, ...BUCKET_ACTIONS, ...LOCKED_DELETIONS]));
      expect(statementNames(f)).toEqual(['identity AdministratorAccess (attached)']);

      // org-scp-trail-protection: protected, the exemption lets exactly BreakGlass through.
      const scp = only(findings, SCP, root(SCP_PROTECTED));
      expect(scp).toMatchObject({ status: 'PASS', messageId: 'protected' });
      expect(scp.evidence.denyingStatements).toEqual([expect.objectContaining({ policy: 'DenyLogTampering', sid: 'ProtectCloudTrail', effect: 'Deny' })]);
      expect(scp.evidence.exemptedPrincipals).toEqual([{ arn: BREAK_GLASS, actions: TRAIL_ACTIONS, conditional: false }]);
    });

    it('the allow-listed break-glass role is not FAIL; the account PASSes naming it', async () => {
      const allowed = ['arn:aws:iam::*:role/BreakGlass'];
      const findings = await run({ leastPrivilege: { allowedPrincipals: allowed }, scp: { allowedPrincipals: allowed } });
      expect(about(findings, LP, BREAK_GLASS)).toEqual([]);
      const pass = only(findings, LP, root(SCP_PROTECTED));
      expect(pass).toMatchObject({ status: 'PASS', messageId: 'noTamper' });
      expect(pass.evidence.allowListedPrincipalsThatCanTamper).toEqual([BREAK_GLASS]);
      expect(only(findings, SCP, root(SCP_PROTECTED))).toMatchObject({ status: 'PASS', messageId: 'protected' });
      // The allow-list excuses BreakGlass only: the other verdicts do not move.
      expect(only(findings, LP, iam(ADMIN_READERS, 'user', 'alice')).status).toBe('FAIL');
      expect(only(findings, LP, iam(PARTNER, 'role', 'Janitor')).status).toBe('FAIL');
    });

    it('an allow-list that does not cover the exempted role FAILs both checks', async () => {
      const allowed = ['arn:aws:iam::*:role/IncidentResponder'];
      const findings = await run({ leastPrivilege: { allowedPrincipals: allowed }, scp: { allowedPrincipals: allowed } });
      expect(only(findings, LP, BREAK_GLASS).status).toBe('FAIL');
      const scp = only(findings, SCP, root(SCP_PROTECTED));
      expect(scp).toMatchObject({ status: 'FAIL', messageId: 'notAllowListed' });
      expect(scp.evidence.notAllowListed).toEqual([BREAK_GLASS]);
    });

    it('more exempted principals than maxExemptedPrincipals FAILs org-scp-trail-protection', async () => {
      const scp = only(await run({ scp: { maxExemptedPrincipals: 0 } }), SCP, root(SCP_PROTECTED));
      expect(scp).toMatchObject({ status: 'FAIL', messageId: 'tooManyExempted' });
    });
  });

  it('a bucket policy granting s3:DeleteObject to another scanned account\'s role makes that role FAIL, naming the bucket statement', async () => {
    const janitor = iam(PARTNER, 'role', 'Janitor');
    const f = only(await run(), LP, janitor);
    expect(f).toMatchObject({ status: 'FAIL', messageId: 'canTamper', accountId: PARTNER });
    expect(actions(f)).toEqual(['s3:DeleteObject']);
    expect(grants(f)).toEqual([
      {
        actions: ['s3:DeleteObject'],
        resource: `arn:aws:s3:::cross-trail-logs-${CROSS_OWNER}/AWSLogs/${CROSS_OWNER}/CloudTrail/us-east-1/*`,
        resourceKind: 'object',
        decision: 'allowed',
        statements: [
          { policyType: 'identity', policy: 'DeleteOldLogs', effect: 'Allow', index: 0, via: 'inline', sid: 'DeleteCrossLogs' },
          { policyType: 'resource', policy: 'bucket policy', effect: 'Allow', index: 0, policyArn: `arn:aws:s3:::cross-trail-logs-${CROSS_OWNER}`, sid: 'PartnerJanitorMayDelete' },
        ],
      },
    ]);

    // Across accounts both sides must allow: without the bucket policy the identity policy alone is not enough.
    const control = await runVariant((s) => {
      bucketOf(s, CROSS_OWNER, `cross-trail-logs-${CROSS_OWNER}`).policy = { value: null };
    });
    expect(about(control, LP, janitor)).toEqual([]);
  });

  it('Object Lock in COMPLIANCE mode removes object deletion (control: GOVERNANCE does not)', async () => {
    const lockedJanitor = iam(PARTNER, 'role', 'LockedJanitor');
    const findings = await run();
    expect(about(findings, LP, lockedJanitor)).toEqual([]);
    // The bucket owner's root keeps the other tamper actions, but not the locked deletions...
    const lockedRoot = only(findings, LP, root(LOCKED_OWNER));
    expect(actions(lockedRoot)).toEqual(expect.arrayContaining([...TRAIL_ACTIONS, ...BUCKET_ACTIONS]));
    expect(actions(lockedRoot)).not.toEqual(expect.arrayContaining(['s3:DeleteObject']));
    expect(actions(lockedRoot)).not.toEqual(expect.arrayContaining(['s3:DeleteObjectVersion']));
    expect(lockedRoot.evidence.notes).toEqual([expect.stringContaining('Object Lock in COMPLIANCE mode')]);
    // ...which the root of an unlocked bucket's account has.
    expect(actions(only(findings, LP, root(CROSS_OWNER)))).toEqual(expect.arrayContaining(LOCKED_DELETIONS));

    const governance = await runVariant((s) => {
      const lock = bucketOf(s, LOCKED_OWNER, `locked-trail-logs-${LOCKED_OWNER}`).objectLock?.value;
      if (!lock?.defaultRetention) throw new Error('test world: the locked bucket has no default retention');
      lock.defaultRetention.mode = 'GOVERNANCE';
    });
    const f = only(governance, LP, lockedJanitor);
    expect(f.status).toBe('FAIL');
    expect(actions(f)).toEqual(LOCKED_DELETIONS);
    expect(statementNames(f)).toEqual(['identity DeleteOldLogs (inline) #DeleteLockedLogs', 'resource bucket policy #PartnerJanitorMayDelete']);
  });

  it('a malformed inline policy is an ERROR for that principal naming the policy; the rest is still evaluated', async () => {
    const broken = iam(ADMIN_READERS, 'role', 'BrokenInline');
    // The world serves the truncated document URL-encoded; the collector keeps the undecodable text as is.
    const inline = iamData(snapshot, ADMIN_READERS).roles.find((r) => r.arn === broken)?.inlinePolicies;
    expect(inline).toEqual([{ name: 'TruncatedCleanup', document: expect.stringMatching(/^\{"Version":"2012-10-17","Statement":\[/) }]);

    const findings = await run();
    const f = only(findings, LP, broken);
    expect(f.status).toBe('ERROR');
    expect(f.message).toMatch(/policy TruncatedCleanup \(inline\) is malformed/);
    expect(f.evidence.problems).toEqual([expect.objectContaining({ policy: 'TruncatedCleanup', via: 'inline', kind: 'malformed' })]);
    // The same account's other principals and the other accounts are judged as without it.
    expect(only(findings, LP, iam(ADMIN_READERS, 'user', 'alice')).status).toBe('FAIL');
    expect(only(findings, LP, root(MANAGEMENT)).status).toBe('PASS');
    expect(only(findings, LP, iam(PARTNER, 'role', 'Janitor')).status).toBe('FAIL');
    expect(findings.filter((f) => f.status === 'ERROR').map((f) => f.resource.arn).sort()).toEqual([broken, iam(ADMIN_READERS, 'user', 'carol')].sort());
  });

  it('a customer managed policy that is JSON but no valid policy is an ERROR naming its ARN', async () => {
    const policyArn = `arn:aws:iam::${ADMIN_READERS}:policy/LogRotation`;
    const f = only(await run(), LP, iam(ADMIN_READERS, 'user', 'carol'));
    expect(f.status).toBe('ERROR');
    expect(f.message).toContain(`policy ${policyArn} (attached) is malformed: Statement[0].Effect`);
    expect(f.evidence.problems).toEqual([expect.objectContaining({ policy: 'LogRotation', arn: policyArn, via: 'attached', kind: 'malformed' })]);
  });
});
