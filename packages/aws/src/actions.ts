/**
 * The exact IAM actions the collector may call, by SDK operation. The shipped policy
 * (policy/trailwarden-collector-policy.json) grants exactly these; a test keeps the three in step
 * (this table, the policy file and the commands the source imports).
 */
export const OPERATION_ACTIONS: Readonly<Record<string, string>> = {
  // STS (identity of the caller; role assumption into member accounts)
  GetCallerIdentity: 'sts:GetCallerIdentity',
  AssumeRole: 'sts:AssumeRole',
  // Organizations (management account or delegated administrator)
  DescribeOrganization: 'organizations:DescribeOrganization',
  ListRoots: 'organizations:ListRoots',
  ListOrganizationalUnitsForParent: 'organizations:ListOrganizationalUnitsForParent',
  ListAccountsForParent: 'organizations:ListAccountsForParent',
  ListPolicies: 'organizations:ListPolicies',
  DescribePolicy: 'organizations:DescribePolicy',
  ListTargetsForPolicy: 'organizations:ListTargetsForPolicy',
  ListDelegatedAdministrators: 'organizations:ListDelegatedAdministrators',
  // EC2
  DescribeRegions: 'ec2:DescribeRegions',
  // CloudTrail
  DescribeTrails: 'cloudtrail:DescribeTrails',
  GetTrailStatus: 'cloudtrail:GetTrailStatus',
  GetEventSelectors: 'cloudtrail:GetEventSelectors',
  GetInsightSelectors: 'cloudtrail:GetInsightSelectors',
  LookupEvents: 'cloudtrail:LookupEvents',
  ListEventDataStores: 'cloudtrail:ListEventDataStores',
  GetEventDataStore: 'cloudtrail:GetEventDataStore',
  // S3
  ListBuckets: 's3:ListAllMyBuckets',
  GetBucketLocation: 's3:GetBucketLocation',
  GetBucketPolicy: 's3:GetBucketPolicy',
  GetBucketPolicyStatus: 's3:GetBucketPolicyStatus',
  GetBucketAcl: 's3:GetBucketAcl',
  GetPublicAccessBlock: 's3:GetBucketPublicAccessBlock',
  GetBucketOwnershipControls: 's3:GetBucketOwnershipControls',
  GetObjectLockConfiguration: 's3:GetBucketObjectLockConfiguration',
  GetBucketEncryption: 's3:GetEncryptionConfiguration',
  GetBucketLogging: 's3:GetBucketLogging',
  GetBucketVersioning: 's3:GetBucketVersioning',
  GetBucketLifecycleConfiguration: 's3:GetLifecycleConfiguration',
  // S3 Control (account-level Block Public Access; same operation name as the bucket-level one)
  'S3Control:GetPublicAccessBlock': 's3:GetAccountPublicAccessBlock',
  // S3 Control (the trail buckets' access points: their policy status, and for a public one its
  // Block Public Access settings and policy)
  'S3Control:ListAccessPoints': 's3:ListAccessPoints',
  'S3Control:GetAccessPointPolicyStatus': 's3:GetAccessPointPolicyStatus',
  'S3Control:GetAccessPoint': 's3:GetAccessPoint',
  'S3Control:GetAccessPointPolicy': 's3:GetAccessPointPolicy',
  // KMS
  DescribeKey: 'kms:DescribeKey',
  GetKeyPolicy: 'kms:GetKeyPolicy',
  GetKeyRotationStatus: 'kms:GetKeyRotationStatus',
  // IAM
  GetAccountAuthorizationDetails: 'iam:GetAccountAuthorizationDetails',
  GetAccountSummary: 'iam:GetAccountSummary',
  // Monitoring of the trails' events: CloudWatch Logs, CloudWatch, SNS, EventBridge
  DescribeMetricFilters: 'logs:DescribeMetricFilters',
  DescribeAlarms: 'cloudwatch:DescribeAlarms',
  ListSubscriptionsByTopic: 'sns:ListSubscriptionsByTopic',
  ListRules: 'events:ListRules',
  ListTargetsByRule: 'events:ListTargetsByRule',
};

/** Every IAM action the collector may call, sorted. */
export const COLLECTOR_ACTIONS: string[] = [...new Set(Object.values(OPERATION_ACTIONS))].sort();
