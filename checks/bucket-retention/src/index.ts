import { type JsonValue, createCheck, describeTrails } from '@trailwarden/core';
import { DEFAULT_OPTIONS, type RetentionOptions, assessLifecycle, logPrefixes } from './lifecycle.js';

export {
  assessLifecycle,
  DEFAULT_OPTIONS,
  logPrefixes,
  ruleScope,
  type EarlyDeletion,
  type LifecycleAssessment,
  type RetentionOptions,
  type RuleScope,
} from './lifecycle.js';

const fixCommand = (bucket: string, days: number): string =>
  `aws s3api put-bucket-lifecycle-configuration --bucket ${bucket} --lifecycle-configuration file://lifecycle.json (every Enabled rule reaching AWSLogs/ keeps objects and noncurrent versions >= ${days} days, no Expiration Date)`;

/**
 * Audit logs are only useful if they are still there when the incident is found, often months
 * later. A lifecycle rule that quietly expires them undoes every other control on the bucket.
 */
export default createCheck({
  id: 'trail-bucket-retention',
  meta: {
    title: 'No lifecycle rule deletes CloudTrail logs before the minimum retention',
    description:
      'No Enabled lifecycle rule of the S3 bucket a trail delivers to may expire log files (Expiration by days or by date) or permanently delete their noncurrent versions (NoncurrentVersionExpiration) earlier than minimumRetentionDays (365 by default). Rules whose prefix cannot reach the trail\'s AWSLogs/ keys are ignored; rules filtered by tag or object size are assumed to reach them.',
    severity: 'medium',
    resource: 'AWS::S3::Bucket',
    remediation: {
      text: 'Raise the Expiration and NoncurrentVersionExpiration days of every Enabled lifecycle rule that reaches the log files to at least the minimum retention, replace date-based expirations, or scope the rules to other prefixes. Transitions to cheaper storage classes are fine.',
      cli: fixCommand('<bucket>', 365),
      terraform:
        'resource "aws_s3_bucket_lifecycle_configuration" "trail_logs" {\n  bucket = aws_s3_bucket.trail_logs.id\n  rule {\n    id     = "archive-trail-logs"\n    status = "Enabled"\n    filter {\n      prefix = "AWSLogs/"\n    }\n    transition {\n      days          = 90\n      storage_class = "GLACIER"\n    }\n    expiration {\n      days = 2555\n    }\n    noncurrent_version_expiration {\n      noncurrent_days = 365\n    }\n  }\n}',
    },
    docs: 'README.md',
    messages: {
      retained: 'Bucket {{bucket}} (CloudTrail logs of {{trails}}) keeps log files for at least {{minimum}} days: {{summary}}.',
      deletesEarly:
        'Bucket {{bucket}} (CloudTrail logs of {{trails}}) deletes log files before the required {{minimum}} days: {{reasons}}. Fix: {{fix}}',
    },
  },
  options: {
    schema: {
      type: 'object',
      properties: {
        minimumRetentionDays: {
          type: 'integer',
          minimum: 1,
          description: 'Shortest acceptable lifetime of a log file (and of its noncurrent versions), in days.',
        },
      },
      additionalProperties: false,
    },
    defaults: DEFAULT_OPTIONS,
  },
  requires: ['buckets'],
  evaluate(ctx) {
    const options: RetentionOptions = { ...DEFAULT_OPTIONS, ...ctx.options };
    const taken = Date.parse(ctx.scan.collectedAt);
    const collectedAt = Number.isNaN(taken) ? ctx.now : new Date(taken);
    ctx.forEachBucket((view) => {
      const { bucket, resource } = view;
      const trails = view.trails.map((t) => t.trail.arn).sort();
      const lifecycle = view.get('lifecycle');
      if (lifecycle.error) {
        ctx.report({ status: 'ERROR', resource, error: lifecycle.error, evidence: { trails } });
        return;
      }
      const prefixes = [...new Set(view.trails.flatMap((t) => logPrefixes(t.trail.s3KeyPrefix)))].sort();
      const a = assessLifecycle(lifecycle.value, prefixes, options, collectedAt);
      const evidence = {
        trails,
        logPrefixes: prefixes,
        minimumRetentionDays: options.minimumRetentionDays,
        lifecycleRules: lifecycle.value === null ? null : (JSON.parse(JSON.stringify(lifecycle.value)) as JsonValue),
        earlyDeletions: a.earlyDeletions.map((d) => ({ rule: d.rule, action: d.action, value: d.value })),
        ignoredRules: a.ignored.map((i) => ({ ...i })),
        assumedMatching: a.assumedMatching.map((m) => ({ ...m })),
      };
      const data = { bucket: bucket.name, trails: describeTrails(view.trails), minimum: options.minimumRetentionDays };
      if (a.earlyDeletions.length > 0) {
        const assumed = a.assumedMatching.map((m) => `rule ${m.rule} was assumed to reach the logs because its ${m.filters.join(' and ')} cannot be resolved`);
        const reasons = [...a.earlyDeletions.map((d) => d.text), ...assumed].join('; ');
        ctx.report({ status: 'FAIL', resource, messageId: 'deletesEarly', data: { ...data, reasons, fix: fixCommand(bucket.name, options.minimumRetentionDays) }, evidence });
        return;
      }
      const summary =
        lifecycle.value === null || lifecycle.value.length === 0
          ? 'it has no lifecycle configuration'
          : `no Enabled lifecycle rule deletes them earlier${a.ignored.length > 0 ? ` (ignored: ${a.ignored.map((i) => `${i.rule}, ${i.why}`).join('; ')})` : ''}`;
      ctx.report({ status: 'PASS', resource, messageId: 'retained', data: { ...data, summary }, evidence });
    });
  },
});


