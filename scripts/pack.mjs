#!/usr/bin/env node
// Installable tarballs from the checkout, until the packages are on the npm registry.
//   node scripts/pack.mjs [--out DIR]      (npm run pack; default DIR: ./packs)
// Writes:
//   DIR/trailwarden-<v>.tgz               the CLI with every dependency bundled: `npm install -g` it offline
//   DIR/create-trailwarden-check-<v>.tgz  the plugin scaffold, bundled the same way
//   DIR/trailwarden-core-<v>.tgz, DIR/trailwarden-testing-<v>.tgz   the plugin kit (`--from DIR` points a scaffold at them)
//   DIR/publish/*.tgz                     every public package as it would be published (workspace: ranges resolved)
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workspacePackages } from './workspace.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM = 'pnpm@9.15.9';
const say = (line) => process.stderr.write(`trailwarden pack: ${line}\n`);

function must(what, cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) {
    process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
    say(`${what} failed (exit ${r.status ?? r.error?.message})`);
    process.exit(4);
  }
  return r.stdout;
}

const outArg = process.argv.indexOf('--out');
const out = resolve(process.env.INIT_CWD ?? process.cwd(), outArg > 0 ? process.argv[outArg + 1] : join(ROOT, 'packs'));
rmSync(out, { recursive: true, force: true });
const publishDir = join(out, 'publish');
mkdirSync(publishDir, { recursive: true });

const publicPackages = workspacePackages(ROOT).filter((p) => !p.pkg.private);
say(`packing ${publicPackages.length} packages with ${PNPM} (workspace: ranges become versions)…`);
// pnpm pack rewrites `workspace:` ranges to the packages' real versions, as `pnpm publish` would.
// Apache-2.0 travels with the code: each tarball carries the licence text (copied in for the pack only).
const licenceCopies = publicPackages.map((p) => join(ROOT, p.dir, 'LICENSE')).filter((f) => !existsSync(f));
for (const f of licenceCopies) copyFileSync(join(ROOT, 'LICENSE'), f);
process.on('exit', () => {
  for (const f of licenceCopies) rmSync(f, { force: true });
});
const filters = publicPackages.flatMap((p) => ['--filter', `./${p.dir}`]);
must('pnpm pack', 'npx', ['-y', PNPM, '-r', '--workspace-concurrency=2', ...filters, 'exec', 'pnpm', 'pack', '--pack-destination', publishDir], ROOT);

const tarballOf = (name, version) => join(publishDir, `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`);
const byName = new Map(publicPackages.map((p) => [p.name, p]));

/**
 * A tarball with its whole dependency tree inside (npm's bundleDependencies): installs with no registry
 * and none of our packages published. Our own packages come from their packed tarballs; third-party ones
 * from the registry at pack time, at the lockfile's versions where the ranges allow.
 */
function bundle(name) {
  const p = byName.get(name);
  const stage = mkdtempSync(join(tmpdir(), 'tw-pack-'));
  try {
    must(`unpack ${name}`, 'tar', ['-xzf', tarballOf(name, p.pkg.version), '-C', stage], ROOT);
    const dir = join(stage, 'package');
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const ours = Object.fromEntries([...byName.values()].map((q) => [q.name, `file:${tarballOf(q.name, q.pkg.version)}`]));
    const deps = { ...pkg.dependencies };
    const staged = {
      ...pkg,
      dependencies: Object.fromEntries(Object.entries(deps).map(([n, v]) => [n, ours[n] ?? v])),
      overrides: ours,
    };
    delete staged.devDependencies;
    writeFileSync(join(dir, 'package.json'), JSON.stringify(staged, null, 2));
    must(`npm install for ${name}`, 'npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--ignore-scripts', '--install-links', '--loglevel=error'], dir);
    rmSync(join(dir, 'package-lock.json'), { force: true });
    const pruned = pruneForRuntime(join(dir, 'node_modules'));
    say(`${name}: left out ${pruned} type-declaration and source-map files of its dependencies (not needed to run it)`);
    const final = { ...pkg, bundleDependencies: Object.keys(deps).sort() };
    delete final.devDependencies;
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify(final, null, 2)}\n`);
    const file = must(`npm pack ${name}`, 'npm', ['pack', '--pack-destination', out, '--loglevel=error'], dir).trim().split('\n').pop();
    return join(out, file);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/** Delete what running needs not: `.d.ts` files, `dist-types/` folders and source maps (half the files of the SDK). */
function pruneForRuntime(dir) {
  let count = 0;
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) {
        if (entry.name === 'dist-types') {
          count += countFiles(path);
          rmSync(path, { recursive: true, force: true });
        } else walk(path);
      } else if (/\.d\.[cm]?ts$|\.map$/.test(entry.name)) {
        rmSync(path, { force: true });
        count++;
      }
    }
  };
  const countFiles = (d) => readdirSync(d, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? countFiles(join(d, e.name)) : 1), 0);
  if (existsSync(dir)) walk(dir);
  return count;
}

say('bundling the CLI (trailwarden) and the scaffold with their dependencies…');
const written = [bundle('trailwarden'), bundle('create-trailwarden-check')];
for (const kit of ['@trailwarden/core', '@trailwarden/testing']) {
  const src = tarballOf(kit, byName.get(kit).pkg.version);
  const dest = join(out, src.split('/').pop());
  copyFileSync(src, dest);
  written.push(dest);
}
for (const f of written) process.stdout.write(`${f}\n`);
say(`done: ${written.length} installable tarballs in ${out}, ${readdirSync(publishDir).length} publishable ones in ${publishDir}`);
if (!existsSync(written[0])) process.exit(4);
