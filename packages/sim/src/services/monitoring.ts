/**
 * The reads that tell who watches a trail's events: CloudWatch Logs DescribeMetricFilters
 * (awsJson1_1), CloudWatch DescribeAlarms (awsJson1_0, awsQueryCompatible), SNS
 * ListSubscriptionsByTopic (awsQuery) and EventBridge ListRules / ListTargetsByRule (awsJson1_1),
 * from the account's `monitoring` in the world file. Page sizes, limits and error codes follow the
 * API references (see README.md "Monitoring").
 */
import { jsonReply, queryReply } from '../protocol/reply.js';
import { SimError } from '../protocol/services.js';
import { el, list } from '../protocol/xml.js';
import type { WorldMonitoring } from '../world/types.js';
import { type CallContext, compact, type Handler } from './context.js';

const CREATED_MS = Date.parse('2024-01-01T00:00:00Z');

const monitoringOf = (ctx: CallContext): WorldMonitoring => ctx.account.source.monitoring ?? {};
const inRegion = <T extends { region: string }>(ctx: CallContext, items: T[] | undefined): T[] => (items ?? []).filter((i) => i.region === ctx.region);

/** Opaque page tokens: the offset of the next item, tied to the operation. */
function page<T>(items: T[], token: unknown, limit: number, op: string, invalid: () => SimError): { items: T[]; next?: string } {
  let start = 0;
  if (token !== undefined && token !== null && token !== '') {
    const rest = typeof token === 'string' && token.startsWith(`${op}-`) ? token.slice(op.length + 1) : '';
    if (!/^[0-9]{1,9}$/.test(rest)) throw invalid();
    start = Number(rest);
  }
  const slice = items.slice(start, start + limit);
  return start + limit < items.length ? { items: slice, next: `${op}-${start + limit}` } : { items: slice };
}

function limitOf(value: unknown, max: number, fallback: number, invalid: (v: unknown) => SimError): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw invalid(value);
  return n;
}

// ----- CloudWatch Logs -----

/** A log group exists when the world lists it, a metric filter is on it, or a trail of the account delivers to it. */
function logGroupExists(ctx: CallContext, name: string): boolean {
  const m = monitoringOf(ctx);
  if (inRegion(ctx, m.logGroups).some((g) => g.name === name)) return true;
  if (inRegion(ctx, m.metricFilters).some((f) => f.logGroupName === name)) return true;
  const arnPrefix = `arn:${ctx.model.partition}:logs:${ctx.region}:${ctx.account.id}:log-group:${name}`;
  return ctx.account.trails.some((t) => {
    const arn = t.cloudWatchLogsLogGroupArn;
    return arn === arnPrefix || arn === `${arnPrefix}:*`;
  });
}

const describeMetricFilters: Handler = (ctx) => {
  const { logGroupName, filterNamePrefix, metricName, metricNamespace, nextToken } = ctx.input;
  if (typeof logGroupName === 'string' && !logGroupExists(ctx, logGroupName)) throw new SimError('ResourceNotFoundException', 'The specified log group does not exist.');
  if ((metricName === undefined) !== (metricNamespace === undefined)) throw new SimError('InvalidParameterException', 'metricName and metricNamespace must be specified together');
  const limit = limitOf(ctx.input.limit, 50, 50, (v) => new SimError('InvalidParameterException', `1 validation error detected: Value '${String(v)}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50`));
  const filters = inRegion(ctx, monitoringOf(ctx).metricFilters)
    .filter((f) => logGroupName === undefined || f.logGroupName === logGroupName)
    .filter((f) => typeof filterNamePrefix !== 'string' || f.filterName.startsWith(filterNamePrefix))
    .map((f) => ({ ...f, transformations: f.metricTransformations ?? [{ metricName: f.filterName, metricNamespace: 'CISBenchmark', metricValue: '1' }] }))
    .filter((f) => metricName === undefined || f.transformations.some((t) => t.metricName === metricName && t.metricNamespace === metricNamespace))
    .sort((a, b) => (a.logGroupName + a.filterName < b.logGroupName + b.filterName ? -1 : 1));
  const p = page(filters, nextToken, limit, 'mf', () => new SimError('InvalidParameterException', 'The specified nextToken is invalid.'));
  return jsonReply(
    compact({
      metricFilters: p.items.map((f) => ({
        filterName: f.filterName,
        filterPattern: f.filterPattern,
        metricTransformations: f.transformations.map((t) => compact({ metricName: t.metricName, metricNamespace: t.metricNamespace, metricValue: t.metricValue ?? '1', defaultValue: t.defaultValue })),
        creationTime: CREATED_MS,
        logGroupName: f.logGroupName,
      })),
      nextToken: p.next,
    }),
    ctx.requestId,
  );
};

// ----- CloudWatch -----

const describeAlarms: Handler = (ctx) => {
  const { AlarmNames, AlarmNamePrefix, AlarmTypes, StateValue, ActionPrefix, NextToken } = ctx.input;
  if (AlarmNames !== undefined && AlarmNamePrefix !== undefined) throw new SimError('InvalidParameterCombination', 'AlarmNamePrefix and AlarmNames cannot be used together.');
  const limit = limitOf(ctx.input.MaxRecords, 100, 50, (v) => new SimError('InvalidParameterValue', `The value ${String(v)} for parameter MaxRecords is not valid.`));
  const types = Array.isArray(AlarmTypes) ? AlarmTypes : ['MetricAlarm'];
  const alarms = types.includes('MetricAlarm')
    ? inRegion(ctx, monitoringOf(ctx).alarms)
        .filter((a) => !Array.isArray(AlarmNames) || AlarmNames.includes(a.alarmName))
        .filter((a) => typeof AlarmNamePrefix !== 'string' || a.alarmName.startsWith(AlarmNamePrefix))
        .filter(() => StateValue === undefined || StateValue === 'OK')
        .filter((a) => typeof ActionPrefix !== 'string' || (a.alarmActions ?? []).some((x) => x.startsWith(ActionPrefix)))
        .sort((a, b) => (a.alarmName < b.alarmName ? -1 : 1))
    : [];
  const p = page(alarms, NextToken, limit, 'al', () => new SimError('InvalidNextToken', 'The service cannot find the next token.'));
  const arn = (name: string) => `arn:${ctx.model.partition}:cloudwatch:${ctx.region}:${ctx.account.id}:alarm:${name}`;
  return jsonReply(
    compact({
      MetricAlarms: p.items.map((a) =>
        compact({
          AlarmName: a.alarmName,
          AlarmArn: arn(a.alarmName),
          AlarmConfigurationUpdatedTimestamp: CREATED_MS / 1000,
          ActionsEnabled: a.actionsEnabled ?? true,
          OKActions: [],
          AlarmActions: a.alarmActions ?? [],
          InsufficientDataActions: [],
          StateValue: 'OK',
          StateReason: 'Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [NonBreaching].',
          StateUpdatedTimestamp: CREATED_MS / 1000,
          MetricName: a.metricName,
          Namespace: a.namespace,
          Statistic: a.statistic ?? 'Sum',
          Dimensions: [],
          Period: a.period ?? 300,
          EvaluationPeriods: a.evaluationPeriods ?? 1,
          DatapointsToAlarm: a.datapointsToAlarm,
          Threshold: a.threshold ?? 1,
          ComparisonOperator: a.comparisonOperator ?? 'GreaterThanOrEqualToThreshold',
          TreatMissingData: 'notBreaching',
        }),
      ),
      CompositeAlarms: types.includes('CompositeAlarm') ? [] : undefined,
      NextToken: p.next,
    }),
    ctx.requestId,
    '1.0',
  );
};

// ----- SNS -----

const TOPIC_ARN = /^arn:[^:]+:sns:([a-z0-9-]+):([0-9]{12}):([A-Za-z0-9_-]{1,256})$/;
const SNS_PAGE = 100;

const listSubscriptionsByTopic: Handler = (ctx) => {
  const topicArn = ctx.form.get('TopicArn');
  if (!topicArn) throw new SimError('InvalidParameter', 'Invalid parameter: TopicArn');
  const m = TOPIC_ARN.exec(topicArn);
  if (!m) throw new SimError('InvalidParameter', 'Invalid parameter: TopicArn');
  const [, region, accountId, name] = m;
  if (region !== ctx.region) throw new SimError('InvalidParameter', 'Invalid parameter: TopicArn');
  // Another account's topic needs its topic policy to allow sns:ListSubscriptionsByTopic, which the world does not model.
  if (accountId !== ctx.account.id) throw new SimError('AuthorizationError', `User: ${ctx.identity.arn} is not authorized to perform: SNS:ListSubscriptionsByTopic on resource: ${topicArn}`, 403);
  const topic = inRegion(ctx, monitoringOf(ctx).topics).find((t) => t.name === name);
  if (!topic) throw new SimError('NotFound', 'Topic does not exist', 404);
  const subs = (topic.subscriptions ?? []).map((s, i) => ({
    ...s,
    arn: s.confirmed === false ? 'PendingConfirmation' : `${topicArn}:${(i + 1).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
  }));
  const p = page(subs, ctx.form.get('NextToken') ?? undefined, SNS_PAGE, 'sub', () => new SimError('InvalidParameter', 'Invalid parameter: NextToken'));
  const xml =
    list('Subscriptions', p.items, (s) => el('TopicArn', topicArn) + el('Protocol', s.protocol) + el('SubscriptionArn', s.arn) + el('Owner', ctx.account.id) + el('Endpoint', s.endpoint)) +
    el('NextToken', p.next);
  return queryReply('sns', 'ListSubscriptionsByTopic', xml, ctx.requestId);
};

// ----- EventBridge -----

function defaultBus(ctx: CallContext): void {
  const bus = ctx.input.EventBusName;
  if (bus === undefined || bus === 'default' || bus === `arn:${ctx.model.partition}:events:${ctx.region}:${ctx.account.id}:event-bus/default`) return;
  throw new SimError('ResourceNotFoundException', `Event bus ${String(bus)} does not exist.`);
}

const ruleLimit = (v: unknown) => limitOf(v, 100, 100, () => new SimError('ValidationException', "1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100"));
const badToken = () => new SimError('ValidationException', 'The provided token is not valid.');

const listRules: Handler = (ctx) => {
  defaultBus(ctx);
  const prefix = ctx.input.NamePrefix;
  const rules = inRegion(ctx, monitoringOf(ctx).eventRules)
    .filter((r) => typeof prefix !== 'string' || r.name.startsWith(prefix))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const p = page(rules, ctx.input.NextToken, ruleLimit(ctx.input.Limit), 'rl', badToken);
  return jsonReply(
    compact({
      Rules: p.items.map((r) =>
        compact({
          Name: r.name,
          Arn: `arn:${ctx.model.partition}:events:${ctx.region}:${ctx.account.id}:rule/${r.name}`,
          EventPattern: r.eventPattern === undefined ? undefined : typeof r.eventPattern === 'string' ? r.eventPattern : JSON.stringify(r.eventPattern),
          ScheduleExpression: r.scheduleExpression,
          State: r.state ?? 'ENABLED',
          EventBusName: 'default',
        }),
      ),
      NextToken: p.next,
    }),
    ctx.requestId,
  );
};

const listTargetsByRule: Handler = (ctx) => {
  defaultBus(ctx);
  const name = ctx.input.Rule;
  if (typeof name !== 'string' || name === '') throw new SimError('ValidationException', "1 validation error detected: Value null at 'rule' failed to satisfy constraint: Member must not be null");
  const rule = inRegion(ctx, monitoringOf(ctx).eventRules).find((r) => r.name === name);
  if (!rule) throw new SimError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus default.`);
  const p = page(rule.targets ?? [], ctx.input.NextToken, ruleLimit(ctx.input.Limit), 'tg', badToken);
  return jsonReply(compact({ Targets: p.items.map((t) => ({ Id: t.id, Arn: t.arn })), NextToken: p.next }), ctx.requestId);
};

export const logsHandlers: Record<string, Handler> = { DescribeMetricFilters: describeMetricFilters };
export const cloudWatchHandlers: Record<string, Handler> = { DescribeAlarms: describeAlarms };
export const snsHandlers: Record<string, Handler> = { ListSubscriptionsByTopic: listSubscriptionsByTopic };
export const eventBridgeHandlers: Record<string, Handler> = { ListRules: listRules, ListTargetsByRule: listTargetsByRule };
