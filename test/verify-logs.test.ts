import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAjv } from '@trailwarden/core';
import { type ChainResult, type TrailIntegrity, type VerifyLogsResult, verifyLogsResultSchema } from '@trailwarden/integrity';
import { type SimServer, startSimulator, writeIntegrityMirror } from '@trailwarden/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWithSimulator, tmp } from './helpers.js';
import { FROM, observed, ROWS, TAMPER_WORLD, TO } from './integrity-matrix.js';

/** `trailwarden verify-logs` through the real SDK against the simulator, and offline against a mirror of the same bucket. */
let sim: SimServer;
let online: { code: number | null; stdout: string; stderr: string; result: VerifyLogsResult };
const ORG_TRAIL = 'arn:aws:cloudtrail:us-east-1:100000000001:trail/org-trail';
const validate = createAjv().compile(verifyLogsResultSchema);

beforeAll(async () => {
  sim = await startSimulator({ world: TAMPER_WORLD, port: 0 });
  const r = await runWithSimulator(sim, ['verify-logs', '--endpoint-url', sim.url, '--role-name', 'TrailwardenAudit', '--from', FROM, '--to', TO, '--quiet', '-o', 'result.json']);
  online = { ...r, result: JSON.parse(readFileSync(join(r.cwd, 'result.json'), 'utf8')) as VerifyLogsResult };
});
afterAll(async () => {
  await sim?.stop();
});

const orgTrail = (result: VerifyLogsResult): TrailIntegrity => result.trails.find((t) => t.trailArn === ORG_TRAIL)!;
const chainOf = (trail: TrailIntegrity, account: string): ChainResult => trail.chains.find((c) => c.accountId === account)!;

describe('verify-logs online (simulator)', () => {
  it('exits 1 on the tampered chains, writes a schema-valid result, and sends no mutating call', () => {
    expect(online.stderr).not.toMatch(/internal error/);
    expect(online.code).toBe(1);
    expect(validate(online.result), JSON.stringify(validate.errors)).toBe(true);
    expect(sim.counters().mutations).toBe(0);
    expect(Object.keys(sim.counters().byOperation)).toEqual(expect.arrayContaining(['S3.ListObjectsV2', 'S3.GetObject', 'CloudTrail.ListPublicKeys']));
  });

  for (const row of ROWS) {
    it(`detects: ${row.name}`, () => {
      expect(observed(chainOf(orgTrail(online.result), row.account))).toEqual({ invalid: row.invalid, gaps: row.gaps, unreferenced: row.unreferenced });
    });
  }

  it('the clean chains verify with 0 INVALID across the key rotation, the backfill digest included', () => {
    for (const account of ['100000000001', '100000000002', '200000000001', '300000000001']) {
      const c = chainOf(orgTrail(online.result), account);
      expect(c.digests, account).toEqual({ valid: 8, invalid: 0, unverified: 0, error: 0 });
      expect(c.backfillDigests, account).toEqual({ valid: 1, invalid: 0, unverified: 0, error: 0 });
      expect(c.logs.invalid + c.logs.error, account).toBe(0);
    }
  });

  it('a chain restart is explained by the logging-continuity data (GetTrailStatus stop and start)', () => {
    const [restart] = chainOf(orgTrail(online.result), '200000000001').gaps;
    expect(restart).toMatchObject({ label: 'chain-restart', start: '2026-11-20T04:00:00Z', end: '2026-11-20T05:00:00Z' });
    expect(restart!.explanation).toContain('StopLogging (GetTrailStatus StopLoggingTime) at 2026-11-20T04:00:00Z');
  });

  it('two consecutive deleted digests: one "not found" line (as aws-cli) and one 2-hour unexplained gap', () => {
    const c = chainOf(orgTrail(online.result), '200000000006');
    expect(c.gaps.filter((g) => g.label === 'unexplained')).toEqual([expect.objectContaining({ start: '2026-11-20T06:00:00Z', end: '2026-11-20T08:00:00Z', hours: 2 })]);
    expect(online.stderr.match(/200000000006_CloudTrail-Digest_.*\tINVALID: not found/g)).toHaveLength(1);
    expect(online.stderr).toContain('WARNING: coverage gap (unexplained) 2026-11-20T06:00:00Z to 2026-11-20T08:00:00Z (2 h) in account 200000000006, us-east-1');
  });

  it('prints aws-cli lines: the appended gzip member is INVALID, the summary counts every chain', () => {
    expect(online.stderr).toMatch(/^Log file\ts3:\/\/org-trail-logs\/AWSLogs\/o-integrity1\/200000000004\/CloudTrail\/us-east-1\/2026\/11\/20\/[^\t]+\tINVALID: unexpected data after end of compressed stream$/m);
    expect(online.stdout).toContain(`Validating log files for trail ${ORG_TRAIL} between ${FROM} and ${TO}`);
    expect(online.stdout).toMatch(/^\d+\/\d+ digest files valid, 8\/\d+ digest files INVALID$/m);
  });

  it('SSE-KMS logs without kms:Decrypt: each is an ERROR line, the run goes on, its digests still verify', () => {
    const audit = online.result.trails.find((t) => t.trailName === 'audit-trail')!;
    expect(audit.chains.map((c) => [c.region, c.digests.valid, c.logs.error])).toEqual([
      ['eu-west-1', 3, 3],
      ['us-east-1', 3, 3],
    ]);
    expect(online.stderr).toMatch(/^Log file\ts3:\/\/audit-trail-logs\/audit\/AWSLogs\/300000000001\/CloudTrail\/.*\tERROR: AccessDenied: .*kms:Decrypt/m);
  });
});

describe('verify-logs offline (--mirror) gives the same verdicts as online', () => {
  let mirror: string;
  beforeAll(async () => {
    mirror = mkdtempSync(join(tmpdir(), 'tw-mirror-'));
    await writeIntegrityMirror(TAMPER_WORLD, mirror);
  });

  const offline = async (extra: string[]) => {
    const r = await runWithSimulator(sim, [
      'verify-logs',
      '--mirror',
      mirror,
      '--public-keys',
      `us-east-1=${join(mirror, 'public-keys/us-east-1.json')}`,
      '--trail',
      ORG_TRAIL,
      '--bucket',
      'org-trail-logs',
      '--organization-id',
      'o-integrity1',
      '--from',
      FROM,
      '--to',
      TO,
      '--format',
      'json',
      ...extra,
    ]);
    return { ...r, result: JSON.parse(r.stdout) as VerifyLogsResult };
  };

  it('with the captured metadata: every file, gap and unreferenced log as online', async () => {
    const r = await offline(['--metadata', join(mirror, 'metadata.json')]);
    expect(r.code).toBe(1);
    expect(validate(r.result)).toBe(true);
    // Offline there is no GetTrailStatus to explain chain restarts with: gaps compare without their explanation.
    const strip = (t: TrailIntegrity) =>
      t.chains.map(({ files, gaps, unreferenced, digests, backfillDigests, logs, links, windows }) => ({
        files,
        gaps: gaps.map(({ explanation: _e, ...g }) => g),
        unreferenced,
        digests,
        backfillDigests,
        logs,
        links,
        windows,
      }));
    expect(strip(orgTrail(r.result))).toEqual(strip(orgTrail(online.result)));
  });

  it('without metadata: the newest digest of each segment is UNVERIFIED, the rest verify through previousDigestSignature', async () => {
    const r = await offline([]);
    const clean = chainOf(orgTrail(r.result), '200000000001');
    expect(clean.digests).toEqual({ valid: 6, invalid: 0, unverified: 2, error: 0 });
    for (const row of ROWS.filter((x) => x.name !== 'signature metadata stripped')) {
      expect(observed(chainOf(orgTrail(r.result), row.account)).gaps, row.name).toEqual(row.gaps);
    }
  });

  it('bad offline input is one line and exit 2', async () => {
    const r = await runWithSimulator(sim, ['verify-logs', '--mirror', mirror, '--bucket', 'b'], tmp());
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('trailwarden: --mirror needs --trail ARN (arn:aws:cloudtrail:<home-region>:<account>:trail/<name>)');
    const keys = await runWithSimulator(sim, ['verify-logs', '--mirror', mirror, '--bucket', 'b', '--trail', ORG_TRAIL, '--public-keys', 'nope.json'], tmp());
    expect(keys.code).toBe(2);
    expect(keys.stderr).toMatch(/^trailwarden: --public-keys .*nope\.json: ENOENT/);
  });
});

describe('scan --verify-logs', () => {
  it('runs trail-log-integrity only when asked, and the HTML report draws the timelines', async () => {
    const plain = await runWithSimulator(sim, ['scan', '--endpoint-url', sim.url, '--role-name', 'TrailwardenAudit', '--now', TO, '--format', 'json', '--quiet']);
    const plainReport = JSON.parse(readFileSync(join(plain.cwd, 'trailwarden-out/trailwarden-report.json'), 'utf8')) as { findings: { checkId: string }[] };
    expect(plainReport.findings.some((f) => f.checkId === 'trail-log-integrity')).toBe(false);

    const r = await runWithSimulator(sim, ['scan', '--endpoint-url', sim.url, '--role-name', 'TrailwardenAudit', '--now', TO, '--verify-logs', '--format', 'json,html', '--quiet']);
    expect(r.stderr).not.toMatch(/internal error/);
    const report = JSON.parse(readFileSync(join(r.cwd, 'trailwarden-out/trailwarden-report.json'), 'utf8')) as {
      findings: { checkId: string; status: string; messageId?: string; resource: { name: string } }[];
    };
    const integrity = report.findings.filter((f) => f.checkId === 'trail-log-integrity').map((f) => [f.resource.name, f.status, f.messageId ?? null]);
    expect(integrity).toEqual(
      expect.arrayContaining([
        ['org-trail', 'FAIL', 'tampered'],
        ['audit-trail', 'ERROR', 'unreadFiles'],
      ]),
    );
    const html = readFileSync(join(r.cwd, 'trailwarden-out/trailwarden-report.html'), 'utf8');
    expect(html).toContain('id="log-integrity"');
    expect(html).toContain('200000000006 us-east-1');
    expect(html).toContain('class="tl-unexplained"');
    expect(sim.counters().mutations).toBe(0);
  }, 240_000);
});
