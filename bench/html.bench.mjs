// Benchmark of the HTML reporter on a 100,000-finding scan: render time, file size (raw and
// gzipped) and how long Chromium takes until the findings table is interactive.
// Needs the built packages (`npm run -s build`) and /usr/bin/chromium. Prints one JSON line.
//   node bench/html.bench.mjs [--findings 100000] [--out .bench-out/html-100k.html]
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { defineCheck, evaluate } from '../packages/core/dist/index.js';
import html from '../reports/html/dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
// playwright-core is a devDependency of the reporter; resolve it from there.
const { chromium } = createRequire(resolve(here, '../reports/html/package.json'))('playwright-core');

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const target = Number(arg('findings', '100000'));
const outFile = resolve(here, '..', arg('out', '.bench-out/html-100k.html'));
const CHROMIUM = '/usr/bin/chromium';

const CHECKS = 10;
const TRAILS_PER_ACCOUNT = 20;
const accounts = Math.ceil(target / (CHECKS * TRAILS_PER_ACCOUNT));
const regions = ['eu-central-1', 'eu-west-1', 'us-east-1', 'us-west-2'];

/** An organization whose accounts each own TRAILS_PER_ACCOUNT trails; a few regions fail to list. */
function snapshot() {
  const ids = Array.from({ length: accounts }, (_, i) => String(100000000000 + i));
  const acc = {};
  for (const [n, id] of ids.entries()) {
    const trails = Array.from({ length: TRAILS_PER_ACCOUNT }, (_, k) => ({
      arn: `arn:aws:cloudtrail:${regions[k % regions.length]}:${id}:trail/team-${k}-audit`,
      name: `team-${k}-audit`,
      homeRegion: regions[k % regions.length],
      ownerAccountId: id,
      isOrganizationTrail: false,
      isMultiRegionTrail: (n + k) % 3 !== 0,
      includeGlobalServiceEvents: true,
      logFileValidationEnabled: (n * k) % 4 !== 1,
      s3BucketName: `logs-${id}`,
    }));
    const listing = {};
    for (const r of regions) {
      listing[r] =
        n % 97 === 5 && r === 'eu-central-1'
          ? { error: { code: 'AccessDenied', message: 'explicit deny in a service control policy', operation: 'DescribeTrails', region: r } }
          : { value: trails.filter((t) => t.homeRegion === r).map((t) => t.arn) };
    }
    acc[id] = {
      id,
      name: `workload-${n}`,
      access: { value: { via: 'role', roleArn: `arn:aws:iam::${id}:role/TrailwardenAudit` } },
      regions: { value: regions.map((name) => ({ name, optInStatus: 'opt-in-not-required', enabled: true })) },
      trailListing: listing,
      trails: { value: trails },
    };
  }
  return {
    schemaVersion: '1.0',
    collectedAt: '2026-11-20T10:00:00.000Z',
    partition: 'aws',
    sections: ['regions', 'trails'],
    scope: { mode: 'fixture', accounts: ids, regions: [] },
    accounts: acc,
  };
}

const SEVERITIES = ['critical', 'high', 'medium', 'low'];
/** CHECKS checks, each judging every trail, with evidence of a realistic size. */
function checks() {
  return Array.from({ length: CHECKS }, (_, c) => ({
    plugin: { name: '@trailwarden/bench', version: '0.0.0' },
    options: {},
    check: defineCheck({
      id: `bench-trail-${String(c).padStart(2, '0')}`,
      meta: {
        title: `Benchmark trail property ${c}`,
        description: 'A synthetic check that judges every trail.',
        severity: SEVERITIES[c % SEVERITIES.length],
        resource: 'AWS::CloudTrail::Trail',
        frameworks: { 'cis-aws-3.0.0': [`3.${(c % 9) + 1}`] },
        remediation: { text: 'Fix the trail.', cli: 'aws cloudtrail update-trail --name <trail> ...' },
        messages: { ok: 'Trail {{name}} in {{region}} meets property {{c}}.', bad: 'Trail {{name}} in {{region}} does not meet property {{c}}: delivery to bucket {{bucket}} is not protected.' },
      },
      requires: ['trails'],
      evaluate(ctx) {
        ctx.forEachTrail((t) => {
          const data = { name: t.trail.name, region: t.trail.homeRegion, c, bucket: t.trail.s3BucketName ?? '' };
          const evidence = {
            trail: t.trail.arn,
            isMultiRegionTrail: t.trail.isMultiRegionTrail,
            logFileValidationEnabled: t.trail.logFileValidationEnabled,
            bucketPolicy: { Statement: [{ Sid: 'AWSCloudTrailWrite', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject' }] },
          };
          const bad = c % 2 === 0 ? !t.trail.isMultiRegionTrail : !t.trail.logFileValidationEnabled;
          if (bad) ctx.fail(t.resource, 'bad', data, evidence);
          else ctx.pass(t.resource, 'ok', data, evidence);
        });
      },
    }),
  }));
}

if (!existsSync(CHROMIUM)) {
  console.error(`html.bench: Chromium not found at ${CHROMIUM} (apt-get install -y chromium)`);
  process.exit(2);
}

const now = new Date('2026-11-20T12:00:00.000Z');
const result = await evaluate(snapshot(), {
  checks: checks(),
  now,
  startedAt: now,
  exceptions: [{ id: 'team-3', check: 'bench-trail-0*', resource: '*team-3-audit', reason: 'Accepted until migration', approver: 'ciso', expires: '2099-01-01' }],
});
result.scan.finishedAt = '2026-11-20T12:00:01.000Z';

const renders = [];
let page;
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  page = await html.render(result, {});
  renders.push(performance.now() - t0);
}
const bytes = Buffer.from(page, 'utf8');
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, bytes);
const gzipped = gzipSync(bytes).length;

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const loads = [];
let interactions;
let indexedMs;
let problems = 0;
try {
  for (let i = 0; i < 3; i++) {
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const tab = await ctx.newPage();
    tab.on('pageerror', () => problems++);
    tab.on('console', (m) => m.type() === 'error' && problems++);
    const url = pathToFileURL(outFile).href;
    tab.on('request', (r) => r.url() !== url && problems++);
    await tab.goto(url, { timeout: 120_000 });
    await tab.waitForSelector('html[data-ready="true"]', { timeout: 120_000 });
    // Time from navigation start until the script marked the table interactive.
    loads.push(await tab.evaluate(() => performance.getEntriesByName('tw-ready')[0].startTime));
    if (i === 0) {
      await tab.waitForSelector('html[data-indexed="true"]', { timeout: 120_000 });
      indexedMs = await tab.evaluate(() => performance.getEntriesByName('tw-indexed')[0].startTime);
      interactions = await tab.evaluate(measureInteractions);
    }
    await ctx.close();
  }
} finally {
  await browser.close();
}

/** Runs in the page: timings of a status filter, a sort and a text search over all findings. */
async function measureInteractions() {
  const count = () => document.getElementById('f-count').dataset.matching;
  const timed = (fn) => {
    const t0 = performance.now();
    fn();
    return performance.now() - t0;
  };
  const status = document.getElementById('f-status');
  const statusFilterMs = timed(() => {
    status.value = 'FAIL';
    status.dispatchEvent(new Event('change'));
  });
  const sortMs = timed(() => document.querySelector('#findings-table th[data-sort="message"] button').click());
  status.value = '';
  status.dispatchEvent(new Event('change'));
  const before = count();
  const input = document.getElementById('f-text');
  const t0 = performance.now();
  input.value = 'team-7-audit';
  input.dispatchEvent(new Event('input'));
  await new Promise((done) => {
    const poll = () => (count() !== before ? done() : setTimeout(poll, 2));
    poll();
  });
  // Minus the 120 ms typing debounce.
  const textSearchMs = performance.now() - t0 - 120;
  return { statusFilterMs, sortMs, textSearchMs, textMatches: Number(count()) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  JSON.stringify({
    bench: 'report-html',
    findings: result.findings.length,
    accounts,
    renderMs: Math.round(median(renders)),
    bytes: bytes.length,
    gzipBytes: gzipped,
    bytesPerFinding: Math.round(bytes.length / result.findings.length),
    chromiumReadyMs: Math.round(median(loads)),
    statusFilterMs: Math.round(interactions.statusFilterMs),
    sortMs: Math.round(interactions.sortMs),
    searchIndexReadyMs: Math.round(indexedMs),
    textSearchMs: Math.round(interactions.textSearchMs),
    textMatches: interactions.textMatches,
    pageProblems: problems,
    file: outFile,
  }),
);
