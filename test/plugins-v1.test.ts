/**
 * Plugin API v1 still loads: a third-party package written for v1 (defineCheck, positional
 * ctx.pass/fail/notApplicable/error, raw snapshot records) runs through the v1 context and gives
 * the findings its v2 successor gives. The package holds two built-in checks as they were before
 * they moved to v2 (test/fixtures/v1-plugin), so each pair must agree finding for finding.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Finding, type LoadedCheck, type Snapshot, evaluate, loadPlugin, validateSnapshot } from '@trailwarden/core';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const NOW = new Date('2026-11-21T12:00:00Z');
const PAIRS = [
  { v1: 'v1-kms-key-rotation', v2: 'trail-kms-key-rotation', dir: 'kms-key-rotation' },
  { v1: 'v1-insights', v2: 'trail-insights', dir: 'insights' },
];

const denied = { error: { code: 'AccessDenied', message: 'not allowed', operation: 'X' } };
type Accounts = Snapshot['accounts'];
const each = (s: Snapshot, fn: (a: Accounts[string]) => void) => {
  for (const a of Object.values(s.accounts)) fn(a);
};
/** The demo organization as collected, and damaged the ways a real collection can be. */
const VARIANTS: Record<string, (s: Snapshot) => void> = {
  'as collected': () => {},
  'key details not collected': (s) =>
    each(s, (a) => {
      for (const k of Object.values(a.keys ?? {})) {
        delete k.metadata;
        delete k.rotation;
      }
    }),
  'key rotation not collected': (s) =>
    each(s, (a) => {
      for (const k of Object.values(a.keys ?? {})) delete k.rotation;
    }),
  'trail details not collected': (s) =>
    each(s, (a) => {
      for (const t of a.trails?.value ?? []) {
        delete t.insightSelectors;
        delete t.hasInsightSelectors;
      }
    }),
  'reads denied': (s) =>
    each(s, (a) => {
      for (const t of a.trails?.value ?? []) t.insightSelectors = denied;
      for (const k of Object.values(a.keys ?? {})) k.metadata = denied;
    }),
};

let v1Plugin: Awaited<ReturnType<typeof loadPlugin>>;
const loaded: LoadedCheck[] = [];
beforeAll(async () => {
  v1Plugin = await loadPlugin(join(ROOT, 'test/fixtures/v1-plugin'), ROOT);
  for (const c of v1Plugin.checks) loaded.push({ check: c, plugin: { name: v1Plugin.name }, options: { ...(c.options?.defaults ?? {}) } });
  for (const { dir } of PAIRS) {
    const plugin = await loadPlugin(join(ROOT, 'checks', dir, 'src', 'index.ts'), ROOT);
    for (const c of plugin.checks) loaded.push({ check: c, plugin: { name: plugin.name }, options: { ...(c.options?.defaults ?? {}) } });
  }
});

/** What a finding says, without what names its check: an ERROR's message id is new in v2. */
function verdicts(findings: Finding[], checkId: string) {
  return findings
    .filter((f) => f.checkId === checkId)
    .map(({ checkId: _c, fingerprint: _f, frameworks: _fw, messageId, data, ...rest }) => (rest.status === 'ERROR' ? rest : { ...rest, messageId, data }));
}

describe('a plugin written for plugin API v1', () => {
  it('loads, as v1, next to the v2 built-in checks', () => {
    expect(v1Plugin.checks.map((c) => [c.id, c.apiVersion])).toEqual([
      ['v1-kms-key-rotation', 1],
      ['v1-insights', 1],
    ]);
    expect(loaded.filter((l) => l.check.apiVersion === 2).map((l) => l.check.id)).toEqual(['trail-kms-key-rotation', 'trail-insights']);
  });

  for (const [name, damage] of Object.entries(VARIANTS)) {
    it(`gives the findings of its v2 successor: ${name}`, async () => {
      const raw = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/org-snapshot.json'), 'utf8')) as Snapshot;
      damage(raw);
      const result = await evaluate(validateSnapshot(raw, name), { checks: loaded, now: NOW, startedAt: NOW });
      for (const { v1, v2 } of PAIRS) {
        const old = verdicts(result.findings, v1);
        expect(old.length).toBeGreaterThan(0);
        expect(old).toEqual(verdicts(result.findings, v2));
      }
      // v1 errors read as they always did (no message id); v2 ones carry the core id and its data.
      const errors = result.findings.filter((f) => f.status === 'ERROR');
      for (const f of errors.filter((e) => e.checkId.startsWith('v1-'))) expect(f.messageId).toBeUndefined();
      for (const f of errors.filter((e) => !e.checkId.startsWith('v1-'))) {
        expect(f).toMatchObject({ messageId: 'core.cannotDecide', data: { code: (f.evidence.error as { code: string }).code } });
      }
      if (name !== 'as collected') expect(errors.length).toBeGreaterThan(0);
    });
  }
});
