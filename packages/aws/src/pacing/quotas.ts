/** The AWS services the collector talks to. */
export type Service = 'sts' | 'organizations' | 'ec2' | 'cloudtrail' | 's3' | 's3control' | 'iam' | 'kms' | 'logs' | 'cloudwatch' | 'sns' | 'events';

/**
 * Request-rate quotas per (account, region, service), requests per second. Where AWS publishes a
 * number we use it; where it does not (IAM, Organizations, S3 Control), a conservative assumption.
 * The collector paces at PACE_FRACTION of these. See README.md "Pacing".
 */
export const QUOTAS: Record<Service, { rps: number; source: string }> = {
  cloudtrail: { rps: 10, source: 'CloudTrail quotas: 10 TPS per account per region for the control-plane read APIs' },
  ec2: { rps: 20, source: 'EC2 API throttling: non-mutating actions refill 20 tokens/s (bucket of 100)' },
  sts: { rps: 600, source: 'STS: 600 requests/s per account per region (AssumeRole)' },
  s3: { rps: 100, source: 'S3: only object request rates are published (5,500 GET/s per prefix); bucket-configuration calls assumed 100/s' },
  kms: { rps: 1000, source: 'KMS: DescribeKey/GetKeyPolicy/GetKeyRotationStatus ≥ 1,000 requests/s' },
  iam: { rps: 20, source: 'IAM: not published per operation; assumed 20/s' },
  organizations: { rps: 20, source: 'Organizations: not published per operation; assumed 20/s' },
  s3control: { rps: 100, source: 'S3 Control: not published; paced like S3 bucket-configuration calls (100/s)' },
  logs: { rps: 5, source: 'CloudWatch Logs quotas: DescribeMetricFilters 5 TPS per account per region' },
  cloudwatch: { rps: 9, source: 'CloudWatch quotas: DescribeAlarms 9 TPS per account per region' },
  sns: { rps: 30, source: 'SNS quotas: ListSubscriptionsByTopic 30 TPS per account per region' },
  events: { rps: 50, source: 'EventBridge quotas: ListRules / ListTargetsByRule 50 TPS per account per region (lower in some regions); assumed 50/s' },
};

/**
 * Services only plugins read (`collect` entries, e.g. CloudWatch): their quotas are not in the
 * table, so they are paced conservatively.
 */
export const DEFAULT_QUOTA = { rps: 5, source: 'services read only for plugins: not in this table; assumed 5/s' };

/**
 * Operations with a quota of their own, paced in a bucket of their own (key `service:Operation`).
 */
export const OPERATION_QUOTAS: Record<string, { rps: number; source: string }> = {
  'cloudtrail:LookupEvents': {
    rps: 2,
    source: 'CloudTrail LookupEvents: "limited to two per second, per account, per Region" (API reference)',
  },
};

/**
 * Also paced apart: object reads of log-file verification (GetObject). S3
 * publishes 5,500 GET/HEAD requests/s per partitioned prefix.
 */
export const OBJECT_READ_QUOTA = { rps: 5500, source: 'S3: 5,500 GET/HEAD requests per second per partitioned prefix' };

export const PACE_FRACTION = 0.8;

/** The pace (tokens/s) and burst used for a service (a plugin-only service gets DEFAULT_QUOTA). */
export function paceFor(service: Service | string): { rate: number; burst: number } {
  const own = OPERATION_QUOTAS[service];
  if (own) return { rate: own.rps * PACE_FRACTION, burst: 1 };
  const quota = service === 's3-objects' ? OBJECT_READ_QUOTA : ((QUOTAS as Record<string, { rps: number }>)[service] ?? DEFAULT_QUOTA);
  const rate = quota.rps * PACE_FRACTION;
  return { rate, burst: Math.max(1, Math.min(rate, 50)) };
}
