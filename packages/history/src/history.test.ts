import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding } from '@trailwarden/core';
import { sampleScan } from '@trailwarden/testing';
import { describe, expect, it } from 'vitest';
import { History, diffFindings, isWorse } from './index.js';
import { MIGRATIONS } from './schema.js';

const hasSqlite = Number(process.versions.node.split('.')[0]) >= 23 || (process.versions.node.startsWith('22.') && Number(process.versions.node.split('.')[1]) >= 13);
const dir = () => mkdtempSync(join(tmpdir(), 'tw-history-'));

describe.skipIf(!hasSqlite)('History (node:sqlite)', () => {
  it('records a scan and reads it back: counts, findings, checks, controls, exceptions', async () => {
    const file = join(dir(), 'h.sqlite');
    const result = await sampleScan();
    const h = await History.open(file);
    expect(h.schemaVersion).toBe(2);
    const id = h.record({ result, snapshotDigest: 'abc', plugins: [{ name: 'p', version: '1' }] });
    expect(h.scans().map((s) => s.id)).toEqual([id]);
    const scan = h.scan(id)!;
    expect(scan.counts.FAIL).toBe(result.findings.filter((f) => f.status === 'FAIL').length);
    expect(scan.complete).toBe(false);
    expect(scan.plugins).toEqual([{ name: 'p', version: '1' }]);
    // Findings come back exactly as recorded, hostile text included.
    expect(h.findings(id)).toEqual(result.findings);
    expect(h.checkCounts([id]).map((c) => c.checkId)).toEqual(result.checks.map((c) => c.id).sort());
    expect(h.controls([id]).length).toBe(result.frameworks.reduce((n, f) => n + f.controls.length, 0));
    expect(h.exceptions([id]).map((e) => e.approver)).toEqual(result.exceptions.map((e) => e.approver));
    h.close();
    // Reopening migrates nothing and keeps everything.
    const again = await History.open(file);
    expect(again.latest()?.id).toBe(id);
    again.close();
  });

  it('refuses an SQLite file that is not a history, and one from a newer schema, naming the file', async () => {
    const { DatabaseSync } = (await import('node:sqlite' as string)) as { DatabaseSync: new (f: string) => { exec(s: string): void; close(): void } };
    const d = dir();
    const other = new DatabaseSync(join(d, 'other.db'));
    other.exec('CREATE TABLE t (x)');
    other.close();
    await expect(History.open(join(d, 'other.db'))).rejects.toThrow(/other\.db is an SQLite database but not a Trailwarden history file/);
    const newer = new DatabaseSync(join(d, 'newer.db'));
    newer.exec('PRAGMA user_version = 99');
    newer.close();
    await expect(History.open(join(d, 'newer.db'))).rejects.toThrow(/newer\.db has history schema version 99, newer than this Trailwarden knows \(2\)/);
    writeFileSync(join(d, 'text.db'), 'not a database at all, just text '.repeat(100));
    await expect(History.open(join(d, 'text.db'))).rejects.toThrow(/text\.db is not a Trailwarden history file/);
    await expect(History.open(join(d, 'missing.db'), { create: false })).rejects.toThrow(/no history file at .*missing\.db/);
  });

  it('migrates a version 1 file: its findings read back without data, new ones with it', async () => {
    const { DatabaseSync } = (await import('node:sqlite' as string)) as { DatabaseSync: new (f: string) => { exec(s: string): void; close(): void } };
    const file = join(dir(), 'v1.sqlite');
    const v1 = new DatabaseSync(file);
    v1.exec(MIGRATIONS[0]!);
    v1.exec('PRAGMA user_version = 1');
    v1.exec(`INSERT INTO scans VALUES (1, 't', 't', 't', 't', 'aws', 'fixture', NULL, '[]', '[]', '[]', 'trailwarden', '0', '[]', 'd', 1, '{}', 1, 1, 0, 0, 0, 0)`);
    v1.exec(`INSERT INTO findings VALUES (1, 0, 'f', 'c', 'PASS', 'low', '111111111111', 'global', 'arn', 'AWS::::Account', 'n', 'm', 'ok', '{}', '{}', NULL, NULL, NULL, NULL)`);
    v1.close();
    const h = await History.open(file);
    expect(h.schemaVersion).toBe(2);
    expect(h.findings(1)).toEqual([expect.not.objectContaining({ data: expect.anything() })]);
    const result = await sampleScan();
    const id = h.record({ result, snapshotDigest: 'abc', plugins: [] });
    expect(h.findings(id)).toEqual(result.findings);
    expect(result.findings.some((f) => f.data && Object.keys(f.data).length > 0)).toBe(true);
    h.close();
  });

  it('a failing record leaves nothing behind (one transaction)', async () => {
    const h = await History.open(join(dir(), 'h.sqlite'));
    const result = await sampleScan();
    const bad = { ...result, findings: [...result.findings, { ...result.findings[0]!, status: 'MAYBE' as never }] };
    expect(() => h.record({ result: bad, snapshotDigest: 'x', plugins: [] })).toThrow(/CHECK constraint/);
    expect(h.scans()).toEqual([]);
    h.close();
  });

  it('two processes recording at once both land, and the file stays consistent', async () => {
    const file = join(dir(), 'h.sqlite');
    (await History.open(file)).close();
    const runs = await Promise.all([0, 1].map(() => runWriter(file, 20_000)));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const h = await History.open(file);
    expect(h.scans().length).toBe(2);
    for (const s of h.scans()) expect(h.findings(s.id).length).toBe(20_000);
    expect(h.integrityCheck()).toBe('ok');
    h.close();
  });

  it('a writer killed with SIGKILL mid-record leaves the earlier scans intact and no half scan', async () => {
    const file = join(dir(), 'h.sqlite');
    const h0 = await History.open(file);
    const earlier = h0.record({ result: await sampleScan(), snapshotDigest: 'earlier', plugins: [] });
    h0.close();
    // Kill as soon as the writer says it is inside the transaction.
    const r = await runWriter(file, 400_000, true);
    expect(r.signal).toBe('SIGKILL');
    const h = await History.open(file);
    expect(h.integrityCheck()).toBe('ok');
    expect(h.scans().map((s) => s.id)).toEqual([earlier]);
    expect(h.findings(earlier).length).toBeGreaterThan(0);
    h.close();
  });
});

describe('diffFindings', () => {
  const f = (fp: string, status: Finding['status'], severity: Finding['severity'] = 'high'): Finding => ({
    checkId: 'c',
    status,
    severity,
    accountId: '111111111111',
    region: 'us-east-1',
    resource: { arn: `arn:${fp}`, type: 'T', name: fp },
    message: '',
    evidence: {},
    frameworks: {},
    fingerprint: fp,
  });
  it('puts every pair of states in exactly one list; unreadable is never fixed', () => {
    const before = [f('a', 'FAIL'), f('b', 'FAIL'), f('c', 'FAIL'), f('d', 'PASS'), f('e', 'FAIL', 'low'), f('g', 'FAIL'), f('h', 'ERROR'), f('i', 'ERROR'), f('k', 'PASS')];
    const after = [f('a', 'FAIL'), f('b', 'PASS'), f('c', 'ERROR'), f('d', 'FAIL'), f('e', 'FAIL', 'high'), f('h', 'ERROR'), f('i', 'PASS'), f('j', 'FAIL'), f('k', 'PASS')];
    const d = diffFindings(before, after);
    expect(d.stillFailing.map((x) => x.fingerprint)).toEqual(['a']);
    expect(d.fixed.map((x) => x.after.fingerprint)).toEqual(['b']);
    expect(d.newlyUnreadable.map((x) => x.after.fingerprint)).toEqual(['c']);
    expect(d.new.map((x) => x.fingerprint)).toEqual(['d', 'j']);
    expect(d.changed.map((x) => x.after.fingerprint)).toEqual(['e', 'i']);
    expect(d.stillUnreadable.map((x) => x.fingerprint)).toEqual(['h']);
    expect(d.gone.map((x) => x.fingerprint)).toEqual(['g']);
    expect(d.unchanged).toBe(1);
  });
  it('isWorse: newly failing or a higher severity', () => {
    expect(isWorse(undefined, f('a', 'FAIL'))).toBe(true);
    expect(isWorse(f('a', 'FAIL', 'high'), f('a', 'FAIL', 'high'))).toBe(false);
    expect(isWorse(f('a', 'FAIL', 'low'), f('a', 'FAIL', 'high'))).toBe(true);
    expect(isWorse(f('a', 'FAIL', 'high'), f('a', 'FAIL', 'low'))).toBe(false);
    expect(isWorse(f('a', 'ERROR'), f('a', 'FAIL'))).toBe(true);
    expect(isWorse(undefined, f('a', 'ERROR'))).toBe(false);
  });
});

/**
 * A child process (same Node) that records one scan of `findings` findings through the built
 * package. With `killInside`, the parent kills it with SIGKILL once it has started writing.
 */
function runWriter(file: string, findings: number, killInside = false): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const script = fileURLToPath(new URL('./__fixtures__/writer.mjs', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, file, String(findings), killInside ? 'signal' : ''], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d: Buffer) => {
      if (killInside && d.toString().includes('writing')) setTimeout(() => child.kill('SIGKILL'), 30);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

