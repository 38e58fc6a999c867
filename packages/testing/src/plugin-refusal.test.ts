import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PLUGIN_API_VERSION, loadPlugin } from '@trailwarden/core';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Plugins as a user installs them (a package on disk, loaded by name from the config's directory):
 * a bad one is refused at load time with a message naming the plugin and the problem.
 */
const root = mkdtempSync(join(tmpdir(), 'tw-refusal-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const meta = {
  title: 'Sample',
  description: 'A sample check.',
  severity: 'low',
  resource: 'AWS::CloudTrail::Trail',
  remediation: { text: 'Fix it.' },
  messages: { ok: 'ok' },
};

/** Write node_modules/<name> with an ESM entry exporting `check` (evaluate added as a function). */
function installPlugin(name: string, check: Record<string, unknown>): void {
  const dir = join(root, 'node_modules', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.2.3', type: 'module', exports: { '.': { default: './index.js' } } }));
  writeFileSync(join(dir, 'index.js'), `export default { ...${JSON.stringify(check)}, evaluate() {} };\n`);
}

const base = { kind: 'trailwarden-check', apiVersion: PLUGIN_API_VERSION, id: 'acme-sample', meta, requires: ['trails'] };

describe('load-time refusal of bad plugins', () => {
  it('loads a good plugin by package name', async () => {
    installPlugin('@acme/good', base);
    const plugin = await loadPlugin('@acme/good', root);
    expect(plugin).toMatchObject({ name: '@acme/good', version: '1.2.3' });
    expect(plugin.checks.map((c) => c.id)).toEqual(['acme-sample']);
  });

  it('refuses a check written for another plugin API version, naming the plugin and both versions', async () => {
    installPlugin('@acme/from-the-future', { ...base, apiVersion: PLUGIN_API_VERSION + 1 });
    await expect(loadPlugin('@acme/from-the-future', root)).rejects.toThrow(
      `plugin @acme/from-the-future: check "acme-sample" was written for plugin API version ${PLUGIN_API_VERSION + 1}, this Trailwarden implements version ${PLUGIN_API_VERSION}`,
    );
  });

  it('refuses an options schema that is not a valid JSON Schema', async () => {
    installPlugin('@acme/bad-schema', { ...base, options: { schema: { type: 'object', properties: { days: { type: 'integr' } } }, defaults: {} } });
    await expect(loadPlugin('@acme/bad-schema', root)).rejects.toThrow(/^plugin @acme\/bad-schema: check "acme-sample"\.options\.schema is not a valid JSON Schema: .*type/);
  });

  it('refuses defaults that break the options schema', async () => {
    installPlugin('@acme/bad-defaults', { ...base, options: { schema: { type: 'object', properties: { days: { type: 'integer', minimum: 1 } } }, defaults: { days: 0 } } });
    await expect(loadPlugin('@acme/bad-defaults', root)).rejects.toThrow(
      'plugin @acme/bad-defaults: check "acme-sample".options.defaults.days: must be >= 1 (the defaults must satisfy the options schema)',
    );
  });

  it('refuses bad metadata, naming the field', async () => {
    installPlugin('@acme/bad-meta', { ...base, meta: { ...meta, severity: 'urgent', docz: 'x' } });
    const err = await loadPlugin('@acme/bad-meta', root).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/^plugin @acme\/bad-meta: /);
    expect((err as Error).message).toContain('check "acme-sample".meta.severity: must be one of "critical", "high", "medium", "low"');
    expect((err as Error).message).toContain('check "acme-sample".meta.docz: is not a known field');
  });

  it('refuses a missing package with how to install it', async () => {
    await expect(loadPlugin('@acme/not-installed', root)).rejects.toThrow(/plugin @acme\/not-installed: package not found from .*; install it \(npm install @acme\/not-installed\)/);
  });
});
