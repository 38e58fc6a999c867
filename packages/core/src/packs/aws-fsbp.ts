import type { FrameworkPack } from './types.js';

const TRAIL_BUCKETS_ONLY = 'judged on the buckets that receive CloudTrail logs only, not on every bucket in the account';

/**
 * AWS Foundational Security Best Practices (Security Hub control ids): the CloudTrail controls and
 * the S3 and KMS controls that bear on the audit trail's bucket and key. Ids and titles from the
 * Security Hub control reference, cross-read with Prowler's
 * compliance/aws/aws_foundational_security_best_practices_aws.json (Apache-2.0), which lists
 * CloudTrail.1–.7 for this standard (CloudTrail.8 does not exist; CloudTrail.9 is a tagging control).
 * CloudTrail.10 (CloudTrail Lake encryption) is mapped here with the other CloudTrail controls;
 * Security Hub may list it under its NIST SP 800-53 standard only — Prowler's FSBP file lacks it.
 */
export const AWS_FSBP_PACK: FrameworkPack = {
  id: 'aws-fsbp',
  title: 'AWS Foundational Security Best Practices',
  scope: 'CloudTrail.1–.7 and .10, and the S3 and KMS controls that bear on a trail bucket or a trail key',
  source: 'AWS Security Hub control reference; ids cross-read with Prowler compliance/aws/aws_foundational_security_best_practices_aws.json',
  provider: 'builtin',
  controls: [
    {
      id: 'CloudTrail.1',
      title: 'CloudTrail should be enabled and configured with at least one multi-Region trail that includes read and write management events',
      automation: 'automated',
      checks: ['trail-multi-region'],
    },
    { id: 'CloudTrail.2', title: 'CloudTrail should have encryption at-rest enabled', automation: 'automated', checks: ['trail-kms-encryption'] },
    { id: 'CloudTrail.3', title: 'At least one CloudTrail trail should be enabled', automation: 'automated', checks: ['trail-logging-active', 'trail-logging-continuity'] },
    { id: 'CloudTrail.4', title: 'CloudTrail log file validation should be enabled', automation: 'automated', checks: ['trail-log-file-validation', 'trail-log-integrity'] },
    { id: 'CloudTrail.5', title: 'CloudTrail trails should be integrated with Amazon CloudWatch Logs', automation: 'automated', checks: ['trail-cloudwatch-logs'] },
    { id: 'CloudTrail.6', title: 'Ensure the S3 bucket used to store CloudTrail logs is not publicly accessible', automation: 'automated', checks: ['trail-bucket-not-public'] },
    { id: 'CloudTrail.7', title: 'Ensure S3 bucket access logging is enabled on the CloudTrail S3 bucket', automation: 'automated', checks: ['trail-bucket-access-logging'] },
    {
      id: 'CloudTrail.10',
      title: 'CloudTrail Lake event data stores should be encrypted with customer managed AWS KMS keys',
      automation: 'automated',
      checks: ['lake-kms-encryption'],
    },
    {
      id: 'KMS.4',
      title: 'AWS KMS key rotation should be enabled',
      automation: 'manual',
      checks: [],
      gap: `trail-kms-key-rotation judges the keys that encrypt trails only (not mapped here, so as not to read as a verdict on every key); check the others with aws kms get-key-rotation-status`,
    },
    {
      id: 'S3.1',
      title: 'S3 Block Public Access setting should be enabled',
      automation: 'manual',
      checks: [],
      gap: 'trail-bucket-not-public reads the account Block Public Access settings but judges whether a trail bucket is exposed, not whether all four settings are on',
    },
    {
      id: 'S3.8',
      title: 'S3 Block Public Access setting should be enabled at the bucket level',
      automation: 'manual',
      checks: [],
      gap: `trail-bucket-not-public judges exposure (${TRAIL_BUCKETS_ONLY}), not whether all four bucket settings are on`,
    },
    {
      id: 'S3.9',
      title: 'S3 bucket server access logging should be enabled',
      automation: 'manual',
      checks: [],
      gap: `trail-bucket-access-logging covers this for trail buckets (${TRAIL_BUCKETS_ONLY}); it is mapped to CloudTrail.7`,
    },
  ],
};
