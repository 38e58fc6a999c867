/**
 * A realistic ScanResult for testing a reporter: the real engine over a small organization (three
 * accounts, one unreadable, an organization trail, an excepted finding) whose trail name and
 * exception reason carry attacker-controlled text. Every status appears.
 */
import {
  type LoadedCheck,
  type ScanResult,
  type Snapshot,
  type Trail,
  defineCheck,
  evaluate,
} from '@trailwarden/core';

/** Text an attacker who controls resource names or tags could plant: markup, CDATA end, control characters. */
export const HOSTILE_TEXT = `evil<script>alert("x")</script>]]>'&\u0001\u0008\u001b\uFFFE end`;

export interface SampleScanOptions {
  /** Put in a trail's name (and so in its ARN, message and evidence). Default HOSTILE_TEXT. */
  hostile?: string;
  /** The exception's reason. Default `Legacy trail <hostile>`. */
  exceptionReason?: string;
  startedAt?: Date;
}

const ORG = 'o-abc123defg';
const A = '111111111111';
const B = '222222222222';
const C = '333333333333';

function trail(owner: string, name: string, extra: Partial<Trail> = {}): Trail {
  return {
    arn: `arn:aws:cloudtrail:us-east-1:${owner}:trail/${name}`,
    name,
    homeRegion: 'us-east-1',
    ownerAccountId: owner,
    isOrganizationTrail: false,
    isMultiRegionTrail: false,
    includeGlobalServiceEvents: true,
    logFileValidationEnabled: false,
    ...extra,
  };
}

const regions = { value: [{ name: 'us-east-1', optInStatus: 'opt-in-not-required' as const, enabled: true }] };

/** The organization behind `sampleScan`. */
export function sampleSnapshot(hostile: string = HOSTILE_TEXT): Snapshot {
  return {
    schemaVersion: '1.0',
    collectedAt: '2026-11-20T10:00:00.000Z',
    partition: 'aws',
    sections: ['organization', 'regions', 'trails'],
    scope: { mode: 'organization', accounts: [A, B, C], regions: [] },
    organization: {
      value: {
        id: ORG,
        managementAccountId: A,
        roots: [{ id: 'r-ab12', name: 'Root' }],
        ous: [],
        accounts: [A, B, C].map((id) => ({ id, name: `acct-${id.slice(0, 1)}`, status: 'ACTIVE', ouPath: ['r-ab12'] })),
        policies: { scp: { value: [] }, rcp: { value: [] } },
      },
    },
    accounts: {
      [A]: {
        id: A,
        name: 'acct-1',
        access: { value: { via: 'caller' } },
        regions,
        trails: {
          value: [
            trail(A, 'org-trail', { isOrganizationTrail: true, isMultiRegionTrail: true, logFileValidationEnabled: true, kmsKeyId: `arn:aws:kms:us-east-1:${A}:key/k1` }),
            trail(A, hostile),
          ],
        },
      },
      [B]: { id: B, name: 'acct-2', access: { value: { via: 'role' } }, regions, trails: { value: [trail(B, 'b-trail')] } },
      [C]: {
        id: C,
        name: 'acct-3',
        access: { value: { via: 'role' } },
        regions,
        trails: { error: { code: 'AccessDenied', message: 'not authorized to perform cloudtrail:DescribeTrails', operation: 'DescribeTrails', accountId: C } },
      },
    },
  };
}

const validation = defineCheck({
  id: 'trail-log-file-validation',
  meta: {
    title: 'Trails validate log files',
    description: 'Log file validation lets you prove that delivered log files were not changed.',
    severity: 'medium',
    resource: 'AWS::CloudTrail::Trail',
    frameworks: { 'cis-aws-3.0.0': ['3.2'], 'aws-fsbp': ['CloudTrail.4'] },
    remediation: {
      text: 'Turn on log file validation.',
      cli: 'aws cloudtrail update-trail --name <trail> --enable-log-file-validation',
      terraform: 'enable_log_file_validation = true',
    },
    messages: { on: 'Trail {{name}} validates log files.', off: 'Trail {{name}} does not validate log files.' },
  },
  requires: ['trails'],
  evaluate(ctx) {
    ctx.forEachTrail((t) => {
      if (t.trail.logFileValidationEnabled) ctx.pass(t.resource, 'on', { name: t.trail.name });
      else ctx.fail(t.resource, 'off', { name: t.trail.name }, { logFileValidationEnabled: false, trailName: t.trail.name });
    });
  },
});

const encryption = defineCheck({
  id: 'trail-kms-encryption',
  meta: {
    title: 'Trails encrypt with a KMS key',
    description: 'SSE-KMS limits who can read the logs.',
    severity: 'critical',
    resource: 'AWS::CloudTrail::Trail',
    frameworks: {
      'cis-aws-3.0.0': ['3.5'],
      'aws-fsbp': ['CloudTrail.2'],
      'nist-800-53-r5': ['AU-9', 'SC-13', 'SC-28', 'SC-28(1)', 'SI-7(6)', 'AU-9(3)', 'CA-9(1)'],
      'pci-dss-4.0': ['10.3.2', '10.5.1'],
    },
    remediation: { text: 'Set a KMS key on the trail; keys with ``` in them stay fenced.', cli: 'aws cloudtrail update-trail --kms-key-id ```alias```' },
    helpUri: 'https://example.com/docs/trail-kms-encryption',
    messages: { yes: 'Trail {{name}} uses a KMS key.', no: 'Trail {{name}} has no KMS key.' },
  },
  requires: ['trails'],
  evaluate(ctx) {
    ctx.forEachTrail((t) => {
      if (t.trail.kmsKeyId) ctx.pass(t.resource, 'yes', { name: t.trail.name });
      else ctx.fail(t.resource, 'no', { name: t.trail.name }, { kmsKeyId: null });
    });
  },
});

const multiRegion = defineCheck({
  id: 'multi-region-trail',
  meta: {
    title: 'Every account has a multi-region trail',
    description: 'A multi-region trail records activity in every region, including ones you do not use.',
    severity: 'high',
    resource: 'AWS::::Account',
    frameworks: { 'cis-aws-3.0.0': ['3.1'] },
    remediation: { text: 'Create a multi-region trail or an organization trail.' },
    docs: 'README.md',
    messages: { covered: 'Account {{id}} is covered by a multi-region trail.', uncovered: 'Account {{id}} has no multi-region trail.' },
  },
  requires: ['trails'],
  evaluate(ctx) {
    ctx.forEachAccount((a) => {
      const trails = a.applicableTrails();
      if (trails.error) return ctx.error(a.resource, trails.error);
      if (trails.value.some((t) => t.trail.isMultiRegionTrail)) ctx.pass(a.resource, 'covered', { id: a.id });
      else ctx.fail(a.resource, 'uncovered', { id: a.id });
    });
  },
});

const insights = defineCheck({
  id: 'trail-insights',
  meta: {
    title: 'Trails record Insights events',
    description: 'Insights flags unusual API activity.',
    severity: 'low',
    resource: 'AWS::CloudTrail::Trail',
    remediation: { text: 'Enable Insights on the organization trail.' },
    messages: { na: 'Trail {{name}} is not an organization trail.', missing: 'Trail {{name}} has no Insights selectors.' },
  },
  requires: ['trails'],
  evaluate(ctx) {
    ctx.forEachTrail((t) => {
      if (!t.trail.isOrganizationTrail) ctx.notApplicable(t.resource, 'na', { name: t.trail.name });
      else ctx.fail(t.resource, 'missing', { name: t.trail.name });
    });
  },
});

/** The four small checks `sampleScan` runs (validation, encryption, multi-region, insights). */
export const SAMPLE_CHECKS: LoadedCheck[] = [validation, encryption, multiRegion, insights].map((check) => ({
  check,
  plugin: { name: 'fixture-checks', version: '1.0.0' },
  options: {},
}));

/** The real engine over `sampleSnapshot`; `b-trail`'s encryption failure is excepted. */
export async function sampleScan(options: SampleScanOptions = {}): Promise<ScanResult> {
  const hostile = options.hostile ?? HOSTILE_TEXT;
  return evaluate(sampleSnapshot(hostile), {
    checks: SAMPLE_CHECKS,
    now: new Date('2026-11-20T12:00:00Z'),
    startedAt: options.startedAt ?? new Date('2026-11-20T12:00:00Z'),
    tool: { name: 'trailwarden', version: '1.2.3' },
    exceptions: [
      {
        id: 'legacy-b',
        check: 'trail-kms-encryption',
        accounts: [B],
        resource: '*b-trail',
        reason: options.exceptionReason ?? `Legacy trail ${hostile}`,
        approver: 'security@example.com',
        expires: '2027-03-31',
      },
    ],
  });
}
