#!/usr/bin/env node
// Collection at scale: `collect()` of @trailwarden/aws against @trailwarden/sim serving a generated
// organization of 1,000 accounts × 17 regions, with 80 ms median latency and AWS's published
// request quotas, then again with 5 % and 20 % injected throttling.
//
// Targets (issue): full scan ≤ 60 s wall on the 2-core machine; collector peak RSS ≤ 512 MB;
// ≤ (regions + 6) calls per account plus per-trail, per-bucket and per-key calls (CloudTrail Lake's
// one ListEventDataStores per region and GetEventDataStore per store are counted apart); zero failed
// reads at 5 % and 20 % throttling with at most 1.1× the calls.
// Figures are printed (one JSON line at the end), never asserted: performance is measured here.
//
// The simulator runs in a child process, as AWS is not in the collector's process either; the RSS
// figures are the collector's own. Needs the built packages (`npm run -s build`).
// Knobs (environment): BENCH_ACCOUNTS (1000), BENCH_REGIONS (17), BENCH_LATENCY_MS (80),
// BENCH_CONCURRENCY (the collector's default), BENCH_RUNS (clean,throttle5,throttle20).
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 1000);
const REGION_COUNT = Number(process.env.BENCH_REGIONS ?? 17);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 80);
const CONCURRENCY = process.env.BENCH_CONCURRENCY ? Number(process.env.BENCH_CONCURRENCY) : undefined;
const RUNS = (process.env.BENCH_RUNS ?? 'clean,throttle5,throttle20').split(',');
const SEED = 20261121;
/** 17 commercial regions, one of them (af-south-1) opt-in, as in a real organization. */
const REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'sa-east-1', 'eu-west-1', 'eu-west-2', 'eu-west-3',
  'eu-central-1', 'eu-north-1', 'ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-southeast-1', 'ap-southeast-2', 'af-south-1',
].slice(0, REGION_COUNT);
const INJECT = {
  clean: {},
  throttle5: { throttleRate: 0.05 },
  throttle20: { throttleRate: 0.2 },
};

const ROLE = process.env.COLLECT_BENCH_ROLE ?? 'main';
if (ROLE === 'simulator') await serveSimulator();
else if (ROLE === 'collector') await collectorProcess(process.env.COLLECT_BENCH_RUN);
else await main();

/** Child process: generate the world and serve it, answering the parent's messages. */
async function serveSimulator() {
  const { generateWorld, startSimulator } = await import('../packages/sim/dist/index.js');
  const world = generateWorld({ accounts: ACCOUNTS, regions: REGIONS, seed: SEED });
  const inject = { latency: { medianMs: LATENCY_MS, p99Ms: LATENCY_MS * 4 }, quotas: true, ...JSON.parse(process.env.COLLECT_BENCH_INJECT ?? '{}') };
  const sim = await startSimulator({ world, port: 0, inject, seed: SEED });
  process.send({ url: sim.url, credentials: sim.callerCredentials });
  process.on('message', async (message) => {
    if (message === 'counters') process.send({ counters: sim.counters(), rss: process.memoryUsage().rss });
    if (message === 'stop') {
      await sim.stop();
      process.exit(0);
    }
  });
}

function startChild(role, env) {
  const child = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, COLLECT_BENCH_ROLE: role, ...env },
    execArgv: [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = () => new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`simulator exited ${code}`)));
  });
  return { child, next };
}

/** Every Known error of a snapshot: `path code`. */
function errorsOf(value, path = '') {
  if (!value || typeof value !== 'object') return [];
  const own = value.error && typeof value.error === 'object' && 'code' in value.error ? [`${path} ${value.error.code}`] : [];
  return own.concat(Object.entries(value).flatMap(([k, v]) => (k === 'error' ? [] : errorsOf(v, `${path}/${k}`))));
}

/** Collector process: one run in a fresh process, so its RSS is its own; reports to the parent. */
async function collectorProcess(name) {
  const { collect } = await import('../packages/aws/dist/index.js');
  const { SNAPSHOT_SECTIONS } = await import('../packages/core/dist/index.js');
  const result = await runOnce(name, collect, [...SNAPSHOT_SECTIONS]);
  process.send(result, () => process.exit(0));
}

async function runOnce(name, collect, sections) {
  const { child, next } = startChild('simulator', { COLLECT_BENCH_INJECT: JSON.stringify(INJECT[name]) });
  const endpoint = await next();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 25);
  let last;
  const started = performance.now();
  let snapshot;
  let failure;
  try {
    snapshot = await collect({
      sections,
      endpointUrl: endpoint.url,
      credentials: endpoint.credentials,
      roleName: 'TrailwardenAudit',
      now: () => new Date('2026-11-21T16:00:00Z'),
      ...(CONCURRENCY ? { concurrency: CONCURRENCY } : {}),
      onProgress: (e) => {
        last = e;
      },
    });
  } catch (err) {
    failure = err;
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  child.send('counters');
  const { counters, rss: simRss } = await next();
  child.send('stop');
  await new Promise((resolve) => child.once('exit', resolve));
  if (failure) return { name, failed: String(failure?.stack ?? failure) };

  const accounts = Object.values(snapshot.accounts);
  const regionsPerAccount = accounts.map((a) => Object.keys(a.trailListing ?? {}).length);
  const ownTrails = accounts.reduce((n, a) => n + (a.trails?.value ?? []).filter((t) => t.ownerAccountId === a.id).length, 0);
  const buckets = accounts.reduce((n, a) => n + Object.keys(a.buckets ?? {}).length, 0);
  const keys = accounts.reduce((n, a) => n + Object.keys(a.keys ?? {}).length, 0);
  const op = (prefix) => Object.entries(counters.byOperation).filter(([k]) => k.startsWith(prefix)).reduce((n, [, v]) => n + v, 0);
  // Calls that answered (throttled and faulted attempts are AWS refusing, then retried).
  const answered = counters.total - counters.throttled - counters.faults;
  const perTrail = op('CloudTrail.GetTrailStatus') + op('CloudTrail.GetEventSelectors') + op('CloudTrail.GetInsightSelectors');
  const perResource = op('S3.GetBucket') + op('S3.GetObjectLock') + op('S3.GetPublicAccessBlock') + op('S3Control.ListAccessPoints') + op('S3Control.GetAccessPoint') + op('KMS.');
  const discovery = op('Organizations.') + op('STS.GetCallerIdentity');
  // CloudTrail Lake: one ListEventDataStores per (account, region), one GetEventDataStore per store listed.
  const eventDataStoreCalls = op('CloudTrail.ListEventDataStores') + op('CloudTrail.GetEventDataStore');
  const perAccountBase = (answered - perTrail - perResource - discovery - eventDataStoreCalls) / accounts.length;
  const avgRegions = regionsPerAccount.reduce((a, b) => a + b, 0) / accounts.length;
  return {
    name,
    seconds: Number(seconds.toFixed(1)),
    collectorPeakRssMB: Math.round(peakRss / 2 ** 20),
    simulatorRssMB: Math.round(simRss / 2 ** 20),
    accounts: accounts.length,
    avgRegionsListed: Number(avgRegions.toFixed(2)),
    ownTrails,
    buckets,
    keys,
    callsSent: counters.total,
    callsAnswered: answered,
    throttled: counters.throttled,
    faults: counters.faults,
    mutations: counters.mutations,
    // Per-operation counts include throttled attempts, so the split is exact only without throttling.
    callsPerAccountBase: counters.throttled + counters.faults === 0 ? Number(perAccountBase.toFixed(2)) : null,
    callsPerAccountTarget: Number((avgRegions + 6).toFixed(2)),
    perTrailCalls: perTrail,
    perResourceCalls: perResource,
    discoveryCalls: discovery,
    eventDataStoreCalls,
    collectorCounters: last,
    knownErrors: errorsOf(snapshot),
    snapshotSha256: createHash('sha256').update(dump(name, JSON.stringify(snapshot))).digest('hex'),
  };
}

async function main() {
  console.log(`collect: ${ACCOUNTS} accounts × ${REGIONS.length} regions, ${LATENCY_MS} ms median latency, AWS quotas; runs: ${RUNS.join(', ')}`);
  const results = [];
  for (const name of RUNS) {
    const { child, next } = startChild('collector', { COLLECT_BENCH_RUN: name });
    const r = await next().catch((err) => ({ name, failed: String(err) }));
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve()));
    results.push(r);
    if (r.failed) {
      console.log(`${name}: FAILED ${r.failed}`);
      continue;
    }
    console.log(
      `${name}: ${r.seconds} s, collector peak RSS ${r.collectorPeakRssMB} MB, ${r.callsSent} calls sent (${r.throttled} throttled, ${r.faults} faults), ` +
        `${r.callsPerAccountBase ?? 'n/a'} base calls/account (target ≤ ${r.callsPerAccountTarget}), ${r.knownErrors.length} Known errors ${JSON.stringify(countCodes(r.knownErrors))}, ${r.mutations} mutations`,
    );
  }
  const clean = results.find((r) => r.name === 'clean' && !r.failed);
  const summary = results.map(({ snapshotSha256, knownErrors, ...r }) => {
    if (r.failed) return r;
    const out = { ...r, knownErrorCodes: countCodes(knownErrors) };
    if (clean && r.name !== clean.name) {
      const cleanErrors = new Set(clean.knownErrors);
      out.sameSnapshotAsClean = snapshotSha256 === clean.snapshotSha256;
      out.errorsNotInClean = knownErrors.filter((e) => !cleanErrors.has(e)).slice(0, 20);
      out.callsSentVsClean = Number((r.callsSent / clean.callsSent).toFixed(3));
      out.callsAnsweredVsClean = Number((r.callsAnswered / clean.callsAnswered).toFixed(3));
    }
    return out;
  });
  for (const r of summary) {
    if (r.sameSnapshotAsClean === undefined) continue;
    console.log(
      `${r.name}: same snapshot as clean: ${r.sameSnapshotAsClean}; errors not in clean: ${r.errorsNotInClean.length}; ` +
        `calls sent ${r.callsSentVsClean}× clean, calls answered ${r.callsAnsweredVsClean}× clean`,
    );
  }
  console.log(JSON.stringify({ bench: 'collect', node: process.version, accounts: ACCOUNTS, regions: REGIONS.length, latencyMs: LATENCY_MS, concurrency: CONCURRENCY ?? 'default', runs: summary }));
  process.exit(results.some((r) => r.failed) ? 1 : 0);
}

/** BENCH_DUMP=dir writes each run's snapshot there (to diff runs). */
function dump(name, text) {
  if (process.env.BENCH_DUMP) writeFileSync(`${process.env.BENCH_DUMP}/collect-${name}.json`, text);
  return text;
}

function countCodes(errors) {
  const out = {};
  for (const e of errors) {
    const code = e.split(' ').pop();
    out[code] = (out[code] ?? 0) + 1;
  }
  return out;
}
