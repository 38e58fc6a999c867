import { MONITORING_CONTROLS, monitoringSubject } from '../monitoring/controls.js';
import type { FrameworkDefinition } from './catalogue.js';

/**
 * The controls of each framework that concern the audit trail (CloudTrail and its bucket and key),
 * with their titles. Numbering follows the benchmark version (see checks.md).
 */
const T = {
  allRegions: 'Ensure CloudTrail is enabled in all regions',
  validation: 'Ensure CloudTrail log file validation is enabled',
  notPublic: 'Ensure the S3 bucket used to store CloudTrail logs is not publicly accessible',
  cloudwatch: 'Ensure CloudTrail trails are integrated with CloudWatch Logs',
  accessLogging: 'Ensure S3 bucket access logging is enabled on the CloudTrail S3 bucket',
  kms: 'Ensure CloudTrail logs are encrypted at rest using KMS CMKs',
  rotation: 'Ensure rotation for customer-created symmetric CMKs is enabled',
  s3Write: 'Ensure that object-level logging for write events is enabled for S3 buckets',
  s3Read: 'Ensure that object-level logging for read events is enabled for S3 buckets',
} as const;

/** The monitoring section: v1.2 §3.1–3.14, v1.4–5.0 §4.1–4.15, v6.0 §5.1–5.15. */
function monitoringSection(version: string): Record<string, string> {
  const section = version === '1.2.0' ? 3 : version === '6.0.0' ? 5 : 4;
  const out: Record<string, string> = {};
  for (const c of MONITORING_CONTROLS) {
    if (version === '1.2.0' && c.cisNumber > 14) continue;
    // v4.0.1 on word them "Ensure … are monitored"; earlier versions "Ensure a log metric filter and alarm exist for …".
    const modern = ['4.0.1', '5.0.0', '6.0.0'].includes(version);
    const verb = / (is|are) monitored$/.exec(c.title)?.[0] ?? '';
    out[`${section}.${c.cisNumber}`] = modern ? `Ensure ${monitoringSubject(c)}${verb}` : `Ensure a log metric filter and alarm exist for ${monitoringSubject(c)}`;
  }
  return out;
}

const cis = (version: string, controls: Record<string, string>): FrameworkDefinition => ({
  id: `cis-aws-${version}`,
  title: `CIS Amazon Web Services Foundations Benchmark v${version}`,
  version,
  controls: { ...controls, ...monitoringSection(version) },
});

const cis14to20 = {
  '3.1': T.allRegions,
  '3.2': T.validation,
  '3.3': T.notPublic,
  '3.4': T.cloudwatch,
  '3.6': T.accessLogging,
  '3.7': T.kms,
  '3.8': T.rotation,
  '3.10': T.s3Write,
  '3.11': T.s3Read,
};

const cis30to50 = {
  '3.1': T.allRegions,
  '3.2': T.validation,
  '3.4': T.accessLogging,
  '3.5': T.kms,
  '3.6': T.rotation,
  '3.8': T.s3Write,
  '3.9': T.s3Read,
};

export const BUILTIN_FRAMEWORKS: FrameworkDefinition[] = [
  cis('1.2.0', {
    '2.1': T.allRegions,
    '2.2': T.validation,
    '2.3': T.notPublic,
    '2.4': T.cloudwatch,
    '2.6': T.accessLogging,
    '2.7': T.kms,
    '2.8': T.rotation,
  }),
  cis('1.4.0', cis14to20),
  cis('1.5.0', cis14to20),
  cis('2.0.0', cis14to20),
  cis('3.0.0', cis30to50),
  cis('4.0.1', cis30to50),
  cis('5.0.0', cis30to50),
  cis('6.0.0', {
    '4.1': T.allRegions,
    '4.2': T.validation,
    '4.4': T.accessLogging,
    '4.5': T.kms,
    '4.6': T.rotation,
    '4.8': T.s3Write,
    '4.9': T.s3Read,
  }),
  {
    id: 'aws-fsbp',
    title: 'AWS Foundational Security Best Practices',
    controls: {
      'CloudTrail.1': 'CloudTrail should be enabled and configured with at least one multi-Region trail that includes read and write management events',
      'CloudTrail.2': 'CloudTrail should have encryption at-rest enabled',
      'CloudTrail.3': 'At least one CloudTrail trail should be enabled',
      'CloudTrail.4': 'CloudTrail log file validation should be enabled',
      'CloudTrail.5': 'CloudTrail trails should be integrated with Amazon CloudWatch Logs',
      'CloudTrail.6': 'Ensure the S3 bucket used to store CloudTrail logs is not publicly accessible',
      'CloudTrail.7': 'Ensure S3 bucket access logging is enabled on the CloudTrail S3 bucket',
      'CloudTrail.10': 'CloudTrail Lake event data stores should be encrypted with customer managed AWS KMS keys',
    },
  },
];
