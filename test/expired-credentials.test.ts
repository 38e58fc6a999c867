/**
 * Credentials that expire mid-scan (issue #13 item 14), through the built CLI / the real collector
 * and the real AWS SDK against the simulator: the caller's own credentials expiring stops the scan
 * once, with one line that says how long a session the scan needs, and what was read is reported
 * (exit 3, as with --timeout); an assumed role's session that expires is assumed again.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collect } from '@trailwarden/aws';
import { SNAPSHOT_SECTIONS, type Snapshot } from '@trailwarden/core';
import { DEMO_WORLD_PATH, type SimServer, startSimulator } from '@trailwarden/sim';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, tmp } from './helpers.js';

function cli(sim: SimServer, args: string[], cwd = tmp()): Promise<{ code: number | null; stdout: string; stderr: string; cwd: string }> {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_REGION: 'us-east-1' };
  delete env.AWS_PROFILE;
  const c = sim.callerCredentials;
  Object.assign(env, { AWS_ACCESS_KEY_ID: c.accessKeyId, AWS_SECRET_ACCESS_KEY: c.secretAccessKey, AWS_SESSION_TOKEN: c.sessionToken ?? '' });
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr, cwd }));
  });
}

let sim: SimServer | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

describe("the caller's credentials expire mid-scan", () => {
  it('stops once with one line naming the session length needed, writes what was read, exit 3', async () => {
    // One account at a time; the caller's 56th call meets expired credentials (the simulator signs 55).
    sim = await startSimulator({ world: DEMO_WORLD_PATH, inject: { expireCallerCredentials: { afterCalls: 55 } } });
    const r = await cli(sim, ['scan', '--endpoint-url', sim.url, '--role-name', 'TrailwardenAudit', '--concurrency', '1', '--fail-on', 'none', '--format', 'json', '--keep-snapshot', '--quiet']);
    expect(r.code).toBe(3);
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^trailwarden: the scan stopped early: the caller's credentials expired after \d+(\.\d+)?(s|m|m \d+s) of scanning \((ExpiredToken|ExpiredTokenException|RequestExpired) from [a-z0-9]+:[A-Za-z]+ in [a-z0-9-]+(; or this machine’s clock is more than 15 minutes off)?\): [0-6] of 6 account\(s\) were read; (a whole scan takes about [0-9hms ]+: use credentials that last at least \d+(h|m)( \d+m)?|no account was finished, so a whole scan needs credentials that last well over [0-9hms ]+) \(a role's MaxSessionDuration and the duration you request, or the SSO permission set's session duration\)\. What was read is kept\. Every read not finished by then is a CredentialsExpired error\.$/,
    );
    const report = JSON.parse(readFileSync(join(r.cwd, 'trailwarden-out', 'trailwarden-report.json'), 'utf8'));
    expect(report.summary.complete).toBe(false);
    expect(report.provenance.stopped).toMatch(/the caller's credentials expired/);
    const snapshot = JSON.parse(readFileSync(join(r.cwd, 'trailwarden-out', 'trailwarden-snapshot.json'), 'utf8')) as Snapshot;
    const accounts = Object.values(snapshot.accounts);
    // No lost work: accounts read before the expiry are in the snapshot, whole.
    expect(accounts.filter((a) => a.access.value && a.trails?.value).length).toBeGreaterThan(0);
    // Every read the stop cut short says so, with the stop's code.
    expect(JSON.stringify(snapshot)).toMatch(/"code":"CredentialsExpired","message":"the caller's credentials expired after/);
    // Not scattered ERRORs of AWS's: the calls that met the expired credentials are the few in flight.
    const counters = sim.counters();
    expect(counters.expired).toBeGreaterThan(0);
    expect(counters.expired).toBeLessThanOrEqual(8);
    expect(JSON.stringify(snapshot)).not.toMatch(/"code":"(ExpiredToken|ExpiredTokenException|RequestExpired)"/);
    expect(counters.mutations).toBe(0);
  }, 120_000);

  it('before the caller is identified: the one-line refusal says to renew the credentials', async () => {
    sim = await startSimulator({ world: DEMO_WORLD_PATH, inject: { expireCallerCredentials: { afterCalls: 0 } } });
    const r = await cli(sim, ['scan', '--endpoint-url', sim.url, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'trailwarden: cannot identify the caller (sts:GetCallerIdentity in us-east-1: ExpiredToken — The security token included in the request is expired); the credentials have expired: renew them (aws sso login, or a new session) and scan again\n',
    );
  });
});

describe('an assumed role’s session expires', () => {
  const scan = async (inject: Parameters<typeof startSimulator>[0]['inject']) => {
    const server = await startSimulator({ world: DEMO_WORLD_PATH, ...(inject ? { inject } : {}) });
    try {
      const snapshot = await collect({ sections: [...SNAPSHOT_SECTIONS], endpointUrl: server.url, credentials: server.callerCredentials, region: 'us-east-1', roleName: 'TrailwardenAudit', now: () => new Date('2026-11-21T16:00:00Z') });
      return { snapshot, counters: server.counters() };
    } finally {
      await server.stop();
    }
  };

  it('is assumed again and the scan reads the same as with sessions that last', async () => {
    const lasting = await scan(undefined);
    const expiring = await scan({ expireRoleSessions: { afterCalls: 25 } });
    expect(expiring.counters.expired).toBeGreaterThan(0);
    expect(expiring.counters.byOperation['STS.AssumeRole']).toBeGreaterThan(lasting.counters.byOperation['STS.AssumeRole']!);
    const strip = (s: Snapshot) => JSON.stringify({ ...s, collectedAt: '' });
    expect(strip(expiring.snapshot)).toBe(strip(lasting.snapshot));
  }, 120_000);
});

describe('collect, when the credentials expire', () => {
  it('writes the snapshot it has and exits 3', async () => {
    sim = await startSimulator({ world: DEMO_WORLD_PATH, inject: { expireCallerCredentials: { afterCalls: 20 } } });
    const r = await cli(sim, ['collect', '--endpoint-url', sim.url, '--role-name', 'TrailwardenAudit', '-o', 'snap.json', '--quiet']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^trailwarden: the scan stopped early: the caller's credentials expired after .*\n$/);
    const snapshot = JSON.parse(readFileSync(join(r.cwd, 'snap.json'), 'utf8')) as Snapshot;
    expect(snapshot.scope.notes?.some((n) => n.includes('CredentialsExpired'))).toBe(true);
  }, 60_000);
});
