import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BUILTIN_PACKS, type Check, readmeReference, registerPluginModule, renderReadmeReference } from '@trailwarden/core';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

/**
 * Docs that cannot drift (after typescript-eslint's tests/docs.test.ts): each check package's README
 * carries a reference region generated from the metadata and the framework packs, its hand-written
 * part makes no claim the metadata contradicts, and its tests exercise every message it declares.
 */

// biome-ignore lint/suspicious/noExplicitAny: checks of any option type
type AnyCheck = Check<any, any, any>;

const packages = readdirSync(join(ROOT, 'checks'))
  .filter((dir) => existsSync(join(ROOT, 'checks', dir, 'package.json')))
  .sort()
  .map((dir) => ({ dir, name: (JSON.parse(readFileSync(join(ROOT, 'checks', dir, 'package.json'), 'utf8')) as { name: string }).name }));

async function checksOf(name: string): Promise<AnyCheck[]> {
  return registerPluginModule(await import(name), { name, specifier: name }).checks as AnyCheck[];
}

/** Files under `dir` (skipping node_modules, dist and dot folders) whose name passes `keep`. */
function filesUnder(dir: string, keep: (file: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist' || e.name.startsWith('.')) continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(path, keep));
    else if (e.isFile() && keep(e.name)) out.push(path);
  }
  return out;
}

describe.each(packages)('checks/$dir', ({ dir, name }) => {
  const readme = readFileSync(join(ROOT, 'checks', dir, 'README.md'), 'utf8');

  it('README has the reference generated from the current metadata and packs (else: npm run docs:checks)', async () => {
    const checks = await checksOf(name);
    expect(readmeReference(readme), 'the generated region').toBe(renderReadmeReference(name, checks, BUILTIN_PACKS));
  });

  it('README’s hand-written part names no framework control (those come from the packs)', () => {
    const handWritten = readme.replace(readmeReference(readme) ?? '', '');
    expect(handWritten).not.toMatch(/^\|\s*framework\s*\|/im);
    // Framework ids appear only in example commands (`trailwarden checks --framework cis-aws-3.0.0`).
    for (const line of handWritten.split('\n')) if (/\b(cis-aws-\d|aws-fsbp)\b/.test(line)) expect(line).toMatch(/--framework/);
  });

  it('README’s header agrees with the metadata on severity and resource', async () => {
    const checks = await checksOf(name);
    const header = readme.slice(0, readme.indexOf('\n## '));
    for (const m of header.matchAll(/severity \*\*(critical|high|medium|low)\*\*/g)) expect(checks.map((c) => c.meta.severity)).toContain(m[1]);
    for (const m of header.matchAll(/resource `([A-Za-z0-9]+::[A-Za-z0-9]*::[A-Za-z0-9]+)`/g)) expect(checks.map((c) => c.meta.resource)).toContain(m[1]);
  });

  it('its tests exercise every message id it declares', async () => {
    const checks = await checksOf(name);
    const tests = filesUnder(join(ROOT, 'checks', dir, 'src'), (f) => f.endsWith('.test.ts'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const untested = checks.flatMap((c) => Object.keys(c.meta.messages).filter((id) => !new RegExp(`['"\`]${id}['"\`]`).test(tests)).map((id) => `${c.id}: ${id}`));
    expect(
      untested,
      'message ids no test names (name each in a test, e.g. expect(finding.messageId).toBe(...))',
    ).toEqual([]);
  });

  it('its source names no framework id (the packs map checks to controls)', () => {
    for (const file of filesUnder(join(ROOT, 'checks', dir, 'src'), (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      expect(readFileSync(file, 'utf8'), relative(ROOT, file)).not.toMatch(/\b(cis-aws-\d|aws-fsbp)\b|frameworks\s*:/);
    }
  });
});

describe('framework packs', () => {
  it('name only checks that exist', async () => {
    const ids = new Set((await Promise.all(packages.map((p) => checksOf(p.name)))).flat().map((c) => c.id));
    const unknown = BUILTIN_PACKS.flatMap((p) => p.controls.flatMap((c) => c.checks.filter((id) => !ids.has(id)).map((id) => `${p.id} ${c.id}: ${id}`)));
    expect(unknown).toEqual([]);
  });
});

describe('documents the code points to', () => {
  it('are in the repository: no comment points to design.md, checks.md or a shared folder outside it', () => {
    expect(existsSync(join(ROOT, 'docs/architecture.md'))).toBe(true);
    const sources = ['packages', 'checks', 'reports', 'test', 'scripts', 'bench'].flatMap((d) =>
      filesUnder(join(ROOT, d), (f) => /\.(ts|mjs|js|hbs)$/.test(f) && f !== 'docs.test.ts'),
    );
    const offenders: string[] = [];
    for (const file of sources) {
      const text = readFileSync(file, 'utf8');
      for (const [i, line] of text.split('\n').entries()) {
        if (/\b(design\.md|checks\.md)\b|\/work\/shared|\bshared\/(design|checks)/.test(line)) offenders.push(`${relative(ROOT, file)}:${i + 1}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
