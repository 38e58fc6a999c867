#!/usr/bin/env node
// Worst-case wildcard matching (issue 12 item 1). A pattern such as `bucket/*?*?*?*Q` against an
// ARN without `Q` made a backtracking matcher take time exponential in the number of `*?` pairs.
// 1. The matcher alone: `arn:aws:s3:::bucket/` + `*?` x k + `Q` against a 60-character ARN, for
//    k = 1..MAX_PAIRS (default 12), stopping early once one k takes over 5 s (the old matcher did).
// 2. End to end: the demo organization with that Resource in its log bucket's policy, evaluated by
//    trail-api-least-privilege (PAIRS, default 7, the figure that took 112 s). Needs the built packages.
// Prints one JSON line of figures; asserts nothing.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const iam = await import(join(root, 'packages/iam/dist/index.js'));
const core = await import(join(root, 'packages/core/dist/index.js'));
const check = (await import(join(root, 'checks/least-privilege/dist/index.js'))).default;
const MAX_PAIRS = Number(process.env.MAX_PAIRS ?? 12);
const PAIRS = Number(process.env.PAIRS ?? 7);
const BUCKET = 'acme-org-cloudtrail-logs';
const attack = (k) => `arn:aws:s3:::${BUCKET}/${'*?'.repeat(k)}Q`;
const value = `arn:aws:s3:::${BUCKET}/AWSLogs/o-abc123def4/222222222222/*`;

const matcher = {};
for (let k = 1; k <= MAX_PAIRS; k++) {
  const t = performance.now();
  const hit = iam.arnMatches(attack(k), value);
  const ms = performance.now() - t;
  matcher[`pairs${k}`] = Number(ms.toFixed(3));
  if (hit) throw new Error('the attack pattern must not match');
  if (ms > 5000) break;
}

// The same without `?` (`*a*a*a*b` against `aaaa…`), which takes the matcher's indexOf path.
const starOnlyMs = {};
for (let k = 1; k <= MAX_PAIRS; k++) {
  const t = performance.now();
  const hit = iam.arnMatches(`arn:aws:s3:::${BUCKET}/${'*a'.repeat(k)}*Q`, `arn:aws:s3:::${BUCKET}/${'a'.repeat(60)}`);
  const ms = performance.now() - t;
  starOnlyMs[`stars${k}`] = Number(ms.toFixed(3));
  if (hit) throw new Error('the star-only pattern must not match');
  if (ms > 5000) break;
}

const snapshot = JSON.parse(readFileSync(join(root, 'test/fixtures/org-snapshot.json'), 'utf8'));
const bucket = snapshot.accounts['222222222222'].buckets[BUCKET];
bucket.policy.value.Statement.push({ Sid: 'Odd', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: attack(PAIRS) });
const valid = core.validateSnapshot(snapshot, 'bench');
const loaded = [{ check, plugin: { name: 'bench' }, options: structuredClone(check.options?.defaults ?? {}) }];
const t = performance.now();
const result = await core.evaluate(valid, { checks: loaded, now: new Date('2026-11-21T12:00:00Z'), timeoutMs: 600_000 });
const evaluateMs = performance.now() - t;
const counts = {};
for (const f of result.findings) counts[f.status] = (counts[f.status] ?? 0) + 1;
console.log(JSON.stringify({ bench: 'wildcard', value, matcherMs: matcher, starOnlyMs, endToEnd: { pairs: PAIRS, evaluateMs: Math.round(evaluateMs), findings: counts } }));
