import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateSnapshot } from '@trailwarden/core';
import { DEMO_WORLD_PATH, type SimServer, startSimulator } from '@trailwarden/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWithSimulator, tmp } from './helpers.js';

/** The real CLI against the simulator over loopback, through the real AWS SDK: what a user runs. */
let sim: SimServer;

beforeAll(async () => {
  sim = await startSimulator({ world: DEMO_WORLD_PATH, port: 0 });
});
afterAll(async () => {
  await sim?.stop();
});


describe('trailwarden scan against the simulator', () => {
  it('scans the organization, keeps the snapshot, writes schema-valid reports, and sends no mutating call', async () => {
    sim.resetCounters();
    const r = await runWithSimulator(sim, ['scan', '--endpoint-url', sim.url, '--format', 'json,sarif,junit', '--keep-snapshot']);
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
    const scan = await runWithSimulator(sim, ['scan', '--endpoint-url', sim.url, '--format', 'json', '--now', '2026-11-21T12:00:00Z', '-o', 'live'], cwd);
    const collect = await runWithSimulator(sim, ['collect', '--endpoint-url', sim.url, '-o', 'snap.json', '--quiet'], cwd);
    expect(collect.code).toBe(0);
    expect(collect.stdout).toMatch(/Wrote .*snap\.json/);
    const offline = await runWithSimulator(sim, ['evaluate', 'snap.json', '--format', 'json', '--now', '2026-11-21T12:00:00Z', '-o', 'offline'], cwd);
    expect(offline.code).toBe(scan.code);
    const findings = (dir: string) =>
      JSON.parse(readFileSync(join(cwd, dir, 'trailwarden-report.json'), 'utf8')).findings.map(
        (f: { checkId: string; fingerprint: string; status: string; message: string }) => `${f.checkId} ${f.fingerprint} ${f.status} ${f.message}`,
      );
    expect(findings('offline')).toEqual(findings('live'));
  });

  it('narrows to --accounts and says which account a bad filter names', async () => {
    const bad = await runWithSimulator(sim, ['scan', '--endpoint-url', sim.url, '--accounts', '12345']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--accounts: "12345" is not a 12-digit AWS account id/);
  });

  it('without usable credentials says so in one line and exits 2', async () => {
    const r = await runWithSimulator(sim, ['scan', '--endpoint-url', 'http://127.0.0.1:9', '--format', 'json']);
    expect(r.code).toBe(2);
    // A progress line may come first on a loaded machine (one every 10 s); the refusal is still one line.
    const lines = r.stderr.split('\n').filter((l) => !l.startsWith('trailwarden: collecting ('));
    expect(lines.join('\n')).toMatch(/^trailwarden: cannot identify the caller \(sts:GetCallerIdentity in us-east-1: .*check the credentials, --profile and --endpoint-url\n$/);
  });

  it('demo starts its own simulator, scans, writes every report and exits 0', async () => {
    const r = await runWithSimulator(sim, ['demo']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Reports\n(\s+\w+\s+trailwarden-demo\/trailwarden-report\.\S+\n){3,}/);
    expect(r.stderr).not.toMatch(/Warning/);
  });
});
