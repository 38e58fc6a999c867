// The worker pool runs the built worker script (packages/core/dist/engine/check-worker.js): build
// @trailwarden/core before running these tests, as for the CLI end-to-end tests.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../model/snapshot.js';
import { loadPlugin } from '../plugin/loader.js';
import { validateSnapshot } from '../snapshot/io.js';
import { type LoadedCheck, evaluate } from './evaluate.js';

const fixture = (): Snapshot =>
  validateSnapshot(JSON.parse(readFileSync(new URL('../__fixtures__/org-snapshot.json', import.meta.url), 'utf8')), 'org-snapshot.json');
const NOW = new Date('2026-11-21T12:00:00Z');
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const POOL_CHECKS = fileURLToPath(new URL('./__fixtures__/pool-checks.mjs', import.meta.url));

async function poolChecks(...ids: string[]): Promise<LoadedCheck[]> {
  const plugin = await loadPlugin(POOL_CHECKS, ROOT);
  return plugin.checks
    .filter((c) => ids.includes(c.id))
    .map((check) => ({ check, plugin: { name: plugin.name }, options: {}, source: { file: plugin.file as string } }));
}

const summary = (findings: { checkId: string; status: string; resource: { name?: string } }[], checkId: string) =>
  findings.filter((f) => f.checkId === checkId).map((f) => `${f.status} ${f.resource.name}`);

describe('evaluate with isolation: workers', () => {
  it('terminates a check stuck in a computation; its FAILs reported before stand, the other checks are untouched', async () => {
    const checks = await poolChecks('pool-spin', 'pool-trails');
    const result = await evaluate(fixture(), { checks, now: NOW, isolation: 'workers', workers: 2 });
    const spin = result.findings.filter((f) => f.checkId === 'pool-spin');
    // FAILs it reported before it got stuck stand (the first finding is sent at once, later ones
    // in batches, so at least the first), then one budget ERROR per account; no PASS.
    const fails = spin.filter((f) => f.status === 'FAIL').map((f) => f.resource.name);
    expect(fails).toContain('acme-org-trail');
    expect(fails.every((n) => n === 'acme-org-trail' || n === 'prod-data-events')).toBe(true);
    expect(spin.some((f) => f.status === 'PASS')).toBe(false);
    const errors = spin.filter((f) => f.status === 'ERROR');
    expect(errors).toHaveLength(6);
    expect(errors.every((f) => /ran past its time budget of 300 ms and was stopped/.test(f.message))).toBe(true);
    expect(result.checks.find((c) => c.id === 'pool-spin')?.error).toMatch(/was stopped/);
    expect(summary(result.findings, 'pool-trails').sort()).toEqual([
      'ERROR acme-dev',
      'ERROR trails homed in eu-west-1',
      'FAIL acme-org-trail',
      'FAIL prod-data-events',
      'PASS security-audit',
    ]);
  });

  it('cuts off an async check that never settles, and survives a check that ends its worker thread', async () => {
    const checks = await poolChecks('pool-hang', 'pool-exit', 'pool-trails');
    // One worker: the queue must carry on past both failures.
    const result = await evaluate(fixture(), { checks, now: NOW, isolation: 'workers', workers: 1 });
    const byCheck = Object.fromEntries(result.checks.map((c) => [c.id, c.error]));
    expect(byCheck['pool-hang']).toMatch(/time budget of 200 ms/);
    expect(byCheck['pool-exit']).toMatch(/worker thread exited with code 7/);
    expect(byCheck['pool-trails']).toBeUndefined();
    expect(result.findings.filter((f) => f.checkId === 'pool-trails' && f.status === 'PASS')).toHaveLength(1);
  });

  it('gives the built-in checks the same findings as in-process evaluation', async () => {
    const checks: LoadedCheck[] = [];
    for (const dir of readdirSync(`${ROOT}checks`).sort()) {
      if (!existsSync(`${ROOT}checks/${dir}/dist/index.js`)) continue;
      const plugin = await loadPlugin(`${ROOT}checks/${dir}`, ROOT);
      for (const check of plugin.checks) {
        checks.push({ check, plugin: { name: plugin.name }, options: structuredClone(check.options?.defaults ?? {}), source: { file: plugin.file as string } });
      }
    }
    expect(checks.length).toBeGreaterThan(10);
    const strip = (r: Awaited<ReturnType<typeof evaluate>>) => ({ ...r, scan: { ...r.scan, startedAt: '', finishedAt: '' } });
    const here = await evaluate(fixture(), { checks, now: NOW, startedAt: NOW });
    const pooled = await evaluate(fixture(), { checks, now: NOW, startedAt: NOW, isolation: 'workers', workers: 2 });
    expect(strip(pooled)).toEqual(strip(here));
  });
});
