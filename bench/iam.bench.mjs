#!/usr/bin/env node
// IAM evaluation benchmark: one account with 2,000 roles and 5,000 customer managed policies (plus
// groups and users), one trail with its bucket and KMS key, in a three-level organization with
// SCPs and RCPs. Measures the @trailwarden/iam model (compile + every principal against every
// tamper action) and the trail-api-least-privilege check end to end through the engine.
// Target: <= 10 s for the account. Needs the built packages (`npm run -s build`).
// Prints one JSON line of figures (wall and CPU time, the load average: other work on the machine
// inflates wall time); asserts nothing.
//   node bench/iam.bench.mjs [--roles 2000] [--policies 5000] [--seed 1]
import { performance } from 'node:perf_hooks';
import check from '../checks/least-privilege/dist/index.js';
import { evaluate } from '../packages/core/dist/index.js';
import {
  BUCKET_TAMPER_ACTIONS,
  KEY_TAMPER_ACTIONS,
  TAMPER_SERVICES,
  TRAIL_TAMPER_ACTIONS,
  createIamModel,
  loadActionCatalog,
} from '../packages/iam/dist/index.js';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? Number(args[i + 1]) : fallback;
};
const ROLES = arg('roles', 2000);
const POLICIES = arg('policies', 5000);
let seed = arg('seed', 1) >>> 0;
const rand = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (xs) => xs[Math.floor(rand() * xs.length)];

const ACCT = '222222222222';
const MGMT = '111111111111';
const ORG = 'o-bench00001';
const TRAIL = `arn:aws:cloudtrail:us-east-1:${ACCT}:trail/main`;
const BUCKET = 'bench-trail-logs';
const KEY = `arn:aws:kms:us-east-1:${ACCT}:key/00000000-0000-0000-0000-000000000001`;
const SERVICES = ['ec2', 's3', 'dynamodb', 'lambda', 'sqs', 'sns', 'logs', 'cloudwatch', 'kms', 'cloudtrail', 'iam', 'rds', 'ecr', 'ecs'];
const VERBS = ['Get', 'List', 'Describe', 'Put', 'Delete', 'Create', 'Update', 'Start', 'Stop'];
const doc = (Statement) => ({ Version: '2012-10-17', Statement });

function randomStatement(i) {
  const service = pick(SERVICES);
  const roll = rand();
  const st = { Sid: `S${i}`, Effect: rand() < 0.1 ? 'Deny' : 'Allow' };
  if (roll < 0.02) st.Action = '*';
  else if (roll < 0.1) st.Action = `${service}:*`;
  else if (roll < 0.15) st.NotAction = [`${service}:*`, 'iam:*'];
  else st.Action = Array.from({ length: 1 + Math.floor(rand() * 6) }, () => `${service}:${pick(VERBS)}${rand() < 0.5 ? '*' : `Thing${Math.floor(rand() * 50)}`}`);
  st.Resource = rand() < 0.6 ? '*' : [`arn:aws:${service}:*:${ACCT}:thing/${Math.floor(rand() * 100)}/*`, `arn:aws:s3:::bucket-${Math.floor(rand() * 100)}/*`];
  if (rand() < 0.2) st.Condition = pick([
    { StringEquals: { 'aws:PrincipalTag/team': pick(['a', 'b', 'c']) } },
    { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
    { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
    { StringLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCT}:role/app-*` } },
  ]);
  return st;
}

function buildSnapshot() {
  const policies = Array.from({ length: POLICIES }, (_, i) => ({
    arn: `arn:aws:iam::${ACCT}:policy/p-${i}`,
    name: `p-${i}`,
    id: `ANPA${i}`,
    path: '/',
    document: doc(Array.from({ length: 1 + Math.floor(rand() * 4) }, (_, j) => randomStatement(j))),
  }));
  policies.push({ arn: 'arn:aws:iam::aws:policy/AdministratorAccess', name: 'AdministratorAccess', id: 'ANPAADMIN', path: '/', document: doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]) });
  const attach = (n) => Array.from({ length: n }, () => pick(policies)).map((p) => ({ arn: p.arn, name: p.name }));
  const roles = Array.from({ length: ROLES }, (_, i) => ({
    arn: `arn:aws:iam::${ACCT}:role/app-${i}`,
    name: `app-${i}`,
    id: `AROA${i}`,
    path: i % 100 === 0 ? '/aws-service-role/x.amazonaws.com/' : '/',
    assumeRolePolicy: doc([{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]),
    attachedPolicies: i % 200 === 0 ? [{ arn: 'arn:aws:iam::aws:policy/AdministratorAccess', name: 'AdministratorAccess' }] : attach(1 + Math.floor(rand() * 8)),
    inlinePolicies: rand() < 0.5 ? [{ name: 'inline', document: doc([randomStatement(0), randomStatement(1)]) }] : [],
    permissionsBoundary: i % 10 === 0 ? policies[i % POLICIES].arn : undefined,
    tags: [{ key: 'team', value: pick(['a', 'b', 'c']) }],
  }));
  const groups = Array.from({ length: 20 }, (_, i) => ({ arn: `arn:aws:iam::${ACCT}:group/g${i}`, name: `g${i}`, id: `AGPA${i}`, path: '/', attachedPolicies: attach(3), inlinePolicies: [] }));
  const users = Array.from({ length: 200 }, (_, i) => ({
    arn: `arn:aws:iam::${ACCT}:user/u${i}`, name: `u${i}`, id: `AIDA${i}`, path: '/', groups: [pick(groups).name, pick(groups).name],
    attachedPolicies: attach(2), inlinePolicies: [], tags: [],
  }));
  const full = doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]);
  return {
    schemaVersion: '1.0',
    collectedAt: '2026-01-15T12:00:00.000Z',
    partition: 'aws',
    sections: ['organization', 'regions', 'trails', 'buckets', 'keys', 'iam'],
    scope: { mode: 'fixture', accounts: [ACCT], regions: [] },
    organization: {
      value: {
        id: ORG, managementAccountId: MGMT, roots: [{ id: 'r-1', name: 'Root' }], ous: [{ id: 'ou-1', name: 'Workloads', parentId: 'r-1' }],
        accounts: [{ id: MGMT, name: 'mgmt', status: 'ACTIVE', ouPath: ['r-1'] }, { id: ACCT, name: 'workload', status: 'ACTIVE', ouPath: ['r-1', 'ou-1'] }],
        policies: {
          scp: { value: [
            { id: 'p-full', name: 'FullAWSAccess', awsManaged: true, document: full, targets: ['r-1', 'ou-1', ACCT, MGMT] },
            { id: 'p-deny', name: 'DenyTrailTamper', awsManaged: false, targets: ['ou-1'], document: doc([{ Effect: 'Deny', Action: ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail'], Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::*:role/app-0` } } }]) },
          ] },
          rcp: { value: [{ id: 'p-rcp', name: 'OrgOnly', awsManaged: false, targets: ['r-1'], document: doc([{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': ORG } } }]) }] },
        },
      },
    },
    accounts: {
      [ACCT]: {
        id: ACCT,
        access: { value: { via: 'role' } },
        regions: { value: [{ name: 'us-east-1', optInStatus: 'opt-in-not-required', enabled: true }] },
        trails: { value: [{ arn: TRAIL, name: 'main', homeRegion: 'us-east-1', ownerAccountId: ACCT, isOrganizationTrail: false, isMultiRegionTrail: true, includeGlobalServiceEvents: true, logFileValidationEnabled: true, s3BucketName: BUCKET, kmsKeyId: KEY }] },
        buckets: {
          [BUCKET]: {
            name: BUCKET, arn: `arn:aws:s3:::${BUCKET}`, ownerAccountId: ACCT, region: { value: 'us-east-1' },
            policy: { value: doc([
              { Sid: 'AWSCloudTrailWrite', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: `arn:aws:s3:::${BUCKET}/AWSLogs/${ACCT}/*`, Condition: { StringEquals: { 'aws:SourceArn': TRAIL } } },
              { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
            ]) },
            objectLock: { value: null },
          },
        },
        keys: { [KEY]: { arn: KEY, keyId: KEY.split('/')[1], ownerAccountId: ACCT, region: 'us-east-1', policy: { value: doc([{ Sid: 'EnableIAM', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCT}:root` }, Action: 'kms:*', Resource: '*' }]) } } },
        iam: { value: { users, groups, roles, policies } },
      },
    },
  };
}

const t0 = performance.now();
const snapshot = buildSnapshot();
const tGenerate = performance.now() - t0;

// 1. The model alone: catalogue, compile every principal's policies, evaluate every tamper action.
const t1 = performance.now();
const catalog = await loadActionCatalog(TAMPER_SERVICES);
const tCatalog = performance.now() - t1;
const t2 = performance.now();
const model = createIamModel(snapshot, { catalog });
const principals = model.principals(ACCT).value;
const tCompile = performance.now() - t2;
const bucketPolicy = model.compileResourcePolicy(snapshot.accounts[ACCT].buckets[BUCKET].policy.value, { name: 'bucket policy' }).policy;
const keyPolicy = model.compileResourcePolicy(snapshot.accounts[ACCT].keys[KEY].policy.value, { name: 'key policy' }).policy;
const targets = [
  { actions: TRAIL_TAMPER_ACTIONS.flatMap((a) => catalog.expand(a)), resource: { arn: TRAIL, accountId: ACCT, region: 'us-east-1' } },
  { actions: BUCKET_TAMPER_ACTIONS.flatMap((a) => catalog.expand(a)), resource: { arn: `arn:aws:s3:::${BUCKET}`, accountId: ACCT, policy: bucketPolicy } },
  { actions: KEY_TAMPER_ACTIONS.flatMap((a) => catalog.expand(a)), resource: { arn: KEY, accountId: ACCT, region: 'us-east-1', policy: keyPolicy } },
];
const c3 = process.cpuUsage();
const t3 = performance.now();
const tally = { allowed: 0, denied: 0, conditional: 0 };
let decisions = 0;
for (const p of principals) {
  for (const t of targets) {
    for (const action of t.actions) {
      tally[model.evaluate({ principal: p, action, resource: t.resource }).decision]++;
      decisions++;
    }
  }
}
const tDecide = performance.now() - t3;
const cDecide = process.cpuUsage(c3);

// 2. The check end to end through the engine (fresh model, as a scan runs it).
const c4 = process.cpuUsage();
const t4 = performance.now();
const result = await evaluate(snapshot, { checks: [{ check, plugin: { name: 'bench' }, options: { allowedPrincipals: [] } }], now: new Date('2026-01-15T12:00:00Z'), timeoutMs: 600_000 });
const tCheck = performance.now() - t4;
const cCheck = process.cpuUsage(c4);
const counts = {};
for (const f of result.findings) counts[f.status] = (counts[f.status] ?? 0) + 1;

const ms = (x) => Math.round(x);
console.log(
  JSON.stringify({
    bench: 'iam',
    roles: ROLES,
    users: 200,
    groups: 20,
    policies: POLICIES,
    statements: snapshot.accounts[ACCT].iam.value.policies.reduce((n, p) => n + p.document.Statement.length, 0),
    principals: principals.length,
    decisions,
    decisionTally: tally,
    generateMs: ms(tGenerate),
    catalogMs: ms(tCatalog),
    compileMs: ms(tCompile),
    decideMs: ms(tDecide),
    decisionsPerSecond: Math.round(decisions / (tDecide / 1000)),
    decideCpuMs: ms((cDecide.user + cDecide.system) / 1000),
    checkMs: ms(tCheck),
    checkCpuMs: ms((cCheck.user + cCheck.system) / 1000),
    loadAverage: (await import('node:os')).loadavg()[0],
    checkFindings: counts,
    targetMs: 10_000,
    withinTarget: tCheck <= 10_000,
    node: process.version,
  }),
);
