// The workspace's packages, and the TypeScript project references derived from their package.json
// dependencies, so that `tsc -b` builds in dependency order and rebuilds only what a change reaches.
// References are generated, never hand-kept: `npm run -s build` writes them, `npm run -s lint` checks them.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const GROUPS = ['packages', 'checks', 'reports'];
const SINGLE = ['test', 'bench'];

/** Every workspace package: { dir (relative to root), name, pkg }. */
export function workspacePackages(root) {
  const dirs = [];
  for (const group of GROUPS) {
    const base = join(root, group);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base).sort()) dirs.push(join(group, name));
  }
  dirs.push(...SINGLE);
  return dirs
    .filter((dir) => existsSync(join(root, dir, 'package.json')))
    .map((dir) => {
      const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
      return { dir, name: pkg.name, pkg };
    });
}

const BUILD_CONFIG = 'tsconfig.build.json';

function workspaceDeps(pkg) {
  // Only what the built code may import: devDependencies serve tests, which the build excludes.
  const all = { ...pkg.peerDependencies, ...pkg.dependencies };
  return Object.entries(all)
    .filter(([, spec]) => String(spec).startsWith('workspace:'))
    .map(([name]) => name);
}

function writeIfChanged(path, value, check) {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  const before = existsSync(path) ? readFileSync(path, 'utf8') : '';
  if (before === text) return false;
  // Formatting alone is not drift: compare the parsed values before calling a file stale.
  try {
    if (JSON.stringify(JSON.parse(before)) === JSON.stringify(value)) return false;
  } catch {}
  if (!check) writeFileSync(path, text);
  return true;
}

/**
 * Make each package's tsconfig.build.json composite with references to its workspace dependencies, and the
 * root tsconfig.build.json a solution of them all. Returns the files that changed (or, with check, would).
 */
export function syncTsconfigReferences(root, { check = false } = {}) {
  const packages = workspacePackages(root).filter((p) => existsSync(join(root, p.dir, BUILD_CONFIG)));
  const byName = new Map(packages.map((p) => [p.name, p]));
  const changed = [];
  for (const p of packages) {
    const path = join(root, p.dir, BUILD_CONFIG);
    const config = JSON.parse(readFileSync(path, 'utf8'));
    const references = workspaceDeps(p.pkg)
      .filter((n) => byName.has(n) && n !== p.name)
      .map((n) => ({ path: relative(join(root, p.dir), join(root, byName.get(n).dir, BUILD_CONFIG)) }))
      .sort((a, b) => a.path.localeCompare(b.path));
    const next = { ...config, compilerOptions: { ...config.compilerOptions, composite: true }, references };
    delete next.compilerOptions.incremental; // implied by composite
    if (writeIfChanged(path, next, check)) changed.push(relative(root, path));
  }
  const solution = {
    files: [],
    references: packages.map((p) => ({ path: `${p.dir}/${BUILD_CONFIG}` })),
  };
  if (writeIfChanged(join(root, BUILD_CONFIG), solution, check)) changed.push(BUILD_CONFIG);
  return changed;
}
