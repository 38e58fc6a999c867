import {
  type ExceptionRule,
  type LoadedCheck,
  type ScanResult,
  type Snapshot,
  type Trail,
  defineCheck,
  evaluate,
  isUnknown,
} from '@trailwarden/core';

/** Payloads an attacker can plant in names, tags and policy text of an AWS account. */
export const SCRIPT_PAYLOAD = '<script>alert(1)</script>';
export const ATTR_PAYLOAD = '"><img src=x onerror=alert(1)>';
export const HOSTILE = `${SCRIPT_PAYLOAD}${ATTR_PAYLOAD}`;

const MGMT = '111111111111';
const MEMBER = '222222222222';
const LOCKED = '333333333333';

function trail(owner: string, name: string, over: Partial<Trail> = {}): Trail {
  return {
    arn: `arn:aws:cloudtrail:us-east-1:${owner}:trail/${name}`,
    name,
    homeRegion: 'us-east-1',
    ownerAccountId: owner,
    isOrganizationTrail: false,
    isMultiRegionTrail: true,
    includeGlobalServiceEvents: true,
    logFileValidationEnabled: true,
    ...over,
  };
}

/** A small organization: a management account, a member with hostile names, an unreadable account. */
export function fixtureSnapshot(): Snapshot {
  const regions = {
    value: [
      { name: 'eu-west-1', optInStatus: 'opt-in-not-required' as const, enabled: true },
      { name: 'us-east-1', optInStatus: 'opt-in-not-required' as const, enabled: true },
    ],
  };
  return {
    schemaVersion: '1.0',
    collectedAt: '2026-11-20T10:00:00.000Z',
    partition: 'aws',
    sections: ['organization', 'regions', 'trails'],
    scope: { mode: 'organization', accounts: [MGMT, MEMBER, LOCKED], regions: [], notes: [`Scanned from ${HOSTILE}`] },
    organization: {
      value: {
        id: 'o-abc123',
        managementAccountId: MGMT,
        roots: [{ id: 'r-ab12', name: 'Root' }],
        ous: [{ id: 'ou-ab12-prod', name: 'Prod', parentId: 'r-ab12' }],
        accounts: [
          { id: MGMT, name: 'Management', status: 'ACTIVE', ouPath: ['r-ab12'] },
          { id: MEMBER, name: `Workloads ${SCRIPT_PAYLOAD}`, status: 'ACTIVE', ouPath: ['r-ab12', 'ou-ab12-prod'] },
          { id: LOCKED, name: 'Sandbox', status: 'ACTIVE', ouPath: ['r-ab12'] },
        ],
        policies: { scp: { value: [] }, rcp: { value: [] } },
      },
    },
    accounts: {
      [MGMT]: {
        id: MGMT,
        name: 'Management',
        access: { value: { via: 'caller' } },
        regions,
        trailListing: { 'eu-west-1': { value: [] }, 'us-east-1': { value: [`arn:aws:cloudtrail:us-east-1:${MGMT}:trail/org-trail`] } },
        trails: { value: [trail(MGMT, 'org-trail', { isOrganizationTrail: true })] },
      },
      [MEMBER]: {
        id: MEMBER,
        name: `Workloads ${SCRIPT_PAYLOAD}`,
        access: { value: { via: 'role', roleArn: `arn:aws:iam::${MEMBER}:role/TrailwardenAudit` } },
        regions,
        trailListing: {
          'eu-west-1': { error: { code: 'AccessDenied', message: `User is not authorized ${ATTR_PAYLOAD}`, operation: 'DescribeTrails', region: 'eu-west-1' } },
          'us-east-1': { value: [] },
        },
        trails: {
          value: [
            trail(MEMBER, `audit${ATTR_PAYLOAD}`, { isMultiRegionTrail: false, logFileValidationEnabled: false }),
            trail(MEMBER, `legacy${SCRIPT_PAYLOAD}`, { logFileValidationEnabled: false }),
            trail(MEMBER, 'app-trail'),
          ],
        },
      },
      [LOCKED]: {
        id: LOCKED,
        name: 'Sandbox',
        access: { error: { code: 'AccessDenied', message: 'not authorized to perform sts:AssumeRole', operation: 'AssumeRole', accountId: LOCKED } },
      },
    },
  };
}

const REMEDIATION = {
  text: 'Turn it on.',
  cli: 'aws cloudtrail update-trail --name <trail> --enable-log-file-validation',
  terraform: 'resource "aws_cloudtrail" "x" {\n  enable_log_file_validation = true\n}',
};

export const fixtureChecks: LoadedCheck[] = [
  {
    plugin: { name: '@trailwarden/fixture', version: '1.0.0' },
    options: {},
    check: defineCheck({
      id: 'trail-multi-region',
      meta: {
        title: 'Trails record every region',
        description: 'A multi-region trail records API activity in regions nobody watches.',
        severity: 'high',
        resource: 'AWS::CloudTrail::Trail',
        frameworks: { 'cis-aws-3.0.0': ['3.1'] },
        remediation: { text: `Make the trail multi-region (see ${SCRIPT_PAYLOAD}).`, cli: 'aws cloudtrail update-trail --is-multi-region-trail' },
        helpUri: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html',
        messages: { ok: 'Trail {{name}} records every region.', single: 'Trail {{name}} records only {{region}}.' },
      },
      requires: ['trails'],
      evaluate(ctx) {
        ctx.forEachTrail((t) => {
          const evidence = { trail: t.trail.name, isMultiRegionTrail: t.trail.isMultiRegionTrail };
          if (t.trail.isMultiRegionTrail) ctx.pass(t.resource, 'ok', { name: t.trail.name }, evidence);
          else ctx.fail(t.resource, 'single', { name: t.trail.name, region: t.trail.homeRegion }, evidence);
        });
      },
    }),
  },
  {
    plugin: { name: '@trailwarden/fixture', version: '1.0.0' },
    options: {},
    check: defineCheck({
      id: 'trail-log-file-validation',
      meta: {
        title: 'Log file validation is enabled',
        description: 'Digest files prove that delivered log files were not altered.',
        severity: 'medium',
        resource: 'AWS::CloudTrail::Trail',
        frameworks: { 'cis-aws-3.0.0': ['3.2'], 'aws-fsbp': ['CloudTrail.4'] },
        remediation: REMEDIATION,
        docs: 'javascript:alert(1)',
        messages: { on: 'Trail {{name}} validates its log files.', off: 'Trail {{name}} does not validate its log files.' },
      },
      requires: ['trails'],
      evaluate(ctx) {
        ctx.forEachTrail((t) => {
          const evidence = {
            trail: t.trail.name,
            logFileValidationEnabled: t.trail.logFileValidationEnabled,
            // Policy text as AWS returns it: attacker-controlled, including line separators.
            policy: { Statement: [{ Sid: `</script><script>alert(2)</script>\u2028\u2029${ATTR_PAYLOAD}`, Effect: 'Allow' }] },
          };
          if (t.trail.logFileValidationEnabled) ctx.pass(t.resource, 'on', { name: t.trail.name }, evidence);
          else ctx.fail(t.resource, 'off', { name: t.trail.name }, evidence);
        });
      },
    }),
  },
  {
    plugin: { name: '@trailwarden/fixture', version: '1.0.0' },
    options: {},
    check: defineCheck({
      id: 'account-has-trail',
      meta: {
        title: 'Every account is covered by a trail',
        description: 'An account without a trail leaves no record of API activity.',
        severity: 'critical',
        resource: 'AWS::::Account',
        frameworks: { 'cis-aws-3.0.0': ['3.1'] },
        remediation: { text: 'Create an organization trail.' },
        messages: { covered: 'Account {{id}} is covered by {{count}} trail(s).', none: 'Account {{id}} has no trail.' },
      },
      requires: ['trails'],
      evaluate(ctx) {
        ctx.forEachAccount((a) => {
          const trails = a.applicableTrails();
          if (isUnknown(trails)) return ctx.error(a.resource, trails.error);
          // SCP names and tags come from the account too.
          const evidence = {
            trails: trails.value.map((t) => t.trail.name),
            scp: { name: `DenyCloudTrailStop${SCRIPT_PAYLOAD}` },
            tags: [{ key: 'owner', value: `team${ATTR_PAYLOAD}` }],
          };
          if (trails.value.length > 0) ctx.pass(a.resource, 'covered', { id: a.id, count: trails.value.length }, evidence);
          else ctx.fail(a.resource, 'none', { id: a.id });
        });
      },
    }),
  },
];

export const fixtureExceptions: ExceptionRule[] = [
  {
    id: 'legacy-validation',
    check: 'trail-log-file-validation',
    accounts: [MEMBER],
    resource: '*legacy*',
    reason: `Legacy trail ${HOSTILE}`,
    approver: `security${ATTR_PAYLOAD}`,
    expires: '2099-12-31',
  },
  { id: 'old-waiver', check: 'trail-multi-region', reason: 'Migration window', approver: 'ciso', expires: '2025-01-31' },
];

/** A ScanResult from the real engine over the fixture, with a fixed clock so it is reproducible. */
export async function fixtureResult(): Promise<ScanResult> {
  const now = new Date('2026-11-20T12:00:00.000Z');
  const result = await evaluate(fixtureSnapshot(), {
    checks: fixtureChecks,
    now,
    startedAt: now,
    exceptions: fixtureExceptions,
    tool: { name: 'trailwarden', version: '0.1.0' },
  });
  // The engine stamps finishedAt with the wall clock; pin it so renders compare byte for byte.
  result.scan.finishedAt = '2026-11-20T12:00:01.000Z';
  return result;
}

const DEMO_NAMES = ['log-archive', 'security-tooling', 'prod-payments', 'prod-web', 'staging', 'dev-sandbox', 'data-lake', 'shared-network', 'ml-research', 'legacy-erp'];

/**
 * A demo-like organization: the hostile fixture plus `extra` member accounts with a mix of
 * well-configured, misconfigured and partly unreadable trails (for screenshots and paging).
 */
export async function demoResult(extra = 10): Promise<ScanResult> {
  const snapshot = fixtureSnapshot();
  const org = snapshot.organization?.value;
  for (let i = 0; i < extra; i++) {
    const id = String(444444444400 + i);
    const name = DEMO_NAMES[i % DEMO_NAMES.length] + (i >= DEMO_NAMES.length ? `-${i}` : '');
    org?.accounts.push({ id, name, status: 'ACTIVE', ouPath: ['r-ab12', 'ou-ab12-prod'] });
    snapshot.scope.accounts.push(id);
    const trails = Array.from({ length: 1 + (i % 4) }, (_, k) =>
      trail(id, `${name}-trail-${k}`, { isMultiRegionTrail: (i + k) % 3 !== 0, logFileValidationEnabled: (i * k) % 2 === 0 }),
    );
    snapshot.accounts[id] = {
      id,
      name,
      access: { value: { via: 'role', roleArn: `arn:aws:iam::${id}:role/TrailwardenAudit` } },
      regions: { value: [{ name: 'eu-west-1', optInStatus: 'opt-in-not-required', enabled: true }, { name: 'us-east-1', optInStatus: 'opt-in-not-required', enabled: true }] },
      trailListing: {
        'eu-west-1': i % 5 === 4 ? { error: { code: 'ThrottlingException', message: 'Rate exceeded', operation: 'DescribeTrails', region: 'eu-west-1' } } : { value: [] },
        'us-east-1': { value: trails.map((t) => t.arn) },
      },
      trails: { value: trails },
    };
  }
  const now = new Date('2026-11-20T12:00:00.000Z');
  const result = await evaluate(snapshot, { checks: fixtureChecks, now, startedAt: now, exceptions: fixtureExceptions, tool: { name: 'trailwarden', version: '0.1.0' } });
  result.scan.finishedAt = '2026-11-20T12:00:01.000Z';
  return result;
}
