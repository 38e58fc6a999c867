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
