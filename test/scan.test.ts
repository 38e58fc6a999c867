import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateSnapshot } from '@trailwarden/core';
import { DEMO_WORLD_PATH, type SimServer, startSimulator } from '@trailwarden/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, tmp } from './helpers.js';

/** The real CLI against the simulator over loopback, through the real AWS SDK: what a user runs. */
let sim: SimServer;

beforeAll(async () => {
  sim = await startSimulator({ world: DEMO_WORLD_PATH, port: 0 });
});
afterAll(async () => {
  await sim?.stop();
});

/** Async spawn: the simulator runs in this process, so the CLI must not block the event loop. */
function runAsync(args: string[], cwd = tmp()): Promise<{ code: number | null; stdout: string; stderr: string; cwd: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: {
        ...process.env,
        NO_COLOR: '1',
        AWS_ACCESS_KEY_ID: sim.callerCredentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: sim.callerCredentials.secretAccessKey,
        AWS_REGION: 'us-east-1',
        AWS_PROFILE: '',
        AWS_CONFIG_FILE: '/nonexistent',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr, cwd }));
  });
}

describe('trailwarden scan against the simulator', () => {
  it('scans the organization, keeps the snapshot, writes schema-valid reports, and sends no mutating call', async () => {
    sim.resetCounters();
    const r = await runAsync(['scan', '--endpoint-url', sim.url, '--format', 'json,sarif,junit', '--keep-snapshot']);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(1);
    const snapshot = validateSnapshot(JSON.parse(readFileSync(join(r.cwd, 'trailwarden-out/trailwarden-snapshot.json'), 'utf8')), 'kept snapshot');
    expect(snapshot.scope.mode).toBe('organization');
    expect(Object.keys(snapshot.accounts).length).toBeGreaterThan(3);
    const report = JSON.parse(readFileSync(join(r.cwd, 'trailwarden-out/trailwarden-report.json'), 'utf8'));
    expect(report.findings.some((f: { status: string }) => f.status === 'FAIL')).toBe(true);
    expect(sim.counters().mutations).toBe(0);
    expect(sim.counters().total).toBeGreaterThan(20);
  });

  it('collect then evaluate offline gives the same findings as scan', async () => {
    const cwd = tmp();
    const scan = await runAsync(['scan', '--endpoint-url', sim.url, '--format', 'json', '--now', '2026-11-21T12:00:00Z', '-o', 'live'], cwd);
    const collect = await runAsync(['collect', '--endpoint-url', sim.url, '-o', 'snap.json', '--quiet'], cwd);
    expect(collect.code).toBe(0);
    expect(collect.stdout).toMatch(/Wrote .*snap\.json/);
    const offline = await runAsync(['evaluate', 'snap.json', '--format', 'json', '--now', '2026-11-21T12:00:00Z', '-o', 'offline'], cwd);
    expect(offline.code).toBe(scan.code);
    const findings = (dir: string) =>
      JSON.parse(readFileSync(join(cwd, dir, 'trailwarden-report.json'), 'utf8')).findings.map(
        (f: { checkId: string; fingerprint: string; status: string; message: string }) => `${f.checkId} ${f.fingerprint} ${f.status} ${f.message}`,
      );
    expect(findings('offline')).toEqual(findings('live'));
  });

  it('narrows to --accounts and says which account a bad filter names', async () => {
    const bad = await runAsync(['scan', '--endpoint-url', sim.url, '--accounts', '12345']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--accounts: "12345" is not a 12-digit AWS account id/);
  });

  it('without usable credentials says so in one line and exits 2', async () => {
    const r = await runAsync(['scan', '--endpoint-url', 'http://127.0.0.1:9', '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^trailwarden: cannot identify the caller \(sts:GetCallerIdentity: .*check the credentials, --profile and --endpoint-url\n$/);
  });

  it('demo starts its own simulator, scans, writes every report and exits 0', async () => {
    const r = await runAsync(['demo']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Reports\n(\s+\w+\s+trailwarden-demo\/trailwarden-report\.\S+\n){3,}/);
    expect(r.stderr).not.toMatch(/Warning/);
  });
});
