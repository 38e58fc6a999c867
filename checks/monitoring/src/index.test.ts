import { MONITORING_CONTROLS, type MonitoringControl, monitoringSubject, type RegionMonitoring, type Snapshot, validateCheck, BUILTIN_PACKS, frameworksOfCheck } from '@trailwarden/core';
import { account, organization, runCheck, snapshot, trail, unreadable } from '@trailwarden/testing';
import { describe, expect, it } from 'vitest';
import checks from './index.js';

const A = '111111111111';
const MEMBER = '222222222222';
const REGION = 'us-east-1';
const GROUP = 'aws-cloudtrail-logs-main';
const TOPIC = `arn:aws:sns:${REGION}:${A}:security-alarms`;

interface Setup {
  pattern?: string;
  alarm?: false | { actionsEnabled?: boolean; threshold?: number; evaluationPeriods?: number; alarmActions?: string[] };
  topic?: { confirmed: number; pending: number } | 'unreadable';
  filters?: 'unreadable';
  rules?: RegionMonitoring['eventRules'];
  logging?: boolean;
  multiRegion?: boolean;
}

function monitoring(control: MonitoringControl, s: Setup): RegionMonitoring {
  const metric = { namespace: 'CISBenchmark', name: control.metricName, value: '1' };
  const m: RegionMonitoring = {
    logGroups: {
      [GROUP]: s.filters === 'unreadable' ? unreadableK('DescribeMetricFilters') : { value: [{ name: control.metricName, pattern: s.pattern ?? control.cisPatterns[0]!, metrics: [metric] }] },
    },
    alarms: {
      value:
        s.alarm === false
          ? []
          : [
              {
                name: `${control.metricName}_alarm`,
                actionsEnabled: s.alarm?.actionsEnabled ?? true,
                alarmActions: s.alarm?.alarmActions ?? [TOPIC],
                namespace: metric.namespace,
                metricName: metric.name,
                statistic: 'Sum',
                comparisonOperator: 'GreaterThanOrEqualToThreshold',
                threshold: s.alarm?.threshold ?? 1,
                evaluationPeriods: s.alarm?.evaluationPeriods ?? 1,
                period: 300,
              },
            ],
    },
    topics: { [TOPIC]: s.topic === 'unreadable' ? unreadableK('ListSubscriptionsByTopic') : { value: { confirmed: s.topic?.confirmed ?? 1, pending: s.topic?.pending ?? 0, protocols: ['email'] } } },
    eventRules: s.rules ?? { value: [] },
  };
  return m;
}

function unreadableK(operation: string) {
  return { error: { code: 'AccessDeniedException', message: 'not authorized', operation, accountId: A, region: REGION } };
}

function world(control: MonitoringControl, s: Setup): Snapshot {
  const snap = snapshot({ accounts: [account(A, { trails: [trail({ name: 'main', logging: s.logging ?? true, multiRegion: s.multiRegion ?? true })] })] });
  snap.accounts[A]!.monitoring = { [REGION]: monitoring(control, s) };
  return snap;
}

const checkOf = (control: MonitoringControl) => checks.find((c) => c.id === `monitor-${control.topic}`)!;

async function run(control: MonitoringControl, snap: Snapshot, options?: { cisStrict: boolean }) {
  return runCheck(checkOf(control), snap, options ? { options } : {});
}

const names = (c: MonitoringControl) => c.mustCatch.map((e) => String(e.record.eventName));
const orOf = (list: string[]) => `{${list.map((n) => `$.eventName="${n}"`).join(' || ')}}`;

/** An equivalent rewrite: other quoting, order, grouping or operators than CIS's sample. */
const REWRITTEN: Record<string, string> = {
  'unauthorized-api-calls': '{ ($.errorCode = "AccessDenied*") || ($.errorCode = "*UnauthorizedOperation") }',
  'console-signin-without-mfa': '{ $.eventSource = "signin.amazonaws.com" && $.eventName = "ConsoleLogin" && $.additionalEventData.MFAUsed = "No" }',
  'root-usage': '{ ($.userIdentity.type = "Root") && ($.userIdentity.invokedBy NOT EXISTS) && ($.eventType != "AwsServiceEvent") }',
  'console-auth-failures': '{ $.eventName = "ConsoleLogin" && $.responseElements.ConsoleLogin = "Failure" }',
};
/** A near-miss and the event it does not catch. */
const NEAR_MISS: Record<string, [string, string]> = {
  'unauthorized-api-calls': ['{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied") }', 'ListFunctions20150331 (errorCode AccessDeniedException)'],
  'console-signin-without-mfa': ['{ ($.eventName = ConsoleLogin) && ($.additionalEventData.MFAUsed = Yes) }', 'ConsoleLogin (IAM user, no MFA)'],
  'root-usage': ['{ $.userIdentity.type = Root && $.eventType = AwsApiCall }', 'ConsoleLogin (root)'],
  'console-auth-failures': ['{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentification") }', 'ConsoleLogin (failed)'],
};

describe.each(MONITORING_CONTROLS.map((c) => [c.topic, c] as const))('monitor-%s', (_topic, control) => {
  it('is a valid check mapped to CIS v1.2–v6.0', () => {
    expect(() => validateCheck(checkOf(control), 'test')).not.toThrow();
    const fw = frameworksOfCheck(checkOf(control).id, BUILTIN_PACKS);
    expect(fw['cis-aws-3.0.0']).toEqual([`4.${control.cisNumber}`]);
    expect(fw['cis-aws-6.0.0']).toEqual([`5.${control.cisNumber}`]);
    expect(fw['cis-aws-1.2.0']).toEqual(control.cisNumber <= 14 ? [`3.${control.cisNumber}`] : undefined);
  });

  it.each(control.cisPatterns.map((p) => [p]))("PASSes with CIS's sample %s", async (pattern) => {
    const [f] = await run(control, world(control, { pattern }));
    expect(f).toMatchObject({
      status: 'PASS',
      accountId: A,
      messageId: 'watched',
      data: { account: A, trail: 'main', group: GROUP, region: REGION, filter: control.metricName, alarm: `${control.metricName}_alarm`, topic: TOPIC, subscribers: 1 },
    });
  });

  it('PASSes with an equivalent rewritten pattern', async () => {
    const pattern = REWRITTEN[control.topic] ?? orOf([...names(control)].reverse());
    expect((await run(control, world(control, { pattern })))[0]).toMatchObject({ status: 'PASS', messageId: 'watched', data: { filter: control.metricName, subscribers: 1 } });
  });

  it('FAILs with a near-miss, naming the event it does not catch', async () => {
    const list = names(control);
    const [pattern, missed] = NEAR_MISS[control.topic] ?? [orOf(list.slice(0, -1)), control.mustCatch.at(-1)!.label];
    const [f] = await run(control, world(control, { pattern }));
    expect(f).toMatchObject({ status: 'FAIL', messageId: 'noFilter', data: { group: GROUP, trail: 'main', region: REGION, metricSuggested: control.metricName, namespaceSuggested: 'CISBenchmark' } });
    expect(f!.data?.detail).toContain(`does not catch ${missed}`);
    // The wording matters here: the fix is a command to paste.
    expect(f!.message).toContain(`aws logs put-metric-filter --region ${REGION} --log-group-name ${GROUP} --filter-name ${control.metricName}`);
  });

  it('FAILs with no alarm on the metric', async () => {
    const [f] = await run(control, world(control, { alarm: false }));
    expect(f).toMatchObject({ status: 'FAIL', messageId: 'noAlarm', data: { filter: control.metricName, namespace: 'CISBenchmark', metric: control.metricName, alarmSuggested: `${control.metricName}_alarm` } });
    expect(f!.message).toContain(`aws cloudwatch put-metric-alarm --region ${REGION} --alarm-name ${control.metricName}_alarm --metric-name ${control.metricName} --namespace CISBenchmark`);
  });

  it('FAILs with an alarm whose actions are disabled', async () => {
    const [f] = await run(control, world(control, { alarm: { actionsEnabled: false } }));
    expect(f).toMatchObject({ status: 'FAIL', messageId: 'alarmDisabled', data: { alarm: `${control.metricName}_alarm`, region: REGION } });
    expect(f!.message).toContain(`aws cloudwatch enable-alarm-actions --region ${REGION} --alarm-names ${control.metricName}_alarm`);
  });

  it('FAILs with a topic that has no confirmed subscriber', async () => {
    const [f] = await run(control, world(control, { topic: { confirmed: 0, pending: 1 } }));
    expect(f).toMatchObject({ status: 'FAIL', messageId: 'noSubscriber', data: { alarm: `${control.metricName}_alarm`, topic: TOPIC, pending: 1 } });
  });

  it('is an ERROR when a read failed', async () => {
    const [f] = await run(control, world(control, { filters: 'unreadable' }));
    expect(f).toMatchObject({ status: 'ERROR', messageId: 'core.cannotDecide', data: { operation: 'DescribeMetricFilters', code: 'AccessDeniedException' } });
    const [g] = await run(control, world(control, { topic: 'unreadable' }));
    expect(g).toMatchObject({ status: 'ERROR', messageId: 'core.cannotDecide', data: { operation: 'ListSubscriptionsByTopic', code: 'AccessDeniedException' } });
  });
});

describe('the rest of the chain', () => {
  const trailChanges = MONITORING_CONTROLS.find((c) => c.topic === 'cloudtrail-changes')!;
  const check = checkOf(trailChanges);

  it('the three that protect the trail are high severity', () => {
    for (const id of ['monitor-cloudtrail-changes', 'monitor-kms-key-deletion', 'monitor-s3-bucket-policy-changes']) expect(checks.find((c) => c.id === id)!.meta.severity).toBe('high');
  });

  it('FAILs when no multi-region logging trail feeds CloudWatch Logs', async () => {
    const stopped = await run(trailChanges, world(trailChanges, { logging: false }));
    expect(stopped[0]).toMatchObject({ status: 'FAIL', messageId: 'noTrail', data: { account: A, what: monitoringSubject(trailChanges) } });
    const single = await run(trailChanges, world(trailChanges, { multiRegion: false }));
    expect(single[0]).toMatchObject({ status: 'FAIL', messageId: 'noTrail' });
    const snap = snapshot({ accounts: [account(A, { trails: [trail({ name: 'main', cloudWatchLogsLogGroupArn: null })] })] });
    expect((await runCheck(check, snap))[0]).toMatchObject({ status: 'FAIL', messageId: 'noTrail' });
  });

  it('FAILs when the alarm would not fire on one event', async () => {
    const high = await run(trailChanges, world(trailChanges, { alarm: { threshold: 5 } }));
    expect(high[0]).toMatchObject({ status: 'FAIL', messageId: 'alarmWontFire', data: { alarm: `${trailChanges.metricName}_alarm`, why: 'one event makes Sum = 1, which is not greater than or equal to the threshold 5' } });
    const periods = await run(trailChanges, world(trailChanges, { alarm: { evaluationPeriods: 3 } }));
    expect(periods[0]).toMatchObject({ status: 'FAIL', messageId: 'alarmWontFire', data: { why: /needs 3 breaching periods/ } });
  });

  it('FAILs when the alarm notifies no SNS topic', async () => {
    const [f] = await run(trailChanges, world(trailChanges, { alarm: { alarmActions: [] } }));
    expect(f).toMatchObject({ status: 'FAIL', messageId: 'noTopic', data: { alarm: `${trailChanges.metricName}_alarm`, filter: trailChanges.metricName }, evidence: { alarmActions: [] } });
  });

  it('an EventBridge rule counts only with cisStrict off', async () => {
    const rules: RegionMonitoring['eventRules'] = {
      value: [
        {
          name: 'trail-tampering',
          state: 'ENABLED',
          eventPattern: JSON.stringify({ source: ['aws.cloudtrail'], 'detail-type': ['AWS API Call via CloudTrail'], detail: { eventName: [{ suffix: 'Trail' }, { suffix: 'Logging' }] } }),
          targets: { value: [{ id: 'page', arn: TOPIC }] },
        },
      ],
    };
    const snap = world(trailChanges, { alarm: false, rules });
    expect((await run(trailChanges, snap))[0]).toMatchObject({ status: 'FAIL', messageId: 'noAlarm' });
    const [f] = await run(trailChanges, snap, { cisStrict: false });
    expect(f).toMatchObject({ status: 'PASS', messageId: 'watchedByEventBridge', data: { rule: 'trail-tampering', target: TOPIC, region: REGION } });
    expect(f!.message).toMatch(/cisStrict is off/);
    const disabled = structuredClone(snap);
    disabled.accounts[A]!.monitoring![REGION]!.eventRules!.value![0]!.state = 'DISABLED';
    expect((await run(trailChanges, disabled, { cisStrict: false }))[0]).toMatchObject({ status: 'FAIL' });
  });

  it("a member account is watched through the organization trail's log group in the management account", async () => {
    const snap = snapshot({ organization: organization({ managementAccountId: A }), accounts: [account(A, { trails: [trail({ name: 'main', organization: true })] }), account(MEMBER)] });
    snap.accounts[A]!.monitoring = { [REGION]: monitoring(trailChanges, {}) };
    const findings = await runCheck(check, snap);
    expect(findings.map((f) => [f.accountId, f.status, f.messageId, f.data?.account, f.data?.group])).toEqual([
      [A, 'PASS', 'watched', A, GROUP],
      [MEMBER, 'PASS', 'watched', MEMBER, GROUP],
    ]);
  });

  it('monitoring not collected is an ERROR, never a PASS or FAIL', async () => {
    const snap = snapshot({ accounts: [account(A, { trails: [trail({ name: 'main' })] })] });
    const [f] = await runCheck(check, snap);
    expect(f).toMatchObject({ status: 'ERROR', messageId: 'core.cannotDecide', data: { code: 'NotCollected' } });
  });

  it('unreadable trails are an ERROR', async () => {
    const snap = snapshot({ accounts: [account(A, { trails: unreadable('AccessDenied', 'DescribeTrails') })] });
    expect((await runCheck(check, snap))[0]).toMatchObject({ status: 'ERROR' });
  });
});
