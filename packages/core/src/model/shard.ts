import type { Key } from './snapshot.js';

/**
 * A sharded collection (`collect --shard K/N`, `merge`). On a part: which shard it is, the whole
 * selection it was cut from (so `merge` can prove no shard is missing), and what it read on behalf
 * of other shards. On a merged snapshot: the parts it was made of and which shard read what.
 */
export interface SnapshotShard {
  /** How many shards the selection was cut into. */
  count: number;
  /** A part: this shard, 1-based. Absent on a merged snapshot. */
  index?: number;
  /** How accounts are assigned: `sha256-mod` = the first 4 bytes of sha256(account id), big-endian, mod count, plus 1. */
  assignment: 'sha256-mod';
  /** Every account selected for the scan (all shards), sorted. A part only. */
  selection?: string[];
  /** sha256 of the selection's ids joined by commas: parts of one scan carry the same. */
  selectionDigest: string;
  /**
   * A part only: KMS keys owned by an account of another shard, read here (with the owner's role)
   * because one of this shard's trails uses them; `merge` moves each into its owner's record.
   */
  foreignKeys?: Record<string, Key>;
  /**
   * A part only: buckets of this shard's accounts that none of its trails uses, read because their
   * policy lets CloudTrail deliver (a trail of another shard may use them); `merge` drops the ones no
   * trail of any shard uses.
   */
  probedBuckets?: string[];
  /** A merged snapshot: the parts, by shard. */
  parts?: { index: number; collectedAt: string; accounts: number }[];
  /** A merged snapshot made with `--allow-partial`: the shards that were not there (their accounts are unread). */
  missing?: number[];
  /** A merged snapshot: the shard that read each account, bucket and key (a bucket: its owner's shard; a key: its owner's, or the shard of a trail using it). */
  readBy?: { accounts?: Record<string, number>; buckets?: Record<string, number>; keys?: Record<string, number> };
}
