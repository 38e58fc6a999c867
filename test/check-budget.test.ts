// The CLI stops a check stuck past its budget (issue 12 item 2): a plugin check that computes
// forever without calling the context is terminated in its worker thread and becomes ERROR; the
// built-in checks keep their findings and the run ends.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO, NOW, ROOT, run, tmp, writePluginPackage } from './helpers.js';

const STUCK_PLUGIN = `
import { defineCheck } from '${join(ROOT, 'packages/core/dist/index.js')}';

export default defineCheck({
  id: 'acme-stuck',
  meta: {
    title: 'Never finishes',
    description: 'Reports one FAIL, then computes forever without calling the context.',
    severity: 'high',
    resource: 'AWS::CloudTrail::Trail',
    remediation: { text: 'n/a' },
    messages: { bad: 'Trail {{name}} is suspicious.' },
  },
  requires: ['trails'],
  timeoutMs: 500,
  evaluate(ctx) {
    let first = true;
    ctx.forEachTrail((t) => {
      if (first) ctx.fail(t.resource, 'bad', { name: t.trail.name });
      first = false;
    });
    for (;;) {}
  },
});
`;

describe('check budgets in the CLI', () => {
  it('terminates a stuck plugin check: ERROR for it, its earlier FAIL kept, every other check intact', () => {
    const cwd = tmp();
    writePluginPackage(join(cwd, 'stuck-plugin'), STUCK_PLUGIN, 'trailwarden-plugin-stuck');
    writeFileSync(join(cwd, 'trailwarden.config.yaml'), 'plugins: [./stuck-plugin]\n');
    const r = run(['evaluate', DEMO, '--format', 'json', '--now', NOW], cwd);
    // Only the announcement of what was loaded (every run names its config and non-built-in plugins).
    expect(r.stderr).toMatch(/^trailwarden: config: .*\ntrailwarden: plugin: trailwarden-plugin-stuck 1\.2\.3 from .*\n$/);
    expect(r.code).toBe(1);
    const report = JSON.parse(readFileSync(join(cwd, 'trailwarden-out/trailwarden-report.json'), 'utf8')) as {
      checks: { id: string; error?: string }[];
      findings: { checkId: string; status: string; message: string }[];
    };
    const stuck = report.findings.filter((f) => f.checkId === 'acme-stuck');
    expect(stuck.filter((f) => f.status === 'FAIL')).toHaveLength(1);
    expect(stuck.filter((f) => f.status === 'ERROR').every((f) => /ran past its time budget of 500 ms and was stopped/.test(f.message))).toBe(true);
    expect(stuck.filter((f) => f.status === 'ERROR').length).toBe(6);
    expect(report.checks.find((c) => c.id === 'acme-stuck')?.error).toMatch(/was stopped/);
    const others = report.checks.filter((c) => c.id !== 'acme-stuck');
    expect(others.length).toBeGreaterThan(10);
    // No other check was stopped (the fixture predates some sections: those checks say "not collected").
    expect(others.filter((c) => /stopped|time budget/.test(c.error ?? ''))).toEqual([]);
    expect(report.findings.filter((f) => f.checkId === 'trail-api-least-privilege' && f.status === 'FAIL').length).toBeGreaterThan(5);
  });
});
