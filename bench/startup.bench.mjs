#!/usr/bin/env node
// Start-up time of the built CLI, next to bare `node -e 0` (`npm run bench startup`):
//   --help, --version     target ≤ 3× bare node
//   checks                target ≤ 300 ms
//   scan → first AWS call target ≤ 400 ms from process start to the first request reaching the endpoint
// Each figure is the median of BENCH_RUNS (default 15) runs, wall clock, plus the median CPU time
// (user + system) of the process — wall time on a busy machine says more about the machine.
// Figures are printed, never asserted.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
// BENCH_CLI: another build's bin.js (e.g. an older checkout's) to compare with.
const CLI = process.env.BENCH_CLI ?? join(ROOT, 'packages/cli/dist/bin.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const cwd = mkdtempSync(join(tmpdir(), 'tw-bench-startup-'));
const PROBE = join(cwd, 'cpu-probe.cjs');
writeFileSync(PROBE, "process.on('exit',()=>{const u=process.cpuUsage();require('fs').writeSync(3,String((u.user+u.system)/1000))})");
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timeCommand(args) {
  const wall = [];
  const cpu = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd, stdio: 'ignore' });
    wall.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.error) throw r.error;
  }
  for (let i = 0; i < Math.min(RUNS, 5); i++) cpu.push(childCpuMs(args));
  return { wallMs: +median(wall).toFixed(1), cpuMs: +median(cpu).toFixed(1) };
}

/** CPU time (user + system) of one run of `node args`, read from the child's own report at exit. */
function childCpuMs(args) {
  const r = spawnSync(process.execPath, ['--require', PROBE, ...args], {
    cwd,
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  return Number(r.output?.[3] ?? Number.NaN);
}

/** Process start → the first HTTP request at a stand-in endpoint (the scan is then stopped). */
async function firstCallMs() {
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    let resolveHit;
    const hit = new Promise((r) => {
      resolveHit = r;
    });
    const server = createServer((_req, res) => {
      resolveHit(process.hrtime.bigint());
      res.writeHead(500).end();
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${server.address().port}`;
    const env = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDBENCH', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'us-east-1', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [CLI, 'scan', '--endpoint-url', url, '--quiet', '-o', join(cwd, 'out')], { cwd, env, stdio: 'ignore' });
    const at = await Promise.race([hit, new Promise((r) => setTimeout(() => r(undefined), 20_000))]);
    child.kill('SIGKILL');
    server.close();
    if (at === undefined) throw new Error('the scan made no AWS call within 20 s');
    samples.push(Number(at - t0) / 1e6);
  }
  return +median(samples).toFixed(1);
}

const bare = timeCommand(['-e', '0']);
const help = timeCommand([CLI, '--help']);
const version = timeCommand([CLI, '--version']);
const checks = timeCommand([CLI, 'checks']);
const firstCall = await firstCallMs();
const rows = [
  ['node -e 0 (bare)', bare, ''],
  ['trailwarden --help', help, `${(help.wallMs / bare.wallMs).toFixed(1)}× bare (target ≤ 3×)`],
  ['trailwarden --version', version, `${(version.wallMs / bare.wallMs).toFixed(1)}× bare (target ≤ 3×)`],
  ['trailwarden checks', checks, 'target ≤ 300 ms'],
];
console.log(`node ${process.version}, median of ${RUNS} runs`);
for (const [name, t, note] of rows) console.log(`${name.padEnd(24)} ${String(t.wallMs).padStart(7)} ms wall ${String(t.cpuMs).padStart(7)} ms cpu   ${note}`);
console.log(`${'scan → first AWS call'.padEnd(24)} ${String(firstCall).padStart(7)} ms wall                   target ≤ 400 ms`);
console.log(JSON.stringify({ bench: 'startup', node: process.version, runs: RUNS, bare, help, version, checks, firstCallMs: firstCall }));
