import { createCheck, describeTrails } from '@trailwarden/core';
import { DEFAULT_OPTIONS, type ObjectLockOptions, assessObjectLock } from './retention.js';

export { assessObjectLock, DEFAULT_OPTIONS, type ObjectLockAssessment, type ObjectLockOptions, type ObjectLockProblem } from './retention.js';

const fixCommand = (bucket: string, days: number): string =>
  `aws s3api put-object-lock-configuration --bucket ${bucket} --object-lock-configuration '{"ObjectLockEnabled":"Enabled","Rule":{"DefaultRetention":{"Mode":"COMPLIANCE","Days":${days}}}}'`;

/**
 * Object Lock makes delivered log files immutable for the retention period: in COMPLIANCE mode not
 * even the root user can delete or overwrite them, which is what a tamper-proof audit trail needs.
 */
export default createCheck({
  id: 'trail-bucket-object-lock',
  meta: {
    title: 'The CloudTrail log bucket locks log files (Object Lock, COMPLIANCE, long enough)',
    description:
      'The S3 bucket a trail delivers to must have Object Lock enabled with a default retention rule in COMPLIANCE mode (GOVERNANCE only when allowed by option) for at least minimumRetentionDays (365 by default). Without it, anyone who gains write access to the bucket can delete or overwrite the evidence of what they did.',
    severity: 'high',
    resource: 'AWS::S3::Bucket',
    remediation: {
      text: 'Enable Object Lock on the bucket (versioning must be on) with a default retention rule in COMPLIANCE mode for at least the required number of days. COMPLIANCE retention cannot be shortened or removed afterwards, so choose the period deliberately.',
      cli: `aws s3api put-bucket-versioning --bucket <bucket> --versioning-configuration Status=Enabled\n${fixCommand('<bucket>', 365)}`,
      terraform:
        'resource "aws_s3_bucket_object_lock_configuration" "trail_logs" {\n  bucket = aws_s3_bucket.trail_logs.id\n  rule {\n    default_retention {\n      mode = "COMPLIANCE"\n      days = 365\n    }\n  }\n}',
    },
    docs: 'README.md',
    messages: {
      locked:
        'Bucket {{bucket}} (CloudTrail logs of {{trails}}) locks every new log file for {{retention}} in {{mode}} mode (minimum {{minimum}} days).',
      notEnabled:
        'Bucket {{bucket}} (CloudTrail logs of {{trails}}) does not have Object Lock enabled, so its log files can be deleted or overwritten. Fix (after enabling versioning): {{fix}}',
      noDefaultRetention:
        'Bucket {{bucket}} (CloudTrail logs of {{trails}}) has Object Lock enabled but no default retention rule, so new log files are not locked. Fix: {{fix}}',
      governanceMode:
        'Bucket {{bucket}} (CloudTrail logs of {{trails}}) locks log files in GOVERNANCE mode, which anyone with s3:BypassGovernanceRetention can override; use COMPLIANCE (or set allowGovernance). Fix: {{fix}}',
      retentionTooShort:
        'Bucket {{bucket}} (CloudTrail logs of {{trails}}) locks log files for only {{retention}}, less than the required {{minimum}} days. Fix: {{fix}}',
      governanceAndTooShort:
        'Bucket {{bucket}} (CloudTrail logs of {{trails}}) locks log files in GOVERNANCE mode (overridable with s3:BypassGovernanceRetention) and for only {{retention}}, less than the required {{minimum}} days. Fix: {{fix}}',
    },
  },
  options: {
    schema: {
      type: 'object',
      properties: {
        minimumRetentionDays: {
          type: 'integer',
          minimum: 1,
          description: 'Shortest acceptable default retention in days; a retention in years counts 365 days per year.',
        },
        allowGovernance: {
          type: 'boolean',
          description: 'Accept GOVERNANCE mode retention (which privileged principals can bypass) as well as COMPLIANCE.',
        },
      },
      additionalProperties: false,
    },
    defaults: DEFAULT_OPTIONS,
  },
  requires: ['buckets'],
  evaluate(ctx) {
    const options: ObjectLockOptions = { ...DEFAULT_OPTIONS, ...ctx.options };
    ctx.forEachBucket((view) => {
      const { bucket, resource } = view;
      const trails = view.trails.map((t) => t.trail.arn).sort();
      const config = view.get('objectLock');
      if (config.error) {
        ctx.report({ status: 'ERROR', resource, error: config.error, evidence: { trails } });
        return;
      }
      const a = assessObjectLock(config.value, options);
      const evidence = {
        trails,
        objectLock: config.value === null ? null : { ...config.value },
        retentionDays: a.retentionDays ?? null,
        minimumRetentionDays: options.minimumRetentionDays,
        allowGovernance: options.allowGovernance,
      };
      const data = {
        bucket: bucket.name,
        trails: describeTrails(view.trails),
        retention: a.retention ?? 'none',
        mode: a.mode ?? 'none',
        minimum: options.minimumRetentionDays,
        fix: fixCommand(bucket.name, Math.max(options.minimumRetentionDays, a.retentionDays ?? 0)),
      };
      const [first, second] = a.problems;
      if (first === undefined) ctx.report({ status: 'PASS', resource, messageId: 'locked', data, evidence });
      else ctx.report({ status: 'FAIL', resource, messageId: second === undefined ? first : 'governanceAndTooShort', data, evidence });
    });
  },
});


