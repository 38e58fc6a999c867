#!/usr/bin/env node
// Evaluation alone: a generated organization of N accounts (default 10,000) evaluated by every
// built-in check. Target (issue 5): <= 5 s. Prints one JSON line of figures; asserts nothing.
//   ISOLATION=in-process|workers (default workers, as the CLI)  ACCOUNTS=10000
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const core = await import(join(root, 'packages/core/dist/index.js'));
const accountsWanted = Number(process.env.ACCOUNTS ?? 10_000);
// `workers` (as the CLI runs checks: a pool of worker threads, terminable) or `in-process`.
const isolation = process.env.ISOLATION ?? 'workers';

/** Replicate the demo organization's member accounts with fresh ids and bucket names. */
function generate(n) {
  const demo = JSON.parse(readFileSync(join(root, 'test/fixtures/org-snapshot.json'), 'utf8'));
  const org = demo.organization.value;
  const keep = ['111111111111', '222222222222'];
  const templates = Object.keys(demo.accounts).filter((id) => !keep.includes(id));
  const accounts = Object.fromEntries(keep.map((id) => [id, demo.accounts[id]]));
  const orgAccounts = org.accounts.filter((a) => keep.includes(a.id));
  // AWS attaches FullAWSAccess to every account; without it SCPs would deny everything there.
  const fullAccess = org.policies.scp.value.find((p) => p.name === 'FullAWSAccess');
  fullAccess.targets = fullAccess.targets.filter((t) => !/^\d{12}$/.test(t) || keep.includes(t));
  for (let i = 0; accounts && Object.keys(accounts).length < n; i++) {
    const template = templates[i % templates.length];
    const id = String(300000000000 + i);
    let text = JSON.stringify(demo.accounts[template]).replaceAll(template, id);
    for (const name of Object.keys(demo.accounts[template].buckets ?? {})) text = text.replaceAll(name, `${name}-${id}`);
    accounts[id] = JSON.parse(text);
    const meta = org.accounts.find((a) => a.id === template);
    orgAccounts.push({ ...meta, id, name: `${meta.name}-${i}`, email: `aws+${id}@acme.example` });
    fullAccess.targets.push(id);
  }
  demo.accounts = accounts;
  demo.scope.accounts = Object.keys(accounts);
  org.accounts = orgAccounts;
  return demo;
}

const checks = [];
for (const dir of readdirSync(join(root, 'checks')).sort()) {
  if (!existsSync(join(root, 'checks', dir, 'dist'))) continue;
  const plugin = await core.loadPlugin(join(root, 'checks', dir), root);
  for (const check of plugin.checks) checks.push({ check, plugin: { name: plugin.name }, options: structuredClone(check.options?.defaults ?? {}), source: { file: plugin.file } });
}

const t0 = performance.now();
const snapshot = core.validateSnapshot(generate(accountsWanted), 'generated');
const generatedMs = performance.now() - t0;
global.gc?.();
const rssBefore = process.memoryUsage().rss;
const c1 = process.cpuUsage();
const t1 = performance.now();
const perCheckMs = {};
const result = await core.evaluate(snapshot, { checks, now: new Date('2026-11-21T12:00:00Z'), isolation, ...(process.env.WORKERS ? { workers: Number(process.env.WORKERS) } : {}), onCheckDone: (id, ms) => (perCheckMs[id] = Math.round(ms)) });
const evaluateMs = performance.now() - t1;
// CPU of every thread of the process (worker threads included): the honest cost on a busy machine.
const cpu = process.cpuUsage(c1);
const perCheck = result.checks.map((c) => ({ id: c.id, findings: Object.values(c.counts).reduce((a, b) => a + b, 0), error: c.error }));
console.log(
  JSON.stringify({
    bench: 'evaluate',
    isolation,
    accounts: Object.keys(snapshot.accounts).length,
    checks: checks.length,
    findings: result.findings.length,
    generateAndValidateMs: Math.round(generatedMs),
    evaluateMs: Math.round(evaluateMs),
    evaluateCpuMs: Math.round((cpu.user + cpu.system) / 1000),
    loadAverage: (await import('node:os')).loadavg()[0],
    rssBeforeMB: Math.round(rssBefore / 2 ** 20),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    targetMs: 5000,
    checksWithErrors: perCheck.filter((c) => c.error).map((c) => c.id),
    perCheckMs,
  }),
);
