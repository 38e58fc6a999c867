import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CHECK_ID_PATTERN, InputError } from '@trailwarden/core';
import { renderFiles } from './templates.js';

export interface ScaffoldOptions {
  /** Directory to create the package in; must not exist or be empty. */
  dir: string;
  /** npm package name, e.g. `trailwarden-check-log-archive` or `@acme/trailwarden-check-log-archive`. */
  name: string;
  /** The sample check's id. Default: derived from the name (`@acme/log-archive`, `log-archive`). */
  checkId?: string;
  description?: string;
  /** Version range of `@trailwarden/core` (and `@trailwarden/testing`) to depend on. Default `^<this scaffold's version>`. */
  coreVersion?: string;
  /**
   * A folder holding the kit's tarballs (`npm run pack` writes trailwarden-core-<v>.tgz and
   * trailwarden-testing-<v>.tgz): the package then installs the kit from there, for use before it is published.
   */
  from?: string;
  /** SPDX license of the generated package. Default Apache-2.0. */
  license?: string;
}

export interface ScaffoldResult {
  /** Absolute directory of the new package. */
  dir: string;
  /** Files written, relative to `dir`, sorted. */
  files: string[];
  checkId: string;
}

/**
 * A scaffolding input that cannot be used: the message says which and why. It is an InputError of
 * @trailwarden/core, so the trailwarden CLI reports it in one line and exits 2.
 */
export class ScaffoldError extends InputError {}

const NPM_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9~][a-z0-9._~-]*$/;

/** npm's rules for a new package name; returns the problem, or undefined when the name is fine. */
export function packageNameProblem(name: string): string | undefined {
  if (!name) return 'is empty';
  if (name.length > 214) return 'is longer than 214 characters';
  if (name !== name.trim()) return 'has leading or trailing spaces';
  if (name !== name.toLowerCase()) return 'must be lower-case';
  if (/^[._]/.test(name)) return 'must not start with . or _';
  if (!NPM_NAME.test(name)) return 'may contain only lower-case letters, digits and - . _ ~ (optionally scoped: @scope/name)';
  if (['node_modules', 'favicon.ico'].includes(name)) return 'is a reserved name';
  return undefined;
}

/** `trailwarden-check-log-archive` → `log-archive`; `@acme/trailwarden-check-x` → `@acme/x`. */
export function defaultCheckId(name: string): string {
  const m = /^(@[^/]+\/)?(.*)$/.exec(name) as RegExpExecArray;
  const scope = m[1] ?? '';
  const base = (m[2] ?? '')
    .replace(/^trailwarden-(check|plugin)s?-/, '')
    .replace(/^trailwarden-/, '')
    .replace(/[._~]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  return `${scope}${base || 'check'}`;
}

function ownVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The kit's tarballs in `dir` (the newest version of each), as `file:` specs; a missing one is named. */
function kitTarballs(dir: string): { core: string; testing: string } {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ScaffoldError(`--from ${dir}: not a directory (make one with \`npm run pack\` in a Trailwarden checkout)`);
  const find = (base: string) => {
    const hits = readdirSync(dir)
      .filter((f) => f.startsWith(`${base}-`) && f.endsWith('.tgz') && /^\d/.test(f.slice(base.length + 1)))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    const last = hits.at(-1);
    if (!last) throw new ScaffoldError(`--from ${dir}: no ${base}-<version>.tgz there (make it with \`npm run pack\` in a Trailwarden checkout)`);
    return `file:${join(dir, last)}`;
  };
  return { core: find('trailwarden-core'), testing: find('trailwarden-testing') };
}

/** Write a ready-to-publish check plugin package: build, tests (with @trailwarden/testing), README. */
export function scaffoldCheck(opts: ScaffoldOptions): ScaffoldResult {
  const nameProblem = packageNameProblem(opts.name);
  if (nameProblem) throw new ScaffoldError(`package name "${opts.name}" ${nameProblem}`);
  const checkId = opts.checkId ?? defaultCheckId(opts.name);
  if (!new RegExp(CHECK_ID_PATTERN).test(checkId) || checkId.length > 100) {
    throw new ScaffoldError(`check id "${checkId}" must be lower-case words joined by dashes, optionally scoped (@acme/log-archive); pass another with --check-id`);
  }
  const dir = resolve(opts.dir);
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new ScaffoldError(`${dir} exists and is not a directory`);
    const entries = readdirSync(dir).filter((e) => e !== '.git');
    if (entries.length > 0) {
      throw new ScaffoldError(`${dir} is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', ...' : ''}); choose a new directory, nothing was written`);
    }
  }
  const kitFrom = opts.from === undefined ? undefined : kitTarballs(resolve(opts.from));
  const files = renderFiles({
    name: opts.name,
    checkId,
    description: opts.description ?? 'Trails must deliver their logs to the designated log-archive account.',
    coreRange: opts.coreVersion ?? `^${ownVersion()}`,
    license: opts.license ?? 'Apache-2.0',
    ...(kitFrom ? { kitFrom } : {}),
  });
  for (const [rel, content] of Object.entries(files)) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return { dir, files: Object.keys(files).sort(), checkId };
}
