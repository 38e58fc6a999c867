import { createHash } from 'node:crypto';

/**
 * The shard (1-based) an account belongs to among `count`: a hash of its id, not its position in a
 * list, so adding or closing accounts never moves the others.
 */
export function shardOf(accountId: string, count: number): number {
  const digest = createHash('sha256').update(accountId).digest();
  return (digest.readUInt32BE(0) % count) + 1;
}

/** Digest of a selection of account ids (order-insensitive): parts of one scan carry the same. */
export function selectionDigest(accountIds: readonly string[]): string {
  return createHash('sha256')
    .update([...accountIds].sort().join(','))
    .digest('hex');
}

/** The most shards a scan may be cut into (AWS Batch array jobs go to 10,000 children). */
export const MAX_SHARDS = 10_000;
