#!/usr/bin/env node
// The added scan time of trail-logging-continuity: `collect()` of a generated organization
// (BENCH_ACCOUNTS, default 1,000 accounts, 3 regions) against the simulator with AWS's request
// quotas on (LookupEvents: 2 per second per account and region) and BENCH_LATENCY_MS (default 20 ms)
// latency, once with the sections the other trail/bucket/key checks need and once with
// `eventHistory` added. The difference is what the check costs. Prints figures; asserts nothing.
import { performance } from 'node:perf_hooks';

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 1000);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const { generateWorld, startSimulator } = await import('../packages/sim/dist/index.js');
const { collect } = await import('../packages/aws/dist/index.js');

const world = generateWorld({ accounts: ACCOUNTS, regions: 3, seed: 7 });
const sim = await startSimulator({ world, port: 0, inject: { quotas: true, latency: { medianMs: LATENCY_MS, p99Ms: LATENCY_MS * 4 } } });
const base = ['trails', 'trailStatus', 'buckets', 'keys'];
const run = async (sections) => {
  sim.resetCounters();
  const t0 = performance.now();
  const snapshot = await collect({ sections, endpointUrl: sim.url, credentials: sim.callerCredentials, roleName: 'TrailwardenAudit' });
  const ms = performance.now() - t0;
  const c = sim.counters();
  return { ms: Math.round(ms), calls: c.total, lookups: c.byOperation['CloudTrail.LookupEvents'] ?? 0, throttled: c.throttled, snapshot };
};
try {
  const without = await run(base);
  const withHistory = await run([...base, 'eventHistory']);
  const regions = Object.values(withHistory.snapshot.accounts).flatMap((a) => Object.values(a.eventHistory?.regions ?? {}));
  const failedLookups = regions.filter((r) => r.error).length;
  const lookedUp = Object.values(withHistory.snapshot.accounts).filter((a) => a.eventHistory).length;
  console.log(
    JSON.stringify({
      bench: 'continuity',
      accounts: ACCOUNTS,
      latencyMs: LATENCY_MS,
      withoutMs: without.ms,
      withEventHistoryMs: withHistory.ms,
      addedMs: withHistory.ms - without.ms,
      lookupEventsCalls: withHistory.lookups,
      accountsLookedUp: lookedUp,
      regionsLookedUp: regions.length,
      failedLookups,
      simThrottled: withHistory.throttled,
    }),
  );
} finally {
  await sim.stop();
}
