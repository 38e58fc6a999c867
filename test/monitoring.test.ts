/**
 * CIS monitoring end to end (issue 18): a world with metric filters, alarms, SNS topics and
 * EventBridge rules, served by the simulator, collected by the real collector through the real AWS
 * SDK clients, judged by the monitor-* checks. Also: the call budget (a handful of calls, only
 * where a trail's log group exists) and a denied read becoming an ERROR, never a PASS.
 */
import { join, resolve } from 'node:path';
import { collect } from '@trailwarden/aws';
import { type Finding, type LoadedCheck, SNAPSHOT_SECTIONS, type Snapshot, evaluate, loadPlugin, validateSnapshot } from '@trailwarden/core';
import { type InjectionOptions, type World, startSimulator } from '@trailwarden/sim';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const MAIN = '111122223333';
const QUIET = '444455556666';
const REGION = 'us-east-1';
const GROUP = 'org-trail-logs';
const TOPIC = `arn:aws:sns:${REGION}:${MAIN}:security-alarms`;
const NOW = new Date('2026-11-21T16:00:00Z');

const CIS_TRAIL = '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }';
const REWRITTEN_KMS = '{ $.eventSource = "kms.amazonaws.com" && ($.eventName = "ScheduleKeyDeletion" || $.eventName = "DisableKey") }';
const NEAR_MISS_S3 = '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }';
const ROOT_USAGE = '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }';
const IAM_POLICY = '{ ($.eventSource = iam.amazonaws.com) && (($.eventName = *Policy) || ($.eventName = *PolicyVersion)) }';

const filter = (name: string, pattern: string) => ({ region: REGION, logGroupName: GROUP, filterName: name, filterPattern: pattern, metricTransformations: [{ metricName: name, metricNamespace: 'CISBenchmark', metricValue: '1' }] });
const alarm = (name: string, extra: Record<string, unknown> = {}) => ({ region: REGION, alarmName: `${name}-alarm`, namespace: 'CISBenchmark', metricName: name, alarmActions: [TOPIC], ...extra });

const world: World = {
  regions: ['us-east-1', 'us-west-2'],
  organization: { id: 'o-abcdefghij', managementAccountId: MAIN },
  accounts: [
    {
      id: MAIN,
      name: 'main',
      iam: { users: [{ name: 'admin', managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'] }], roles: [{ name: 'TrailwardenAudit', trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MAIN}:root` }, Action: 'sts:AssumeRole' }] }, managedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] }] },
      trails: [
        {
          name: 'org-trail',
          homeRegion: REGION,
          multiRegion: true,
          organization: true,
          bucket: 'org-trail-logs-111122223333',
          cloudWatchLogsLogGroupArn: `arn:aws:logs:${REGION}:${MAIN}:log-group:${GROUP}:*`,
          cloudWatchLogsRoleArn: `arn:aws:iam::${MAIN}:role/CloudTrailToCloudWatch`,
          status: { isLogging: true, latestDeliveryTime: '2026-11-21T15:50:00Z', latestCloudWatchLogsDeliveryTime: '2026-11-21T15:55:00Z' },
        },
      ],
      buckets: [{ name: 'org-trail-logs-111122223333', region: REGION }],
      monitoring: {
        metricFilters: [filter('trail-changes', CIS_TRAIL), filter('kms-changes', REWRITTEN_KMS), filter('s3-changes', NEAR_MISS_S3), filter('root-usage', ROOT_USAGE), filter('iam-changes', IAM_POLICY)],
        alarms: [alarm('trail-changes'), alarm('kms-changes'), alarm('s3-changes'), alarm('root-usage', { actionsEnabled: false }), alarm('iam-changes', { alarmActions: [`arn:aws:sns:${REGION}:${MAIN}:nobody-listens`] })],
        topics: [
          { region: REGION, name: 'security-alarms', subscriptions: [{ protocol: 'email', endpoint: 'security@example.com' }] },
          { region: REGION, name: 'nobody-listens', subscriptions: [{ protocol: 'email', endpoint: 'old@example.com', confirmed: false }] },
        ],
        eventRules: [
          {
            region: REGION,
            name: 'config-tampering',
            eventPattern: { source: ['aws.config'], 'detail-type': ['AWS API Call via CloudTrail'], detail: { eventName: [{ prefix: 'Stop' }, { prefix: 'Delete' }, { prefix: 'Put' }] } },
            targets: [{ id: 'pager', arn: TOPIC }],
          },
        ],
      },
    },
    // Covered by the organization trail; no log group of its own, so nothing is read here.
    { id: QUIET, name: 'quiet', iam: { roles: [{ name: 'TrailwardenAudit', trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MAIN}:root` }, Action: 'sts:AssumeRole' }] }, managedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] }] } },
  ],
};

const checks: LoadedCheck[] = [];
beforeAll(async () => {
  const plugin = await loadPlugin(join(ROOT, 'checks', 'monitoring', 'src', 'index.ts'), ROOT);
  for (const check of plugin.checks) checks.push({ check, plugin: { name: plugin.name }, options: { ...(check.options?.defaults ?? {}) } });
});

async function scan(inject?: InjectionOptions, options: Record<string, unknown> = {}): Promise<{ snapshot: Snapshot; findings: Finding[]; calls: Record<string, number> }> {
  const sim = await startSimulator({ world, port: 0, ...(inject ? { inject, seed: 5 } : {}) });
  try {
    const snapshot = await collect({ sections: [...SNAPSHOT_SECTIONS], endpointUrl: sim.url, credentials: sim.callerCredentials, region: REGION, roleName: 'TrailwardenAudit', now: () => NOW, maxAttempts: 10 });
    validateSnapshot(JSON.parse(JSON.stringify(snapshot)));
    expect(sim.counters().mutations).toBe(0);
    const withOptions = checks.map((c) => ({ ...c, options: { ...c.options, ...options } }));
    const result = await evaluate(snapshot, { checks: withOptions, now: NOW });
    return { snapshot, findings: result.findings, calls: sim.counters().byOperation };
  } finally {
    await sim.stop();
  }
}

const verdict = (findings: Finding[], checkId: string, accountId = MAIN) => {
  const f = findings.find((x) => x.checkId === checkId && x.accountId === accountId)!;
  return { status: f.status, messageId: f.messageId, message: f.message };
};

describe('CIS monitoring through the simulator and the real collector', () => {
  it('collects the chain where the log group is, in a handful of calls', async () => {
    const { snapshot, calls } = await scan();
    const m = snapshot.accounts[MAIN]!.monitoring![REGION]!;
    expect(Object.keys(m.logGroups)).toEqual([GROUP]);
    expect(m.logGroups[GROUP]!.value!.map((f) => f.name)).toEqual(['iam-changes', 'kms-changes', 'root-usage', 's3-changes', 'trail-changes']);
    expect(m.alarms!.value!.find((a) => a.name === 'root-usage-alarm')).toMatchObject({ actionsEnabled: false, threshold: 1, statistic: 'Sum' });
    expect(m.topics).toEqual({
      [`arn:aws:sns:${REGION}:${MAIN}:nobody-listens`]: { value: { confirmed: 0, pending: 1, protocols: [] } },
      [TOPIC]: { value: { confirmed: 1, pending: 0, protocols: ['email'] } },
    });
    expect(m.eventRules!.value!.map((r) => [r.name, r.targets.value])).toEqual([['config-tampering', [{ id: 'pager', arn: TOPIC }]]]);
    expect(snapshot.accounts[QUIET]!.monitoring).toBeUndefined();
    // One DescribeMetricFilters per log group, one DescribeAlarms, one ListSubscriptionsByTopic per
    // notified topic, one ListRules and one ListTargetsByRule per AWS-event rule: 6, all in MAIN.
    const monitoringCalls = Object.entries(calls).filter(([op]) => /^(CloudWatchLogs|CloudWatch|SNS|EventBridge)\./.test(op));
    expect(Object.fromEntries(monitoringCalls)).toEqual({
      'CloudWatchLogs.DescribeMetricFilters': 1,
      'CloudWatch.DescribeAlarms': 1,
      'SNS.ListSubscriptionsByTopic': 2,
      'EventBridge.ListRules': 1,
      'EventBridge.ListTargetsByRule': 1,
    });
  });

  it('judges each control by meaning, in the owner and in the member the organization trail covers', async () => {
    const { findings } = await scan();
    for (const account of [MAIN, QUIET]) {
      expect(verdict(findings, 'monitor-cloudtrail-changes', account)).toMatchObject({ status: 'PASS', messageId: 'watched' });
      expect(verdict(findings, 'monitor-kms-key-deletion', account)).toMatchObject({ status: 'PASS' }); // rewritten, equivalent
    }
    const s3 = verdict(findings, 'monitor-s3-bucket-policy-changes');
    expect(s3).toMatchObject({ status: 'FAIL', messageId: 'noFilter' });
    expect(s3.message).toContain('does not catch DeleteBucketPolicy');
    expect(verdict(findings, 'monitor-root-usage')).toMatchObject({ status: 'FAIL', messageId: 'alarmDisabled' });
    expect(verdict(findings, 'monitor-iam-policy-changes')).toMatchObject({ status: 'FAIL', messageId: 'noSubscriber' });
    expect(verdict(findings, 'monitor-vpc-changes')).toMatchObject({ status: 'FAIL', messageId: 'noFilter' });
    // CIS audits metric filters only: the EventBridge rule counts only with cisStrict off.
    expect(verdict(findings, 'monitor-config-changes')).toMatchObject({ status: 'FAIL', messageId: 'noFilter' });
  });

  it('with cisStrict off, an EventBridge rule that matches every event and has a target passes', async () => {
    const { findings } = await scan(undefined, { cisStrict: false });
    expect(verdict(findings, 'monitor-config-changes')).toMatchObject({ status: 'PASS', messageId: 'watchedByEventBridge' });
    // The rule is in the management account's bus: the member's own events never reach it.
    expect(verdict(findings, 'monitor-config-changes', QUIET)).toMatchObject({ status: 'FAIL' });
  });

  it('a denied read is an ERROR naming it, never a PASS', async () => {
    const { snapshot, findings } = await scan({ accessDenied: [{ operation: 'DescribeMetricFilters' }] });
    expect(snapshot.accounts[MAIN]!.monitoring![REGION]!.logGroups[GROUP]!.error).toMatchObject({ code: 'AccessDeniedException', operation: 'DescribeMetricFilters' });
    for (const c of checks) {
      const f = verdict(findings, c.check.id);
      expect(f.status, c.check.id).toBe('ERROR');
      expect(f.message).toMatch(/DescribeMetricFilters failed/);
    }
  });

  it('gives the same snapshot through throttling and quotas', async () => {
    const clean = await scan();
    const throttled = await scan({ throttleRate: 0.3, quotas: true });
    expect(JSON.stringify(throttled.snapshot)).toBe(JSON.stringify(clean.snapshot));
  });
});
