/** GetBucketLogging as the snapshot holds it: `null` when server access logging is off. */
export type LoggingStatus = { targetBucket: string; targetPrefix?: string } | null;

export type AccessLoggingVerdict = 'enabled' | 'notEnabled' | 'logsToItself';

/**
 * Server access logging must be on and must deliver to another bucket: logging a bucket into itself
 * makes every delivery a new logged write (an endless loop of log objects, as AWS warns), and whoever
 * can tamper with the trail logs can then tamper with the record of that tampering too.
 */
export function assessAccessLogging(bucketName: string, logging: LoggingStatus): AccessLoggingVerdict {
  if (logging === null || !logging.targetBucket) return 'notEnabled';
  return logging.targetBucket === bucketName ? 'logsToItself' : 'enabled';
}
