// Render benchmark: every built reporter over one 100,000-finding ScanResult.
// Usage: npm run -s build && node bench/render.bench.mjs [findingCount]
// Prints one JSON line: per format, render time and file size (raw and gzipped).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';

const FINDINGS = Number(process.argv[2] ?? 100_000);

/** Built reporters, by relative path; json and html are included when they are built. */
const REPORTERS = [
  ['sarif', '../reports/sarif/dist/index.js', true],
  ['junit', '../reports/junit/dist/index.js', true],
  ['json', '../reports/json/dist/index.js', false],
  ['html', '../reports/html/dist/index.js', false],
];

const SEVERITIES = ['critical', 'high', 'medium', 'low'];
const STATUSES = ['PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'FAIL', 'FAIL', 'FAIL', 'ERROR', 'NOT_APPLICABLE'];

function fingerprint(checkId, accountId, region, arn) {
  return createHash('sha256').update(`${checkId}\u0000${accountId}\u0000${region}\u0000${arn}`).digest('hex').slice(0, 32);
}

/**
 * A plausible organization scan: 24 checks over 500 accounts × 8 regions, mostly PASS, about a
 * quarter FAIL (so SARIF has to truncate to 25,000), some ERROR and NOT_APPLICABLE, and one FAIL
 * in fifty excepted. Deterministic.
 */
function buildScan(count) {
  const regions = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-1', 'ap-northeast-1', 'sa-east-1'];
  const accounts = Array.from({ length: 500 }, (_, i) => String(100000000000 + i * 7919));
  const checks = Array.from({ length: 24 }, (_, i) => {
    const severity = SEVERITIES[i % 4];
    return {
      id: `bench-check-${String(i).padStart(2, '0')}`,
      title: `Benchmark check ${i}`,
      description: `Checks trail property ${i} across the organization, because auditors ask for it.`,
      severity,
      resourceType: 'AWS::CloudTrail::Trail',
      frameworks: { 'cis-aws-3.0.0': [`3.${(i % 11) + 1}`], 'aws-fsbp': [`CloudTrail.${(i % 9) + 1}`], 'nist-800-53-r5': ['AU-2', 'AU-9', 'AU-12'] },
      remediation: {
        text: `Turn on property ${i} for the trail.`,
        cli: `aws cloudtrail update-trail --name <trail> --property-${i}`,
        terraform: `resource "aws_cloudtrail" "main" {\n  property_${i} = true\n}`,
      },
      plugin: { name: '@trailwarden/bench', version: '0.0.0' },
      options: {},
      counts: { PASS: 0, FAIL: 0, ERROR: 0, NOT_APPLICABLE: 0 },
    };
  });
  const findings = [];
  for (let i = 0; i < count; i++) {
    const check = checks[i % checks.length];
    const n = Math.floor(i / checks.length);
    const accountId = accounts[n % accounts.length];
    const region = regions[Math.floor(n / accounts.length) % regions.length];
    const name = `trail-${Math.floor(n / (accounts.length * regions.length))}-${region}`;
    const arn = `arn:aws:cloudtrail:${region}:${accountId}:trail/${name}`;
    const status = STATUSES[(i * 7 + n) % STATUSES.length];
    check.counts[status]++;
    findings.push({
      checkId: check.id,
      status,
      severity: check.severity,
      accountId,
      region,
      resource: { arn, type: 'AWS::CloudTrail::Trail', name },
      message: `Trail ${name} ${status === 'PASS' ? 'meets' : 'does not meet'} requirement ${check.id}.`,
      evidence: status === 'ERROR'
        ? { error: { code: 'AccessDenied', message: 'not authorized', operation: 'GetTrailStatus', accountId, region } }
        : { isLogging: status === 'PASS', s3BucketName: `org-trail-logs-${accountId}`, kmsKeyId: null },
      frameworks: check.frameworks,
      fingerprint: fingerprint(check.id, accountId, region, arn),
      ...(status === 'FAIL' && i % 50 === 0
        ? { exception: { id: 'legacy', reason: 'Legacy trail', approver: 'security@example.com', expires: '2027-12-31' } }
        : {}),
    });
  }
  const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  findings.sort((a, b) => cmp(a.checkId, b.checkId) || cmp(a.accountId, b.accountId) || cmp(a.region, b.region) || cmp(a.resource.arn, b.resource.arn));
  return {
    tool: { name: 'trailwarden', version: '0.1.0' },
    scan: {
      startedAt: '2026-11-20T12:00:00.000Z',
      finishedAt: '2026-11-20T12:05:00.000Z',
      collectedAt: '2026-11-20T11:00:00.000Z',
      partition: 'aws',
      mode: 'organization',
      organizationId: 'o-bench00001',
      accounts: accounts.map((id) => ({ id, name: `account-${id}` })),
      regions,
      notes: [],
    },
    coverage: {
      accounts: accounts.map((accountId) => ({ accountId, status: 'read', regions: regions.map((name) => ({ name, status: 'read' })), errorCount: 0 })),
      errors: [],
      complete: true,
    },
    checks,
    findings,
    exceptions: [{ id: 'legacy', check: '*', accounts: ['*'], resource: '*', reason: 'Legacy trail', approver: 'security@example.com', expires: '2027-12-31', state: 'active', matched: 0 }],
    frameworks: [],
  };
}

const here = new URL('.', import.meta.url);
const t0 = performance.now();
const scan = buildScan(FINDINGS);
const buildMs = performance.now() - t0;
const statusCounts = {};
for (const f of scan.findings) statusCounts[f.status] = (statusCounts[f.status] ?? 0) + 1;

const formats = {};
const missing = [];
for (const [id, rel, required] of REPORTERS) {
  const url = new URL(rel, here);
  if (!existsSync(url)) {
    if (required) throw new Error(`${rel} is not built; run \`npm run -s build\` first`);
    missing.push(id);
    continue;
  }
  const reporter = (await import(url.href)).default;
  const start = performance.now();
  const out = await reporter.render(scan, {});
  const ms = performance.now() - start;
  const buf = typeof out === 'string' ? Buffer.from(out) : Buffer.from(out);
  const gz = gzipSync(buf);
  const entry = { ms: Math.round(ms), bytes: buf.length, gzipBytes: gz.length, mb: +(buf.length / 1e6).toFixed(2), gzipMb: +(gz.length / 1e6).toFixed(2) };
  if (id === 'sarif') entry.results = JSON.parse(buf.toString()).runs[0].results.length;
  formats[id] = entry;
}

console.log(
  JSON.stringify({
    bench: 'render',
    findings: FINDINGS,
    statuses: statusCounts,
    buildMs: Math.round(buildMs),
    node: process.version,
    formats,
    ...(missing.length > 0 ? { notBuilt: missing } : {}),
  }),
);
