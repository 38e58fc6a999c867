import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** End-to-end: the built CLI, run as a user runs it. */
export const ROOT = resolve(import.meta.dirname, '..');
export const CLI = join(ROOT, 'packages/cli/dist/bin.js');
export const FIXTURES = join(ROOT, 'test/fixtures');
/** A bundled snapshot of a realistic organization (the evaluate path needs no simulator). */
export const DEMO = join(ROOT, 'test/fixtures/org-snapshot.json');
export const NOW = '2026-11-21T12:00:00Z';

export function run(args: string[], cwd = tmp()) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, cwd };
}

export function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'tw-cli-'));
}

export function writePluginPackage(dir: string, body: string, name = 'trailwarden-plugin-acme'): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.2.3', type: 'module', main: 'index.js' }));
  writeFileSync(join(dir, 'index.js'), body);
  return dir;
}

/**
 * Run the CLI asynchronously with the simulator's caller credentials (and no shared AWS config), so a
 * simulator running in the test's own process keeps serving while the CLI talks to it.
 */
export function runWithSimulator(
  sim: { callerCredentials: { accessKeyId: string; secretAccessKey: string } },
  args: string[],
  cwd = tmp(),
): Promise<{ code: number | null; stdout: string; stderr: string; cwd: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: {
        ...process.env,
        NO_COLOR: '1',
        AWS_ACCESS_KEY_ID: sim.callerCredentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: sim.callerCredentials.secretAccessKey,
        AWS_REGION: 'us-east-1',
        AWS_PROFILE: '',
        AWS_CONFIG_FILE: '/nonexistent',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr, cwd }));
  });
}
