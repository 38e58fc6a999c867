import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type InputError, isInputError } from '@trailwarden/core';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from './cli.js';
import { ScaffoldError, defaultCheckId, packageNameProblem, scaffoldCheck } from './index.js';

const temps: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'tw-scaffold-'));
  temps.push(d);
  return d;
};
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('scaffoldCheck', () => {
  it('writes a ready-to-publish plugin package', () => {
    const dir = join(temp(), 'log-archive');
    const result = scaffoldCheck({ dir, name: '@acme/trailwarden-check-log-archive', coreVersion: '^0.1.0' });
    expect(result.files).toEqual(['.gitignore', 'README.md', 'package.json', 'src/index.test.ts', 'src/index.ts', 'tsconfig.build.json', 'tsconfig.json']);
    expect(result.checkId).toBe('@acme/log-archive');
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({
      name: '@acme/trailwarden-check-log-archive',
      version: '0.1.0',
      type: 'module',
      exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
      files: ['dist', 'README.md'],
      peerDependencies: { '@trailwarden/core': '^0.1.0' },
      scripts: { build: 'tsc -p tsconfig.build.json', test: 'vitest run' },
    });
    expect(pkg.keywords).toEqual(expect.arrayContaining(['trailwarden', 'trailwarden-plugin']));
    expect(Object.keys(pkg.devDependencies).sort()).toEqual(['@trailwarden/core', '@trailwarden/testing', '@types/node', 'typescript', 'vitest']);
    const tsconfig = JSON.parse(readFileSync(join(dir, 'tsconfig.json'), 'utf8'));
    expect(tsconfig.compilerOptions).toMatchObject({ strict: true, module: 'NodeNext', moduleResolution: 'NodeNext' });
    const src = readFileSync(join(dir, 'src/index.ts'), 'utf8');
    expect(src).toContain("id: '@acme/log-archive'");
    // A required option: no faked default ('' with a pattern that admits it), no silent skipping.
    expect(src).toContain("pattern: '^\\\\d{12}$'");
    expect(src).toContain("required: ['logArchiveAccountId']");
    expect(src).toContain('defaults: {}');
    expect(src).toContain('logArchiveAccountId');
    const test = readFileSync(join(dir, 'src/index.test.ts'), 'utf8');
    expect(test).toMatch(/new CheckTester\(\)\.run\(check, \{\s+valid: \[/);
    expect(test).toContain('invalid: [');
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    for (const heading of ['**What.**', '**Why.**', '**How it decides.**', '**Remediation.**', '## Options', '## Frameworks', 'plugins:']) expect(readme).toContain(heading);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toContain('node_modules/');
  });

  it("defaults the core range to this scaffold's own version", () => {
    const dir = join(temp(), 'x');
    scaffoldCheck({ dir, name: 'trailwarden-check-x' });
    const own = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).peerDependencies['@trailwarden/core']).toBe(`^${own}`);
  });

  it('refuses a non-empty directory and writes nothing', () => {
    const dir = temp();
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    expect(() => scaffoldCheck({ dir, name: 'my-check' })).toThrow(ScaffoldError);
    const err = (() => {
      try {
        scaffoldCheck({ dir, name: 'my-check' });
      } catch (e) {
        return e;
      }
    })();
    expect(isInputError(err)).toBe(true);
    expect((err as InputError).exitCode).toBe(2);
    expect(() => scaffoldCheck({ dir, name: 'my-check' })).toThrow(/is not empty \(notes\.txt\); choose a new directory, nothing was written/);
  });

  it('accepts an empty existing directory', () => {
    const dir = temp();
    mkdirSync(join(dir, '.git'));
    expect(scaffoldCheck({ dir, name: 'my-check' }).files).toContain('package.json');
  });

  it('validates the package name (npm rules) and the check id', () => {
    expect(packageNameProblem('My-Check')).toMatch(/lower-case/);
    expect(packageNameProblem('.hidden')).toMatch(/must not start/);
    expect(packageNameProblem('a b')).toMatch(/may contain only/);
    expect(packageNameProblem('@acme/ok-name')).toBeUndefined();
    expect(packageNameProblem('x'.repeat(215))).toMatch(/214/);
    const dir = join(temp(), 'p');
    expect(() => scaffoldCheck({ dir, name: 'Bad Name' })).toThrow(/package name "Bad Name" must be lower-case/);
    expect(() => scaffoldCheck({ dir, name: 'ok', checkId: 'Not_An_Id' })).toThrow(/check id "Not_An_Id" must be lower-case words joined by dashes/);
  });

  it('derives check ids from package names', () => {
    expect(defaultCheckId('trailwarden-check-log-archive')).toBe('log-archive');
    expect(defaultCheckId('@acme/trailwarden-plugin-tags')).toBe('@acme/tags');
    expect(defaultCheckId('my.check')).toBe('my-check');
    expect(defaultCheckId('trailwarden-')).toBe('check');
  });
});

describe('create-trailwarden-check command', () => {
  it('scaffolds into ./<name> by default and prints next steps', () => {
    const cwd = process.cwd();
    const dir = temp();
    const out: string[] = [];
    try {
      process.chdir(dir);
      expect(main(['@acme/retention'], (s) => out.push(s))).toBe(0);
    } finally {
      process.chdir(cwd);
    }
    expect(JSON.parse(readFileSync(join(dir, 'retention', 'package.json'), 'utf8')).name).toBe('@acme/retention');
    expect(out.join('\n')).toMatch(/Created @acme\/retention \(check @acme\/retention\)[\s\S]*npm test/);
  });

  it('exits 2 with a clear message on bad input', () => {
    const err: string[] = [];
    expect(main([], () => {}, (s) => err.push(s))).toBe(2);
    expect(err[0]).toMatch(/give the package name/);
    expect(main(['x', '--bogus'], () => {}, (s) => err.push(s))).toBe(2);
    expect(err[1]).toMatch(/Unknown option '--bogus'/);
    const dir = temp();
    writeFileSync(join(dir, 'f'), '');
    expect(main(['ok', '--dir', dir], () => {}, (s) => err.push(s))).toBe(2);
    expect(err[2]).toMatch(/is not empty/);
  });
});
