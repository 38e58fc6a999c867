import { DescribeAlarmsCommand, type DescribeAlarmsCommandOutput, type MetricAlarm as SdkMetricAlarm } from '@aws-sdk/client-cloudwatch';
import { DescribeMetricFiltersCommand, type DescribeMetricFiltersCommandOutput } from '@aws-sdk/client-cloudwatch-logs';
import { ListRulesCommand, type ListRulesCommandOutput, ListTargetsByRuleCommand, type ListTargetsByRuleCommandOutput } from '@aws-sdk/client-eventbridge';
import { ListSubscriptionsByTopicCommand, type ListSubscriptionsByTopicCommandOutput } from '@aws-sdk/client-sns';
import type { EventRule, Known, MetricAlarm, MetricFilter, RegionMonitoring, TopicSubscriptions, Trail } from '@trailwarden/core';
import { compareStrings, parseArn } from '../arn.js';
import { compact, readKnown } from '../known-read.js';
import type { Metrics } from '../pacing/metrics.js';
import { forEachLimit } from '../pool.js';
import type { AccountSession } from '../session.js';

/**
 * Page caps: a region with more metric filters, alarms, subscriptions or rules than this is not
 * read to the end, and the read says so (an error, never a silently partial list).
 */
const MAX_PAGES = 20;
const MAX_TOPICS = 20;
const MAX_RULES_WITH_TARGETS = 50;
const AT_ONCE = 4;

class TooMany extends Error {
  override readonly name = 'TooManyResults';
  constructor(what: string) {
    super(`more than ${MAX_PAGES} pages of ${what}; Trailwarden reads at most that many`);
  }
}

/** Where the multi-region trails this account owns deliver: region → log group names. */
export function monitoredLogGroups(trails: Trail[], accountId: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const t of trails) {
    if (t.ownerAccountId !== accountId || !t.isMultiRegionTrail || !t.cloudWatchLogsLogGroupArn) continue;
    const group = logGroupOf(t.cloudWatchLogsLogGroupArn);
    if (!group || group.accountId !== accountId) continue;
    const names = out.get(group.region) ?? new Set<string>();
    names.add(group.name);
    out.set(group.region, names);
  }
  return out;
}

/** `arn:aws:logs:us-east-1:111122223333:log-group:CloudTrail/Default:*` → its region, account, name. */
export function logGroupOf(arn: string): { region: string; accountId: string; name: string } | undefined {
  const parsed = parseArn(arn);
  if (parsed?.service !== 'logs' || !parsed.resource.startsWith('log-group:')) return undefined;
  const name = parsed.resource.slice('log-group:'.length).replace(/:\*$/, '');
  return name ? { region: parsed.region, accountId: parsed.accountId, name } : undefined;
}

/**
 * Who watches the trails' events, in each region where a multi-region trail of this account
 * delivers to a log group: the groups' metric filters, the alarms on their metrics, the SNS topics
 * those alarms notify, and the default bus's rules for AWS events. A handful of calls per region;
 * none at all where no such log group exists.
 */
export async function readMonitoring(session: AccountSession, trails: Trail[], metrics: Metrics): Promise<Record<string, RegionMonitoring> | undefined> {
  const groups = monitoredLogGroups(trails, session.accountId);
  if (groups.size === 0) return undefined;
  const out: Record<string, RegionMonitoring> = {};
  for (const region of [...groups.keys()].sort(compareStrings)) {
    out[region] = await readRegion(session, region, [...groups.get(region)!].sort(compareStrings), metrics);
  }
  return out;
}

async function readRegion(session: AccountSession, region: string, groupNames: string[], metrics: Metrics): Promise<RegionMonitoring> {
  const place = { accountId: session.accountId, region, metrics };
  const [logGroups, eventRules] = await Promise.all([
    Promise.all(groupNames.map(async (name) => [name, await readKnown(place, 'DescribeMetricFilters', () => metricFilters(session, region, name))] as const)),
    readKnown(place, 'ListRules', () => rules(session, region, metrics)),
  ]);
  const monitoring: RegionMonitoring = { logGroups: Object.fromEntries(logGroups) };
  const wanted = new Set<string>();
  for (const [, k] of logGroups) for (const f of k.value ?? []) for (const m of f.metrics) wanted.add(metricKey(m.namespace, m.name));
  if (wanted.size > 0) {
    const alarms = await readKnown(place, 'DescribeAlarms', () => alarmsOn(session, region, wanted));
    monitoring.alarms = alarms;
    const topicArns = [...new Set((alarms.value ?? []).flatMap((a) => a.alarmActions.filter((arn) => parseArn(arn)?.service === 'sns')))].sort(compareStrings);
    if (topicArns.length > 0) {
      const topics: Record<string, Known<TopicSubscriptions>> = {};
      await forEachLimit(topicArns.slice(0, MAX_TOPICS), AT_ONCE, async (arn) => {
        const topicRegion = parseArn(arn)?.region || region;
        topics[arn] = await readKnown({ ...place, region: topicRegion }, 'ListSubscriptionsByTopic', () => subscriptions(session, topicRegion, arn));
      });
      for (const arn of topicArns.slice(MAX_TOPICS)) {
        topics[arn] = { error: { code: 'TooManyResults', message: `the alarms notify more than ${MAX_TOPICS} topics; Trailwarden reads ${MAX_TOPICS}`, operation: 'ListSubscriptionsByTopic', accountId: session.accountId, region } };
      }
      monitoring.topics = Object.fromEntries(Object.entries(topics).sort(([a], [b]) => compareStrings(a, b)));
    }
  }
  monitoring.eventRules = eventRules;
  return monitoring;
}

const metricKey = (namespace: string, name: string) => `${namespace}\u0000${name}`;

async function metricFilters(session: AccountSession, region: string, logGroupName: string): Promise<MetricFilter[]> {
  const out: MetricFilter[] = [];
  let nextToken: string | undefined;
  for (let page = 0; ; page++) {
    if (page >= MAX_PAGES) throw new TooMany(`metric filters in ${logGroupName}`);
    const res = await session.send<DescribeMetricFiltersCommandOutput>('logs', region, new DescribeMetricFiltersCommand({ logGroupName, ...(nextToken ? { nextToken } : {}) }));
    for (const f of res.metricFilters ?? []) {
      out.push({
        name: f.filterName ?? '',
        pattern: f.filterPattern ?? '',
        metrics: (f.metricTransformations ?? []).map((t) => compact({ namespace: t.metricNamespace ?? '', name: t.metricName ?? '', value: t.metricValue ?? '', defaultValue: t.defaultValue })),
      });
    }
    nextToken = res.nextToken;
    if (!nextToken) break;
  }
  return out.sort((a, b) => compareStrings(a.name, b.name));
}

async function alarmsOn(session: AccountSession, region: string, wanted: Set<string>): Promise<MetricAlarm[]> {
  const out: MetricAlarm[] = [];
  let NextToken: string | undefined;
  for (let page = 0; ; page++) {
    if (page >= MAX_PAGES) throw new TooMany('metric alarms');
    const res = await session.send<DescribeAlarmsCommandOutput>('cloudwatch', region, new DescribeAlarmsCommand({ AlarmTypes: ['MetricAlarm'], MaxRecords: 100, ...(NextToken ? { NextToken } : {}) }));
    for (const a of res.MetricAlarms ?? []) {
      const alarm = toAlarm(a);
      const reads = [...(alarm.namespace && alarm.metricName ? [{ namespace: alarm.namespace, name: alarm.metricName }] : []), ...(alarm.metrics ?? [])];
      if (reads.some((m) => wanted.has(metricKey(m.namespace, m.name)))) out.push(alarm);
    }
    NextToken = res.NextToken;
    if (!NextToken) break;
  }
  return out.sort((a, b) => compareStrings(a.name, b.name));
}

function toAlarm(a: SdkMetricAlarm): MetricAlarm {
  const math = (a.Metrics ?? []).flatMap((m) => (m.MetricStat?.Metric?.Namespace && m.MetricStat.Metric.MetricName ? [{ namespace: m.MetricStat.Metric.Namespace, name: m.MetricStat.Metric.MetricName }] : []));
  return compact<MetricAlarm>({
    name: a.AlarmName ?? '',
    arn: a.AlarmArn,
    actionsEnabled: a.ActionsEnabled !== false,
    alarmActions: [...(a.AlarmActions ?? [])].sort(compareStrings),
    namespace: a.Namespace,
    metricName: a.MetricName,
    statistic: a.Statistic,
    extendedStatistic: a.ExtendedStatistic,
    comparisonOperator: a.ComparisonOperator,
    threshold: a.Threshold,
    evaluationPeriods: a.EvaluationPeriods,
    datapointsToAlarm: a.DatapointsToAlarm,
    period: a.Period,
    metrics: math.length > 0 ? math : undefined,
  });
}

/** SNS: a subscription is confirmed once its SubscriptionArn is an ARN, not `PendingConfirmation`. */
async function subscriptions(session: AccountSession, region: string, TopicArn: string): Promise<TopicSubscriptions> {
  let confirmed = 0;
  let pending = 0;
  const protocols = new Set<string>();
  let NextToken: string | undefined;
  for (let page = 0; ; page++) {
    if (page >= MAX_PAGES) throw new TooMany(`subscriptions of ${TopicArn}`);
    const res = await session.send<ListSubscriptionsByTopicCommandOutput>('sns', region, new ListSubscriptionsByTopicCommand({ TopicArn, ...(NextToken ? { NextToken } : {}) }));
    for (const s of res.Subscriptions ?? []) {
      if (s.SubscriptionArn?.startsWith('arn:')) {
        confirmed++;
        if (s.Protocol) protocols.add(s.Protocol);
      } else pending++;
    }
    NextToken = res.NextToken;
    if (!NextToken) break;
  }
  return { confirmed, pending, protocols: [...protocols].sort(compareStrings) };
}

/** Rules on the default bus whose pattern can match AWS service events, each with its targets. */
async function rules(session: AccountSession, region: string, metrics: Metrics): Promise<EventRule[]> {
  const found: EventRule[] = [];
  let NextToken: string | undefined;
  for (let page = 0; ; page++) {
    if (page >= MAX_PAGES) throw new TooMany('EventBridge rules');
    const res = await session.send<ListRulesCommandOutput>('events', region, new ListRulesCommand({ EventBusName: 'default', Limit: 100, ...(NextToken ? { NextToken } : {}) }));
    for (const r of res.Rules ?? []) {
      // Scheduled rules and rules on custom sources cannot match CloudTrail's events.
      if (!r.EventPattern?.includes('aws.')) continue;
      found.push({ name: r.Name ?? '', ...(r.Arn ? { arn: r.Arn } : {}), state: r.State ?? 'ENABLED', eventPattern: r.EventPattern, targets: { value: [] } });
    }
    NextToken = res.NextToken;
    if (!NextToken) break;
  }
  found.sort((a, b) => compareStrings(a.name, b.name));
  const place = { accountId: session.accountId, region, metrics };
  for (const rule of found.slice(MAX_RULES_WITH_TARGETS)) {
    rule.targets = { error: { code: 'TooManyResults', message: `more than ${MAX_RULES_WITH_TARGETS} rules match AWS events; Trailwarden reads the targets of ${MAX_RULES_WITH_TARGETS}`, operation: 'ListTargetsByRule', accountId: session.accountId, region } };
  }
  await forEachLimit(found.slice(0, MAX_RULES_WITH_TARGETS), AT_ONCE, async (rule) => {
    rule.targets = await readKnown(place, 'ListTargetsByRule', async () => {
      const res = await session.send<ListTargetsByRuleCommandOutput>('events', region, new ListTargetsByRuleCommand({ Rule: rule.name, EventBusName: 'default' }));
      return (res.Targets ?? []).map((t) => ({ id: t.Id ?? '', arn: t.Arn ?? '' }));
    });
  });
  return found;
}
