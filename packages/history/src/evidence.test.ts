import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAjv } from '@trailwarden/core';
import { HOSTILE_TEXT } from '@trailwarden/testing';
import { describe, expect, it } from 'vitest';
import { scanAt } from './__fixtures__/scans.js';
import { History, buildEvidence, escapeHtml, loadEvidenceSchema, renderEvidenceHtml } from './index.js';

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const hasSqlite = major >= 23 || (major === 22 && minor >= 13);

describe.skipIf(!hasSqlite)('buildEvidence', () => {
  it('covers the period: scans, gap days, one window seen by two scans, exceptions, controls; valid against its schema', async () => {
    const h = await History.open(join(mkdtempSync(join(tmpdir(), 'tw-evidence-')), 'h.sqlite'));
    h.record({ result: await scanAt('2026-03-01T10:00:00Z'), snapshotDigest: 'sha256:1', plugins: [] });
    h.record({ result: await scanAt('2026-03-03T10:00:00Z', { start: '2026-03-02T01:00:00Z', end: null, minutes: 300 }), snapshotDigest: 'sha256:2', plugins: [] });
    h.record({ result: await scanAt('2026-03-05T10:00:00Z', { start: '2026-03-02T01:00:00Z', end: '2026-03-02T03:00:00Z', minutes: 120 }), snapshotDigest: 'sha256:3', plugins: [] });
    h.record({ result: await scanAt('2026-04-01T10:00:00Z'), snapshotDigest: 'sha256:out-of-period', plugins: [] });
    const r = buildEvidence(h, new Date('2026-03-01T00:00:00Z'), new Date('2026-03-06T00:00:00Z'), { now: new Date('2026-03-10T00:00:00Z') });
    h.close();
    expect(r.scans.map((s) => s.snapshotDigest)).toEqual(['sha256:1', 'sha256:2', 'sha256:3']);
    expect(r.period.days).toBe(5);
    expect(r.days.covered).toEqual(['2026-03-01', '2026-03-03', '2026-03-05']);
    expect(r.days.gaps).toEqual(['2026-03-02', '2026-03-04']);
    // The sample scans are incomplete (an unreadable account): those days are marked too.
    expect(r.days.incomplete).toEqual(['2026-03-01', '2026-03-03', '2026-03-05']);
    expect(r.blindWindows).toHaveLength(1);
    expect(r.blindWindows[0]).toMatchObject({ start: '2026-03-02T01:00:00Z', end: '2026-03-02T03:00:00Z', durationMinutes: 120, scanIds: [2, 3] });
    expect(r.exceptions.length).toBeGreaterThan(0);
    expect(r.exceptions[0]).toMatchObject({ firstSeen: '2026-03-01T10:00:00.000Z', lastSeen: '2026-03-05T10:00:00.000Z' });
    expect(r.exceptions[0]!.approver).toBeTruthy();
    const control = r.frameworks.flatMap((f) => f.controls).find((c) => c.scans.length === 3)!;
    expect(control.scans.map((s) => s.scanId)).toEqual([1, 2, 3]);

    const validate = createAjv().compile(loadEvidenceSchema());
    expect(validate(JSON.parse(JSON.stringify(r))), JSON.stringify(validate.errors)).toBe(true);

    const html = renderEvidenceHtml(r);
    expect(html).not.toContain('<script');
    expect(html).toContain(escapeHtml(HOSTILE_TEXT));
    expect(html).not.toContain(HOSTILE_TEXT);
    expect(html.match(/class="day gap"/g)).toHaveLength(2);
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'/);
  });
});
