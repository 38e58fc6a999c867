import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluate, loadPlugin, selectChecks } from '@trailwarden/core';
import { account, bucket, organization, snapshot, trail } from '@trailwarden/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaffoldCheck } from './index.js';

/**
 * The generated package must build and pass its own tests out of the box. Offline: instead of
 * installing from a registry, its node_modules links this workspace's built core and testing
 * packages and the repo's typescript, vitest and @types/node.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const nm = (p: string) => realpathSync(join(root, 'node_modules', p));
const tsc = join(nm('typescript'), 'bin', 'tsc');

/** The environment of a child process, without the parent vitest's worker variables. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('VITEST') || k === 'NODE_OPTIONS' || k === 'TEST') delete env[k];
  env.NO_COLOR = '1';
  delete env.FORCE_COLOR;
  return env;
}

function run(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { cwd, env: cleanEnv(), encoding: 'utf8', stdio: 'pipe', timeout: 120_000 });
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${x.stdout ?? ''}\n${x.stderr ?? ''}\n${x.message}`);
  }
}

describe('a scaffolded plugin, end to end', () => {
  let work: string;
  let pkgDir: string;
  let project: string;

  beforeAll(() => {
    // Build the workspace packages the generated plugin depends on (incremental: quick when up to date).
    for (const p of ['packages/core', 'packages/testing']) run(process.execPath, [tsc, '-p', join(root, p, 'tsconfig.build.json')], root);
    work = mkdtempSync(join(tmpdir(), 'tw-scaffold-e2e-'));
    pkgDir = join(work, 'acme-log-archive');
    scaffoldCheck({ dir: pkgDir, name: '@acme/trailwarden-check-log-archive', coreVersion: '^0.1.0' });
    const links: Record<string, string> = {
      '@trailwarden/core': join(root, 'packages/core'),
      '@trailwarden/testing': join(root, 'packages/testing'),
      typescript: nm('typescript'),
      vitest: nm('vitest'),
      '@types/node': nm('@types/node'),
    };
    for (const [name, target] of Object.entries(links)) {
      const at = join(pkgDir, 'node_modules', name);
      mkdirSync(dirname(at), { recursive: true });
      symlinkSync(target, at, 'dir');
    }
  }, 180_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  // Generous limits: these spawn tsc and vitest, slow on a busy machine (about 30 s in all when idle).
  it('typechecks (sources and tests) and builds', { timeout: 180_000 }, () => {
    run(process.execPath, [tsc, '-p', 'tsconfig.json'], pkgDir);
    run(process.execPath, [tsc, '-p', 'tsconfig.build.json'], pkgDir);
    expect(existsSync(join(pkgDir, 'dist/index.js'))).toBe(true);
    expect(existsSync(join(pkgDir, 'dist/index.d.ts'))).toBe(true);
    expect(existsSync(join(pkgDir, 'dist/index.test.js'))).toBe(false);
  });

  it('passes its own tests', { timeout: 180_000 }, () => {
    const out = run(process.execPath, [join(nm('vitest'), 'vitest.mjs'), 'run', '--reporter=verbose'], pkgDir);
    expect(out).toMatch(/Tests\s+5 passed \(5\)/);
  });

  it('packs the build output only, and the tarball installs into a project offline', { timeout: 120_000 }, () => {
    const packed = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], pkgDir)) as { filename: string; files: { path: string }[] }[];
    const files = packed[0]?.files.map((f) => f.path).sort() ?? [];
    expect(files).toEqual(expect.arrayContaining(['README.md', 'dist/index.d.ts', 'dist/index.js', 'package.json']));
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('node_modules/'))).toEqual([]);
    // A user's project: the CLI provides @trailwarden/core; the plugin arrives as a tarball.
    project = join(work, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'project', private: true }));
    // --legacy-peer-deps: do not fetch the peer @trailwarden/core from a registry (offline).
    run('npm', ['install', '--offline', '--legacy-peer-deps', '--no-audit', '--no-fund', '--ignore-scripts', join(work, packed[0]?.filename as string)], project);
    // Linked after the install, which prunes packages package.json does not name.
    mkdirSync(join(project, 'node_modules', '@trailwarden'), { recursive: true });
    symlinkSync(join(root, 'packages/core'), join(project, 'node_modules', '@trailwarden', 'core'), 'dir');
    expect(existsSync(join(project, 'node_modules/@acme/trailwarden-check-log-archive/dist/index.js'))).toBe(true);
  });

  it('loads through the real plugin loader and reports through the engine with options from the config', async () => {
    // Loaded by package name from the project, as `plugins: ['@acme/trailwarden-check-log-archive']` does.
    const plugin = await loadPlugin('@acme/trailwarden-check-log-archive', project);
    expect(plugin).toMatchObject({ name: '@acme/trailwarden-check-log-archive', version: '0.1.0' });
    expect(plugin.checks.map((c) => c.id)).toEqual(['@acme/log-archive']);
    const checks = selectChecks({
      plugins: [plugin],
      config: { checks: { '@acme/log-archive': { options: { logArchiveAccountId: '222222222222' } } } },
      configWhere: 'trailwarden.config.yaml',
    });
    const snap = snapshot({
      organization: organization({ managementAccountId: '111111111111' }),
      accounts: [
        account('111111111111', { trails: [trail({ name: 'org', organization: true, bucket: 'org-logs-bucket' }), trail({ name: 'local' })] }),
        account('222222222222', { buckets: [bucket('org-logs-bucket')] }),
      ],
    });
    const result = await evaluate(snap, { checks, now: new Date(snap.collectedAt) });
    expect(result.findings.map((f) => `${f.status} ${f.resource.name}`)).toEqual(['FAIL local', 'PASS org']);
    expect(result.checks[0]?.plugin).toEqual({ name: '@acme/trailwarden-check-log-archive', version: '0.1.0' });
  });
});
