import { MONITORING_CONTROLS, monitoringSubject } from '../monitoring/controls.js';
import type { FrameworkPack, PackControl } from './types.js';

/**
 * CIS Amazon Web Services Foundations Benchmark, the Logging and Monitoring sections, v1.2.0–v6.0.0.
 * Numbering per version: v1.2.0 Logging §2 and Monitoring §3; v1.4.0–v2.0.0 §3/§4 with S3
 * object-level logging as 3.10/3.11; v3.0.0–v5.0.0 dropped "bucket not public" and "CloudWatch
 * Logs" and renumbered §3; v6.0.0 moved Logging to §4 and Monitoring to §5. Ids and titles from
 * the benchmarks (cross-read with Prowler's compliance/aws/cis_*_aws.json, Apache-2.0); v1.3.0 is
 * not included (not sourced).
 */

const SOURCE = 'CIS Amazon Web Services Foundations Benchmark (cisecurity.org); ids cross-read with Prowler compliance/aws/cis_*_aws.json';

type Logging = 'allRegions' | 'validation' | 'notPublic' | 'cloudwatch' | 'config' | 'accessLogging' | 'kms' | 'rotation' | 'flowLogs' | 's3Write' | 's3Read';

const OBJECT_LOGGING_GAP = 'CIS asks for object-level logging of every S3 bucket; trailwarden judges the buckets that receive CloudTrail logs only';

const LOGGING: Record<Logging, Omit<PackControl, 'id'>> = {
  allRegions: { title: 'Ensure CloudTrail is enabled in all regions', automation: 'automated', checks: ['trail-multi-region'] },
  validation: { title: 'Ensure CloudTrail log file validation is enabled', automation: 'automated', checks: ['trail-log-file-validation'] },
  notPublic: { title: 'Ensure the S3 bucket used to store CloudTrail logs is not publicly accessible', automation: 'automated', checks: ['trail-bucket-not-public'] },
  cloudwatch: { title: 'Ensure CloudTrail trails are integrated with CloudWatch Logs', automation: 'automated', checks: ['trail-cloudwatch-logs'] },
  config: { title: 'Ensure AWS Config is enabled in all regions', automation: 'manual', checks: [], gap: 'AWS Config recorders are not collected; check them with aws configservice describe-configuration-recorder-status in every region' },
  accessLogging: { title: 'Ensure S3 bucket access logging is enabled on the CloudTrail S3 bucket', automation: 'automated', checks: ['trail-bucket-access-logging'] },
  kms: { title: 'Ensure CloudTrail logs are encrypted at rest using KMS CMKs', automation: 'automated', checks: ['trail-kms-encryption'] },
  rotation: {
    title: 'Ensure rotation for customer-created symmetric CMKs is enabled',
    automation: 'partial',
    checks: ['trail-kms-key-rotation'],
    gap: 'CIS asks for rotation of every customer-managed symmetric key; trailwarden judges the keys that encrypt trails only',
  },
  flowLogs: { title: 'Ensure VPC flow logging is enabled in all VPCs', automation: 'manual', checks: [], gap: 'VPCs and their flow logs are not collected; check them with aws ec2 describe-flow-logs in every region' },
  s3Write: { title: 'Ensure that object-level logging for write events is enabled for S3 buckets', automation: 'partial', checks: ['trail-s3-data-events-write'], gap: OBJECT_LOGGING_GAP },
  s3Read: { title: 'Ensure that object-level logging for read events is enabled for S3 buckets', automation: 'partial', checks: ['trail-s3-data-events-read'], gap: OBJECT_LOGGING_GAP },
};

const SECURITY_HUB: Omit<PackControl, 'id'> = {
  title: 'Ensure AWS Security Hub is enabled',
  automation: 'manual',
  checks: [],
  gap: 'Security Hub is not collected; check it with aws securityhub describe-hub in every region',
};

/** Log-integrity verifies the digest files too, where the versions list it (it is opt-in). */
const VALIDATION_WITH_INTEGRITY = new Set(['1.4.0', '3.0.0', '6.0.0']);

function logging(version: string, numbering: [string, Logging][]): PackControl[] {
  return numbering.map(([id, key]) => {
    const c = LOGGING[key];
    const checks = key === 'validation' && VALIDATION_WITH_INTEGRITY.has(version) ? [...c.checks, 'trail-log-integrity'] : [...c.checks];
    return { id, ...c, checks };
  });
}

/** The monitoring section: v1.2 §3.1–3.14, v1.4 §4.1–4.15, v1.5–5.0 §4.1–4.16, v6.0 §5.1–5.16 (the last: Security Hub). */
function monitoring(version: string): PackControl[] {
  const section = version === '1.2.0' ? 3 : version === '6.0.0' ? 5 : 4;
  // v4.0.1 on word them "Ensure … are monitored"; earlier versions "Ensure a log metric filter and alarm exist for …".
  const modern = ['4.0.1', '5.0.0', '6.0.0'].includes(version);
  const out: PackControl[] = [];
  for (const c of MONITORING_CONTROLS) {
    if (version === '1.2.0' && c.cisNumber > 14) continue;
    const verb = / (is|are) monitored$/.exec(c.title)?.[0] ?? '';
    out.push({
      id: `${section}.${c.cisNumber}`,
      title: modern ? `Ensure ${monitoringSubject(c)}${verb}` : `Ensure a log metric filter and alarm exist for ${monitoringSubject(c)}`,
      automation: 'automated',
      checks: [`monitor-${c.topic}`],
    });
  }
  if (version !== '1.2.0' && version !== '1.4.0') out.push({ id: `${section}.16`, ...SECURITY_HUB });
  return out;
}

const V12: [string, Logging][] = [
  ['2.1', 'allRegions'],
  ['2.2', 'validation'],
  ['2.3', 'notPublic'],
  ['2.4', 'cloudwatch'],
  ['2.5', 'config'],
  ['2.6', 'accessLogging'],
  ['2.7', 'kms'],
  ['2.8', 'rotation'],
  ['2.9', 'flowLogs'],
];
const V14: [string, Logging][] = [
  ['3.1', 'allRegions'],
  ['3.2', 'validation'],
  ['3.3', 'notPublic'],
  ['3.4', 'cloudwatch'],
  ['3.5', 'config'],
  ['3.6', 'accessLogging'],
  ['3.7', 'kms'],
  ['3.8', 'rotation'],
  ['3.9', 'flowLogs'],
  ['3.10', 's3Write'],
  ['3.11', 's3Read'],
];
const V30: [string, Logging][] = [
  ['3.1', 'allRegions'],
  ['3.2', 'validation'],
  ['3.3', 'config'],
  ['3.4', 'accessLogging'],
  ['3.5', 'kms'],
  ['3.6', 'rotation'],
  ['3.7', 'flowLogs'],
  ['3.8', 's3Write'],
  ['3.9', 's3Read'],
];
const V60: [string, Logging][] = V30.map(([id, key]) => [id.replace(/^3\./, '4.'), key]);

function cis(version: string, numbering: [string, Logging][]): FrameworkPack {
  const [log, mon] = version === '1.2.0' ? [2, 3] : version === '6.0.0' ? [4, 5] : [3, 4];
  return {
    id: `cis-aws-${version}`,
    title: `CIS Amazon Web Services Foundations Benchmark v${version}`,
    version,
    scope: `§${log} Logging and §${mon} Monitoring`,
    source: SOURCE,
    provider: 'builtin',
    controls: [...logging(version, numbering), ...monitoring(version)],
  };
}

export const CIS_AWS_PACKS: FrameworkPack[] = [
  cis('1.2.0', V12),
  cis('1.4.0', V14),
  cis('1.5.0', V14),
  cis('2.0.0', V14),
  cis('3.0.0', V30),
  cis('4.0.1', V30),
  cis('5.0.0', V30),
  cis('6.0.0', V60),
];
