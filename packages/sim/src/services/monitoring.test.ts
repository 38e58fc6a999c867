import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeMetricFiltersCommand } from '@aws-sdk/client-cloudwatch-logs';
import { EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf } from '../clients.test-util.js';
import { type SimServer, startSimulator, type World } from '../index.js';

const A = '111122223333';
const GROUP = 'aws-cloudtrail-logs-main';
const TOPIC = `arn:aws:sns:us-east-1:${A}:security-alarms`;

const world: World = {
  accounts: [
    {
      id: A,
      name: 'main',
      trails: [{ name: 'main', homeRegion: 'us-east-1', multiRegion: true, bucket: 'trail-logs-111122223333', cloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${A}:log-group:${GROUP}:*` }],
      buckets: [{ name: 'trail-logs-111122223333', region: 'us-east-1' }],
      monitoring: {
        metricFilters: Array.from({ length: 55 }, (_, i) => ({
          region: 'us-east-1',
          logGroupName: GROUP,
          filterName: `f${String(i).padStart(2, '0')}`,
          filterPattern: '{ ($.eventName = StopLogging) || ($.eventName = DeleteTrail) }',
        })),
        alarms: [
          { region: 'us-east-1', alarmName: 'trail-changes', namespace: 'CISBenchmark', metricName: 'f00', alarmActions: [TOPIC] },
          { region: 'us-east-1', alarmName: 'muted', namespace: 'CISBenchmark', metricName: 'f01', actionsEnabled: false, threshold: 2, evaluationPeriods: 3 },
        ],
        topics: [
          {
            region: 'us-east-1',
            name: 'security-alarms',
            subscriptions: [
              { protocol: 'email', endpoint: 'sec@example.com' },
              { protocol: 'email', endpoint: 'new@example.com', confirmed: false },
            ],
          },
        ],
        eventRules: [
          { region: 'us-east-1', name: 'trail-tampering', eventPattern: { source: ['aws.cloudtrail'] }, targets: [{ id: 'page', arn: TOPIC }] },
          { region: 'us-east-1', name: 'nightly', scheduleExpression: 'rate(1 day)', state: 'DISABLED' },
        ],
      },
    },
  ],
};

let sim: SimServer;
let config: { endpoint: string; region: string; credentials: SimServer['callerCredentials']; maxAttempts: number };
beforeAll(async () => {
  sim = await startSimulator({ world });
  config = { endpoint: sim.url, region: 'us-east-1', credentials: sim.callerCredentials, maxAttempts: 1 };
});
afterAll(() => sim.stop());

describe('CloudWatch Logs DescribeMetricFilters (awsJson1_1)', () => {
  it('pages 50 at a time and returns the metric transformations', async () => {
    const logs = new CloudWatchLogsClient(config);
    const first = await logs.send(new DescribeMetricFiltersCommand({ logGroupName: GROUP }));
    expect(first.metricFilters).toHaveLength(50);
    expect(first.metricFilters![0]).toMatchObject({ filterName: 'f00', logGroupName: GROUP, metricTransformations: [{ metricName: 'f00', metricNamespace: 'CISBenchmark', metricValue: '1' }] });
    expect(first.metricFilters![0]!.creationTime).toBe(Date.parse('2024-01-01T00:00:00Z'));
    const second = await logs.send(new DescribeMetricFiltersCommand({ logGroupName: GROUP, nextToken: first.nextToken }));
    expect(second.metricFilters).toHaveLength(5);
    expect(second.nextToken).toBeUndefined();
  });
  it('a log group that does not exist is ResourceNotFoundException; another region has none', async () => {
    const logs = new CloudWatchLogsClient(config);
    expect(await errorOf(logs.send(new DescribeMetricFiltersCommand({ logGroupName: 'nope' })))).toMatchObject({ name: 'ResourceNotFoundException' });
    const west = new CloudWatchLogsClient({ ...config, region: 'us-west-2' });
    expect(await errorOf(west.send(new DescribeMetricFiltersCommand({ logGroupName: GROUP })))).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(await errorOf(logs.send(new DescribeMetricFiltersCommand({ logGroupName: GROUP, limit: 51 })))).toMatchObject({ name: 'InvalidParameterException' });
  });
});

describe('CloudWatch DescribeAlarms (awsJson1_0, awsQueryCompatible)', () => {
  it('returns metric alarms with their actions and thresholds', async () => {
    const cw = new CloudWatchClient(config);
    const out = await cw.send(new DescribeAlarmsCommand({ AlarmTypes: ['MetricAlarm'], MaxRecords: 1 }));
    expect(out.MetricAlarms).toHaveLength(1);
    expect(out.MetricAlarms![0]).toMatchObject({ AlarmName: 'muted', ActionsEnabled: false, Threshold: 2, EvaluationPeriods: 3, Statistic: 'Sum' });
    const next = await cw.send(new DescribeAlarmsCommand({ AlarmTypes: ['MetricAlarm'], MaxRecords: 1, NextToken: out.NextToken }));
    expect(next.MetricAlarms![0]).toMatchObject({ AlarmName: 'trail-changes', ActionsEnabled: true, AlarmActions: [TOPIC], Namespace: 'CISBenchmark', MetricName: 'f00', ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect(next.MetricAlarms![0]!.AlarmConfigurationUpdatedTimestamp).toEqual(new Date('2024-01-01T00:00:00Z'));
  });
  it('errors carry the query error code (x-amzn-query-error)', async () => {
    const cw = new CloudWatchClient(config);
    const err = await cw.send(new DescribeAlarmsCommand({ MaxRecords: 101 })).then(
      () => undefined,
      (e: { name: string; Code?: string; $metadata?: { httpStatusCode?: number } }) => e,
    );
    expect(err).toMatchObject({ Code: 'InvalidParameterValue', $metadata: { httpStatusCode: 400 } });
  });
});

describe('SNS ListSubscriptionsByTopic (awsQuery)', () => {
  it('lists confirmed subscriptions by ARN and unconfirmed ones as PendingConfirmation', async () => {
    const sns = new SNSClient(config);
    const out = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: TOPIC }));
    expect(out.Subscriptions!.map((s) => [s.Protocol, s.Endpoint, s.SubscriptionArn?.startsWith(`${TOPIC}:`) ? 'arn' : s.SubscriptionArn])).toEqual([
      ['email', 'sec@example.com', 'arn'],
      ['email', 'new@example.com', 'PendingConfirmation'],
    ]);
  });
  it('an unknown topic is NotFound; another account’s topic is AuthorizationError', async () => {
    const sns = new SNSClient(config);
    expect(await errorOf(sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: `arn:aws:sns:us-east-1:${A}:nope` })))).toMatchObject({ name: 'NotFoundException' });
    expect(await errorOf(sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: 'arn:aws:sns:us-east-1:999999999999:x' })))).toMatchObject({ name: 'AuthorizationErrorException' });
  });
});

describe('EventBridge ListRules / ListTargetsByRule (awsJson1_1)', () => {
  it('lists the default bus rules with their patterns, and a rule’s targets', async () => {
    const events = new EventBridgeClient(config);
    const out = await events.send(new ListRulesCommand({ EventBusName: 'default' }));
    expect(out.Rules!.map((r) => [r.Name, r.State, r.EventPattern ?? r.ScheduleExpression])).toEqual([
      ['nightly', 'DISABLED', 'rate(1 day)'],
      ['trail-tampering', 'ENABLED', '{"source":["aws.cloudtrail"]}'],
    ]);
    expect(out.Rules![1]!.Arn).toBe(`arn:aws:events:us-east-1:${A}:rule/trail-tampering`);
    const targets = await events.send(new ListTargetsByRuleCommand({ Rule: 'trail-tampering' }));
    expect(targets.Targets).toEqual([{ Id: 'page', Arn: TOPIC }]);
    expect(await errorOf(events.send(new ListTargetsByRuleCommand({ Rule: 'nope' })))).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(await errorOf(events.send(new ListRulesCommand({ EventBusName: 'custom' })))).toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('the simulator is read-only here too', () => {
  it('counts the calls under each service', async () => {
    const ops = Object.keys(sim.counters().byOperation);
    for (const op of ['CloudWatchLogs.DescribeMetricFilters', 'CloudWatch.DescribeAlarms', 'SNS.ListSubscriptionsByTopic', 'EventBridge.ListRules', 'EventBridge.ListTargetsByRule']) expect(ops).toContain(op);
    expect(sim.counters().mutations).toBe(0);
  });
});
