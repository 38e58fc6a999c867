#!/usr/bin/env node
// The scan history (node:sqlite): write time and file size per 1,000 findings (scans of 1,000,
// 10,000 and 100,000 findings), and `diff` of two 100,000-finding scans (read from the history and
// compared, in-process and through the CLI). Needs Node 22.13+ (`npx -y node@22 bench/run.mjs history`);
// on an older Node it says so and exits 0. Prints figures; asserts nothing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (!(major >= 23 || (major === 22 && minor >= 13))) {
  console.log(JSON.stringify({ bench: 'history', skipped: `needs node:sqlite (Node 22.13+), this is ${process.versions.node}` }));
  process.exit(0);
}
const { History, diffFindings } = await import('../packages/history/dist/index.js');
const CLI = fileURLToPath(new URL('../packages/cli/dist/bin.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tw-history-bench-'));

/** A realistic finding: ARN, message and evidence of the sizes real checks produce. */
function finding(i, variant) {
  const account = String(100000000000 + (i % 1000));
  const status = variant === 1 && i % 10 === 0 ? (i % 20 === 0 ? 'PASS' : 'ERROR') : i % 3 === 0 ? 'FAIL' : 'PASS';
  return {
    checkId: `trail-check-${i % 17}`,
    status,
    severity: ['critical', 'high', 'medium', 'low'][i % 4],
    accountId: account,
    region: 'us-east-1',
    resource: { arn: `arn:aws:cloudtrail:us-east-1:${account}:trail/trail-${i}`, type: 'AWS::CloudTrail::Trail', name: `trail-${i}` },
    message: `Trail trail-${i} in account ${account} is not logging (stopped since 2026-11-0${(i % 9) + 1}T00:00:00Z), so no API activity is being recorded. Fix: aws cloudtrail start-logging --name arn:aws:cloudtrail:us-east-1:${account}:trail/trail-${i}`,
    messageId: 'stopped',
    evidence: { isLogging: status === 'PASS', latestDeliveryTime: '2026-11-20T10:00:00Z', stopLoggingTime: null, maxDeliveryAgeHours: 24 },
    frameworks: { 'aws-fsbp': ['CloudTrail.3'], 'cis-aws-3.0.0': ['3.1'] },
    fingerprint: `${i.toString(16).padStart(32, '0')}`,
  };
}
function scan(n, variant = 0) {
  const now = new Date(Date.UTC(2026, 10, 21, 12, variant)).toISOString();
  return {
    tool: { name: 'trailwarden', version: 'bench' },
    scan: { startedAt: now, finishedAt: now, collectedAt: now, partition: 'aws', mode: 'organization', organizationId: 'o-bench00001', accounts: [], regions: [], notes: [] },
    coverage: { accounts: [], errors: [], complete: true },
    checks: [],
    findings: Array.from({ length: n }, (_, i) => finding(i, variant)),
    exceptions: [],
    frameworks: [],
  };
}
const fileSize = (f) => ['', '-wal', '-shm'].reduce((s, ext) => s + (statSync(`${f}${ext}`, { throwIfNoEntry: false })?.size ?? 0), 0);

const writes = [];
for (const n of [1_000, 10_000, 100_000]) {
  const file = join(dir, `w${n}.db`);
  const h = await History.open(file);
  const result = scan(n);
  const t0 = performance.now();
  h.record({ result, snapshotDigest: 'sha256:bench', plugins: [] });
  const ms = performance.now() - t0;
  h.close();
  const emptyFile = join(dir, `e${n}.db`);
  (await History.open(emptyFile)).close();
  const bytes = fileSize(file) - fileSize(emptyFile);
  writes.push({ findings: n, writeMs: Math.round(ms), msPer1000: +(ms / (n / 1000)).toFixed(1), bytesPer1000: Math.round(bytes / (n / 1000)) });
}

const diffFile = join(dir, 'diff.db');
const h = await History.open(diffFile);
const a = h.record({ result: scan(100_000, 0), snapshotDigest: 'a', plugins: [] });
const b = h.record({ result: scan(100_000, 1), snapshotDigest: 'b', plugins: [] });
let t0 = performance.now();
const fa = h.diffFindings(a);
const fb = h.diffFindings(b);
const readMs = performance.now() - t0;
t0 = performance.now();
const d = diffFindings(fa, fb);
const diffMs = performance.now() - t0;
h.close();
t0 = performance.now();
const cli = spawnSync(process.execPath, [CLI, 'diff', String(a), String(b), '--history', diffFile, '--format', 'json', '-o', join(dir, 'diff.json')], { encoding: 'utf8' });
const cliMs = performance.now() - t0;
console.log(
  JSON.stringify({
    bench: 'history',
    node: process.versions.node,
    writes,
    diff100k: { readBothMs: Math.round(readMs), compareMs: Math.round(diffMs), cliMs: Math.round(cliMs), cliExit: cli.status, new: d.new.length, newlyUnreadable: d.newlyUnreadable.length, fixed: d.fixed.length },
  }),
);
