import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO, ROOT, tmp } from './helpers.js';

/**
 * Trailwarden as users get it before anything is published: `npm run pack` makes the tarballs, the CLI
 * installs globally with no registry (`--offline`), and runs in the user's own folder with the user's
 * own config. The scaffold, pointed at the kit's tarballs, gives a plugin that installs, builds and tests.
 */
function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: 'pipe', env: { ...cleanEnv(), ...env }, timeout: 1_200_000 });
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string; message: string; status?: number };
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${x.status}:\n${x.stdout ?? ''}\n${x.stderr ?? ''}`);
  }
}

/** A child's environment without this vitest worker's variables (a nested vitest would take them as its own). */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env, NO_COLOR: '1' };
  for (const k of Object.keys(env)) if (k.startsWith('VITEST') || k === 'NODE_OPTIONS' || k === 'TEST') delete env[k];
  return env;
}

describe('installed from the packed tarballs', () => {
  let packs: string;
  let prefix: string;
  beforeAll(() => {
    packs = join(tmp(), 'packs');
    sh(process.execPath, [join(ROOT, 'scripts/pack.mjs'), '--out', packs], ROOT);
    prefix = tmp();
    // --offline: every dependency is inside the tarball; nothing is fetched, nothing needs publishing.
    sh('npm', ['install', '-g', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, join(packs, tgz(packs, 'trailwarden-0'))], ROOT);
  }, 1_800_000);

  const tgz = (dir: string, start: string) => {
    const f = readdirSync(dir).find((n) => n.startsWith(start) && n.endsWith('.tgz'));
    if (!f) throw new Error(`no ${start}*.tgz in ${dir}: ${readdirSync(dir).join(', ')}`);
    return f;
  };

  it('gives a `trailwarden` command that runs in the user folder and honours its config', () => {
    const bin = join(prefix, 'bin', 'trailwarden');
    expect(sh(bin, ['--version'], tmp()).trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'packages/cli/package.json'), 'utf8')).version);
    const project = tmp();
    writeFileSync(join(project, 'trailwarden.config.yaml'), 'checks:\n  trail-insights: off\noutput: { dir: audit-reports, formats: [json] }\n');
    let out = '';
    try {
      out = sh(bin, ['evaluate', DEMO, '--now', '2026-11-21T12:00:00Z'], project);
    } catch (e) {
      // The demo snapshot has FAIL findings: exit 1 is the expected gate, not a failure of the install.
      out = (e as Error).message;
      expect(out).toMatch(/exited 1/);
    }
    const report = JSON.parse(readFileSync(join(project, 'audit-reports', 'trailwarden-report.json'), 'utf8'));
    const ids = new Set(report.checks.map((c: { id: string }) => c.id));
    expect(ids.has('trail-log-file-validation')).toBe(true);
    expect(ids.has('trail-insights')).toBe(false);
    expect(existsSync(join(project, 'audit-reports', 'trailwarden-report.html'))).toBe(false);
    expect(out).toMatch(/audit-reports/);
  });

  it('scaffolds a plugin from the tarballs (--from) that installs, tests and builds outside the monorepo', () => {
    const work = tmp();
    sh('npm', ['exec', '--offline', '--yes', '--package', join(packs, tgz(packs, 'create-trailwarden-check-')), '--', 'create-trailwarden-check', 'trailwarden-check-acme', '--from', packs], work);
    const dir = join(work, 'trailwarden-check-acme');
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg.devDependencies['@trailwarden/core']).toMatch(/^file:.*trailwarden-core-.*\.tgz$/);
    expect(pkg.peerDependencies['@trailwarden/core']).toMatch(/^\^\d/);
    // The kit comes from the tarballs; typescript and vitest from the registry, as for any plugin author.
    sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], dir);
    expect(sh('npm', ['test'], dir)).toMatch(/passed/);
    sh('npm', ['run', 'build'], dir);
    expect(existsSync(join(dir, 'dist', 'index.js'))).toBe(true);
  });
});
