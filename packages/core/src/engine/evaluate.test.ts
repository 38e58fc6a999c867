import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineCheck } from '../plugin/api.js';
import { validateSnapshot } from '../snapshot/io.js';
import type { Snapshot } from '../model/snapshot.js';
import { evaluate, type LoadedCheck } from './evaluate.js';

const fixture = (): Snapshot =>
  validateSnapshot(JSON.parse(readFileSync(new URL('../__fixtures__/org-snapshot.json', import.meta.url), 'utf8')), 'org-snapshot.json');

const NOW = new Date('2026-11-21T12:00:00Z');

const loaded = (check: LoadedCheck['check'], options: Record<string, unknown> = {}): LoadedCheck => ({ check, plugin: { name: 'test' }, options });

const trailNames = defineCheck({
  id: 'test-trail-names',
  meta: {
    title: 'Trails have names',
    description: 'Test check over every trail.',
    severity: 'low',
    resource: 'AWS::CloudTrail::Trail',
    frameworks: { 'cis-aws-3.0.0': ['3.2'] },
    remediation: { text: 'Name it.' },
    messages: { named: 'Trail {{name}} is named.', multi: 'Trail {{name}} is multi-region.' },
  },
  requires: ['trails'],
  evaluate(ctx) {
    ctx.forEachTrail((t) => {
      if (t.trail.isMultiRegionTrail) ctx.fail(t.resource, 'multi', { name: t.trail.name });
      else ctx.pass(t.resource, 'named', { name: t.trail.name });
    });
  },
});

const thrower = defineCheck({
  id: 'test-thrower',
  meta: {
    title: 'Throws',
    description: 'Always throws.',
    severity: 'high',
    resource: 'AWS::::Account',
    remediation: { text: 'n/a' },
    messages: { x: 'x' },
  },
  requires: ['trails'],
  evaluate() {
    throw new TypeError('boom');
  },
});

describe('evaluate', () => {
  it('reports each trail once, in its owner account, never once per shadow copy or member view', async () => {
    const result = await evaluate(fixture(), { checks: [loaded(trailNames)], now: NOW });
    const trails = result.findings.filter((f) => f.resource.type === 'AWS::CloudTrail::Trail');
    expect(trails.map((f) => `${f.accountId} ${f.resource.name} ${f.status}`)).toEqual([
      '111111111111 acme-org-trail FAIL',
      '333333333333 security-audit PASS',
      '444444444444 prod-data-events FAIL',
      // DescribeTrails was denied in eu-west-1: a trail homed only there is unknown, and said so.
      '666666666666 trails homed in eu-west-1 ERROR',
    ]);
    expect(trails[0]?.message).toBe('Trail acme-org-trail is multi-region.');
    expect(trails[0]?.frameworks).toEqual({ 'cis-aws-3.0.0': ['3.2'] });
  });

  it('turns an unreadable account into an ERROR finding that names the failed call, never a PASS', async () => {
    const result = await evaluate(fixture(), { checks: [loaded(trailNames)], now: NOW });
    const dev = result.findings.filter((f) => f.accountId === '555555555555');
    expect(dev).toHaveLength(1);
    expect(dev[0]?.status).toBe('ERROR');
    expect(dev[0]?.message).toMatch(/AssumeRole failed in account 555555555555: AccessDenied/);
  });

  it('a throwing check yields ERROR findings for that check while the others still run', async () => {
    const result = await evaluate(fixture(), { checks: [loaded(thrower), loaded(trailNames)], now: NOW });
    const thrown = result.findings.filter((f) => f.checkId === 'test-thrower');
    expect(thrown.length).toBe(6);
    expect(thrown.every((f) => f.status === 'ERROR' && /threw TypeError: boom/.test(f.message))).toBe(true);
    expect(result.checks.find((c) => c.id === 'test-thrower')?.error).toMatch(/boom/);
    expect(result.findings.some((f) => f.checkId === 'test-trail-names' && f.status === 'PASS')).toBe(true);
  });

  it('a check that runs past its budget becomes an ERROR, its partial verdicts dropped', async () => {
    const slow = defineCheck({
      ...trailNames,
      id: 'test-slow',
      timeoutMs: 20,
      evaluate(ctx) {
        const until = Date.now() + 60;
        for (const a of ctx.accounts()) {
          ctx.pass(a.resource, 'named', { name: a.id });
          while (Date.now() < until) {
            /* busy */
          }
        }
      },
    });
    const result = await evaluate(fixture(), { checks: [loaded(slow)], now: NOW });
    expect(result.findings.every((f) => f.status === 'ERROR' && /time budget of 20 ms/.test(f.message))).toBe(true);
  });

  it('an async check that never settles is cut off at its budget', async () => {
    const hang = defineCheck({ ...trailNames, id: 'test-hang', timeoutMs: 30, evaluate: () => new Promise<void>(() => {}) });
    const result = await evaluate(fixture(), { checks: [loaded(hang)], now: NOW });
    expect(result.findings.every((f) => f.status === 'ERROR')).toBe(true);
  });

  it('a check that throws on one trail gets an ERROR for that trail only; its other findings stand', async () => {
    const picky = defineCheck({
      ...trailNames,
      id: 'test-picky',
      evaluate(ctx) {
        ctx.forEachTrail((t) => {
          // A verdict given before the judgement failed is withdrawn with it.
          ctx.pass(t.resource, 'named', { name: t.trail.name });
          if (t.trail.name === 'security-audit') throw new TypeError("Cannot read properties of undefined (reading 'startsWith')");
        });
      },
    });
    const result = await evaluate(fixture(), { checks: [loaded(picky)], now: NOW });
    const trails = result.findings.filter((f) => f.resource.type === 'AWS::CloudTrail::Trail');
    expect(trails.map((f) => `${f.resource.name} ${f.status}`)).toEqual([
      'acme-org-trail PASS',
      'security-audit ERROR',
      'prod-data-events PASS',
      'trails homed in eu-west-1 ERROR',
    ]);
    const failed = trails.find((f) => f.resource.name === 'security-audit');
    expect(failed?.message).toBe(
      "Cannot decide: check test-picky failed while judging this resource (TypeError: Cannot read properties of undefined (reading 'startsWith')); its data may be malformed or unusual. The check's other findings stand.",
    );
    expect(result.checks[0]?.error).toBeUndefined();
  });

  it('ctx.isolate keeps FAILs given before the failure and findings about other resources', async () => {
    const isolating = defineCheck({
      ...trailNames,
      id: 'test-isolate',
      evaluate(ctx) {
        const [a, b] = ctx.accounts();
        if (!a || !b) throw new Error('fixture has accounts');
        ctx.isolate(a.resource, () => {
          ctx.fail(a.resource, 'multi', { name: 'a' });
          ctx.pass(b.resource, 'named', { name: 'b' });
          throw new RangeError('odd data');
        });
      },
    });
    const result = await evaluate(fixture(), { checks: [loaded(isolating)], now: NOW });
    expect(result.findings.map((f) => `${f.accountId} ${f.status}`)).toEqual(['111111111111 FAIL', '222222222222 PASS']);
    expect(result.findings[0]?.evidence.alsoReported).toEqual([{ status: 'ERROR', message: expect.stringMatching(/RangeError: odd data/) }]);
  });

  it('a check requiring a section the snapshot lacks gets an ERROR naming the section', async () => {
    const snap = fixture();
    snap.sections = snap.sections.filter((s) => s !== 'iam');
    const needsIam = defineCheck({ ...trailNames, id: 'test-iam', requires: ['iam'] });
    const result = await evaluate(snap, { checks: [loaded(needsIam)], now: NOW });
    expect(result.findings[0]?.message).toMatch(/lacks the section\(s\) iam/);
  });

  it('gives identical output for identical input apart from timestamps, sorted', async () => {
    const a = await evaluate(fixture(), { checks: [loaded(trailNames), loaded(thrower)], now: NOW });
    const b = await evaluate(fixture(), { checks: [loaded(thrower), loaded(trailNames)], now: NOW });
    const strip = (r: typeof a) => JSON.stringify({ ...r, scan: { ...r.scan, startedAt: '', finishedAt: '' } });
    expect(strip(a)).toBe(strip(b));
    const keys = a.findings.map((f) => `${f.checkId}|${f.accountId}|${f.region}|${f.resource.arn}`);
    expect(keys).toEqual([...keys].sort());
  });

  it('fingerprints are stable and distinct per (check, account, region, resource)', async () => {
    const r = await evaluate(fixture(), { checks: [loaded(trailNames)], now: NOW });
    const fps = r.findings.map((f) => f.fingerprint);
    expect(new Set(fps).size).toBe(fps.length);
    expect(fps.every((f) => /^[0-9a-f]{32}$/.test(f))).toBe(true);
    const again = await evaluate(fixture(), { checks: [loaded(trailNames)], now: NOW });
    expect(again.findings.map((f) => f.fingerprint)).toEqual(fps);
  });

  it('applies active exceptions, lists expired ones without applying them', async () => {
    const r = await evaluate(fixture(), {
      checks: [loaded(trailNames)],
      now: NOW,
      exceptions: [
        { id: 'org-ok', check: 'test-*', resource: '*:trail/acme-org-trail', reason: 'accepted', approver: 'ciso@acme.example', expires: '2026-12-31' },
        { id: 'old', check: 'test-trail-names', accounts: ['444444444444'], reason: 'was accepted', approver: 'ciso@acme.example', expires: '2026-11-20' },
      ],
    });
    const org = r.findings.find((f) => f.resource.name === 'acme-org-trail');
    expect(org?.status).toBe('FAIL');
    expect(org?.exception).toMatchObject({ id: 'org-ok', reason: 'accepted' });
    const prod = r.findings.find((f) => f.resource.name === 'prod-data-events');
    expect(prod?.exception).toBeUndefined();
    expect(r.exceptions).toEqual([
      expect.objectContaining({ id: 'org-ok', state: 'active', matched: 1 }),
      expect.objectContaining({ id: 'old', state: 'expired', matched: 1 }),
    ]);
  });

  it('coverage lists every collection error with where it sits, and marks failed and partial accounts', async () => {
    const r = await evaluate(fixture(), { checks: [loaded(trailNames)], now: NOW });
    expect(r.coverage.complete).toBe(false);
    const byId = Object.fromEntries(r.coverage.accounts.map((a) => [a.accountId, a]));
    expect(byId['555555555555']?.status).toBe('failed');
    expect(byId['666666666666']?.status).toBe('partial');
    expect(byId['666666666666']?.regions).toContainEqual(expect.objectContaining({ name: 'eu-west-1', status: 'failed' }));
    expect(byId['111111111111']?.status).toBe('read');
    expect(r.coverage.errors.map((e) => `${e.accountId} ${e.operation} ${e.code}`)).toEqual([
      '555555555555 AssumeRole AccessDenied',
      '666666666666 DescribeTrails AccessDenied',
    ]);
  });

  it('reports frameworks with control titles and the worst status of their checks', async () => {
    const r = await evaluate(fixture(), { checks: [loaded(trailNames)], now: NOW });
    const cis = r.frameworks.find((f) => f.id === 'cis-aws-3.0.0');
    const control = cis?.controls.find((c) => c.id === '3.2');
    expect(control).toMatchObject({ title: 'Ensure CloudTrail log file validation is enabled', checks: ['test-trail-names'], status: 'FAIL' });
    // 3.1's check (trail-multi-region) is not in this run: not run, never a pass.
    expect(cis?.controls.find((c) => c.id === '3.1')?.status).toBe('NOT_RUN');
    expect(cis?.controls.find((c) => c.id === '3.3')).toMatchObject({ automation: 'manual', status: 'MANUAL', checks: [] });
  });
});
