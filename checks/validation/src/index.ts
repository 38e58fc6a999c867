import { createCheck } from '@trailwarden/core';

/**
 * CloudTrail log file integrity validation: with it on, CloudTrail writes hourly digest files that
 * prove whether a log file was changed or deleted after delivery. A digest delivery error means the
 * proof is missing even though the setting is on, so that fails too.
 */
export default createCheck({
  id: 'trail-log-file-validation',
  meta: {
    title: 'CloudTrail log file validation is enabled',
    description:
      'Every trail must have log file integrity validation enabled, and CloudTrail must be delivering its digest files. Without digests nobody can prove that a log file was not modified or deleted after delivery.',
    severity: 'medium',
    resource: 'AWS::CloudTrail::Trail',
    remediation: {
      text: 'Enable log file validation on the trail, and make sure CloudTrail can write digest files to the bucket (bucket policy and KMS key policy allow cloudtrail.amazonaws.com).',
      cli: 'aws cloudtrail update-trail --name <trail-arn> --enable-log-file-validation',
      terraform: 'resource "aws_cloudtrail" "main" {\n  # ...\n  enable_log_file_validation = true\n}',
    },
    docs: 'README.md',
    messages: {
      enabled: 'Trail {{name}} has log file validation on and its digest files are being delivered.',
      disabled:
        'Trail {{name}} has log file validation off, so changed or deleted log files cannot be detected. Fix: aws cloudtrail update-trail --name {{arn}} --enable-log-file-validation',
      digestFailing:
        'Trail {{name}} has log file validation on, but CloudTrail cannot deliver its digest files ({{error}}), so integrity cannot be proven. Fix the bucket or KMS key policy so cloudtrail.amazonaws.com can write digests.',
    },
  },
  requires: ['trails', 'trailStatus'],
  evaluate(ctx) {
    ctx.forEachTrail((trail) => {
      const { name, arn, logFileValidationEnabled } = trail.trail;
      if (!logFileValidationEnabled) {
        ctx.report({ status: 'FAIL', resource: trail.resource, messageId: 'disabled', data: { name, arn }, evidence: { logFileValidationEnabled: false } });
        return;
      }
      const status = trail.status();
      if (status.error) {
        ctx.report({ status: 'ERROR', resource: trail.resource, error: status.error, evidence: { logFileValidationEnabled: true } });
        return;
      }
      const { latestDigestDeliveryError, latestDigestDeliveryTime } = status.value;
      const evidence = {
        logFileValidationEnabled: true,
        latestDigestDeliveryTime: latestDigestDeliveryTime ?? null,
        latestDigestDeliveryError: latestDigestDeliveryError ?? null,
      };
      if (latestDigestDeliveryError) {
        ctx.report({ status: 'FAIL', resource: trail.resource, messageId: 'digestFailing', data: { name, error: latestDigestDeliveryError }, evidence });
      } else {
        ctx.report({ status: 'PASS', resource: trail.resource, messageId: 'enabled', data: { name }, evidence });
      }
    });
  },
});
