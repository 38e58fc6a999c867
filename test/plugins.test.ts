import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO, ROOT, run, tmp, writePluginPackage } from './helpers.js';

/** A third-party plugin as its authors would write it: plain ESM importing @trailwarden/core. */
const PLUGIN_SOURCE = `
import { defineCheck, defineReporter } from '@trailwarden/core';

export default {
  checks: [
    defineCheck({
      id: 'acme-trail-naming',
      meta: {
        title: 'Trail names follow the Acme convention',
        description: 'Trail names must start with the configured prefix.',
        severity: 'low',
        resource: 'AWS::CloudTrail::Trail',
        frameworks: { 'acme-policy': ['LOG-7'] },
        remediation: { text: 'Recreate the trail with a compliant name.' },
        messages: { ok: 'Trail {{name}} is named per convention.', bad: 'Trail {{name}} does not start with {{prefix}}.' },
      },
      options: { schema: { type: 'object', properties: { prefix: { type: 'string' } }, additionalProperties: false }, defaults: { prefix: 'acme-' } },
      requires: ['trails'],
      evaluate(ctx) {
        ctx.forEachTrail((t) => {
          const data = { name: t.trail.name, prefix: ctx.options.prefix };
          if (t.trail.name.startsWith(ctx.options.prefix)) ctx.pass(t.resource, 'ok', data);
          else ctx.fail(t.resource, 'bad', data);
        });
      },
    }),
  ],
  reporters: [defineReporter({ id: 'count', extension: '.count.txt', render: (r) => String(r.findings.length) })],
};
`;

const findingsOf = (cwd: string, dir = 'trailwarden-out') =>
  JSON.parse(readFileSync(join(cwd, dir, 'trailwarden-report.json'), 'utf8')).findings as { checkId: string; status: string; resource: { name: string } }[];

describe('plugins', () => {
  it('loads a plugin from a path given in the config, with options, and its reporter', () => {
    const cwd = tmp();
    // A path plugin resolves @trailwarden/core from its own location, so place it inside the repo's
    // node_modules reach: the test project links the workspace core.
    const dir = writePluginPackage(join(cwd, 'local-plugin'), PLUGIN_SOURCE.replace("from '@trailwarden/core'", `from '${join(ROOT, 'packages/core/dist/index.js')}'`));
    writeFileSync(join(cwd, 'trailwarden.config.yaml'), `plugins: [./local-plugin]\nchecks:\n  acme-trail-naming:\n    options: { prefix: acme-org }\n`);
    const r = run(['evaluate', DEMO, '--format', 'json,count', '--checks', 'acme-trail-naming'], cwd);
    // What the config brought in is announced, with version and path, and nothing else.
    expect(r.stderr).toBe(
      `trailwarden: config: ${join(cwd, 'trailwarden.config.yaml')}\ntrailwarden: plugin: trailwarden-plugin-acme 1.2.3 from ${join(cwd, 'local-plugin/index.js')}\n`,
    );
    const findings = findingsOf(cwd);
    expect(findings.map((f) => `${f.resource.name} ${f.status}`)).toEqual(expect.arrayContaining(['acme-org-trail PASS', 'security-audit FAIL']));
    expect(readFileSync(join(cwd, 'trailwarden-out/trailwarden-report.count.txt'), 'utf8')).toBe(String(findings.length));
    expect(dir).toBeTruthy();
  });

  describe('from a packed npm tarball installed into a temp project', () => {
    let project: string;
    beforeAll(() => {
      project = tmp();
      const packs = tmp();
      execFileSync('npx', ['-y', 'pnpm@9.15.9', 'pack', '--pack-destination', packs], { cwd: join(ROOT, 'packages/core'), stdio: 'pipe' });
      const coreTgz = join(packs, readdirSync(packs).find((f) => f.endsWith('.tgz')) as string);
      const pluginDir = writePluginPackage(join(tmp(), 'trailwarden-plugin-acme'), PLUGIN_SOURCE);
      const pkg = JSON.parse(readFileSync(join(pluginDir, 'package.json'), 'utf8'));
      pkg.peerDependencies = { '@trailwarden/core': '>=0.1.0' };
      writeFileSync(join(pluginDir, 'package.json'), JSON.stringify(pkg));
      execFileSync('npm', ['pack', '--pack-destination', packs], { cwd: pluginDir, stdio: 'pipe' });
      const pluginTgz = join(packs, readdirSync(packs).find((f) => f.startsWith('trailwarden-plugin-acme')) as string);
      writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'audit-project', private: true, type: 'module' }));
      execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', coreTgz, pluginTgz], { cwd: project, stdio: 'pipe' });
      writeFileSync(join(project, 'trailwarden.config.json'), JSON.stringify({ plugins: ['trailwarden-plugin-acme'] }));
    }, 180_000);

    it('runs the installed plugin by package name through the config file', () => {
      const r = run(['evaluate', DEMO, '--format', 'json', '--checks', 'acme-trail-naming,trail-log-file-validation'], project);
      expect(r.stderr).toMatch(/^trailwarden: config: .*trailwarden\.config\.json\ntrailwarden: plugin: trailwarden-plugin-acme 1\.2\.3 from .*node_modules\/trailwarden-plugin-acme\/index\.js\n$/);
      const ids = new Set(findingsOf(project).map((f) => f.checkId));
      expect(ids).toEqual(new Set(['acme-trail-naming', 'trail-log-file-validation']));
      const listed = run(['checks'], project);
      expect(listed.stdout).toMatch(/acme-trail-naming\s+low\s+Trail names follow the Acme convention\s+\[trailwarden-plugin-acme\]/);
    });
  });

  describe('refused at load time, naming the plugin and the problem (exit 2)', () => {
    const refuse = (source: string, pattern: RegExp) => {
      const cwd = tmp();
      writePluginPackage(join(cwd, 'p'), source, 'bad-plugin');
      writeFileSync(join(cwd, 'trailwarden.config.yaml'), 'plugins: [./p]\n');
      const r = run(['evaluate', DEMO], cwd);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    };
    const check = (patch: string) =>
      `export default { kind: 'trailwarden-check', apiVersion: 1, id: 'x-check', requires: ['trails'], evaluate() {},
         meta: { title: 'T', description: 'D', severity: 'low', resource: 'AWS::CloudTrail::Trail', remediation: { text: 'r' }, messages: { a: 'a' } }, ${patch} };`;

    it('bad metadata (severity not a level)', () => {
      refuse(check('').replace("severity: 'low'", "severity: 'urgent'"), /plugin bad-plugin: check "x-check"\.meta\.severity: must be one of "critical", "high", "medium", "low"/);
    });
    it('a missing field', () => {
      refuse(check('').replace("title: 'T', ", ''), /plugin bad-plugin: check "x-check"\.meta: must have required property 'title'/);
    });
    it('an incompatible apiVersion', () => {
      refuse(check('').replace('apiVersion: 1', 'apiVersion: 7'), /plugin bad-plugin: check "x-check" was written for plugin API version 7, this Trailwarden implements version 2 \(and still loads plugins written for version 1\)/);
    });
    it('an options schema that is not a JSON Schema', () => {
      refuse(check("options: { schema: { type: 'objet' }, defaults: {} }"), /plugin bad-plugin: check "x-check"\.options\.schema is not a valid JSON Schema/);
    });
    it('defaults that do not satisfy the options schema', () => {
      refuse(check("options: { schema: { type: 'object', properties: { days: { type: 'integer' } } }, defaults: { days: 'many' } }"), /check "x-check"\.options\.defaults\.days: must be integer/);
    });
    it('a requires section that does not exist', () => {
      refuse(check('').replace("requires: ['trails']", "requires: ['cloudwatch']"), /check "x-check"\.requires\[0\]: must be one of/);
    });
    it('an export that is not a check', () => {
      refuse('export default { hello: 1 };', /plugin bad-plugin: export #0 is neither a check nor a reporter/);
    });
    it('a package that is not installed', () => {
      const cwd = tmp();
      writeFileSync(join(cwd, 'trailwarden.config.yaml'), 'plugins: [trailwarden-plugin-missing]\n');
      const r = run(['evaluate', DEMO], cwd);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/plugin trailwarden-plugin-missing: package not found/);
    });
  });
});
