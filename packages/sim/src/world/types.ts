/**
 * The world file: a hand-written description of an AWS organization that the simulator serves.
 * Field names are camelCase; documents that AWS itself defines (IAM/SCP policies, CloudTrail event
 * selectors) are written exactly as AWS prints them (PascalCase), so they can be pasted from the CLI.
 */

/** An IAM-style policy document: an object, or its JSON text. */
export type PolicyDocument = Record<string, unknown> | string;

export interface World {
  /** Partition used in ARNs. Default `aws`. */
  partition?: string;
  /** The regions this world knows (a string, or `{ name, optIn }` to override the built-in opt-in table). Default: us-east-1, us-west-2, eu-west-1. */
  regions?: (string | { name: string; optIn?: boolean })[];
  organization?: WorldOrganization;
  /** Whose credentials `SimServer.callerCredentials` carry. Default: user `admin` in the management account (or the first account). */
  caller?: WorldCaller;
  /** AWS managed policies beyond the built-in abridged ones (AdministratorAccess, ReadOnlyAccess, SecurityAudit, ViewOnlyAccess). */
  awsManagedPolicies?: WorldManagedPolicy[];
  accounts: WorldAccount[];
}

export interface WorldCaller {
  accountId?: string;
  /** The caller's ARN; default `arn:<partition>:iam::<accountId>:user/admin`. */
  arn?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
}

export interface WorldOrganization {
  /** `o-` followed by 10 lowercase letters/digits. */
  id: string;
  managementAccountId: string;
  /** `r-` and 4 characters; default derived from the organization id. */
  rootId?: string;
  featureSet?: 'ALL' | 'CONSOLIDATED_BILLING';
  /** OU paths (`Workloads/Prod`) that hold no account; OUs named by accounts' `ou` exist anyway. */
  ous?: string[];
  policies?: WorldOrgPolicy[];
  delegatedAdministrators?: { accountId: string; servicePrincipal: string; delegationEnabledDate?: string }[];
  /**
   * The Organizations resource-based delegation policy (DescribeResourcePolicy). Only the
   * management account and the accounts it names for an action may read SCPs (ListPolicies,
   * DescribePolicy, ListTargetsForPolicy, ListPoliciesForTarget): being a delegated administrator
   * of another service (CloudTrail) is not enough.
   */
  resourcePolicy?: PolicyDocument;
}

export interface WorldOrgPolicy {
  /** `p-` and 8-128 characters; default derived from the name. */
  id?: string;
  name: string;
  type: 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY';
  description?: string;
  document: PolicyDocument;
  /** `root`, an OU path (`Workloads/Prod`) or an account id. */
  targets?: string[];
}

export interface WorldAccount {
  /** 12 digits. */
  id: string;
  name: string;
  email?: string;
  status?: 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE';
  /** OU path under the root, e.g. `Workloads/Prod`; omitted = directly under the root. */
  ou?: string;
  joinedTimestamp?: string;
  /** Opt-in regions this account enabled (regions that need no opt-in are always enabled). */
  optInRegions?: string[];
  /**
   * Regions an SCP denies to this account: regional services answer AccessDenied there. A shorthand:
   * the organization's SCPs themselves are evaluated too (explicit Deny on aws:RequestedRegion...).
   */
  deniedRegions?: string[];
  /** What IAM GetAccountSummary says of the root user. Default: no access keys, MFA enabled. */
  rootUser?: { accessKeysPresent?: boolean; mfaEnabled?: boolean };
  trails?: WorldTrail[];
  buckets?: WorldBucket[];
  /** S3 account-level Block Public Access; omitted or null = never configured. */
  publicAccessBlock?: WorldPublicAccessBlock | null;
  kmsKeys?: WorldKmsKey[];
  iam?: WorldIam;
  /** CloudWatch Logs metric filters, CloudWatch alarms, SNS topics and EventBridge rules. */
  monitoring?: WorldMonitoring;
  /** Management events in CloudTrail Event History (LookupEvents), e.g. a PutBucketPolicy on the log bucket. */
  events?: WorldEvent[];
  /**
   * CloudTrail Lake event data stores this account owns. An organization store (`organization: true`)
   * belongs in the management account: AWS keeps it there even when the delegated administrator made it.
   */
  eventDataStores?: WorldEventDataStore[];
}

/** A CloudTrail Lake event data store (ListEventDataStores / GetEventDataStore). */
export interface WorldEventDataStore {
  name: string;
  /** The region the store lives in. */
  region: string;
  /** The id part of its ARN; default derived from the name. */
  id?: string;
  /** Collects events from every region (AWS's default: true). */
  multiRegion?: boolean;
  /** An organization event data store (collects every member account's events). */
  organization?: boolean;
  /** Default ENABLED. */
  status?: 'CREATED' | 'ENABLED' | 'PENDING_DELETION' | 'STARTING_INGESTION' | 'STOPPING_INGESTION' | 'STOPPED_INGESTION';
  /** AWS shape; omitted = AWS's default, all management events ("Default management events"). */
  advancedEventSelectors?: Record<string, unknown>[];
  /** Customer managed KMS key (ARN); omitted = encrypted with a key AWS owns. */
  kmsKeyId?: string;
  /** Default true, as CreateEventDataStore sets it. */
  terminationProtection?: boolean;
  /** Days; default 366 (EXTENDABLE_RETENTION_PRICING). */
  retentionPeriod?: number;
}

/** Who watches the account's trail events; each item lives in one region of the account. */
export interface WorldMonitoring {
  /** Log groups that exist (a metric filter's group exists implicitly). */
  logGroups?: { region: string; name: string }[];
  metricFilters?: {
    region: string;
    logGroupName: string;
    filterName: string;
    filterPattern: string;
    /** Default: metric `<filterName>` in namespace `CISBenchmark`, value `1`. */
    metricTransformations?: { metricName: string; metricNamespace: string; metricValue?: string; defaultValue?: number }[];
  }[];
  alarms?: {
    region: string;
    alarmName: string;
    namespace?: string;
    metricName?: string;
    /** Default `Sum`. */
    statistic?: string;
    /** Default 1. */
    threshold?: number;
    /** Default `GreaterThanOrEqualToThreshold`. */
    comparisonOperator?: string;
    /** Default 1. */
    evaluationPeriods?: number;
    datapointsToAlarm?: number;
    /** Default 300. */
    period?: number;
    /** Default true. */
    actionsEnabled?: boolean;
    /** ARNs notified in ALARM state (SNS topics, ...). */
    alarmActions?: string[];
  }[];
  topics?: {
    region: string;
    name: string;
    /** `confirmed` false (default true): listed with SubscriptionArn `PendingConfirmation`. */
    subscriptions?: { protocol: string; endpoint: string; confirmed?: boolean }[];
  }[];
  /** Rules on the default event bus. */
  eventRules?: {
    region: string;
    name: string;
    /** An object (written as JSON) or its JSON text. */
    eventPattern?: Record<string, unknown> | string;
    scheduleExpression?: string;
    /** Default `ENABLED`. */
    state?: 'ENABLED' | 'DISABLED';
    targets?: { id: string; arn: string }[];
  }[];
}

/** One management event, recorded as CloudTrail records it (the record's other fields are filled in). */
export interface WorldEvent {
  /** CloudTrail's eventName: StopLogging, DeleteTrail, PutBucketPolicy, ScheduleKeyDeletion, ... */
  eventName: string;
  eventTime: string;
  /** Where the call was made. Default: the account's first trail's home region, else us-east-1. */
  region?: string;
  /** Who: an IAM user or role ARN, an assumed-role session ARN (`arn:aws:sts::<id>:assumed-role/<role>/<session>`), or the account root (default). */
  actor?: string;
  /** The trail ARN, bucket name or key ARN acted on (the record's resource and default requestParameters). */
  resource?: string;
  /** CloudTrail's requestParameters, AWS shape; default `{ name | trailName | bucketName | keyId: resource }`. */
  requestParameters?: Record<string, unknown>;
  /** The call failed (e.g. AccessDenied): recorded, but nothing changed. */
  errorCode?: string;
  sourceIPAddress?: string;
}

/** A time the trail did not log: StopLogging at `stoppedAt` and, if it was restarted, StartLogging at `startedAt`. */
export interface WorldLoggingWindow {
  stoppedAt: string;
  startedAt?: string;
  /** Who stopped it (an ARN, as in WorldEvent.actor). */
  by?: string;
  /** Who restarted it; default `by`. */
  startedBy?: string;
}

export interface WorldTrail {
  name: string;
  homeRegion: string;
  multiRegion?: boolean;
  /** An organization trail: only valid in the management account (or a CloudTrail delegated administrator). */
  organization?: boolean;
  bucket: string;
  keyPrefix?: string;
  snsTopicName?: string;
  includeGlobalServiceEvents?: boolean;
  logFileValidation?: boolean;
  cloudWatchLogsLogGroupArn?: string;
  cloudWatchLogsRoleArn?: string;
  /** KMS key ARN used for SSE-KMS of the log files. */
  kmsKeyId?: string;
  status?: WorldTrailStatus;
  /**
   * A multi-region trail's status in other covered regions: fields here override `status` in that
   * region (e.g. a delivery error where a bucket or key policy pins `aws:SourceArn` to one region).
   */
  regionStatus?: Record<string, WorldTrailStatus>;
  /** Classic event selectors, AWS shape. Omit both kinds for a never-configured trail (AWS's default selector). */
  eventSelectors?: Record<string, unknown>[];
  /** Advanced event selectors, AWS shape. */
  advancedEventSelectors?: Record<string, unknown>[];
  /** Insight selectors, AWS shape (`{ InsightType: ApiCallRateInsight }`). */
  insightSelectors?: Record<string, unknown>[];
  /** Stop/start windows in the trail's Event History (StopLogging, StartLogging in its home region). Set `status` to match an open one. */
  loggingWindows?: WorldLoggingWindow[];
  /** Log files and signed hourly digest chains written to the trail's bucket (see WorldTrailIntegrity). */
  integrity?: WorldTrailIntegrity;
}

/**
 * What CloudTrail delivered to the trail's bucket: hourly log files and signed digest chains, one
 * chain per account (an organization trail: per member) and source region; then the tampering to
 * plant. Hours are counted from `start` (hour 0 is the digest that ends at start + 1 h).
 */
export interface WorldTrailIntegrity {
  /** Start of the first digest window, a whole UTC hour (`2026-11-20T00:00:00Z`). */
  start: string;
  /** Number of hourly digests (default 24). */
  hours?: number;
  /** Log files per hour (default 2); a list is cycled hour by hour (0 = a digest with no log files). */
  logsPerHour?: number | number[];
  /** Hours in which logging was off: no logs, no digest; the next digest starts a new chain. */
  stoppedHours?: number[];
  /** Source regions with a chain (default: the home region; a multi-region trail: every region of the world). */
  regions?: string[];
  /** Organization trail: member accounts with chains (default: every ACTIVE account of the organization). */
  accounts?: string[];
  /** From this hour on, the region's CloudTrail signing key is a second key pair (key rotation). */
  keyRotationHour?: number;
  /** Hours that also get a backfill digest (one late log file), as their own chain. */
  backfillHours?: number[];
  /** GetObject of the SSE-KMS log files is refused: the caller lacks kms:Decrypt on the trail's key. */
  kmsDecryptDenied?: boolean;
  tamper?: WorldIntegrityTamper[];
}

export type WorldIntegrityTamperKind =
  | 'changeLog'
  | 'deleteLog'
  | 'appendGzipMember'
  | 'injectLog'
  | 'deleteDigest'
  | 'editDigest'
  | 'resignDigest'
  | 'resignDigestSpoofedFingerprint'
  | 'moveDigest'
  | 'stripSignature';

export interface WorldIntegrityTamper {
  kind: WorldIntegrityTamperKind;
  hour: number;
  /** Which log file of the hour (default 0). */
  log?: number;
  /** Default: the first chain's account (the trail owner, or the first member). */
  account?: string;
  /** Default: the first source region. */
  region?: string;
}

export interface WorldTrailStatus {
  isLogging?: boolean;
  latestDeliveryTime?: string;
  latestDeliveryError?: string;
  latestDeliveryAttemptTime?: string;
  latestDeliveryAttemptSucceeded?: string;
  latestDigestDeliveryTime?: string;
  latestDigestDeliveryError?: string;
  latestNotificationTime?: string;
  latestNotificationError?: string;
  latestCloudWatchLogsDeliveryTime?: string;
  latestCloudWatchLogsDeliveryError?: string;
  startLoggingTime?: string;
  stopLoggingTime?: string;
}

export interface WorldPublicAccessBlock {
  blockPublicAcls?: boolean;
  ignorePublicAcls?: boolean;
  blockPublicPolicy?: boolean;
  restrictPublicBuckets?: boolean;
}

export type WorldAclGrantee =
  | 'owner'
  | 'AllUsers'
  | 'AuthenticatedUsers'
  | 'LogDelivery'
  | { canonicalId: string; displayName?: string }
  | { email: string };

export interface WorldBucket {
  name: string;
  region: string;
  creationDate?: string;
  /** Bucket policy; omitted or null = none (NoSuchBucketPolicy). */
  policy?: PolicyDocument | null;
  /** Overrides the computed policy status (S3's "meaning of public": a wildcard principal not pinned by a fixed value of S3's condition keys). */
  policyStatus?: { isPublic: boolean };
  /** Default: the owner has FULL_CONTROL. */
  acl?: { grants: { grantee: WorldAclGrantee; permission: 'FULL_CONTROL' | 'READ' | 'WRITE' | 'READ_ACP' | 'WRITE_ACP' }[] };
  /** Default: all four true (AWS's default since April 2023); null = never configured. */
  publicAccessBlock?: WorldPublicAccessBlock | null;
  /** Default BucketOwnerEnforced; null = never configured. */
  ownershipControls?: 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter' | null;
  /** Object Lock; omitted or null = not enabled. `{ enabled: true }` without mode = enabled, no default retention. */
  objectLock?: { enabled?: boolean; mode?: 'GOVERNANCE' | 'COMPLIANCE'; days?: number; years?: number } | null;
  /** Default SSE-S3 (AES256), as AWS applies to every bucket since January 2023; null = not configured. */
  encryption?: { algorithm: 'AES256' | 'aws:kms' | 'aws:kms:dsse'; kmsKeyId?: string; bucketKey?: boolean } | null;
  /** Server access logging; omitted or null = disabled. */
  logging?: { targetBucket: string; targetPrefix?: string } | null;
  /** Omitted or null = never configured (empty VersioningConfiguration). */
  versioning?: { status: 'Enabled' | 'Suspended'; mfaDelete?: boolean } | null;
  /** Lifecycle rules; omitted or null = NoSuchLifecycleConfiguration. */
  lifecycle?: WorldLifecycleRule[] | null;
  /** The owner account's access points for this bucket (in the bucket's region). */
  accessPoints?: WorldAccessPoint[];
}

export interface WorldAccessPoint {
  /** Unique per account and region (S3's rule). */
  name: string;
  /** Default Internet; VPC takes a `vpcId`. */
  networkOrigin?: 'Internet' | 'VPC';
  vpcId?: string;
  /** Access point policy; omitted or null = none (NoSuchAccessPointPolicy). */
  policy?: PolicyDocument | null;
  /** Overrides the computed policy status (the same "meaning of public" as for bucket policies). */
  policyStatus?: { isPublic: boolean };
  /** Default: all four true (AWS's default for new access points; fixed at creation). */
  publicAccessBlock?: WorldPublicAccessBlock;
}

export interface WorldLifecycleRule {
  id: string;
  status?: 'Enabled' | 'Disabled';
  prefix?: string;
  expirationDays?: number;
  transitions?: { days: number; storageClass: string }[];
  noncurrentVersionExpirationDays?: number;
  abortIncompleteMultipartUploadDays?: number;
}

export interface WorldKmsKey {
  /** A key id (UUID or `mrk-` id). */
  id: string;
  region: string;
  description?: string;
  state?: 'Enabled' | 'Disabled' | 'PendingDeletion' | 'PendingImport' | 'Unavailable' | 'Creating';
  deletionDate?: string;
  manager?: 'CUSTOMER' | 'AWS';
  /** Default: the account's root principal may do kms:*. */
  policy?: PolicyDocument;
  /** Default: false for customer keys, true for AWS managed keys. */
  rotation?: boolean;
  rotationPeriodDays?: number;
  aliases?: string[];
  keySpec?: string;
  keyUsage?: string;
  multiRegion?: boolean;
  /** Default AWS_KMS. AWS_CLOUDHSM / EXTERNAL_KEY_STORE: a key in a custom key store (needs customKeyStoreId). */
  origin?: 'AWS_KMS' | 'EXTERNAL' | 'AWS_CLOUDHSM' | 'EXTERNAL_KEY_STORE';
  customKeyStoreId?: string;
  /** A multi-Region replica: the ARN of its primary key (which holds the rotation setting). */
  primaryKeyArn?: string;
  creationDate?: string;
}

export interface WorldIam {
  users?: WorldIamUser[];
  groups?: WorldIamGroup[];
  roles?: WorldIamRole[];
  /** Customer managed policies. */
  policies?: WorldManagedPolicy[];
}

interface WorldIamPrincipalBase {
  name: string;
  path?: string;
  id?: string;
  createDate?: string;
  /** Policy ARNs, or names of this account's customer managed policies. */
  managedPolicies?: string[];
  inlinePolicies?: Record<string, PolicyDocument>;
}

export interface WorldIamUser extends WorldIamPrincipalBase {
  groups?: string[];
  permissionsBoundary?: string;
  tags?: Record<string, string>;
}

export type WorldIamGroup = WorldIamPrincipalBase;

export interface WorldIamRole extends WorldIamPrincipalBase {
  trustPolicy: PolicyDocument;
  permissionsBoundary?: string;
  tags?: Record<string, string>;
  maxSessionDuration?: number;
  description?: string;
}

export interface WorldManagedPolicy {
  name: string;
  path?: string;
  /** Default `arn:<partition>:iam::<account>:policy<path><name>` (or the AWS managed ARN). */
  arn?: string;
  id?: string;
  description?: string;
  /** The default version's document (shortcut for one version `v1`). */
  document?: PolicyDocument;
  versions?: { id: string; document: PolicyDocument; default?: boolean; createDate?: string }[];
  createDate?: string;
}
