/**
 * The actions that tamper with CloudTrail logging (checks/least-privilege/README.md), as action
 * patterns; expand them with an ActionCatalog. Shared by the checks that judge who can perform them.
 */
export const TRAIL_TAMPER_ACTIONS = [
  'cloudtrail:StopLogging',
  'cloudtrail:DeleteTrail',
  'cloudtrail:UpdateTrail',
  'cloudtrail:PutEventSelectors',
  'cloudtrail:PutInsightSelectors',
] as const;

/**
 * The actions that tamper with a CloudTrail Lake event data store (the API reference's store
 * operations that stop, narrow, shorten or delete what it records, or open it to others):
 * UpdateEventDataStore changes its selectors, retention, organization scope and termination
 * protection; the resource policy can grant those to other accounts or drop a protecting Deny;
 * PutInsightSelectors also takes an event data store. Not included: PutEventSelectors (trails only:
 * a store's selectors change through UpdateEventDataStore), DisableFederation (removes Athena query
 * access, not recording), RestoreEventDataStore and the channel operations (events from outside AWS).
 */
export const EVENT_DATA_STORE_TAMPER_ACTIONS = [
  'cloudtrail:DeleteEventDataStore',
  'cloudtrail:StopEventDataStoreIngestion',
  'cloudtrail:UpdateEventDataStore',
  'cloudtrail:PutInsightSelectors',
  'cloudtrail:PutResourcePolicy',
  'cloudtrail:DeleteResourcePolicy',
] as const;

export const BUCKET_TAMPER_ACTIONS = [
  's3:DeleteObject*',
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
  's3:PutLifecycleConfiguration',
  's3:PutBucketVersioning',
  's3:PutBucketObjectLockConfiguration',
  's3:DeleteBucket',
] as const;

export const KEY_TAMPER_ACTIONS = ['kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:PutKeyPolicy'] as const;

/** Object deletions that a COMPLIANCE-mode Object Lock default retention makes impossible for everyone. */
export const LOCKED_OBJECT_DELETIONS = ['s3:DeleteObject', 's3:DeleteObjectVersion'] as const;

/** Services whose action catalogue the tamper lists need. */
export const TAMPER_SERVICES = ['cloudtrail', 's3', 'kms'] as const;
