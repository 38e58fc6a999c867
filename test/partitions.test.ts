/**
 * GovCloud and China (issue #13 items 10 and 15), through the built CLI, the real collector and the
 * real AWS SDK against the simulator: the home region comes from the SDK's config chain
 * (--region, AWS_REGION, the profile's region), credentials work only in their own partition, and
 * region lists and --regions checks are the caller's partition's. Plus `trailwarden policy`.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COLLECTOR_ACTIONS } from '@trailwarden/aws';
import { type SimServer, type World, startSimulator } from '@trailwarden/sim';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, ROOT, run, tmp, writePluginPackage } from './helpers.js';

const MGMT = '310000000001';
const MEMBER = '310000000002';

function world(partition: string, regions: string[]): World {
  const home = regions[0]!;
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:${partition}:iam::${MGMT}:root` }, Action: 'sts:AssumeRole' }] };
  const role = { name: 'TrailwardenAudit', trustPolicy: trust, managedPolicies: [`arn:${partition}:iam::aws:policy/SecurityAudit`] };
  return {
    partition,
    regions,
    organization: { id: 'o-partition01', managementAccountId: MGMT },
    accounts: [
      {
        id: MGMT,
        name: 'management',
        trails: [{ name: 'org-trail', homeRegion: home, multiRegion: true, organization: true, bucket: `org-trail-logs-${MGMT}`, logFileValidation: true }],
        buckets: [{ name: `org-trail-logs-${MGMT}`, region: home }],
        iam: { users: [{ name: 'admin' }] },
      },
      { id: MEMBER, name: 'member', iam: { roles: [role] } },
    ],
  };
}

/** The CLI with the simulator's caller credentials and exactly this AWS environment (nothing inherited). */
function cli(sim: SimServer, args: string[], env: Record<string, string>, cwd = tmp()): Promise<{ code: number | null; stdout: string; stderr: string; cwd: string }> {
  const base: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' };
  for (const k of Object.keys(base)) if (/^AWS_(REGION|DEFAULT_REGION|PROFILE|ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)$/.test(k)) delete base[k];
  const creds = { AWS_ACCESS_KEY_ID: sim.callerCredentials.accessKeyId, AWS_SECRET_ACCESS_KEY: sim.callerCredentials.secretAccessKey };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...base, ...(env.AWS_PROFILE ? {} : creds), ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr, cwd }));
  });
}

const scanArgs = (sim: SimServer) => ['scan', '--endpoint-url', sim.url, '--role-name', 'TrailwardenAudit', '--format', 'json', '--fail-on', 'none', '--keep-snapshot', '--quiet'];
const snapshotOf = (cwd: string) => JSON.parse(readFileSync(join(cwd, 'trailwarden-out', 'trailwarden-snapshot.json'), 'utf8'));

let sim: SimServer | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

describe('GovCloud: the home region from the SDK config chain', () => {
  it('AWS_REGION=us-gov-west-1: the scan starts, reads only GovCloud regions, with aws-us-gov ARNs', async () => {
    sim = await startSimulator({ world: world('aws-us-gov', ['us-gov-west-1', 'us-gov-east-1', 'us-east-1', 'eu-west-1']) });
    const r = await cli(sim, scanArgs(sim), { AWS_REGION: 'us-gov-west-1' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const snap = snapshotOf(r.cwd);
    expect(snap.partition).toBe('aws-us-gov');
    expect(snap.accounts[MEMBER].access).toEqual({ value: { via: 'role', roleArn: `arn:aws-us-gov:iam::${MEMBER}:role/TrailwardenAudit` } });
    // DescribeRegions answers the caller's partition only: no commercial region is listed or read.
    for (const id of [MGMT, MEMBER]) expect(snap.accounts[id].regions.value.map((x: { name: string }) => x.name)).toEqual(['us-gov-east-1', 'us-gov-west-1']);
    expect(Object.keys(sim.counters().byRegion).sort()).toEqual(['us-gov-east-1', 'us-gov-west-1']);
    expect(snap.accounts[MGMT].trails.value[0].arn).toBe(`arn:aws-us-gov:cloudtrail:us-gov-west-1:${MGMT}:trail/org-trail`);
  });

  it("the profile's region (shared config file), with --profile", async () => {
    sim = await startSimulator({ world: world('aws-us-gov', ['us-gov-east-1', 'us-gov-west-1']) });
    const dir = tmp();
    writeFileSync(join(dir, 'config'), '[profile gov]\nregion = us-gov-east-1\n');
    writeFileSync(join(dir, 'credentials'), `[gov]\naws_access_key_id = ${sim.callerCredentials.accessKeyId}\naws_secret_access_key = ${sim.callerCredentials.secretAccessKey}\n`);
    const r = await cli(sim, [...scanArgs(sim), '--profile', 'gov'], { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), AWS_PROFILE: 'gov' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(snapshotOf(r.cwd).partition).toBe('aws-us-gov');
    expect(sim.counters().byRegion['us-east-1']).toBeUndefined();
  });

  it('--region wins over AWS_REGION; without it, a commercial AWS_REGION is one clear line naming the fix (exit 2)', async () => {
    sim = await startSimulator({ world: world('aws-us-gov', ['us-gov-west-1', 'us-gov-east-1']) });
    const ok = await cli(sim, [...scanArgs(sim), '--region', 'us-gov-west-1'], { AWS_REGION: 'us-east-1' });
    expect(ok.code).toBe(0);
    const bad = await cli(sim, scanArgs(sim), { AWS_REGION: 'us-east-1' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^trailwarden: cannot identify the caller \(sts:GetCallerIdentity in us-east-1: InvalidClientTokenId — The security token included in the request is invalid\.\); check the credentials, --profile and --endpoint-url; the home region is us-east-1: GovCloud and China credentials work only in a region of their own partition \(e\.g\. --region us-gov-west-1, --region cn-north-1\)\n$/);
    const typo = await cli(sim, [...scanArgs(sim), '--region', 'us-gov-west'], {});
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe('trailwarden: --region: "us-gov-west" is not a region name (like eu-west-1, us-gov-west-1 or cn-north-1)\n');
  });
});

describe('China', () => {
  it('AWS_REGION=cn-north-1: the scan starts in aws-cn', async () => {
    sim = await startSimulator({ world: world('aws-cn', ['cn-north-1', 'cn-northwest-1', 'us-east-1']) });
    const r = await cli(sim, [...scanArgs(sim), '--regions', 'cn-northwest-1,cn-north-1'], { AWS_REGION: 'cn-north-1' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const snap = snapshotOf(r.cwd);
    expect(snap.partition).toBe('aws-cn');
    expect(snap.accounts[MEMBER].access.value.roleArn).toBe(`arn:aws-cn:iam::${MEMBER}:role/TrailwardenAudit`);
  });
});

describe('--regions is checked against the caller’s partition (item 15)', () => {
  it('a region of another partition, or a typo, is exit 2 with did-you-mean from the partition’s regions', async () => {
    sim = await startSimulator({ world: world('aws-us-gov', ['us-gov-west-1', 'us-gov-east-1', 'us-east-1']) });
    const other = await cli(sim, [...scanArgs(sim), '--regions', 'us-east-1'], { AWS_REGION: 'us-gov-west-1' });
    expect(other.code).toBe(2);
    expect(other.stderr).toBe(
      `trailwarden: regions: "us-east-1" is a region of partition aws, not of the caller's partition aws-us-gov (did you mean "us-gov-east-1"?); known: us-gov-east-1, us-gov-west-1\n`,
    );
    const typo = await cli(sim, [...scanArgs(sim), '--regions', 'us-gov-eats-1'], { AWS_REGION: 'us-gov-west-1' });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe(`trailwarden: regions: "us-gov-eats-1" is not a region of this partition (did you mean "us-gov-east-1"?); known: us-gov-east-1, us-gov-west-1\n`);
  });

  it('even when DescribeRegions cannot be read: a commercial region is refused before any account is read', async () => {
    sim = await startSimulator({ world: world('aws-us-gov', ['us-gov-west-1', 'us-gov-east-1']), inject: { accessDenied: [{ operation: 'DescribeRegions' }] } });
    const r = await cli(sim, [...scanArgs(sim), '--regions', 'us-east-1'], { AWS_REGION: 'us-gov-west-1' });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`trailwarden: regions: "us-east-1" is a region of partition aws, not of the caller's partition aws-us-gov\n`);
    expect(sim.counters().byOperation['STS.AssumeRole']).toBeUndefined();
  });
});

describe('trailwarden policy', () => {
  const policyOf = (stdout: string) => JSON.parse(stdout) as { Statement: { Sid: string; Action: string[]; Resource: string | string[] }[] };

  it('with no options it is the shipped policy', () => {
    const r = run(['policy', '--no-config']);
    expect(r.code).toBe(0);
    const shipped = policyOf(readFileSync(join(ROOT, 'packages/aws/policy/trailwarden-collector-policy.json'), 'utf8'));
    const printed = policyOf(r.stdout);
    const norm = (p: typeof printed) => p.Statement.map((s) => ({ ...s, Action: [...s.Action].sort() }));
    expect(norm(printed)).toEqual(norm(shipped));
    expect(printed.Statement.flatMap((s) => s.Action).sort()).toEqual(COLLECTOR_ACTIONS);
  });

  it('--partition aws-us-gov --role-name X: every ARN in that partition, AssumeRole on that role (and the management role) only', () => {
    const r = run(['policy', '--no-config', '--partition', 'aws-us-gov', '--role-name', 'audit/TrailwardenAudit', '--management-role-name', 'MgmtAudit']);
    expect(r.code).toBe(0);
    const assume = policyOf(r.stdout).Statement.find((s) => s.Action.includes('sts:AssumeRole'))!;
    expect(assume.Resource).toEqual(['arn:aws-us-gov:iam::*:role/audit/TrailwardenAudit', 'arn:aws-us-gov:iam::*:role/MgmtAudit']);
    expect(r.stdout).not.toMatch(/arn:aws:/);
  });

  it('bad values are exit 2 with one clear line', () => {
    const p = run(['policy', '--partition', 'aws-us-gvo']);
    expect(p.code).toBe(2);
    expect(p.stderr).toBe('trailwarden: --partition: "aws-us-gvo" is not a partition (did you mean "aws-us-gov"?); use one of aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f\n');
    const n = run(['policy', '--role-name', 'bad role']);
    expect(n.code).toBe(2);
    expect(n.stderr).toBe('trailwarden: --role-name: "bad role" is not an IAM role name (letters, digits and +=,.@-_, at most 64, optionally after a path/)\n');
  });

  it("adds the actions of the enabled plugins' collect entries (and names the config and plugin on stderr)", () => {
    const cwd = tmp();
    writePluginPackage(
      join(cwd, 'p'),
      `import { defineCheck } from '${join(ROOT, 'packages/core/dist/index.js')}';
export default defineCheck({
  id: 'acme-trail-tagged',
  meta: { title: 'Tagged', description: 'Tagged trails.', severity: 'low', resource: 'AWS::CloudTrail::Trail', remediation: { text: 'Tag it.' }, messages: { ok: 'ok' } },
  requires: ['trails'],
  collect: { tags: { command: 'cloudtrail:ListTags', per: 'trail', input: { ResourceIdList: ['{{trail.arn}}'] } } },
  evaluate() {},
});`,
      'trailwarden-plugin-tags',
    );
    writeFileSync(join(cwd, 'trailwarden.config.yaml'), 'plugins: [./p]\n');
    const r = run(['policy'], cwd);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^trailwarden: config: .*\ntrailwarden: plugin: trailwarden-plugin-tags 1\.2\.3 from .*\n$/);
    expect(policyOf(r.stdout).Statement.find((s) => s.Sid === 'TrailwardenPluginReads')?.Action).toEqual(['cloudtrail:ListTags']);
    const none = run(['policy', '--no-plugins'], cwd);
    expect(policyOf(none.stdout).Statement.some((s) => s.Sid === 'TrailwardenPluginReads')).toBe(false);
  });
});
