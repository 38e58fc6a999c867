/**
 * Differential tests: our evaluator against @cloud-copilot/iam-simulate (AGPL, a development-only
 * test oracle — never a runtime dependency) on generated cases. Every request context key that a
 * generated policy can mention is given a concrete value on both sides, so both engines must answer
 * a plain allowed/denied and the answers must agree, except for the documented deliberate differences.
 */
import type { JsonValue, Snapshot } from '@trailwarden/core';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ActionCatalog, loadActionCatalog } from './catalog.js';
import { createIamModel } from './model.js';

const A = '222222222222';
const B = '333333333333';
const ORG = 'o-abc123';

/** A small seeded PRNG (mulberry32) so every run generates the same cases. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const some = <T>(xs: readonly T[], max: number): T[] => {
    const n = 1 + Math.floor(next() * max);
    return [...new Set(Array.from({ length: n }, () => pick(xs)))];
  };
  return { next, pick, some, chance: (p: number) => next() < p };
}

const TRAIL = `arn:aws:cloudtrail:us-east-1:${A}:trail/main`;
const BUCKET = 'arn:aws:s3:::logs-a';
const OBJECT = 'arn:aws:s3:::logs-a/AWSLogs/222222222222/x.json.gz';
const KEY = `arn:aws:kms:us-east-1:${A}:key/11111111-2222-3333-4444-555555555555`;

const REQUESTS = [
  { action: 'cloudtrail:StopLogging', resource: TRAIL },
  { action: 'cloudtrail:UpdateTrail', resource: TRAIL },
  { action: 's3:DeleteObject', resource: OBJECT },
  { action: 's3:PutBucketPolicy', resource: BUCKET },
  { action: 's3:DeleteBucket', resource: BUCKET },
  { action: 'kms:ScheduleKeyDeletion', resource: KEY },
  { action: 'kms:DisableKey', resource: KEY },
] as const;

const ACTIONS = ['*', 's3:*', 's3:Delete*', 's3:DeleteObject', 's3:PutBucket*', 'cloudtrail:*', 'cloudtrail:StopLogging', 'cloudtrail:?pdateTrail', 'cloudtrail:*Logging', 'kms:*', 'kms:ScheduleKeyDeletion', 'kms:Disable*', 'iam:*'];
const RESOURCES = ['*', TRAIL, 'arn:aws:cloudtrail:*:*:trail/*', 'arn:aws:cloudtrail:us-east-1:222222222222:trail/m?in', BUCKET, `${BUCKET}/*`, `${BUCKET}/AWSLogs/*`, 'arn:aws:s3:::other/*', KEY, `arn:aws:kms:*:${A}:key/*`, 'arn:aws:s3:::logs-?'];

/** Context keys and the concrete values both engines get. */
const CONTEXT = {
  'aws:SourceIp': '10.1.2.3',
  'aws:SecureTransport': 'true',
  'aws:MultiFactorAuthPresent': 'true',
  'aws:MultiFactorAuthAge': '600',
  'aws:CurrentTime': '2026-03-01T12:00:00Z',
  'aws:RequestedRegion': 'us-east-1',
};

const CONDITIONS: JsonValue[] = [
  { StringEquals: { 'aws:PrincipalTag/team': 'security' } },
  { StringEquals: { 'aws:PrincipalTag/team': 'dev' } },
  { StringNotEquals: { 'aws:PrincipalTag/team': 'security' } },
  { StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Break*' } },
  { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/BreakGlass' } },
  { StringEquals: { 'aws:PrincipalAccount': A } },
  { StringEquals: { 'aws:PrincipalOrgID': ORG } },
  { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': ORG } },
  { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
  { NotIpAddress: { 'aws:SourceIp': ['192.168.0.0/16', '172.16.0.0/12'] } },
  { Bool: { 'aws:SecureTransport': 'false' } },
  { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
  { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } },
  { NumericGreaterThan: { 'aws:MultiFactorAuthAge': '3600' } },
  { DateGreaterThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } },
  { DateLessThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } },
  { Null: { 'aws:PrincipalTag/missing': 'true' } },
  { Null: { 'aws:PrincipalTag/team': 'true' } },
  { StringEqualsIfExists: { 'aws:PrincipalTag/missing': 'x' } },
  { 'ForAnyValue:StringEquals': { 'aws:PrincipalTag/team': ['dev', 'security'] } },
  { StringEquals: { 'aws:ResourceAccount': A } },
  { StringLike: { 'aws:RequestedRegion': 'eu-*' } },
];

type Gen = ReturnType<typeof rng>;

function statement(g: Gen, kind: 'identity' | 'resource' | 'scp' | 'boundary', principals: string[]): JsonValue {
  const st: Record<string, JsonValue> = { Effect: g.chance(kind === 'scp' ? 0.6 : 0.25) ? 'Deny' : 'Allow' };
  if (kind === 'scp' && st.Effect === 'Allow') st.Action = '*';
  else if (g.chance(0.15)) st.NotAction = g.some(ACTIONS.filter((a) => a !== '*'), 2);
  else st.Action = g.some(ACTIONS, 2);
  if (g.chance(0.1)) st.NotResource = g.some(RESOURCES.filter((r) => r !== '*'), 2);
  else st.Resource = kind === 'scp' ? '*' : g.some(RESOURCES, 2);
  if (kind === 'resource') {
    if (st.Effect === 'Deny' && g.chance(0.3)) st.NotPrincipal = { AWS: g.some(principals, 3) };
    else st.Principal = g.chance(0.2) ? '*' : { AWS: g.some(principals, 2) };
  }
  if (g.chance(kind === 'scp' ? 0.5 : 0.35)) {
    const c: Record<string, JsonValue> = {};
    for (const x of g.some(CONDITIONS, 2)) Object.assign(c, x);
    st.Condition = c;
  }
  return st;
}

const doc = (statements: JsonValue[]): JsonValue => ({ Version: '2012-10-17', Statement: statements });
const FULL = doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]);

interface Case {
  n: number;
  principalAccount: string;
  roleName: string;
  team?: string;
  identity: JsonValue[];
  boundary?: JsonValue;
  scp?: JsonValue;
  resourcePolicy?: JsonValue;
  request: (typeof REQUESTS)[number];
}

function generate(count: number, seed: number): Case[] {
  const g = rng(seed);
  const cases: Case[] = [];
  for (let n = 0; n < count; n++) {
    const principalAccount = g.chance(0.25) ? B : A;
    const roleName = g.pick(['BreakGlass', 'Admin', 'Ops']);
    const principals = [
      `arn:aws:iam::${principalAccount}:role/${roleName}`,
      `arn:aws:iam::${principalAccount}:root`,
      `arn:aws:sts::${principalAccount}:assumed-role/${roleName}/session`,
      `arn:aws:iam::${A}:role/Other`,
      `arn:aws:iam::${B}:root`,
      principalAccount,
    ];
    const request = g.pick(REQUESTS);
    const isKms = request.action.startsWith('kms:');
    cases.push({
      n,
      principalAccount,
      roleName,
      team: g.chance(0.7) ? g.pick(['security', 'dev']) : undefined,
      identity: Array.from({ length: 1 + Math.floor(g.next() * 3) }, () => statement(g, 'identity', principals)),
      boundary: g.chance(0.2) ? doc([statement(g, 'boundary', principals)]) : undefined,
      scp: g.chance(0.35) ? doc([statement(g, 'scp', principals)]) : undefined,
      resourcePolicy:
        isKms || request.action.startsWith('s3:') ? (g.chance(isKms ? 1 : 0.6) ? doc(Array.from({ length: 1 + Math.floor(g.next() * 2) }, () => statement(g, 'resource', principals))) : undefined) : undefined,
      request,
    });
  }
  return cases;
}

function snapshotFor(c: Case): Snapshot {
  const tags = c.team ? [{ key: 'team', value: c.team }] : [];
  const policies = c.boundary ? [{ arn: `arn:aws:iam::${c.principalAccount}:policy/Boundary`, name: 'Boundary', id: 'ANPAB', path: '/', document: c.boundary }] : [];
  const roleRecord = {
    arn: `arn:aws:iam::${c.principalAccount}:role/${c.roleName}`, name: c.roleName, id: 'AROAX', path: '/', assumeRolePolicy: {},
    attachedPolicies: [], inlinePolicies: c.identity.map((s, i) => ({ name: `p${i}`, document: doc([s]) })), tags,
    permissionsBoundary: c.boundary ? `arn:aws:iam::${c.principalAccount}:policy/Boundary` : undefined,
  };
  const iam = (id: string) => ({ value: { users: [], groups: [], roles: id === c.principalAccount ? [roleRecord] : [], policies: id === c.principalAccount ? policies : [] } });
  const scps = [
    { id: 'p-full', name: 'FullAWSAccess', awsManaged: true, document: FULL, targets: ['r-1', 'ou-1', A, B] },
    ...(c.scp ? [{ id: 'p-gen', name: 'Generated', awsManaged: false, document: c.scp, targets: ['ou-1'] }] : []),
  ];
  return {
    schemaVersion: '1.0', collectedAt: '2026-03-01T12:00:00Z', partition: 'aws', sections: ['organization', 'iam'],
    scope: { mode: 'fixture', accounts: [A, B], regions: [] },
    organization: { value: { id: ORG, managementAccountId: '111111111111', roots: [{ id: 'r-1', name: 'Root' }], ous: [{ id: 'ou-1', name: 'W', parentId: 'r-1' }],
      accounts: [{ id: A, name: 'a', status: 'ACTIVE', ouPath: ['r-1', 'ou-1'] }, { id: B, name: 'b', status: 'ACTIVE', ouPath: ['r-1', 'ou-1'] }],
      policies: { scp: { value: scps }, rcp: { value: [] } } } },
    accounts: Object.fromEntries([A, B].map((id) => [id, { id, access: { value: { via: 'role' as const } }, iam: iam(id) }])),
  } as Snapshot;
}

async function oracle(c: Case): Promise<string> {
  // Keys our engine derives from the snapshot, given to the oracle explicitly (it fills only what it is told).
  const contextVariables: Record<string, string> = {
    ...CONTEXT,
    'aws:PrincipalOrgID': ORG,
    'aws:ResourceAccount': A,
    'aws:PrincipalArn': `arn:aws:iam::${c.principalAccount}:role/${c.roleName}`,
    'aws:PrincipalAccount': c.principalAccount,
    'aws:PrincipalType': 'AssumedRole',
  };
  if (c.team) contextVariables['aws:PrincipalTag/team'] = c.team;
  const r = await runSimulation(
    {
      request: {
        // A role acts through sessions; the session name is the caller's choice, so "session" it is.
        principal: `arn:aws:sts::${c.principalAccount}:assumed-role/${c.roleName}/session`,
        action: c.request.action,
        resource: { resource: c.request.resource, accountId: A },
        contextVariables,
      },
      identityPolicies: c.identity.map((s, i) => ({ name: `p${i}`, policy: doc([s]) })),
      permissionBoundaryPolicies: c.boundary ? [{ name: 'Boundary', policy: c.boundary }] : undefined,
      serviceControlPolicies: [
        { orgIdentifier: 'r-1', policies: [{ name: 'FullAWSAccess', policy: FULL }] },
        { orgIdentifier: 'ou-1', policies: [{ name: 'FullAWSAccess', policy: FULL }, ...(c.scp ? [{ name: 'Generated', policy: c.scp }] : [])] },
        { orgIdentifier: c.principalAccount, policies: [{ name: 'FullAWSAccess', policy: FULL }] },
      ],
      resourceControlPolicies: [],
      resourcePolicy: c.resourcePolicy,
    },
    { simulationMode: 'Strict' },
  );
  if (r.resultType === 'error') return `error: ${r.errors.message}`;
  return r.overallResult;
}


/**
 * Disagreements we keep on purpose. NotPrincipal with Deny: AWS documents that a caller escapes the
 * Deny only when *every* identity it acts as is listed — its account and its user, or its role
 * session ("otherwise the policy might deny access to the entire account containing the
 * principal"). iam-simulate lets a listed account exempt every principal of that account. We follow
 * AWS's documentation; the predicate admits exactly that shape (we deny, iam-simulate allows).
 */
const DELIBERATE: { why: string; applies: (c: Case, ours: string, theirs: string) => boolean }[] = [
  {
    why: 'NotPrincipal in a Deny names the account but not the role session',
    applies: (c, ours, theirs) => {
      if (ours !== 'denied' || theirs !== 'Allowed') return false;
      const statements = ((c.resourcePolicy as { Statement?: JsonValue[] } | undefined)?.Statement ?? []) as Record<string, JsonValue>[];
      return statements.some((st) => {
        const listed = ((st.NotPrincipal as { AWS?: string[] } | undefined)?.AWS ?? []) as string[];
        const session = `arn:aws:sts::${c.principalAccount}:assumed-role/${c.roleName}/session`;
        return st.Effect === 'Deny' && listed.some((e) => e === c.principalAccount || e === `arn:aws:iam::${c.principalAccount}:root`) && !listed.includes(session);
      });
    },
  },
];

let catalog: ActionCatalog;
beforeAll(async () => {
  catalog = await loadActionCatalog(['cloudtrail', 's3', 'kms', 'iam']);
});

describe('differential: @trailwarden/iam vs iam-simulate', () => {
  const cases = generate(Number(process.env.IAM_DIFF_CASES ?? 300), Number(process.env.IAM_DIFF_SEED ?? 20260301));
  it(`agrees on ${cases.length} generated cases`, async () => {
    const mismatches: string[] = [];
    const tally = { allowed: 0, denied: 0, deliberate: 0 };
    for (const c of cases) {
      const model = createIamModel(snapshotFor(c), { catalog });
      const principal = model.principal(`arn:aws:iam::${c.principalAccount}:role/${c.roleName}`);
      const compiled = model.compileResourcePolicy(c.resourcePolicy as never, { name: 'resource policy', arn: c.request.resource });
      if (compiled.error !== undefined) throw new Error(`case ${c.n}: ${compiled.error}`);
      const ours = model.evaluate({
        principal,
        action: c.request.action,
        resource: { arn: c.request.resource, accountId: A, region: 'us-east-1', policy: c.request.action.startsWith('cloudtrail:') ? undefined : compiled.policy },
        context: CONTEXT,
      });
      const theirs = await oracle(c);
      expect(ours.decision, `case ${c.n}: ${ours.reason} ${JSON.stringify(ours.conditions)}`).not.toBe('conditional');
      tally[ours.decision as 'allowed' | 'denied']++;
      const agree = (ours.decision === 'allowed') === (theirs === 'Allowed');
      const deliberate = !agree && DELIBERATE.find((d) => d.applies(c, ours.decision, theirs));
      if (deliberate) tally.deliberate++;
      else if (!agree) {
        mismatches.push(`case ${c.n}: ours=${ours.decision} (${ours.reason}) theirs=${theirs}\n${JSON.stringify(c)}`);
      }
    }
    expect(`${mismatches.length} mismatches\n${mismatches.slice(0, 3).join('\n\n')}`).toBe('0 mismatches\n');
    // Generated cases must exercise both outcomes, or the comparison proves little.
    expect(tally.allowed).toBeGreaterThan(30);
    expect(tally.denied).toBeGreaterThan(30);
  });
});

/**
 * Where we deliberately differ: a key the engine cannot know statically (source IP, MFA, time...).
 * iam-simulate's Strict mode treats a key missing from the context as absent and decides; we answer
 * `conditional` and name the condition, because a snapshot says nothing about the caller's network
 * or MFA. `0.0.0.0/0` is not "always true" either: IPv6 callers and calls made through AWS services
 * carry no IPv4 source address (or none at all).
 */
describe('differential: documented deliberate differences', () => {
  const cases: [string, JsonValue][] = [
    ['IpAddress aws:SourceIp 0.0.0.0/0', { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }],
    ['Bool aws:MultiFactorAuthPresent true', { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }],
    ['DateLessThan aws:CurrentTime', { DateLessThan: { 'aws:CurrentTime': '2999-01-01T00:00:00Z' } }],
  ];
  it.each(cases)('%s: ours conditional, iam-simulate denies', async (_name, condition) => {
    const c: Case = {
      n: -1,
      principalAccount: A,
      roleName: 'Admin',
      identity: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: condition }],
      request: REQUESTS[0],
    };
    const model = createIamModel(snapshotFor(c), { catalog });
    const ours = model.evaluate({ principal: model.principal(`arn:aws:iam::${A}:role/Admin`), action: c.request.action, resource: { arn: c.request.resource, accountId: A } });
    expect(ours.decision).toBe('conditional');
    const r = await runSimulation(
      {
        request: { principal: `arn:aws:iam::${A}:role/Admin`, action: c.request.action, resource: { resource: c.request.resource, accountId: A }, contextVariables: {} },
        identityPolicies: [{ name: 'p0', policy: doc(c.identity) }],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
      },
      { simulationMode: 'Strict' },
    );
    expect(r.resultType !== 'error' && r.overallResult).toBe('ImplicitlyDenied');
  });
});
