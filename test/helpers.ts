import { spawnSync } from 'node:child_process';
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
