import { createCheck, describeTrails } from '@trailwarden/core';
import { assessAccessLogging } from './logging.js';

export { assessAccessLogging, type AccessLoggingVerdict, type LoggingStatus } from './logging.js';

const fixCommand = (bucket: string): string =>
  `aws s3api put-bucket-logging --bucket ${bucket} --bucket-logging-status '{"LoggingEnabled":{"TargetBucket":"<access-log-bucket>","TargetPrefix":"${bucket}/"}}'`;

/**
 * Server access logs record every request made to the log bucket itself — who read, deleted or
 * tried to overwrite the trail's log files — which CloudTrail management events do not show.
 */
export default createCheck({
  id: 'trail-bucket-access-logging',
  meta: {
    title: 'S3 server access logging is enabled on the CloudTrail log bucket',
    description:
      'The S3 bucket a trail delivers to must have server access logging enabled, delivering to a different bucket. Access logs show who read, deleted or tried to change the trail logs; a bucket logging into itself is reported as a failure because every delivery triggers another log record and the record lives beside what it guards.',
    severity: 'low',
    resource: 'AWS::S3::Bucket',
    remediation: {
      text: 'Enable server access logging on the trail bucket, delivering to a dedicated access-log bucket (in the same region and account) whose bucket policy allows logging.s3.amazonaws.com to write.',
      cli: fixCommand('<bucket>'),
      terraform:
        'resource "aws_s3_bucket_logging" "trail_logs" {\n  bucket        = aws_s3_bucket.trail_logs.id\n  target_bucket = aws_s3_bucket.access_logs.id\n  target_prefix = "trail-logs/"\n}',
    },
    docs: 'README.md',
    messages: {
      enabled: 'Bucket {{bucket}} (CloudTrail logs of {{trails}}) has server access logging on, delivering to {{target}}.',
      notEnabled:
        'Bucket {{bucket}} (CloudTrail logs of {{trails}}) has server access logging off, so nobody can tell who read or deleted its log files. Fix: {{fix}}',
      logsToItself:
        'Bucket {{bucket}} (CloudTrail logs of {{trails}}) writes its server access logs into itself, which makes a logging loop and keeps the record beside what it guards; deliver them to another bucket. Fix: {{fix}}',
    },
  },
  requires: ['buckets'],
  evaluate(ctx) {
    ctx.forEachBucket((view) => {
      const { bucket, resource } = view;
      const trails = view.trails.map((t) => t.trail.arn).sort();
      const logging = view.get('logging');
      if (logging.error) {
        ctx.report({ status: 'ERROR', resource, error: logging.error, evidence: { trails } });
        return;
      }
      const verdict = assessAccessLogging(bucket.name, logging.value);
      const target = logging.value?.targetBucket
        ? `s3://${logging.value.targetBucket}/${logging.value.targetPrefix ?? ''}`
        : 'none';
      const evidence = {
        trails,
        logging: logging.value === null ? null : { targetBucket: logging.value.targetBucket, targetPrefix: logging.value.targetPrefix ?? null },
      };
      const data = { bucket: bucket.name, trails: describeTrails(view.trails), target, fix: fixCommand(bucket.name) };
      if (verdict === 'enabled') ctx.report({ status: 'PASS', resource, messageId: 'enabled', data, evidence });
      else ctx.report({ status: 'FAIL', resource, messageId: verdict, data, evidence });
    });
  },
});


