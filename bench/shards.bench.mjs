#!/usr/bin/env node
// Sharded collection at scale: `collect()` of @trailwarden/aws against @trailwarden/sim serving a
// generated organization (default 10,000 accounts × 17 regions, 80 ms median latency, AWS's request
// quotas): once in one process, then as N shards run one after another (N = 2, 4, 8), each merged
// (`mergeSnapshotParts`) and evaluated with every built-in check; the merged findings are compared
// with the single run's (fingerprint and status).
//
// Per run: wall, CPU-s, calls answered by the simulator, peak RSS (getrusage maxrss: the process's
// own high-water mark). Targets (issue #15): each shard ≈ 1/N of the single run (±15 %); merged
// findings identical; single-process 10,000 × 17 peak RSS ≤ 1.5 GB. Figures are printed, never asserted.
//
//   npm run bench shards                                   # 10,000 accounts, N = 2,4,8 (slow: hours on 2 cores)
//   node --expose-gc bench/shards.bench.mjs 1000 2,4,8     # account count, shard counts as arguments
//   BENCH_ACCOUNTS=1000 BENCH_SHARDS=2,4 npm run bench shards
// Needs the built packages (`npm run -s build`). The simulator runs in its own process, as AWS is
// not in the collector's; each collect, merge and evaluate runs in a fresh process.
import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const ACCOUNTS = Number(process.argv[2] ?? process.env.BENCH_ACCOUNTS ?? 10_000);
// `none`: the single run only (its peak RSS and the evaluation of its snapshot).
const SHARD_COUNTS = String(process.argv[3] ?? process.env.BENCH_SHARDS ?? '2,4,8')
  .split(',')
  .filter((x) => x && x !== 'none')
  .map(Number);
const REGION_COUNT = Number(process.env.BENCH_REGIONS ?? 17);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 80);
const SEED = 20261202;
const REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'sa-east-1', 'eu-west-1', 'eu-west-2', 'eu-west-3',
  'eu-central-1', 'eu-north-1', 'ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-southeast-1', 'ap-southeast-2', 'af-south-1',
].slice(0, REGION_COUNT);
const NOW = '2026-11-21T16:00:00Z';

const ROLE = process.env.SHARDS_BENCH_ROLE ?? 'main';
if (ROLE === 'simulator') await serveSimulator();
else if (ROLE === 'collect') await collectProcess();
else if (ROLE === 'merge') await mergeProcess();
else if (ROLE === 'evaluate') await evaluateProcess();
else await main();

async function serveSimulator() {
  const { generateWorld, startSimulator } = await import('../packages/sim/dist/index.js');
  const world = generateWorld({ accounts: ACCOUNTS, regions: REGIONS, seed: SEED });
  const sim = await startSimulator({ world, port: 0, inject: { latency: { medianMs: LATENCY_MS, p99Ms: LATENCY_MS * 4 }, quotas: true }, seed: SEED });
  process.send({ url: sim.url, credentials: sim.callerCredentials });
  process.on('message', async (m) => {
    if (m === 'reset') {
      sim.resetCounters();
      process.send({ ok: true });
    }
    if (m === 'counters') process.send({ counters: sim.counters() });
    if (m === 'stop') {
      await sim.stop();
      process.exit(0);
    }
  });
}

/** What a measured child reports: its wall, CPU and peak RSS (getrusage: kilobytes). */
function usage(started, cpu0) {
  const cpu = process.cpuUsage(cpu0);
  return { wallS: round((performance.now() - started) / 1000), cpuS: round((cpu.user + cpu.system) / 1e6), peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) };
}

async function collectProcess() {
  const { collect } = await import('../packages/aws/dist/index.js');
  const { SNAPSHOT_SECTIONS, writeSnapshotFile } = await import('../packages/core/dist/index.js');
  const endpoint = JSON.parse(process.env.SHARDS_BENCH_ENDPOINT);
  const shard = process.env.SHARDS_BENCH_SHARD ? process.env.SHARDS_BENCH_SHARD.split('/').map(Number) : undefined;
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const snapshot = await collect({
    sections: [...SNAPSHOT_SECTIONS],
    endpointUrl: endpoint.url,
    credentials: endpoint.credentials,
    roleName: 'TrailwardenAudit',
    now: () => new Date(NOW),
    ...(shard ? { shard: { index: shard[0], count: shard[1] } } : {}),
  });
  const collected = usage(started, cpu0);
  await writeSnapshotFile(process.env.SHARDS_BENCH_OUT, snapshot);
  process.send({ ...collected, accounts: Object.keys(snapshot.accounts).length }, () => process.exit(0));
}

async function mergeProcess() {
  const { mergeSnapshotParts } = await import('../packages/core/dist/index.js');
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const parts = JSON.parse(process.env.SHARDS_BENCH_PARTS);
  const outcome = await mergeSnapshotParts(parts, process.env.SHARDS_BENCH_OUT);
  process.send({ ...usage(started, cpu0), accounts: outcome.accounts }, () => process.exit(0));
}

async function evaluateProcess() {
  const core = await import('../packages/core/dist/index.js');
  const checks = [];
  for (const dir of readdirSync(join(root, 'checks')).sort()) {
    if (!existsSync(join(root, 'checks', dir, 'dist'))) continue;
    const plugin = await core.loadPlugin(join(root, 'checks', dir), root);
    for (const check of plugin.checks.filter((c) => !c.optIn)) checks.push({ check, plugin: { name: plugin.name }, options: structuredClone(check.options?.defaults ?? {}), source: { file: plugin.file } });
  }
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const snapshot = await core.readSnapshotFile(process.env.SHARDS_BENCH_SNAPSHOT);
  const result = await core.evaluate(snapshot, { checks, now: new Date(NOW) });
  const findings = result.findings.map((f) => `${f.checkId} ${f.fingerprint} ${f.status}`).sort();
  process.send({ ...usage(started, cpu0), findings }, () => process.exit(0));
}

function child(role, env) {
  const c = fork(fileURLToPath(import.meta.url), [String(ACCOUNTS), SHARD_COUNTS.join(',') || 'none'], {
    env: { ...process.env, SHARDS_BENCH_ROLE: role, ...env },
    // V8's default heap limit: a larger one lets garbage pile up and inflates the RSS measured.
    execArgv: [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = () =>
    new Promise((resolve, reject) => {
      const onExit = (code) => reject(new Error(`${role} exited ${code}`));
      c.once('message', (m) => {
        c.off('exit', onExit);
        resolve(m);
      });
      c.once('exit', onExit);
    });
  return { c, next };
}

async function measured(sim, role, env) {
  sim.c.send('reset');
  await sim.next();
  const { c, next } = child(role, env);
  const r = await next();
  await new Promise((resolve) => (c.exitCode === null ? c.once('exit', resolve) : resolve()));
  sim.c.send('counters');
  const { counters } = await sim.next();
  const organizations = Object.entries(counters.byOperation ?? {}).filter(([k]) => k.startsWith('Organizations.')).reduce((n, [, v]) => n + v, 0);
  return { ...r, calls: counters.total - counters.throttled - counters.faults, throttled: counters.throttled, organizationsCalls: organizations };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'tw-bench-shards-'));
  console.log(`shards: ${ACCOUNTS} accounts × ${REGIONS.length} regions, ${LATENCY_MS} ms median latency, AWS quotas; N = ${SHARD_COUNTS.join(', ')} (shards one after another); files in ${dir}`);
  const sim = child('simulator', {});
  const endpoint = await sim.next();
  const env = { SHARDS_BENCH_ENDPOINT: JSON.stringify(endpoint) };
  const single = await measured(sim, 'collect', { ...env, SHARDS_BENCH_OUT: join(dir, 'single.json') });
  console.log(`single: ${fmt(single)}`);
  const singleEval = await measured(sim, 'evaluate', { SHARDS_BENCH_SNAPSHOT: join(dir, 'single.json') });
  console.log(`single evaluate: ${singleEval.wallS} s, ${singleEval.cpuS} CPU-s, peak RSS ${singleEval.peakRssMB} MB, ${singleEval.findings.length} findings`);
  const results = [];
  for (const n of SHARD_COUNTS) {
    const shards = [];
    for (let k = 1; k <= n; k++) {
      const r = await measured(sim, 'collect', { ...env, SHARDS_BENCH_SHARD: `${k}/${n}`, SHARDS_BENCH_OUT: join(dir, `n${n}-part-${k}.json`) });
      const vs = { wall: ratio(r.wallS, single.wallS / n), cpu: ratio(r.cpuS, single.cpuS / n), calls: ratio(r.calls, single.calls / n) };
      shards.push({ shard: `${k}/${n}`, ...r, vsOneNth: vs });
      console.log(`N=${n} shard ${k}: ${fmt(r)}; vs single/N: wall ${vs.wall}×, CPU ${vs.cpu}×, calls ${vs.calls}×`);
    }
    const parts = shards.map((_, i) => join(dir, `n${n}-part-${i + 1}.json`));
    const merge = await measured(sim, 'merge', { SHARDS_BENCH_PARTS: JSON.stringify(parts), SHARDS_BENCH_OUT: join(dir, `n${n}-merged.json`) });
    const evaluated = await measured(sim, 'evaluate', { SHARDS_BENCH_SNAPSHOT: join(dir, `n${n}-merged.json`) });
    const same = evaluated.findings.length === singleEval.findings.length && evaluated.findings.every((f, i) => f === singleEval.findings[i]);
    const expected = new Set(singleEval.findings);
    const got = new Set(evaluated.findings);
    const within = (x) => x >= 0.85 && x <= 1.15;
    const worst = (key) => Math.max(...shards.map((s) => Math.abs(s.vsOneNth[key] - 1)));
    console.log(
      `N=${n} merge: ${merge.wallS} s, ${merge.cpuS} CPU-s, peak RSS ${merge.peakRssMB} MB; merged findings identical to single: ${same}` +
        (same ? '' : ` (missing ${[...expected].filter((f) => !got.has(f)).length}, extra ${[...got].filter((f) => !expected.has(f)).length})`) +
        `; every shard within ±15 % of 1/N: wall ${shards.every((s) => within(s.vsOneNth.wall))}, CPU ${shards.every((s) => within(s.vsOneNth.cpu))}, calls ${shards.every((s) => within(s.vsOneNth.calls))}`,
    );
    results.push({
      n,
      shards: shards.map(({ findings, ...s }) => s),
      merge: { wallS: merge.wallS, cpuS: merge.cpuS, peakRssMB: merge.peakRssMB },
      findingsIdentical: same,
      worstDeviationFromOneNth: { wall: round(worst('wall')), cpu: round(worst('cpu')), calls: round(worst('calls')) },
    });
    for (const p of parts) rmSync(p, { force: true });
  }
  sim.c.send('stop');
  console.log(
    JSON.stringify({
      bench: 'shards',
      node: process.version,
      accounts: ACCOUNTS,
      regions: REGIONS.length,
      latencyMs: LATENCY_MS,
      single: { ...single, findings: undefined },
      singlePeakRssWithin1_5GB: single.peakRssMB <= 1536,
      singleEvaluate: { wallS: singleEval.wallS, cpuS: singleEval.cpuS, peakRssMB: singleEval.peakRssMB, findings: singleEval.findings.length },
      results,
    }),
  );
  rmSync(dir, { recursive: true, force: true });
  process.exit(results.every((r) => r.findingsIdentical) ? 0 : 1);
}

function fmt(r) {
  return `${r.accounts} accounts, ${r.wallS} s wall, ${r.cpuS} CPU-s, ${r.calls} calls (${r.throttled} throttled; ${r.organizationsCalls} to Organizations, which every shard reads whole), peak RSS ${r.peakRssMB} MB`;
}
function ratio(a, b) {
  return b > 0 ? round(a / b) : null;
}
function round(x) {
  return Number(x.toFixed(2));
}
