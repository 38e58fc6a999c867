import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SimServer, type World, startSimulator } from '@trailwarden/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, DEMO, NOW, run, runWithSimulator, tmp } from './helpers.js';

/**
 * Audit-period evidence through the CLI against the simulator: three scans of a world that changes
 * between them are recorded; history, diff, baselines, the continuity check and the evidence report
 * work off them; a scan killed with SIGKILL leaves the history readable. Needs node:sqlite (Node
 * 22.13+): run with `npx -y node@22 node_modules/vitest/vitest.mjs run --config test/vitest.config.ts test/history.test.ts`.
 */
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const hasSqlite = major >= 23 || (major === 22 && minor >= 13);

const M = '100000000001';
const B = '200000000002';
const C = '300000000003';
const BUCKET = `history-logs-${M}`;
const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${M}:trail/main`;
const MALLORY = `arn:aws:iam::${M}:user/mallory`;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = Date.now();
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const STOPPED = iso(now - 3 * DAY);
const STARTED = iso(now - 3 * DAY + 2 * HOUR);

const auditRole = {
  name: 'TrailwardenAudit',
  trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${M}:root` }, Action: 'sts:AssumeRole' }] },
  managedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/SecurityAudit'],
};

/** The organization at one point in time. */
function world(state: { window: boolean; publicBucket: boolean; newAccount: boolean }): World {
  const cloudtrailWrite = { Sid: 'AWSCloudTrailWrite', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: `arn:aws:s3:::${BUCKET}/AWSLogs/*` };
  const publicRead = { Sid: 'Oops', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` };
  return {
    regions: ['us-east-1'],
    organization: { id: 'o-history001', managementAccountId: M },
    accounts: [
      {
        id: M,
        name: 'management',
        trails: [
          {
            name: 'main',
            homeRegion: 'us-east-1',
            multiRegion: true,
            organization: true,
            bucket: BUCKET,
            logFileValidation: true,
            ...(state.window ? { loggingWindows: [{ stoppedAt: STOPPED, startedAt: STARTED, by: MALLORY }] } : {}),
          },
        ],
        buckets: [
          {
            name: BUCKET,
            region: 'us-east-1',
            policy: { Version: '2012-10-17', Statement: state.publicBucket ? [cloudtrailWrite, publicRead] : [cloudtrailWrite] },
            ...(state.publicBucket ? { publicAccessBlock: null } : {}),
          },
        ],
        iam: { users: [{ name: 'admin', managedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] }, { name: 'mallory' }], roles: [auditRole] },
      },
      { id: B, name: 'member', iam: { roles: [auditRole] } },
      ...(state.newAccount ? [{ id: C, name: 'newcomer', iam: { roles: [auditRole] } }] : []),
    ],
  } as World;
}

const CHECKS = 'trail-bucket-not-public,trail-logging-continuity,org-trail-coverage';
const sims: SimServer[] = [];
let cwd: string;
const scanArgs = (sim: SimServer, ...extra: string[]) => ['scan', '--endpoint-url', sim.url, '--role-name', 'TrailwardenAudit', '--checks', CHECKS, '--format', 'json', ...extra];
interface JsonFinding {
  checkId: string;
  status: string;
  accountId: string;
  resource: { arn: string };
  message: string;
  evidence: Record<string, unknown>;
}

describe.skipIf(!hasSqlite)('scan history, diff, baselines and evidence (node:sqlite)', () => {
  let w1: SimServer;
  let w2: SimServer;
  let w3: SimServer;
  beforeAll(async () => {
    w1 = await startSimulator({ world: world({ window: false, publicBucket: false, newAccount: false }), port: 0 });
    w2 = await startSimulator({ world: world({ window: true, publicBucket: true, newAccount: false }), port: 0, inject: { quotas: true } });
    w3 = await startSimulator({ world: world({ window: true, publicBucket: false, newAccount: true }), port: 0 });
    sims.push(w1, w2, w3);
    cwd = tmp();
  });
  afterAll(async () => {
    for (const s of sims) await s.stop();
  });

  it('records three scans of a changing world; history lists them; diff names exactly the planted changes; the baseline gates on what is new', async () => {
    const first = await runWithSimulator(w1, scanArgs(w1, '--history', 'h.db', '-o', 'one'), cwd);
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/Recorded in the history as scan 1\./);
    expect(first.code).toBe(0);

    // Between scans 1 and 2: mallory stopped the trail for two hours, and the bucket was made public.
    const second = await runWithSimulator(w2, scanArgs(w2, '--history', 'h.db', '--baseline', 'history:latest', '-o', 'two'), cwd);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(1);
    expect(second.stdout).toMatch(/Baseline history scan 1 .*: 2 new or worse FAIL finding\(s\) gate; 0 known one\(s\) left ungated\./);

    // The continuity check names the window, who opened and closed it, and how long it was.
    const report = JSON.parse(readFileSync(join(cwd, 'two/trailwarden-report.json'), 'utf8')) as { findings: JsonFinding[] };
    const continuity = report.findings.find((f) => f.checkId === 'trail-logging-continuity' && f.resource.arn === TRAIL_ARN)!;
    expect(continuity.status).toBe('FAIL');
    expect(continuity.message).toContain(`StopLogging at ${new Date(STOPPED).toISOString()} by ${MALLORY}, started again at ${new Date(STARTED).toISOString()} by ${MALLORY} (2 h 0 min)`);
    const windows = continuity.evidence.windows as { durationMinutes: number; actor: { principalArn: string; type: string } }[];
    expect(windows.map((w) => [w.durationMinutes, w.actor.principalArn, w.actor.type])).toEqual([[120, MALLORY, 'IAMUser']]);

    // Nothing new since scan 2 → exit 0 (on a copy of the history, so the record stays three scans).
    copyFileSync(join(cwd, 'h.db'), join(cwd, 'copy.db'));
    const again = await runWithSimulator(w2, scanArgs(w2, '--history', 'copy.db', '--baseline', 'history:latest', '-o', 'again'), cwd);
    expect(again.stderr).toBe('');
    expect(again.stdout).toMatch(/0 new or worse FAIL finding\(s\) gate; 2 known one\(s\) left ungated\./);
    expect(again.code).toBe(0);

    // Between scans 2 and 3: the bucket is private again, and a new account joined (uncovered? no: the org trail covers it).
    const third = await runWithSimulator(w3, scanArgs(w3, '--history', 'h.db', '--baseline', 'history:latest', '-o', 'three', '--format', 'json,html'), cwd);
    expect(third.stderr).toBe('');
    expect(third.stdout).toMatch(/Recorded in the history as scan 3\./);
    // With --history the HTML report shows each check's FAIL trend: scans 1 and 2, then this one.
    const html = readFileSync(join(cwd, 'three/trailwarden-report.html'), 'utf8');
    expect(html).toMatch(/trail-logging-continuity<\/div><div class="muted mono trend"[^>]*>FAIL trend 0 → 1 → 1</);
    expect(html).toMatch(/trail-bucket-not-public<\/div><div class="muted mono trend"[^>]*>FAIL trend 0 → 1 → 0</);

    const history = await runWithSimulator(w3, ['history', '--history', 'h.db', '--json'], cwd);
    expect(history.code).toBe(0);
    const scans = JSON.parse(history.stdout).scans as { id: number; accounts: unknown[]; counts: { FAIL: number }; complete: boolean }[];
    expect(scans.map((s) => [s.id, s.accounts.length, s.counts.FAIL])).toEqual([
      [1, 2, 0],
      [2, 2, 2],
      [3, 3, 1],
    ]);
    const table = await runWithSimulator(w3, ['history', '--history', 'h.db'], cwd);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+STARTED\s+SCOPE\s+ACCOUNTS\s+FAIL\s+ERROR\s+PASS\s+EXCEPTED\s+COVERAGE$/);

    const d12 = await runWithSimulator(w3, ['diff', '1', '2', '--history', 'h.db', '--format', 'json'], cwd);
    expect(d12.code).toBe(1);
    const diff12 = JSON.parse(d12.stdout);
    const names = (list: { checkId: string; resource: { arn: string } }[]) => list.map((f) => `${f.checkId} ${f.resource.arn}`).sort();
    expect(names(diff12.new)).toEqual([`trail-bucket-not-public arn:aws:s3:::${BUCKET}`, `trail-logging-continuity ${TRAIL_ARN}`]);
    expect(diff12.counts).toMatchObject({ new: 2, fixed: 0, changed: 0, newlyUnreadable: 0, gone: 0 });

    const d23 = await runWithSimulator(w3, ['diff', '2', 'latest', '--history', 'h.db', '--format', 'json'], cwd);
    const diff23 = JSON.parse(d23.stdout);
    expect(diff23.fixed.map((f: { checkId: string; resource: { arn: string } }) => `${f.checkId} ${f.resource.arn}`)).toEqual([`trail-bucket-not-public arn:aws:s3:::${BUCKET}`]);
    expect(names(diff23.stillFailing)).toEqual([`trail-logging-continuity ${TRAIL_ARN}`]);
    // The new account's findings are the only ones scan 2 did not have (it passes: the org trail covers it).
    expect(diff23.counts).toMatchObject({ new: 0, changed: 0, newlyUnreadable: 0, gone: 0 });
    const report3 = JSON.parse(readFileSync(join(cwd, 'three/trailwarden-report.json'), 'utf8')) as { findings: JsonFinding[] };
    expect(report3.findings.filter((f) => f.accountId === C).map((f) => `${f.checkId} ${f.status}`)).toEqual(['org-trail-coverage PASS']);

    // The same diff from the JSON reports, as Markdown for a pull request.
    const md = await runWithSimulator(w3, ['diff', 'one/trailwarden-report.json', 'two/trailwarden-report.json', '--format', 'markdown'], cwd);
    expect(md.stdout).toMatch(/^## Trailwarden: what changed/);
    expect(md.stdout).toMatch(/### New \(2\)/);
    expect(md.stdout).toContain(`| trail-logging-continuity | ${M} | us-east-1 | main | FAIL high |`);
  }, 180_000);

  it('the baseline exits 1 when a new FAIL appears (the newcomer without coverage)', async () => {
    const local = tmp();
    const lone = await startSimulator({ world: world({ window: false, publicBucket: false, newAccount: false }), port: 0 });
    sims.push(lone);
    const base = await runWithSimulator(lone, scanArgs(lone, '--history', 'b.db'), local);
    expect(base.code).toBe(0);
    const w = world({ window: false, publicBucket: false, newAccount: true });
    // The newcomer leaves the organization trail's reach: a trail of its own account, not the org trail.
    (w.accounts[0]!.trails![0] as { organization?: boolean }).organization = false;
    const changed = await startSimulator({ world: w, port: 0 });
    sims.push(changed);
    const r = await runWithSimulator(changed, scanArgs(changed, '--history', 'b.db', '--baseline', 'history:latest'), local);
    expect(r.stdout).toMatch(/new or worse FAIL finding\(s\) gate/);
    expect(r.code).toBe(1);
  }, 120_000);

  it('the evidence report covers the period, marks the gap days, and lists the window with its actor', async () => {
    const from = iso(now - 4 * DAY).slice(0, 10);
    const to = iso(now).slice(0, 10);
    const r = await runWithSimulator(w3, ['evidence', '--history', 'h.db', '--from', from, '--to', to, '-o', 'evidence'], cwd);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(readFileSync(join(cwd, 'evidence/trailwarden-evidence.json'), 'utf8'));
    expect(doc.period.days).toBe(5);
    expect(doc.scans.map((s: { id: number }) => s.id)).toEqual([1, 2, 3]);
    // Every scan ran today: the four days before are gaps.
    expect(doc.days.covered).toEqual([to]);
    expect(doc.days.gaps.length).toBe(4);
    expect(doc.blindWindows).toHaveLength(1);
    expect(doc.blindWindows[0]).toMatchObject({ resource: TRAIL_ARN, kind: 'StopLogging', durationMinutes: 120, scanIds: [2, 3] });
    expect(doc.blindWindows[0].actor.principalArn).toBe(MALLORY);
    const fsbp = doc.frameworks.find((f: { id: string }) => f.id === 'aws-fsbp');
    expect(fsbp.controls.find((c: { id: string }) => c.id === 'CloudTrail.3').scans.map((s: { status: string }) => s.status)).toEqual(['PASS', 'FAIL', 'FAIL']);
    const html = readFileSync(join(cwd, 'evidence/trailwarden-evidence.html'), 'utf8');
    expect(html).toContain('4 day(s) not covered by any scan');
    expect(html).toContain(MALLORY);
    expect(html.match(/class="day gap"/g)?.length).toBe(4);
  }, 60_000);

  it('a scan killed with SIGKILL while it runs leaves the history readable with the earlier scans intact', async () => {
    const slow = await startSimulator({ world: world({ window: true, publicBucket: false, newAccount: true }), port: 0, inject: { latency: { medianMs: 50, p99Ms: 100 } } });
    sims.push(slow);
    const child = spawn(process.execPath, [CLI, ...scanArgs(slow, '--history', 'h.db', '-o', 'killed')], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', AWS_ACCESS_KEY_ID: slow.callerCredentials.accessKeyId, AWS_SECRET_ACCESS_KEY: slow.callerCredentials.secretAccessKey, AWS_REGION: 'us-east-1', AWS_PROFILE: '', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' },
      stdio: 'ignore',
    });
    // Wait until the scan is talking to AWS (the history is open by then), then kill it.
    const start = Date.now();
    while (slow.counters().total < 10 && Date.now() - start < 20_000) await new Promise((r) => setTimeout(r, 50));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const history = await runWithSimulator(slow, ['history', '--history', 'h.db', '--json'], cwd);
    expect(history.stderr).toBe('');
    expect(JSON.parse(history.stdout).scans.map((s: { id: number }) => s.id)).toEqual([1, 2, 3]);
    const { History } = await import('@trailwarden/history');
    const h = await History.open(join(cwd, 'h.db'), { create: false });
    expect(h.integrityCheck()).toBe('ok');
    expect(h.findings(2).filter((f) => f.status === 'FAIL')).toHaveLength(2);
    h.close();
  }, 60_000);
});

describe.skipIf(!hasSqlite)('history: in the config, and a JSON report as the baseline (evaluate, offline)', () => {
  it('records through history.file (relative to the config) and gates on a report.json baseline', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'trailwarden.config.json'), JSON.stringify({ history: { file: 'audit/history.sqlite' } }));
    mkdirSync(join(dir, 'audit'));
    const first = run(['evaluate', DEMO, '--now', NOW, '--format', 'json'], dir);
    // The only stderr line: which config file was loaded (every run says so).
    expect(first.stderr).toMatch(/^trailwarden: config: .*trailwarden\.config\.json\n$/);
    expect(first.stdout).toMatch(/Recorded in the history as scan 1\./);
    expect(first.code).toBe(1);
    // Against its own report nothing is new: the FAILs are known and left ungated (exit 3: the fixture is incomplete).
    const second = run(['evaluate', DEMO, '--now', NOW, '--format', 'json', '-o', 'again', '--baseline', 'trailwarden-out/trailwarden-report.json'], dir);
    expect(second.stdout).toMatch(/Baseline trailwarden-out\/trailwarden-report\.json: 0 new or worse FAIL finding\(s\) gate; \d+ known one\(s\) left ungated\./);
    expect(second.code).toBe(3);
    const listed = run(['history', '--json'], dir);
    expect(JSON.parse(listed.stdout).scans).toHaveLength(2);
    const bad = run(['evaluate', DEMO, '--baseline', 'history:7'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^trailwarden: --baseline history:7: no scan 7 in .*history\.sqlite/m);
    const notReport = run(['evaluate', DEMO, '--baseline', 'trailwarden.config.json'], dir);
    expect(notReport.code).toBe(2);
    expect(notReport.stderr).toMatch(/trailwarden\.config\.json is not a Trailwarden JSON report/);
  });
});

// Runs on every Node: where node:sqlite exists, the CLI is started with it switched off.
describe('--history on a Node without node:sqlite', () => {
  it('fails with one clear line and exit 2', async () => {
    const sim = await startSimulator({ world: world({ window: false, publicBucket: false, newAccount: false }), port: 0 });
    const saved = process.env.NODE_OPTIONS;
    if (hasSqlite) process.env.NODE_OPTIONS = `${saved ?? ''} --no-experimental-sqlite`.trim();
    try {
      const r = await runWithSimulator(sim, scanArgs(sim, '--history', 'h.db'));
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^trailwarden: --history: the scan history needs Node's built-in SQLite \(node:sqlite, Node 22\.13 or newer\); this is Node [\d.]+\n$/);
    } finally {
      if (saved === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = saved;
      await sim.stop();
    }
  });
});
