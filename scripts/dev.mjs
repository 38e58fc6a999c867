#!/usr/bin/env node
// The one entry point behind README's commands (`npm run demo`, `npm test`, `npm run bench`, `npm run pack`).
// On a new machine with only Node and npm it: runs under a supported Node line (fetching one with npx when the
// machine's is older), installs the workspace with a pinned pnpm (through npx, never a global one) only when the
// lockfile or a package.json changed, builds incrementally (`tsc -b`), and — for the tests — installs Debian's
// Chromium when it is missing. Each step says what it does as it starts, so a first run is never silent.
// Plain Node, no dependencies: it runs before anything is installed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { postBuild } from './post-build.mjs';
import { syncTsconfigReferences, workspacePackages } from './workspace.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM = 'pnpm@9.15.9';
/** The Node line fetched when the machine's own is older than the supported one (engines: >=22). */
const FETCHED_NODE = 'node@24.21.0';
const MIN_NODE_MAJOR = 22;
const CHROMIUM = '/usr/bin/chromium';

const say = (line) => process.stderr.write(`trailwarden dev: ${line}\n`);

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', ...options });
  if (r.error) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  return r.status ?? 1;
}

function mustRun(what, cmd, args, options) {
  const status = run(cmd, args, options);
  if (status !== 0) {
    say(`${what} failed (exit ${status})`);
    process.exit(status);
  }
}

/** Re-run this script under a supported Node when the machine's is older; returns only if this one is fine. */
function ensureNodeLine() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= MIN_NODE_MAJOR) return;
  if (process.env.TRAILWARDEN_DEV_REEXEC) {
    say(`the fetched Node is ${process.version}, still older than ${MIN_NODE_MAJOR}; giving up`);
    process.exit(4);
  }
  say(`this machine's Node ${process.version} is older than the supported ${MIN_NODE_MAJOR}; running under ${FETCHED_NODE}, fetched with npx`);
  const nodePath = fetchedNodePath();
  // The fetched node goes first on PATH so that npx, pnpm and every script they start run on it too.
  const env = { ...process.env, TRAILWARDEN_DEV_REEXEC: '1', PATH: `${dirname(nodePath)}${delimiter}${process.env.PATH ?? ''}` };
  const r = spawnSync(nodePath, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit', env });
  process.exit(r.status ?? 1);
}

/** The fetched Node's binary: asked of npx once, then remembered (npx takes a second even when it has it cached). */
function fetchedNodePath() {
  const memo = join(ROOT, 'node_modules', '.cache', `trailwarden-${FETCHED_NODE}`);
  if (existsSync(memo)) {
    const remembered = readFileSync(memo, 'utf8').trim();
    if (existsSync(remembered)) return remembered;
  }
  const probe = spawnSync('npx', ['-y', FETCHED_NODE, '-p', 'process.execPath'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const nodePath = probe.stdout?.trim().split('\n').pop();
  if (probe.status !== 0 || !nodePath || !existsSync(nodePath)) {
    say(`could not fetch ${FETCHED_NODE} with npx (exit ${probe.status}); install Node ${MIN_NODE_MAJOR} or newer and run again`);
    process.exit(4);
  }
  mkdirSync(dirname(memo), { recursive: true });
  writeFileSync(memo, nodePath);
  return nodePath;
}

/** What the install depends on: the lockfile and every workspace package.json (content, not mtime: checkouts touch files). */
function installFingerprint() {
  const h = createHash('sha256');
  for (const file of ['pnpm-lock.yaml', 'pnpm-workspace.yaml', 'package.json', ...workspacePackages(ROOT).map((p) => join(p.dir, 'package.json'))]) {
    const path = join(ROOT, file);
    h.update(file).update('\0').update(existsSync(path) ? readFileSync(path) : '');
  }
  return h.digest('hex');
}

function install() {
  const stamp = join(ROOT, 'node_modules', '.trailwarden-install');
  const want = installFingerprint();
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return;
  say(`installing the workspace with ${PNPM} (through npx; lockfile frozen)…`);
  mustRun('install', 'npx', ['-y', PNPM, 'install', '--frozen-lockfile', '--reporter=append-only']);
  writeFileSync(stamp, want);
}

function build() {
  const changed = syncTsconfigReferences(ROOT);
  if (changed.length) say(`tsconfig references updated from package.json: ${changed.join(', ')}`);
  const t0 = Date.now();
  say('building (tsc -b, incremental: only what changed)…');
  mustRun('build', process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'tsconfig.build.json']);
  postBuild(ROOT);
  say(`built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** The HTML report's browser tests drive Debian's Chromium; a missing browser is installed, never skipped. */
function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!isRoot || !hasApt) {
    say(`the browser tests need Debian's Chromium at ${CHROMIUM}; install it (sudo apt-get install -y chromium fonts-dejavu-core) and run again`);
    process.exit(2);
  }
  say(`installing Debian's chromium for the browser tests (apt-get; once per machine)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  mustRun('apt-get update', 'apt-get', ['update', '-qq'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  mustRun('apt-get install chromium', 'apt-get', ['install', '-y', '-qq', 'chromium', 'fonts-dejavu-core'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
}

const bin = (rel) => join(ROOT, 'node_modules', rel);

function bootstrap() {
  install();
  build();
}

const TASKS = {
  bootstrap,
  build() {
    install();
    build();
  },
  demo(args) {
    bootstrap();
    say('starting the demo scan');
    return run(process.execPath, [join(ROOT, 'packages/cli/dist/bin.js'), 'demo', ...args], { cwd: process.env.INIT_CWD ?? ROOT });
  },
  cli(args) {
    bootstrap();
    // `npm run -s trailwarden -- …` works in the folder the user ran it from (their config, their -o).
    return run(process.execPath, [join(ROOT, 'packages/cli/dist/bin.js'), ...args], { cwd: process.env.INIT_CWD ?? ROOT });
  },
  lint() {
    install();
    const stale = syncTsconfigReferences(ROOT, { check: true });
    if (stale.length) {
      say(`tsconfig references disagree with package.json in: ${stale.join(', ')} (run: npm run -s build)`);
      return 1;
    }
    return run(bin('@biomejs/biome/bin/biome'), ['lint', '.']);
  },
  test(args) {
    bootstrap();
    ensureChromium();
    const lint = TASKS.lint();
    if (lint !== 0) return lint;
    say(`running the test suite on Node ${process.version}`);
    return run(process.execPath, [bin('vitest/vitest.mjs'), 'run', '--config', 'test/vitest.config.ts', ...args]);
  },
  bench(args) {
    bootstrap();
    return run(process.execPath, [join(ROOT, 'bench/run.mjs'), ...args]);
  },
  'check-readmes'() {
    bootstrap();
    return run(process.execPath, [join(ROOT, 'scripts/check-readmes.mjs')]);
  },
  pack(args) {
    bootstrap();
    return run(process.execPath, [join(ROOT, 'scripts/pack.mjs'), ...args]);
  },
};

const [task, ...args] = process.argv.slice(2);
if (!task || !(task in TASKS)) {
  say(`usage: node scripts/dev.mjs <${Object.keys(TASKS).join('|')}> [args]`);
  process.exit(2);
}
ensureNodeLine();
process.exit((await TASKS[task](args)) ?? 0);
