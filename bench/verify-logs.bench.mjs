#!/usr/bin/env node
// Log-file integrity at organization scale: the verifier of @trailwarden/integrity over S3 (the
// collector's object reads, @trailwarden/aws) against @trailwarden/sim serving an organization
// trail of BENCH_ACCOUNTS accounts × BENCH_REGIONS source regions × BENCH_DAYS days of hourly
// digests (issue #17: 100 × 4 × 7 ≈ 67,000 digests) with BENCH_LOGS log files per hour.
// Prints wall time, peak RSS of the verifier process, calls by operation, and the throughput; one
// JSON line at the end. Figures are printed, never asserted.
//
// The simulator runs in a child process (AWS is not in the verifier's process either); building
// its objects (RSA signatures, gzip) is timed apart, before the verification.
// Knobs (environment): BENCH_ACCOUNTS (100), BENCH_REGIONS (4), BENCH_DAYS (7), BENCH_LOGS (2),
// BENCH_CONCURRENCY (log files hashed at once, 32), BENCH_CHAINS (chains at once, 16).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 100);
const REGION_COUNT = Number(process.env.BENCH_REGIONS ?? 4);
const DAYS = Number(process.env.BENCH_DAYS ?? 7);
const LOGS = Number(process.env.BENCH_LOGS ?? 2);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const CHAINS = Number(process.env.BENCH_CHAINS ?? 16);
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2', 'eu-central-1', 'ap-northeast-1'].slice(0, REGION_COUNT);
const START = '2026-11-13T00:00:00Z';
const MGMT = '100000000000';
const ORG = 'o-benchintgr1';
const BUCKET = 'bench-org-trail-logs';

if (process.env.VERIFY_BENCH_ROLE === 'simulator') await serveSimulator();
else await main();

function world() {
  const ids = Array.from({ length: ACCOUNTS }, (_, i) => (i === 0 ? MGMT : String(200000000000 + i)));
  return {
    regions: REGIONS,
    organization: { id: ORG, managementAccountId: MGMT },
    accounts: ids.map((id, i) => ({
      id,
      name: i === 0 ? 'management' : `member-${i}`,
      ...(i === 0
        ? {
            trails: [
              {
                name: 'org-trail',
                homeRegion: REGIONS[0],
                multiRegion: true,
                organization: true,
                bucket: BUCKET,
                logFileValidation: true,
                integrity: { start: START, hours: DAYS * 24, logsPerHour: LOGS, regions: REGIONS },
              },
            ],
            buckets: [{ name: BUCKET, region: REGIONS[0] }],
          }
        : {}),
    })),
  };
}

async function serveSimulator() {
  const { startSimulator } = await import('../packages/sim/dist/index.js');
  const sim = await startSimulator({ world: world(), port: 0 });
  process.send({ url: sim.url, credentials: sim.callerCredentials });
  process.on('message', async (m) => {
    if (m === 'counters') process.send({ counters: sim.counters(), rss: process.memoryUsage().rss });
    if (m === 'stop') {
      await sim.stop();
      process.exit(0);
    }
  });
}

function ask(child, message) {
  return new Promise((resolve) => {
    child.once('message', resolve);
    if (message) child.send(message);
  });
}

async function main() {
  const { openObjectReads } = await import('../packages/aws/dist/index.js');
  const { Verifier, summarize, exitCodeOf } = await import('../packages/integrity/dist/index.js');
  const child = fork(fileURLToPath(import.meta.url), [], { env: { ...process.env, VERIFY_BENCH_ROLE: 'simulator' } });
  const { url, credentials } = await ask(child);
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const expected = ACCOUNTS * REGIONS.length * DAYS * 24;
  console.log(`verify-logs: ${ACCOUNTS} accounts × ${REGIONS.length} regions × ${DAYS} days = ${expected} digests, ${LOGS} log files/hour (${expected * LOGS} log files)`);

  const reads = await openObjectReads({ endpointUrl: url, region: REGIONS[0], credentials });
  const reader = reads.readerFor(MGMT, REGIONS[0]);
  // The simulator builds (signs, gzips) every object on the first read of the bucket: timed apart.
  const g0 = performance.now();
  await reader.list(BUCKET, 'AWSLogs/', { delimiter: '/' });
  const generationMs = performance.now() - g0;
  console.log(`  simulator built the bucket in ${(generationMs / 1000).toFixed(1)} s`);

  const from = new Date(START);
  const to = new Date(Date.parse(START) + DAYS * 24 * 3_600_000);
  const v0 = performance.now();
  const verifier = new Verifier(reader, { from, to, concurrency: CONCURRENCY, chainConcurrency: CHAINS });
  const trail = await verifier.verifyTrail({
    trailArn: `arn:aws:cloudtrail:${REGIONS[0]}:${MGMT}:trail/org-trail`,
    trailName: 'org-trail',
    homeRegion: REGIONS[0],
    bucket: BUCKET,
    organizationId: ORG,
  });
  const wallMs = performance.now() - v0;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const result = summarize('s3', trail.from, trail.to, [trail]);
  const calls = reads.calls();
  reads.close();
  const sim = await ask(child, 'counters');
  child.send('stop');
  const t = result.totals;
  console.log(`  chains ${trail.chains.length}; digests valid ${t.digests.valid}/${t.digests.valid + t.digests.invalid + t.digests.error}; logs valid ${t.logs.valid}/${t.logs.valid + t.logs.invalid + t.logs.error}; gaps ${t.gaps}; exit ${exitCodeOf(result)}`);
  console.log(`  wall ${(wallMs / 1000).toFixed(1)} s (${Math.round((t.digests.valid + t.logs.valid) / (wallMs / 1000))} files/s); verifier peak RSS ${(peak / 2 ** 20).toFixed(0)} MB; simulator RSS ${(sim.rss / 2 ** 20).toFixed(0)} MB`);
  console.log(`  calls ${calls.total} (${Object.entries(calls.byOperation).map(([k, n]) => `${k} ${n}`).join(', ')}); throttles ${calls.throttles}, retries ${calls.retries}`);
  console.log(
    JSON.stringify({
      bench: 'verify-logs',
      accounts: ACCOUNTS,
      regions: REGIONS.length,
      days: DAYS,
      logsPerHour: LOGS,
      digestsExpected: expected,
      digestsValid: t.digests.valid,
      logsValid: t.logs.valid,
      invalid: t.digests.invalid + t.logs.invalid,
      generationS: +(generationMs / 1000).toFixed(1),
      wallS: +(wallMs / 1000).toFixed(1),
      peakRssMB: Math.round(peak / 2 ** 20),
      calls: calls.total,
      byOperation: calls.byOperation,
      simulatorCalls: sim.counters.total,
    }),
  );
}
