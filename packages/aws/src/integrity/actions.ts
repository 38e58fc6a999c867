/**
 * The IAM actions `verify-logs` (and `scan --verify-logs`) need on top of the collector's: they read
 * object contents, so they are granted only by policy/trailwarden-verify-logs-policy.json, never by
 * the collector policy. `kms:Decrypt` is no operation of ours: S3 calls it when GetObject reads an
 * SSE-KMS log file, with the caller's permissions on the trail's key.
 */
export const INTEGRITY_OPERATION_ACTIONS: Readonly<Record<string, string>> = {
  ListObjectsV2: 's3:ListBucket',
  GetObject: 's3:GetObject',
  ListPublicKeys: 'cloudtrail:ListPublicKeys',
};

export const INTEGRITY_ACTIONS: string[] = [...new Set([...Object.values(INTEGRITY_OPERATION_ACTIONS), 'kms:Decrypt'])].sort();
