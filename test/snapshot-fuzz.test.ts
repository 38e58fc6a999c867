// Seeded fuzzing of the snapshot input (issue 12): a valid snapshot is mutated deterministically
// (fields dropped, wrong types, huge strings, odd Unicode, Known errors in place of values) and
// evaluated by every built-in check. Safe outcomes: the schema refuses the snapshot with one clear
// input error, or evaluation completes (never throws) and no check PASSes what it could not know.
// Uses the built checks (checks/*/dist), as the CLI does.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Finding, type LoadedCheck, type Snapshot, evaluate, isInputError, loadPlugin, validateSnapshot } from '@trailwarden/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const NOW = new Date('2026-11-21T12:00:00Z');
const FIXTURE = readFileSync(join(ROOT, 'packages/core/src/__fixtures__/org-snapshot.json'), 'utf8');
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
const CASES_PER_SEED = 8;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = (string | number)[];

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every path in the document, the root excluded. */
function paths(doc: Json, at: Path = [], out: Path[] = []): Path[] {
  const children: [string | number, Json][] = Array.isArray(doc) ? doc.map((v, i) => [i, v]) : doc && typeof doc === 'object' ? Object.entries(doc) : [];
  for (const [k, v] of children) {
    out.push([...at, k]);
    paths(v, [...at, k], out);
  }
  return out;
}

function parentOf(doc: Json, path: Path): { parent: Record<string | number, Json>; key: string | number } {
  let node = doc as Record<string | number, Json>;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, Json>;
  return { parent: node, key: path[path.length - 1] as string | number };
}

const ODD_STRINGS = [
  '\u202eevil\u202c', // bidi override
  '\ud800', // lone surrogate
  '\u0000\u001b[2J\u001b[H', // NUL and a terminal escape
  'e\u0301\u0301\u0301', // combining marks
  '🦆'.repeat(50),
  '',
  ' ',
  '\u2028\u2029',
  '__proto__',
  'constructor',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a policy variable, as text
  '${constructor}',
  '*?*?*?*?*?*?*?*Q',
];
const KNOWN_ERROR = { error: { code: 'AccessDenied', message: 'fuzz: not authorized', operation: 'FuzzRead' } };

type Kind = 'drop' | 'wrongType' | 'hugeString' | 'oddUnicode' | 'knownError';

/** Apply one mutation; returns what it did, or undefined when the chosen spot did not fit. */
function mutate(doc: Json, rand: () => number): { kind: Kind; path: Path } | undefined {
  const all = paths(doc);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)] as T;
  const kind = pick<Kind>(['drop', 'wrongType', 'hugeString', 'oddUnicode', 'knownError', 'knownError']);
  if (kind === 'knownError') {
    // A Known<T> holding a value becomes the error an AWS refusal would have left.
    const known = all.filter((p) => p[p.length - 1] === 'value' && !Array.isArray(parentOf(doc, p).parent));
    if (known.length === 0) return undefined;
    const path = pick(known).slice(0, -1);
    const { parent, key } = parentOf(doc, path);
    parent[key] = structuredClone(KNOWN_ERROR);
    return { kind, path };
  }
  const path = pick(all);
  const { parent, key } = parentOf(doc, path);
  const current = parent[key];
  switch (kind) {
    case 'drop':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      return { kind, path };
    case 'wrongType': {
      const others: Json[] = [42, -1, 1e308, true, null, 'text', [], {}, ['x']].filter((v) => typeof v !== typeof current || Array.isArray(v) !== Array.isArray(current));
      parent[key] = structuredClone(pick(others));
      return { kind, path };
    }
    case 'hugeString':
      if (typeof current !== 'string') return undefined;
      parent[key] = current + 'A'.repeat(200_000 + Math.floor(rand() * 300_000));
      return { kind, path };
    case 'oddUnicode':
      if (typeof current !== 'string') return undefined;
      parent[key] = rand() < 0.5 ? pick(ODD_STRINGS) : `${current}${pick(ODD_STRINGS)}`;
      return { kind, path };
  }
}

const key = (f: Finding) => `${f.checkId}|${f.accountId}|${f.region}|${f.resource.arn}`;

const checks: LoadedCheck[] = [];
let baseline: Map<string, Finding['status']>;

beforeAll(async () => {
  for (const dir of readdirSync(join(ROOT, 'checks')).sort()) {
    if (!existsSync(join(ROOT, 'checks', dir, 'dist'))) continue;
    const plugin = await loadPlugin(join(ROOT, 'checks', dir), ROOT);
    for (const check of plugin.checks) checks.push({ check, plugin: { name: plugin.name }, options: structuredClone(check.options?.defaults ?? {}) });
  }
  const result = await evaluate(validateSnapshot(JSON.parse(FIXTURE), 'fixture'), { checks, now: NOW });
  baseline = new Map(result.findings.map((f) => [key(f), f.status]));
});

describe('snapshot fuzzing', () => {
  it('loads every built-in check and a clean baseline', () => {
    expect(checks.length).toBeGreaterThanOrEqual(15);
    expect([...baseline.values()].filter((s) => s === 'FAIL').length).toBeGreaterThan(10);
  });

  it.each(SEEDS)('seed %i: refused with one input error, or evaluated without a crash and without an unearned PASS', async (seed) => {
    const rand = prng(seed);
    for (let n = 0; n < CASES_PER_SEED; n++) {
      const doc = JSON.parse(FIXTURE) as Json;
      const done: { kind: Kind; path: Path }[] = [];
      const wanted = 1 + Math.floor(rand() * 3);
      for (let tries = 0; done.length < wanted && tries < 20; tries++) {
        const m = mutate(doc, rand);
        if (m) done.push(m);
      }
      const label = `seed ${seed} case ${n}: ${done.map((m) => `${m.kind} ${m.path.join('.')}`).join('; ')}`;

      let snapshot: Snapshot;
      try {
        snapshot = validateSnapshot(doc, 'fuzzed.json');
      } catch (e) {
        // Refused: one clear line naming the file, never a crash of the validator.
        expect(isInputError(e), `${label}: ${String(e)}`).toBe(true);
        expect((e as Error).message, label).toMatch(/^fuzzed\.json/);
        expect((e as Error).message.length, label).toBeLessThan(2000);
        continue;
      }
      const result = await evaluate(snapshot, { checks, now: NOW }).catch((e: unknown) => {
        throw new Error(`${label}: evaluate threw ${String(e)}`);
      });
      // Data that became unknown (a Known error) or of the wrong type (and the schema let it
      // through) can only cost verdicts: no resource may PASS that did not PASS with intact data.
      // (Drops, huge strings and odd text may change a verdict legitimately: a dropped Allow
      // statement does make a principal harmless.)
      if (done.every((m) => m.kind === 'knownError' || m.kind === 'wrongType')) {
        for (const f of result.findings) {
          if (f.status === 'PASS') expect(baseline.get(key(f)), `${label}: unearned PASS ${key(f)}`).toBe('PASS');
        }
      }
      // A check that failed as a whole still speaks for every account (ERRORs), never silence.
      for (const c of result.checks.filter((x) => x.error)) {
        expect(result.findings.filter((f) => f.checkId === c.id && f.status === 'ERROR').length, `${label}: ${c.id}`).toBeGreaterThan(0);
      }
    }
  });
});
