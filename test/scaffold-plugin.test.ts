import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO, ROOT, run, tmp } from './helpers.js';

/**
 * The plugin author's path, end to end, as a user walks it: `trailwarden new check`, build, the
 * generated tests, `npm pack`, install the tarball into a project, enable it in the config, and
 * `trailwarden evaluate`: its findings must appear in every report format.
 * Offline: the generated package's dev tools are linked from this workspace instead of fetched.
 */
const nm = (p: string) => realpathSync(join(ROOT, 'node_modules', p));

function sh(cmd: string, args: string[], cwd: string): string {
  const env = { ...process.env, NO_COLOR: '1' };
  for (const k of Object.keys(env)) if (k.startsWith('VITEST') || k === 'NODE_OPTIONS') delete env[k];
  try {
    return execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: 'pipe', timeout: 240_000 });
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${x.stdout ?? ''}\n${x.stderr ?? ''}`);
  }
}

function link(target: string, at: string): void {
  mkdirSync(dirname(at), { recursive: true });
  symlinkSync(target, at, 'dir');
}

describe('a plugin scaffolded with `trailwarden new check`', () => {
  it('builds, passes its own tests, installs from its tarball and reports in every format', { timeout: 400_000 }, () => {
    const work = tmp();
    const name = '@acme/trailwarden-check-log-archive';
    const created = run(['new', 'check', name, '--dir', 'plugin'], work);
    expect(created.code, created.stderr).toBe(0);
    const pkgDir = join(work, 'plugin');
    for (const [dep, target] of Object.entries({
      '@trailwarden/core': join(ROOT, 'packages/core'),
      '@trailwarden/testing': join(ROOT, 'packages/testing'),
      typescript: nm('typescript'),
      vitest: nm('vitest'),
      '@types/node': nm('@types/node'),
    })) {
      link(target, join(pkgDir, 'node_modules', dep));
    }

    sh(process.execPath, [join(nm('typescript'), 'bin/tsc'), '-p', 'tsconfig.build.json'], pkgDir);
    expect(existsSync(join(pkgDir, 'dist/index.js'))).toBe(true);
    const tests = sh(process.execPath, [join(nm('vitest'), 'vitest.mjs'), 'run'], pkgDir);
    expect(tests).toMatch(/Tests\s+\d+ passed/);

    sh('npm', ['pack', '--ignore-scripts', '--pack-destination', work], pkgDir);
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz')) as string;
    const project = join(work, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'audit', private: true }));
    sh('npm', ['install', '--offline', '--legacy-peer-deps', '--no-audit', '--no-fund', '--ignore-scripts', join(work, tarball)], project);
    // The CLI brings @trailwarden/core; link it after the install (npm prunes what package.json does not name).
    link(join(ROOT, 'packages/core'), join(project, 'node_modules/@trailwarden/core'));

    writeFileSync(
      join(project, 'trailwarden.config.yaml'),
      [`plugins: ["${name}"]`, 'checks:', '  "@acme/log-archive":', '    options: { logArchiveAccountId: "222222222222" }', ''].join('\n'),
    );
    const r = run(['evaluate', DEMO, '--format', 'json,sarif,html,junit', '-o', 'out'], project);
    // Only the announcement of what the config brought in.
    expect(r.stderr).toMatch(new RegExp(`^trailwarden: config: .*trailwarden\\.config\\.yaml\\ntrailwarden: plugin: ${name.replace(/[/@-]/g, '\\$&')} \\S+ from .*\\n$`));
    expect([0, 1, 3]).toContain(r.code);

    const report = JSON.parse(readFileSync(join(project, 'out/trailwarden-report.json'), 'utf8'));
    const own = report.findings.filter((f: { checkId: string }) => f.checkId === '@acme/log-archive');
    expect(own.some((f: { status: string }) => f.status === 'FAIL')).toBe(true);
    expect(report.checks.find((c: { id: string }) => c.id === '@acme/log-archive').plugin).toEqual({ name, version: '0.1.0' });
    const sarif = JSON.parse(readFileSync(join(project, 'out/trailwarden-report.sarif'), 'utf8'));
    expect(sarif.runs[0].results.some((x: { ruleId: string }) => x.ruleId === '@acme/log-archive')).toBe(true);
    expect(readFileSync(join(project, 'out/trailwarden-report.junit.xml'), 'utf8')).toMatch(/<testsuite name="@acme\/log-archive"/);
    expect(readFileSync(join(project, 'out/trailwarden-report.html'), 'utf8')).toContain('@acme/log-archive');
  });
});
