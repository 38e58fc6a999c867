/** Per-service wire facts: protocol, counter prefix, and each service's own error codes. */

export type ServiceName = 'cloudtrail' | 'kms' | 'organizations' | 'sts' | 'iam' | 'ec2' | 's3' | 's3control' | 'logs' | 'cloudwatch' | 'sns' | 'events';
export type Protocol = 'json' | 'query' | 'ec2' | 'restxml';

export interface ErrorSpec {
  code: string;
  status: number;
}

export interface ServiceSpec {
  name: ServiceName;
  /** Counter key prefix, e.g. `CloudTrail` in `CloudTrail.DescribeTrails`. */
  label: string;
  protocol: Protocol;
  /** Regional services refuse regions not enabled in the account and regions an SCP denies. */
  regional: boolean;
  throttle: ErrorSpec;
  accessDenied: ErrorSpec;
  /** The answer for unknown access keys and for regions the account has not enabled. */
  invalidToken: ErrorSpec;
  /** Quota service key for token buckets, e.g. `s3` for both S3 and S3 Control. */
  quotaKey: string;
  /** awsJson version (`1.1` unless said). */
  jsonVersion?: '1.0' | '1.1';
  /** awsJson with `awsQueryCompatible` (CloudWatch): errors carry `x-amzn-query-error: Code;Type`. */
  queryCompatible?: boolean;
}

const jsonSpec = (name: ServiceName, label: string, throttleCode: string, regional: boolean): ServiceSpec => ({
  name,
  label,
  protocol: 'json',
  regional,
  throttle: { code: throttleCode, status: 400 },
  accessDenied: { code: 'AccessDeniedException', status: 400 },
  invalidToken: { code: 'UnrecognizedClientException', status: 400 },
  quotaKey: name,
});

export const SERVICES: Record<ServiceName, ServiceSpec> = {
  cloudtrail: jsonSpec('cloudtrail', 'CloudTrail', 'ThrottlingException', true),
  kms: jsonSpec('kms', 'KMS', 'ThrottlingException', true),
  organizations: jsonSpec('organizations', 'Organizations', 'TooManyRequestsException', false),
  sts: {
    name: 'sts',
    label: 'STS',
    protocol: 'query',
    regional: false,
    throttle: { code: 'Throttling', status: 400 },
    accessDenied: { code: 'AccessDenied', status: 403 },
    invalidToken: { code: 'InvalidClientTokenId', status: 403 },
    quotaKey: 'sts',
  },
  iam: {
    name: 'iam',
    label: 'IAM',
    protocol: 'query',
    regional: false,
    throttle: { code: 'Throttling', status: 400 },
    accessDenied: { code: 'AccessDenied', status: 403 },
    invalidToken: { code: 'InvalidClientTokenId', status: 403 },
    quotaKey: 'iam',
  },
  ec2: {
    name: 'ec2',
    label: 'EC2',
    protocol: 'ec2',
    regional: true,
    throttle: { code: 'RequestLimitExceeded', status: 503 },
    accessDenied: { code: 'UnauthorizedOperation', status: 403 },
    invalidToken: { code: 'AuthFailure', status: 401 },
    quotaKey: 'ec2',
  },
  s3: {
    name: 's3',
    label: 'S3',
    protocol: 'restxml',
    regional: false,
    throttle: { code: 'SlowDown', status: 503 },
    accessDenied: { code: 'AccessDenied', status: 403 },
    invalidToken: { code: 'InvalidAccessKeyId', status: 403 },
    quotaKey: 's3',
  },
  logs: jsonSpec('logs', 'CloudWatchLogs', 'ThrottlingException', true),
  events: jsonSpec('events', 'EventBridge', 'ThrottlingException', true),
  // CloudWatch moved from awsQuery to awsJson1_0 (awsQueryCompatible): the SDK sends JSON to
  // `GraniteServiceVersion20100801.<Op>` and reads the query error code from `x-amzn-query-error`.
  cloudwatch: {
    name: 'cloudwatch',
    label: 'CloudWatch',
    protocol: 'json',
    regional: true,
    throttle: { code: 'Throttling', status: 400 },
    accessDenied: { code: 'AccessDenied', status: 403 },
    invalidToken: { code: 'InvalidClientTokenId', status: 403 },
    quotaKey: 'cloudwatch',
    jsonVersion: '1.0',
    queryCompatible: true,
  },
  sns: {
    name: 'sns',
    label: 'SNS',
    protocol: 'query',
    regional: true,
    throttle: { code: 'Throttled', status: 429 },
    accessDenied: { code: 'AuthorizationError', status: 403 },
    invalidToken: { code: 'InvalidClientTokenId', status: 403 },
    quotaKey: 'sns',
  },
  s3control: {
    name: 's3control',
    label: 'S3Control',
    protocol: 'restxml',
    regional: false,
    throttle: { code: 'SlowDown', status: 503 },
    accessDenied: { code: 'AccessDenied', status: 403 },
    invalidToken: { code: 'InvalidAccessKeyId', status: 403 },
    quotaKey: 's3',
  },
};

/** An error answered in the calling service's own error shape. */
export class SimError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** Extra elements for S3 errors (e.g. BucketName). */
    readonly extra: Record<string, string> = {},
    /** Extra response headers (e.g. S3's `x-amz-bucket-region`). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const isReadOperation = (operation: string): boolean => /^(Get|List|Describe|Head|Lookup)/.test(operation);
