/**
 * Seeded fuzzing of the two inputs a pull request controls: the config file and a plugin's
 * metadata (its package.json and its check definition). Whatever the input: never a crash (exit 4
 * or a throw), never a stack trace without --debug; bad input is exit 2 with one line saying what.
 * Cases run through the built CLI's `main` in one process (fuzz-driver.mjs); a failing case prints
 * its seed and input so it can be replayed.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify as toYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DEMO, ROOT, tmp } from '../helpers.js';

const SEED = 0x7a11_2026;
const CORE = join(ROOT, 'packages/core/dist/index.js');
const ARGV = ['evaluate', DEMO, '--format', 'json', '--checks', 'trail-log-file-validation', '-o', 'out'];

/** mulberry32: small, seedable, good enough to pick mutations. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const NASTY_STRINGS = [
  '',
  ' ',
  '\u001b[2J\u001b[HExit 0',
  '\u202eevil',
  '\uD800',
  '[x](https://evil.example/)',
  '../../../../etc/passwd',
  '$' + '{constructor}', // an IAM policy variable, not a template
  '{{accountId}}',
  '*?*?*?*?*?*?*?*?Q',
  'x'.repeat(100_000),
  '__proto__',
  'constructor',
  '2027-02-30',
  '111111111111',
  'eu-west-9',
  'trail-log-file-validaton',
  'secrets-manager:GetSecretValue',
  'lambda:GetFunctionConfiguration',
  'ec2:DescribeLaunchTemplateVersions',
  'http://attacker.example/',
  '\u0000',
  '💥',
];

function randomValue(r: () => number, depth = 0): Json {
  const pick = Math.floor(r() * (depth > 3 ? 6 : 9));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return r() < 0.5;
    case 2:
      return [0, -1, 1e308, 0.5, 2 ** 53, -0, 256, 257][Math.floor(r() * 8)] as number;
    case 3:
    case 4:
    case 5:
      return NASTY_STRINGS[Math.floor(r() * NASTY_STRINGS.length)] as string;
    case 6:
      return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
    default: {
      const o: { [k: string]: Json } = {};
      for (let i = Math.floor(r() * 4); i > 0; i--) o[NASTY_STRINGS[Math.floor(r() * NASTY_STRINGS.length)] as string] = randomValue(r, depth + 1);
      return o;
    }
  }
}

/** Replace, delete or add at a random path of `value`, `n` times. */
function mutate(value: Json, r: () => number, n: number): Json {
  let root = structuredClone(value);
  for (let i = 0; i < n; i++) {
    const path: (string | number)[] = [];
    let node: Json = root;
    while (node && typeof node === 'object' && r() < 0.7) {
      const keys: (string | number)[] = Array.isArray(node) ? node.map((_, j) => j) : Object.keys(node);
      if (keys.length === 0) break;
      const k = keys[Math.floor(r() * keys.length)] as string | number;
      path.push(k);
      node = (node as Record<string | number, Json>)[k] as Json;
    }
    if (path.length === 0) {
      if (r() < 0.2) root = randomValue(r);
      else if (root && typeof root === 'object' && !Array.isArray(root)) root[NASTY_STRINGS[Math.floor(r() * NASTY_STRINGS.length)] as string] = randomValue(r);
      continue;
    }
    const parent = path.slice(0, -1).reduce<Json>((p, k) => (p as Record<string | number, Json>)[k] as Json, root) as Record<string | number, Json>;
    const last = path[path.length - 1] as string | number;
    const op = r();
    if (op < 0.6) parent[last] = randomValue(r);
    else if (op < 0.8 && !Array.isArray(parent)) delete parent[last];
    else if (Array.isArray(parent)) parent.push(randomValue(r));
    else parent[`${String(last)}x`] = randomValue(r);
  }
  return root;
}

const VALID_CONFIG: Json = {
  checks: { 'trail-log-file-validation': { severity: 'high' }, 'trail-insights': 'off' },
  scope: { regions: ['us-east-1'], accounts: ['111111111111'] },
  aws: { roleName: 'Audit', concurrency: 4 },
  failOn: 'high',
  output: { formats: ['json'] },
  reporters: { sarif: { includeErrors: true } },
  exceptions: [{ id: 'e1', check: 'trail-log-file-validation', accounts: ['111111111111'], reason: 'r', approver: 'a@example.com', expires: '2027-01-01' }],
  collection: { allow: ['ec2:GetSerialConsoleAccessStatus'] },
  scanTimeout: '30m',
};

/** Text damage a hand edit or a hostile author can do: cut it, splice bytes, or a YAML alias bomb. */
function damageText(text: string, r: () => number): string {
  const op = r();
  if (op < 0.3) return text.slice(0, Math.floor(r() * text.length));
  if (op < 0.6) {
    const at = Math.floor(r() * text.length);
    return text.slice(0, at) + ['{', ']', ':', '\u0000', '&a', '*a', '!!js/function', '\t- ', '"'][Math.floor(r() * 9)] + text.slice(at);
  }
  return 'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n';
}

interface Case {
  cwd: string;
  argv: string[];
  input: string;
}

function configCases(count: number): Case[] {
  const r = rng(SEED);
  return Array.from({ length: count }, (_, i) => {
    const cwd = tmp();
    const config = mutate(VALID_CONFIG, r, 1 + Math.floor(r() * 4));
    const yaml = r() < 0.5;
    let text = yaml ? toYaml(config) : JSON.stringify(config);
    if (r() < 0.25) text = damageText(text, r);
    const file = yaml ? 'trailwarden.config.yaml' : 'trailwarden.config.json';
    writeFileSync(join(cwd, file), text);
    return { cwd, argv: [...ARGV, ...(i % 3 === 0 ? ['--quiet'] : [])], input: `${file}:\n${text.slice(0, 2000)}` };
  });
}

const VALID_CHECK: Json = {
  kind: 'trailwarden-check',
  id: 'fuzz-check',
  meta: { title: 'Fuzz', description: 'd', severity: 'low', resource: 'AWS::::Account', remediation: { text: 'r' }, messages: { ok: 'ok {{x}}' } },
  requires: ['trails', 'buckets'],
  options: { schema: { type: 'object', properties: { n: { type: 'integer' } } }, defaults: { n: 1 } },
  collect: { data: { command: 'cloudtrail:ListTags', per: 'trail', input: { ResourceIdList: ['{{trail.arn}}'] }, select: ['ResourceTagList'] } },
};
const VALID_PACKAGE: Json = { name: 'trailwarden-plugin-fuzz', version: '1.0.0', type: 'module', main: 'index.js' };

function pluginCases(count: number): Case[] {
  const r = rng(SEED ^ 0x5eed);
  return Array.from({ length: count }, () => {
    const cwd = tmp();
    const dir = join(cwd, 'p');
    mkdirSync(dir);
    const pkg = r() < 0.3 ? mutate(VALID_PACKAGE, r, 1 + Math.floor(r() * 2)) : VALID_PACKAGE;
    let pkgText = JSON.stringify(pkg);
    if (r() < 0.1) pkgText = damageText(pkgText, r);
    // `main` must keep pointing at a file the fuzzer wrote, or every case is "cannot import".
    writeFileSync(join(dir, 'package.json'), pkgText);
    // Some cases keep a valid definition, so the fuzzer reaches plugins that load and run too.
    const check = r() < 0.25 ? VALID_CHECK : mutate(VALID_CHECK, r, 1 + Math.floor(r() * 3));
    const withEvaluate = r() < 0.85;
    const source = `import { defineCheck } from '${CORE}';
const meta = ${JSON.stringify(check)};
export default ${withEvaluate ? 'meta && typeof meta === "object" && !Array.isArray(meta) ? { ...meta, evaluate() {} } : meta' : 'meta'};
`;
    const main = typeof (pkg as Record<string, Json>)?.main === 'string' ? ((pkg as Record<string, Json>).main as string) : 'index.js';
    for (const f of new Set(['index.js', main.replace(/^(\.\.\/)+/, '').slice(0, 100) || 'index.js'])) {
      try {
        writeFileSync(join(dir, f), source);
      } catch {
        // A main that is not a writable file name: the loader must say so.
      }
    }
    writeFileSync(join(cwd, 'trailwarden.config.yaml'), 'plugins: [./p]\n');
    return { cwd, argv: ARGV, input: `package.json: ${pkgText.slice(0, 500)}\ncheck: ${JSON.stringify(check).slice(0, 1500)}` };
  });
}

function runCases(cases: Case[]): { code: number | string; stdout: string; stderr: string }[] {
  const file = join(tmp(), 'cases.json');
  writeFileSync(file, JSON.stringify(cases.map(({ cwd, argv }) => ({ cwd, argv }))));
  const out = execFileSync(process.execPath, [join(ROOT, 'test/hostile/fuzz-driver.mjs'), file], { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: '1' } });
  return JSON.parse(out);
}

/** The safe outcomes; anything else names the case. */
function assertSafe(cases: Case[], results: { code: number | string; stdout: string; stderr: string }[]): Record<string, number> {
  const tally: Record<string, number> = {};
  results.forEach((res, i) => {
    const where = `fuzz case ${i} (seed ${SEED}):\n${cases[i]?.input}\n--- stderr:\n${res.stderr.slice(0, 2000)}`;
    tally[String(res.code)] = (tally[String(res.code)] ?? 0) + 1;
    expect([0, 1, 2, 3], where).toContain(res.code);
    expect(res.stderr, where).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
    expect(res.stderr, where).not.toContain('internal error');
    if (res.code === 2) {
      // One line saying what; the only other lines are the announcement of a loaded config or plugin.
      const lines = res.stderr.trim().split('\n').filter((l) => !/^trailwarden: (config|plugin): /.test(l));
      expect(lines, where).toHaveLength(1);
      expect(lines[0], where).toMatch(/^trailwarden: \S/);
    }
  });
  return tally;
}

describe('seeded fuzz: config files', () => {
  it('never crashes, never prints a stack trace; bad input is exit 2 with one line', () => {
    const cases = configCases(160);
    const tally = assertSafe(cases, runCases(cases));
    console.log(`config fuzz outcomes by exit code: ${JSON.stringify(tally)}`);
    // The fuzzer must reach both sides: configs refused and configs that run.
    expect(tally['2'] ?? 0).toBeGreaterThan(40);
    expect((tally['0'] ?? 0) + (tally['1'] ?? 0) + (tally['3'] ?? 0)).toBeGreaterThan(5);
  }, 300_000);
});

describe('seeded fuzz: plugin metadata', () => {
  it('never crashes, never prints a stack trace; bad metadata is exit 2 with one line naming the plugin', () => {
    const cases = pluginCases(50);
    const results = runCases(cases);
    const tally = assertSafe(cases, results);
    for (const [i, res] of results.entries()) {
      if (res.code === 2) expect(res.stderr, `fuzz plugin case ${i}: ${cases[i]?.input}`).toMatch(/plugin |config|collect|check/);
    }
    expect(tally['2'] ?? 0).toBeGreaterThan(15);
    console.log(`plugin fuzz outcomes by exit code: ${JSON.stringify(tally)}`);
    expect((tally['0'] ?? 0) + (tally['1'] ?? 0) + (tally['3'] ?? 0)).toBeGreaterThan(3);
  }, 300_000);
});
