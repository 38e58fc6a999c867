import type { Known, KnownError } from './known.js';
import type { SnapshotShard } from './shard.js';

/**
 * The Snapshot: everything the collector read, as plain JSON. It is the contract between collection
 * and evaluation (see docs/architecture.md). Field names are camelCase Trailwarden names; policy documents stay
 * in AWS's own JSON shape (Version, Statement, ...).
 */
export const SNAPSHOT_SCHEMA_VERSION = '1.0' as const;

/** Sections a check can declare in `requires`; the collector gathers only the union of them. */
export const SNAPSHOT_SECTIONS = [
  'organization',
  'regions',
  'trails',
  'trailStatus',
  'eventSelectors',
  'insightSelectors',
  'buckets',
  'keys',
  'iam',
  's3AccountPublicAccessBlock',
  'monitoring',
  'eventHistory',
  'eventDataStores',
] as const;
export type SnapshotSection = (typeof SNAPSHOT_SECTIONS)[number];

/** Sections that cannot be collected without others (the trails tell which buckets and keys to read). */
const IMPLIED: Partial<Record<SnapshotSection, SnapshotSection[]>> = {
  trails: ['regions'],
  trailStatus: ['trails'],
  eventSelectors: ['trails'],
  insightSelectors: ['trails'],
  buckets: ['trails'],
  keys: ['trails'],
  monitoring: ['trails', 'trailStatus'],
  eventHistory: ['trails'],
  eventDataStores: ['regions'],
};

/** The sections to collect for these requirements, with what they imply, in canonical order. */
/** The sections a check's collection needs: those it requires and those it uses when present. */
export function sectionsOfCheck(check: { requires: readonly SnapshotSection[]; uses?: readonly SnapshotSection[] }): SnapshotSection[] {
  return [...check.requires, ...(check.uses ?? [])];
}

export function resolveSections(required: Iterable<SnapshotSection>): SnapshotSection[] {
  const out = new Set<SnapshotSection>();
  const add = (s: SnapshotSection): void => {
    if (out.has(s)) return;
    out.add(s);
    for (const dep of IMPLIED[s] ?? []) add(dep);
  };
  for (const s of required) add(s);
  return SNAPSHOT_SECTIONS.filter((s) => out.has(s));
}

export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov' | 'aws-iso' | 'aws-iso-b';

/** A JSON value, as parsed from an AWS policy document (or the raw string if it did not parse). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type PolicyDocument = JsonValue;

export interface Snapshot {
  schemaVersion: typeof SNAPSHOT_SCHEMA_VERSION;
  collectedAt: string;
  partition: Partition;
  /** Which sections were collected; a check requiring another one gets an ERROR finding. */
  sections: SnapshotSection[];
  scope: SnapshotScope;
  tool?: { name: string; version: string };
  organization?: Known<Organization>;
  accounts: Record<string, AccountSnapshot>;
  /**
   * Buckets and keys that trails use but that no scanned account holds: why (owned outside the
   * scanned accounts, ListBuckets denied, ...). Keyed by bucket name / key ARN.
   */
  unresolved?: { buckets?: Record<string, KnownError>; keys?: Record<string, KnownError> };
  /** Data collected on behalf of plugins, by plugin namespace, then by key. */
  extensions?: Record<string, Record<string, Known<JsonValue>>>;
  /**
   * What plugins asked to collect: plugin → entry → hash of the entry's declaration. An entry
   * absent here (or with another hash) was not collected, so a check reading it gets `NotCollected`.
   */
  extensionsRequested?: Record<string, Record<string, string>>;
  /**
   * Log-file integrity verification (`scan --verify-logs`), by trail ARN: what @trailwarden/integrity
   * found (its `TrailIntegrity` JSON), or why it could not run. Absent when not verified.
   */
  logIntegrity?: Record<string, Known<JsonValue>>;
  /** A sharded collection's part (`collect --shard K/N`) or a merged snapshot (`merge`); see `SnapshotShard`. */
  shard?: SnapshotShard;
}

export interface SnapshotScope {
  /** `organization`: discovered through AWS Organizations; `single-account`: the caller's account only. */
  mode: 'organization' | 'single-account' | 'fixture';
  /** Account ids scanned (after filters). */
  accounts: string[];
  /** Regions requested (`--regions`), or empty for "every enabled region". */
  regions: string[];
  filters?: {
    accounts?: string[];
    excludeAccounts?: string[];
    ous?: string[];
    regions?: string[];
  };
  /** Said plainly in reports, e.g. why a single-account scan was done. */
  notes?: string[];
}

export interface Organization {
  id: string;
  arn?: string;
  managementAccountId: string;
  featureSet?: 'ALL' | 'CONSOLIDATED_BILLING';
  roots: { id: string; name: string }[];
  ous: { id: string; name: string; parentId: string }[];
  accounts: OrganizationAccount[];
  /** Delegated administrators (e.g. for cloudtrail.amazonaws.com). */
  delegatedAdministrators?: Known<{ accountId: string; servicePrincipal: string }[]>;
  policies: {
    scp: Known<OrganizationPolicy[]>;
    rcp: Known<OrganizationPolicy[]>;
  };
}

export interface OrganizationAccount {
  id: string;
  name: string;
  email?: string;
  status: string;
  /** Ids from the root down to the account's parent: ['r-ab12', 'ou-ab12-1', ...]. */
  ouPath: string[];
}

export interface OrganizationPolicy {
  id: string;
  arn?: string;
  name: string;
  description?: string;
  awsManaged: boolean;
  document: PolicyDocument;
  /** Ids of the roots, OUs and accounts the policy is attached to. */
  targets: string[];
}

export interface AccountSnapshot {
  id: string;
  name?: string;
  /** How the account was read; an error here (e.g. AssumeRole denied) means nothing else was read. */
  access: Known<{ via: 'caller' | 'role'; roleArn?: string }>;
  regions?: Known<RegionInfo[]>;
  /** Per enabled region: the trail ARNs that DescribeTrails listed there, or why it failed. */
  trailListing?: Record<string, Known<string[]>>;
  /**
   * Regions an SCP governs out of this account: DescribeTrails answered AccessDenied "with an explicit
   * deny in a service control policy" while other regions of the account could be listed (a
   * Control Tower-style region deny). A scope fact, not a gap: these regions are not in `trailListing`.
   */
  governedOutRegions?: Record<string, KnownError>;
  /**
   * Every trail visible to the account, de-duplicated by ARN: its own trails (single- and
   * multi-region, listed once, not once per shadow copy) and organization trails owned elsewhere.
   * An error only when no region could be listed.
   */
  trails?: Known<Trail[]>;
  /** Buckets this account owns that some trail uses, by bucket name. */
  buckets?: Record<string, Bucket>;
  /** Keys this account owns that some trail uses, by key ARN. */
  keys?: Record<string, Key>;
  iam?: Known<IamData>;
  /** The root user's credentials (IAM GetAccountSummary), read with the `iam` section. */
  rootUser?: Known<RootUserCredentials>;
  s3AccountPublicAccessBlock?: Known<PublicAccessBlock | null>;
  /**
   * Who watches the trail's events, by region: read where a multi-region trail this account owns
   * delivers to a CloudWatch Logs log group (the log group's region). See docs/snapshot.md.
   */
  monitoring?: Record<string, RegionMonitoring>;
  /** CloudTrail Event History (LookupEvents) of the events that bear on logging continuity. */
  eventHistory?: EventHistory;
  /**
   * CloudTrail Lake event data stores, per scanned region (ListEventDataStores is regional), each
   * with its GetEventDataStore details; an error when the region's list could not be read.
   */
  eventDataStores?: Record<string, Known<EventDataStore[]>>;
}

/** One CloudTrail Lake event data store, as the listing account saw it. */
export interface EventDataStore {
  arn: string;
  name: string;
  /** From the ARN: an organization store lives in the management account, whoever created it. */
  ownerAccountId: string;
  /** The region the store lives in (from the ARN). */
  region: string;
  /** GetEventDataStore, or why it could not be read. */
  details: Known<EventDataStoreDetails>;
}

export interface EventDataStoreDetails {
  /** CREATED | ENABLED | PENDING_DELETION | STARTING_INGESTION | STOPPING_INGESTION | STOPPED_INGESTION */
  status: string;
  multiRegionEnabled: boolean;
  organizationEnabled: boolean;
  terminationProtectionEnabled: boolean;
  advancedEventSelectors: AdvancedEventSelector[];
  /** Customer managed KMS key; absent: encrypted with a key AWS owns. */
  kmsKeyId?: string;
  retentionPeriod?: number;
  billingMode?: string;
  federationStatus?: string;
  createdTimestamp?: string;
  updatedTimestamp?: string;
}

/** CloudWatch Logs metric filters, CloudWatch alarms, SNS topics and EventBridge rules of one region. */
export interface RegionMonitoring {
  /** Log group name → its metric filters (DescribeMetricFilters). */
  logGroups: Record<string, Known<MetricFilter[]>>;
  /** Metric alarms (DescribeAlarms) on a metric that one of those filters publishes. */
  alarms?: Known<MetricAlarm[]>;
  /** SNS topics those alarms notify, by topic ARN (ListSubscriptionsByTopic). */
  topics?: Record<string, Known<TopicSubscriptions>>;
  /** Rules on the default event bus that match AWS service events (ListRules, ListTargetsByRule). */
  eventRules?: Known<EventRule[]>;
}

export interface MetricFilter {
  name: string;
  pattern: string;
  metrics: { namespace: string; name: string; value: string; defaultValue?: number }[];
}

export interface MetricAlarm {
  name: string;
  arn?: string;
  actionsEnabled: boolean;
  alarmActions: string[];
  namespace?: string;
  metricName?: string;
  statistic?: string;
  extendedStatistic?: string;
  comparisonOperator?: string;
  threshold?: number;
  evaluationPeriods?: number;
  datapointsToAlarm?: number;
  period?: number;
  /** Metric-math alarms: the metrics their expressions read. */
  metrics?: { namespace: string; name: string }[];
}

export interface TopicSubscriptions {
  /** Subscriptions whose SubscriptionArn is an ARN (not `PendingConfirmation`). */
  confirmed: number;
  pending: number;
  /** Protocols of the confirmed subscriptions (email, sqs, lambda, https, ...). */
  protocols: string[];
}

export interface EventRule {
  name: string;
  arn?: string;
  state: string;
  eventPattern?: string;
  targets: Known<{ id: string; arn: string }[]>;
}

/** Version of the `eventHistory` record's own shape (inside a snapshot of SNAPSHOT_SCHEMA_VERSION). */
export const EVENT_HISTORY_SCHEMA_VERSION = 1 as const;

/**
 * What LookupEvents returned for one account: management events of the names in `eventNames`,
 * from `from` to `to`, per region looked up (each trail's home region, its bucket's and key's
 * regions). A region whose lookups failed is an error, never "no events".
 */
export interface EventHistory {
  schemaVersion: typeof EVENT_HISTORY_SCHEMA_VERSION;
  from: string;
  to: string;
  /** The event names looked up, per region. */
  eventNames: Record<string, string[]>;
  regions: Record<string, Known<HistoryEvent[]>>;
}

/** One CloudTrail event record, reduced to what continuity checks read (CloudTrail's own field names). */
export interface HistoryEvent {
  eventId: string;
  eventName: string;
  eventSource: string;
  /** ISO time. */
  eventTime: string;
  awsRegion: string;
  /** CloudTrail's `userIdentity` (type, arn, principalId, accountId, sessionContext...). */
  userIdentity: JsonValue;
  /** CloudTrail's `requestParameters` (e.g. `{ name: <trail> }`, `{ bucketName }`, `{ keyId }`). */
  requestParameters: JsonValue;
  resources?: { type?: string; name?: string }[];
  readOnly?: boolean;
  /** Set when the call failed (AccessDenied…): the change did not happen. */
  errorCode?: string;
  sourceIPAddress?: string;
}

export interface RegionInfo {
  name: string;
  optInStatus: 'opt-in-not-required' | 'opted-in' | 'not-opted-in';
  enabled: boolean;
}

export interface Trail {
  arn: string;
  name: string;
  homeRegion: string;
  /** Account that owns the trail (from its ARN). */
  ownerAccountId: string;
  isOrganizationTrail: boolean;
  isMultiRegionTrail: boolean;
  includeGlobalServiceEvents: boolean;
  logFileValidationEnabled: boolean;
  s3BucketName?: string;
  s3KeyPrefix?: string;
  snsTopicArn?: string;
  /** Full key ARN, as CloudTrail returns it. */
  kmsKeyId?: string;
  cloudWatchLogsLogGroupArn?: string;
  cloudWatchLogsRoleArn?: string;
  hasCustomEventSelectors?: boolean;
  hasInsightSelectors?: boolean;
  /** Absent when not collected (section not required, or read in the owner account instead). */
  status?: Known<TrailStatus>;
  /**
   * Status in the other regions the trail covers (GetTrailStatus answers one region's status; a
   * multi-region trail can deliver in one region and fail in another). Absent: not read.
   */
  regionStatus?: Record<string, Known<TrailStatus>>;
  eventSelectors?: Known<TrailEventSelectors>;
  insightSelectors?: Known<InsightSelector[]>;
}

export interface TrailStatus {
  isLogging: boolean;
  latestDeliveryError?: string;
  latestDeliveryTime?: string;
  latestDigestDeliveryError?: string;
  latestDigestDeliveryTime?: string;
  latestCloudWatchLogsDeliveryError?: string;
  latestCloudWatchLogsDeliveryTime?: string;
  latestNotificationError?: string;
  startLoggingTime?: string;
  stopLoggingTime?: string;
}

/** GetEventSelectors: a trail has either classic or advanced selectors. */
export interface TrailEventSelectors {
  eventSelectors?: ClassicEventSelector[];
  advancedEventSelectors?: AdvancedEventSelector[];
}

export interface ClassicEventSelector {
  readWriteType?: 'All' | 'ReadOnly' | 'WriteOnly';
  includeManagementEvents?: boolean;
  excludeManagementEventSources?: string[];
  dataResources?: { type: string; values: string[] }[];
}

export interface AdvancedEventSelector {
  name?: string;
  fieldSelectors: AdvancedFieldSelector[];
}

export interface AdvancedFieldSelector {
  field: string;
  equals?: string[];
  notEquals?: string[];
  startsWith?: string[];
  notStartsWith?: string[];
  endsWith?: string[];
  notEndsWith?: string[];
}

export interface InsightSelector {
  insightType: string;
}

export interface Bucket {
  name: string;
  arn: string;
  ownerAccountId: string;
  region: Known<string>;
  /** `null`: NoSuchBucketPolicy. */
  policy?: Known<PolicyDocument | null>;
  /** `null`: no policy status (no policy). */
  policyStatus?: Known<{ isPublic: boolean } | null>;
  acl?: Known<BucketAcl>;
  /** `null`: NoSuchPublicAccessBlockConfiguration. */
  publicAccessBlock?: Known<PublicAccessBlock | null>;
  /** `null`: OwnershipControlsNotFoundError. */
  ownershipControls?: Known<'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter' | null>;
  /** `null`: ObjectLockConfigurationNotFoundError. */
  objectLock?: Known<ObjectLockConfiguration | null>;
  /** `null`: ServerSideEncryptionConfigurationNotFoundError. */
  encryption?: Known<EncryptionRule[] | null>;
  /** `null`: logging not enabled. */
  logging?: Known<{ targetBucket: string; targetPrefix?: string } | null>;
  versioning?: Known<{ status: 'Enabled' | 'Suspended' | null; mfaDelete: 'Enabled' | 'Disabled' | null }>;
  /** `null`: NoSuchLifecycleConfiguration. */
  lifecycle?: Known<LifecycleRule[] | null>;
  /** The bucket owner's access points for the bucket in its region (S3 Control ListAccessPoints). */
  accessPoints?: Known<AccessPoint[]>;
}

/** An S3 access point: a named way into a bucket with a policy of its own. */
export interface AccessPoint {
  name: string;
  arn?: string;
  networkOrigin?: 'Internet' | 'VPC';
  /** S3's own verdict on the access point policy (GetAccessPointPolicyStatus); `null`: no policy. */
  policyStatus: Known<{ isPublic: boolean } | null>;
  /** The access point's own Block Public Access (GetAccessPoint); read only for a public one. */
  publicAccessBlock?: Known<PublicAccessBlock | null>;
  /** The access point policy (GetAccessPointPolicy), evidence; read only for a public one. */
  policy?: Known<PolicyDocument | null>;
}

export interface BucketAcl {
  ownerId?: string;
  grants: AclGrant[];
}

export interface AclGrant {
  grantee: {
    type: 'CanonicalUser' | 'Group' | 'AmazonCustomerByEmail';
    id?: string;
    uri?: string;
    displayName?: string;
    emailAddress?: string;
  };
  permission: 'FULL_CONTROL' | 'READ' | 'WRITE' | 'READ_ACP' | 'WRITE_ACP';
}

export interface PublicAccessBlock {
  blockPublicAcls: boolean;
  ignorePublicAcls: boolean;
  blockPublicPolicy: boolean;
  restrictPublicBuckets: boolean;
}

export interface ObjectLockConfiguration {
  enabled: boolean;
  defaultRetention?: { mode: 'COMPLIANCE' | 'GOVERNANCE'; days?: number; years?: number };
}

export interface EncryptionRule {
  sseAlgorithm: string;
  kmsMasterKeyId?: string;
  bucketKeyEnabled?: boolean;
}

export interface LifecycleRule {
  id?: string;
  status: 'Enabled' | 'Disabled';
  /** The rule's filter as AWS gives it (Prefix, Tag, And, ObjectSize...), or the legacy prefix. */
  prefix?: string;
  filter?: JsonValue;
  expiration?: { days?: number; date?: string; expiredObjectDeleteMarker?: boolean };
  noncurrentVersionExpiration?: { noncurrentDays?: number; newerNoncurrentVersions?: number };
  transitions?: { days?: number; date?: string; storageClass: string }[];
  abortIncompleteMultipartUpload?: { daysAfterInitiation?: number };
}

export interface Key {
  arn: string;
  keyId: string;
  ownerAccountId: string;
  region: string;
  metadata?: Known<KeyMetadata>;
  policy?: Known<PolicyDocument>;
  rotation?: Known<{ enabled: boolean; rotationPeriodInDays?: number }>;
}

export interface KeyMetadata {
  keyState: string;
  enabled: boolean;
  keyManager: 'AWS' | 'CUSTOMER';
  keySpec?: string;
  keyUsage?: string;
  origin?: string;
  multiRegion?: boolean;
  /** PRIMARY or REPLICA (multi-Region keys only). */
  multiRegionKeyType?: string;
  /** A multi-Region key's primary key ARN (for a replica: where its rotation is managed). */
  primaryKeyArn?: string;
  /** Set for keys in a custom key store (origin AWS_CLOUDHSM or EXTERNAL_KEY_STORE). */
  customKeyStoreId?: string;
  deletionDate?: string;
  description?: string;
}

/** GetAccountSummary's `AccountAccessKeysPresent` and `AccountMFAEnabled`, as booleans. */
export interface RootUserCredentials {
  accessKeysPresent: boolean;
  mfaEnabled: boolean;
}

/** GetAccountAuthorizationDetails, all pages, documents URL-decoded and parsed. */
export interface IamData {
  users: IamUser[];
  groups: IamGroup[];
  roles: IamRole[];
  policies: IamManagedPolicy[];
}

export interface IamTag {
  key: string;
  value: string;
}

export interface IamAttachedPolicy {
  arn: string;
  name: string;
}

export interface IamInlinePolicy {
  name: string;
  document: PolicyDocument;
}

export interface IamUser {
  arn: string;
  name: string;
  id: string;
  path: string;
  groups: string[];
  attachedPolicies: IamAttachedPolicy[];
  inlinePolicies: IamInlinePolicy[];
  permissionsBoundary?: string;
  tags: IamTag[];
}

export interface IamGroup {
  arn: string;
  name: string;
  id: string;
  path: string;
  attachedPolicies: IamAttachedPolicy[];
  inlinePolicies: IamInlinePolicy[];
}

export interface IamRole {
  arn: string;
  name: string;
  id: string;
  path: string;
  assumeRolePolicy: PolicyDocument;
  attachedPolicies: IamAttachedPolicy[];
  inlinePolicies: IamInlinePolicy[];
  permissionsBoundary?: string;
  tags: IamTag[];
}

export interface IamManagedPolicy {
  arn: string;
  name: string;
  id: string;
  path: string;
  /** The default version's document. */
  document: PolicyDocument;
  attachmentCount?: number;
  isAttachable?: boolean;
}
