import { createCheck, describeTrails } from '@trailwarden/core';
import { assessVersioning, describeVersioning } from './versioning.js';

export { assessVersioning, describeVersioning, type VersioningState, type VersioningVerdict } from './versioning.js';

const fixCommand = (bucket: string, accountId: string, partition = 'aws'): string =>
  `aws s3api put-bucket-versioning --bucket ${bucket} --versioning-configuration Status=Enabled,MFADelete=Enabled --mfa "arn:${partition}:iam::${accountId}:mfa/root-account-mfa-device <code>" (as the root user of account ${accountId})`;

/**
 * Versioning keeps deleted or overwritten log files recoverable; MFA delete stops anyone without the
 * root user's MFA device from permanently deleting versions or suspending versioning.
 */
export default createCheck({
  id: 'trail-bucket-versioning-mfa-delete',
  meta: {
    title: 'The CloudTrail log bucket has versioning and MFA delete enabled',
    description:
      'The S3 bucket a trail delivers to must have versioning enabled, so a deleted or overwritten log file can be recovered, and MFA delete enabled, so permanently deleting versions or suspending versioning needs the root user and its MFA device. Object Lock implies versioning but not MFA delete, so both are checked.',
    severity: 'medium',
    resource: 'AWS::S3::Bucket',
    remediation: {
      text: 'Enable versioning, then (as the bucket owner account\'s root user, with its MFA device) enable MFA delete. MFA delete can only be set through the API or CLI, and S3 refuses lifecycle configurations on buckets with MFA delete.',
      cli: fixCommand('<bucket>', '<account-id>'),
      terraform:
        'resource "aws_s3_bucket_versioning" "trail_logs" {\n  bucket = aws_s3_bucket.trail_logs.id\n  mfa    = "arn:aws:iam::<account-id>:mfa/root-account-mfa-device <code>"\n  versioning_configuration {\n    status     = "Enabled"\n    mfa_delete = "Enabled"\n  }\n}',
    },
    docs: 'README.md',
    messages: {
      protected: 'Bucket {{bucket}} (CloudTrail logs of {{trails}}) has versioning and MFA delete enabled.',
      versioningOff:
        'Bucket {{bucket}} (CloudTrail logs of {{trails}}) does not have versioning enabled ({{state}}), so a deleted or overwritten log file is gone. Fix: {{fix}}',
      mfaDeleteOff:
        'Bucket {{bucket}} (CloudTrail logs of {{trails}}) has versioning on but MFA delete off ({{state}}), so anyone allowed s3:DeleteObjectVersion can erase log files for good. Fix: {{fix}}',
      bothOff:
        'Bucket {{bucket}} (CloudTrail logs of {{trails}}) has neither versioning nor MFA delete enabled ({{state}}), so deleted or overwritten log files cannot be recovered. Fix: {{fix}}',
    },
  },
  requires: ['buckets'],
  evaluate(ctx) {
    ctx.forEachBucket((view) => {
      const { bucket, resource } = view;
      const trails = view.trails.map((t) => t.trail.arn).sort();
      const versioning = view.get('versioning');
      if (versioning.error) {
        ctx.report({ status: 'ERROR', resource, error: versioning.error, evidence: { trails } });
        return;
      }
      const v = versioning.value;
      const verdict = assessVersioning(v);
      const evidence = {
        trails,
        versioningStatus: v.status,
        mfaDelete: v.mfaDelete,
        objectLockEnabled: view.get('objectLock').value?.enabled ?? null,
      };
      const data = {
        bucket: bucket.name,
        trails: describeTrails(view.trails),
        state: describeVersioning(v),
        fix: fixCommand(bucket.name, resource.accountId, ctx.partition),
      };
      if (verdict === 'protected') ctx.report({ status: 'PASS', resource, messageId: 'protected', data, evidence });
      else ctx.report({ status: 'FAIL', resource, messageId: verdict, data, evidence });
    });
  },
});


