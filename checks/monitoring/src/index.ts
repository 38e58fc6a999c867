import { type Account, type Context, type Evidence, MONITORING_CONTROLS, type MonitoringControl, type Severity, createCheck, monitoringSubject } from '@trailwarden/core';
import { NAMESPACE, walk } from './chain.js';

export interface MonitorOptions {
  /**
   * Judge as CIS's audit procedure does: only a CloudWatch Logs metric filter with an alarm counts.
   * Off: an enabled EventBridge rule on the default bus that matches every event and has a target
   * counts too (in the account and region of the trail's log group).
   */
  cisStrict: boolean;
}

/** These watch the audit trail itself: its configuration, its key and its bucket. */
const HIGH = new Set(['cloudtrail-changes', 'kms-key-deletion', 's3-bucket-policy-changes']);

const FIX_FILTER = "aws logs put-metric-filter --region {{region}} --log-group-name {{group}} --filter-name {{metricSuggested}} --metric-transformations metricName={{metricSuggested}},metricNamespace={{namespaceSuggested}},metricValue=1 --filter-pattern '{{pattern}}'";
const FIX_ALARM = 'aws cloudwatch put-metric-alarm --region {{region}} --alarm-name {{alarmSuggested}} --metric-name {{metric}} --namespace {{namespace}} --statistic Sum --period 300 --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold --evaluation-periods 1 --alarm-actions <sns-topic-arn>';
const FIX_TOPIC = 'aws sns create-topic --region {{region}} --name trailwarden-alarms; aws sns subscribe --region {{region}} --topic-arn <sns-topic-arn> --protocol email --notification-endpoint <address> (and confirm the e-mail)';

const messages = {
  watched:
    'Account {{account}}: metric filter {{filter}} on log group {{group}} (trail {{trail}}, {{region}}) catches every event of {{what}}; alarm {{alarm}} notifies SNS topic {{topic}}, which has {{subscribers}} confirmed subscriber(s).{{notes}}',
  watchedByEventBridge:
    'Account {{account}}: EventBridge rule {{rule}} ({{region}}) matches every event of {{what}} ({{events}}) and targets {{target}}. cisStrict is off: CIS audits metric filters and alarms only, and a rule sees only the events of its own region.',
  noTrail: `Account {{account}}: no multi-region, logging trail delivers to CloudWatch Logs, so no metric filter can watch for {{what}}. Fix: aws cloudtrail update-trail --name <trail> --cloud-watch-logs-log-group-arn <log-group-arn>:* --cloud-watch-logs-role-arn <role-arn>; then ${FIX_FILTER.replace('{{region}}', '<region>').replace('{{group}}', '<log-group>')}`,
  noFilter: `Account {{account}}: no metric filter on log group {{group}} (trail {{trail}}, {{region}}) catches every event of {{what}}: {{detail}}. Fix: ${FIX_FILTER}`,
  noAlarm: `Account {{account}}: metric filter {{filter}} on log group {{group}} catches the events of {{what}} and publishes {{namespace}}/{{metric}}, but no CloudWatch alarm watches that metric. Fix: ${FIX_ALARM}`,
  alarmDisabled: 'Account {{account}}: alarm {{alarm}} on {{namespace}}/{{metric}} (filter {{filter}}, log group {{group}}) has its actions disabled, so it notifies no one. Fix: aws cloudwatch enable-alarm-actions --region {{region}} --alarm-names {{alarm}}',
  alarmWontFire: `Account {{account}}: alarm {{alarm}} on {{namespace}}/{{metric}} (filter {{filter}}) would not go off on a single event of {{what}}: {{why}}. Fix: ${FIX_ALARM.replace('{{alarmSuggested}}', '{{alarm}}')}`,
  noTopic: `Account {{account}}: alarm {{alarm}} on {{namespace}}/{{metric}} (filter {{filter}}) notifies no SNS topic. Fix: ${FIX_TOPIC}; aws cloudwatch put-metric-alarm ... --alarm-name {{alarm}} --alarm-actions <sns-topic-arn>`,
  noSubscriber:
    'Account {{account}}: alarm {{alarm}} notifies SNS topic {{topic}}, which has no confirmed subscriber ({{pending}} pending confirmation), so nobody hears it. Fix: aws sns subscribe --region {{region}} --topic-arn {{topic}} --protocol email --notification-endpoint <address>, then confirm the subscription',
} as const;
/** What the helpers below are handed: the context of these checks (options and message ids as declared here). */
type Ctx = Context<MonitorOptions, keyof typeof messages>;

function monitorCheck(control: MonitoringControl) {
  const what = monitoringSubject(control);
  const pattern = control.fixPattern ?? control.cisPatterns[0]!;
  const events = control.mustCatch.map((e) => e.label);
  return createCheck({
    id: `monitor-${control.topic}`,
    meta: {
      title: control.title,
      description: `A CloudWatch Logs metric filter on a multi-region, logging trail's log group must catch every event of ${what} (${events.join(', ')}), judged by evaluating the filter pattern against canonical CloudTrail events rather than by comparing its text with CIS's sample; an enabled alarm on the filter's metric must go off on a single event and notify an SNS topic with a confirmed subscriber. Without that chain nobody learns of the change until they look.`,
      severity: (HIGH.has(control.topic) ? 'high' : 'medium') satisfies Severity,
      resource: 'AWS::::Account',
      remediation: {
        text: `Send the trail to CloudWatch Logs, add a metric filter that catches ${events.join(', ')}, an alarm on its metric (Sum ≥ 1 in one 5-minute period) and an SNS topic with a confirmed subscriber.`,
        cli: [
          FIX_FILTER.replace('{{region}}', '<region>').replace('{{group}}', '<log-group>').replaceAll('{{metricSuggested}}', control.metricName).replace('{{namespaceSuggested}}', NAMESPACE).replace('{{pattern}}', pattern),
          'aws sns create-topic --region <region> --name trailwarden-alarms',
          'aws sns subscribe --region <region> --topic-arn <sns-topic-arn> --protocol email --notification-endpoint <address>',
          FIX_ALARM.replace('{{region}}', '<region>').replace('{{alarmSuggested}}', `${control.metricName}_alarm`).replace('{{metric}}', control.metricName).replace('{{namespace}}', NAMESPACE).replace('<sns-topic-arn>', '<sns-topic-arn>'),
        ].join('\n'),
        terraform: [
          `resource "aws_cloudwatch_log_metric_filter" "${control.topic.replaceAll('-', '_')}" {`,
          `  name           = "${control.metricName}"`,
          `  log_group_name = "<log-group>"`,
          `  pattern        = ${JSON.stringify(pattern)}`,
          '  metric_transformation {',
          `    name      = "${control.metricName}"`,
          `    namespace = "${NAMESPACE}"`,
          '    value     = "1"',
          '  }',
          '}',
          '',
          `resource "aws_cloudwatch_metric_alarm" "${control.topic.replaceAll('-', '_')}" {`,
          `  alarm_name          = "${control.metricName}_alarm"`,
          `  metric_name         = "${control.metricName}"`,
          `  namespace           = "${NAMESPACE}"`,
          '  statistic           = "Sum"',
          '  period              = 300',
          '  threshold           = 1',
          '  comparison_operator = "GreaterThanOrEqualToThreshold"',
          '  evaluation_periods  = 1',
          '  alarm_actions       = [aws_sns_topic.alarms.arn]',
          '}',
        ].join('\n'),
      },
      docs: 'README.md',
      messages,
    },
    options: {
      schema: {
        type: 'object',
        properties: {
          cisStrict: {
            type: 'boolean',
            description: 'true (default): only a metric filter with an alarm and a subscribed SNS topic passes, as CIS audits it. false: an enabled EventBridge rule matching every event, with a target, passes too.',
          },
        },
        additionalProperties: false,
      },
      defaults: { cisStrict: true },
    },
    requires: ['trails', 'trailStatus', 'monitoring'],
    evaluate(ctx) {
      ctx.forEachAccount((account) => judge(ctx, account, control, what, pattern));
    },
  });
}

function judge(ctx: Ctx, account: Account, control: MonitoringControl, what: string, pattern: string): void {
  const name = account.name && account.name !== account.id ? `${account.name} (${account.id})` : account.id;
  const outcome = walk(account, (id) => ctx.account(id), control, ctx.options.cisStrict);
  const evidence = { cisStrict: ctx.options.cisStrict, trails: outcome.trails };
  if (outcome.passed) {
    const data = { account: name, what, ...outcome.passed.data };
    ctx.report({ status: 'PASS', resource: account.resource, messageId: outcome.passed.via === 'eventBridge' ? 'watchedByEventBridge' : 'watched', data, evidence: { ...evidence, ...outcome.passed.evidence } });
    return;
  }
  if (outcome.unknown.length > 0) {
    const gap: Evidence = outcome.gap ? { furthestGap: outcome.gap.link } : {};
    ctx.report({ status: 'ERROR', resource: account.resource, error: outcome.unknown[0]!, evidence: { ...evidence, ...gap, unreadable: outcome.unknown.map((e) => `${e.operation} ${e.code}${e.region ? ` (${e.region})` : ''}`) } });
    return;
  }
  const gap = outcome.gap ?? { link: 'noTrail' as const, data: {}, evidence: {} };
  const data = {
    account: name,
    what,
    region: '<region>',
    group: '<log-group>',
    pattern,
    metricSuggested: control.metricName,
    namespaceSuggested: NAMESPACE,
    alarmSuggested: `${control.metricName}_alarm`,
    ...gap.data,
  };
  ctx.report({ status: 'FAIL', resource: account.resource, messageId: gap.link, data, evidence: { ...evidence, ...gap.evidence, missingLink: gap.link } });
}

export const monitorChecks = MONITORING_CONTROLS.map(monitorCheck);
export default monitorChecks;
