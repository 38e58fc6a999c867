import { InputError, type Key, type KnownError, MAX_SHARDS, type SnapshotShard, selectionDigest, shardOf } from '@trailwarden/core';
import { compareStrings } from './arn.js';
import { forEachLimit } from './pool.js';

/** `collect --shard K/N`: this process reads shard `index` (1-based) of `count`. */
export interface ShardSpec {
  index: number;
  count: number;
}

/** What a sharded collection keeps beside the accounts it reads. */
export interface ShardState {
  spec: ShardSpec;
  /** Every account selected for the scan, in all shards. */
  selection: ReadonlySet<string>;
  foreignKeys: Record<string, Key>;
  probed: string[];
}

export function assertShardSpec(spec: ShardSpec): void {
  if (!Number.isInteger(spec.count) || spec.count < 1 || spec.count > MAX_SHARDS) throw new InputError(`shard count ${spec.count} must be a whole number from 1 to ${MAX_SHARDS}`, '--shard');
  if (!Number.isInteger(spec.index) || spec.index < 1 || spec.index > spec.count) throw new InputError(`shard ${spec.index} must be from 1 to ${spec.count}`, '--shard');
}

/** This shard's accounts of the selection (by a hash of the id: adding accounts never moves others). */
export function cutShard<T extends { id: string }>(selected: readonly T[], spec: ShardSpec): { targets: T[]; state: ShardState } {
  return {
    targets: selected.filter((t) => shardOf(t.id, spec.count) === spec.index),
    state: { spec, selection: new Set(selected.map((t) => t.id)), foreignKeys: {}, probed: [] },
  };
}

/** The part's `shard` record. */
export function shardRecord(state: ShardState): SnapshotShard {
  const selection = [...state.selection].sort(compareStrings);
  const record: SnapshotShard = { count: state.spec.count, index: state.spec.index, assignment: 'sha256-mod', selection, selectionDigest: selectionDigest(selection) };
  if (Object.keys(state.foreignKeys).length > 0) record.foreignKeys = Object.fromEntries(Object.entries(state.foreignKeys).sort((a, b) => compareStrings(a[0], b[0])));
  if (state.probed.length > 0) record.probedBuckets = [...state.probed].sort(compareStrings);
  return record;
}

/**
 * Buckets this shard's accounts own that none of its trails uses, but a trail of another shard may
 * (the log archive's shared bucket): each whose policy lets CloudTrail deliver is handed to `accept`,
 * to be read here, in its owner's shard. `merge` drops those no trail of any shard uses.
 */
export async function probeSharedBuckets(
  state: ShardState,
  input: {
    owners: ReadonlyMap<string, { accountId: string; region?: string }>;
    referenced: (name: string) => boolean;
    probe: (accountId: string, name: string, region: string | undefined) => Promise<boolean>;
    accept: (name: string, accountId: string) => void;
    concurrency: number;
  },
): Promise<void> {
  const candidates = [...input.owners].filter(([name]) => !input.referenced(name)).sort((a, b) => compareStrings(a[0], b[0]));
  await forEachLimit(candidates, input.concurrency, async ([name, owner]) => {
    // A bucket without its region in ListBuckets is read in full: the probe would need GetBucketLocation first anyway.
    const accepts = owner.region ? await input.probe(owner.accountId, name, owner.region).catch(() => true) : true;
    if (!accepts) return;
    state.probed.push(name);
    input.accept(name, owner.accountId);
  });
}

/**
 * Keys a trail of this shard uses, owned by an account of another shard: the owner is in the key's
 * ARN, so they are read here with the owner's role (the owner's shard cannot know a trail elsewhere
 * uses them without listing every key of every region). `merge` moves each to its owner's record.
 */
export async function readForeignKeys(
  state: ShardState,
  refs: { arn: string; ownerAccountId: string; region: string; keyId: string }[],
  input: {
    access: (accountId: string) => Promise<KnownError | undefined>;
    read: (ref: { arn: string; ownerAccountId: string; region: string; keyId: string }) => Promise<Key>;
    concurrency: number;
  },
): Promise<Record<string, KnownError>> {
  const unresolved: Record<string, KnownError> = {};
  await forEachLimit(refs, input.concurrency, async (ref) => {
    const denied = await input.access(ref.ownerAccountId);
    if (denied) {
      unresolved[ref.arn] = { ...denied, message: `the key's owner account could not be read: ${denied.message}` };
      return;
    }
    try {
      state.foreignKeys[ref.arn] = await input.read(ref);
    } catch (err) {
      unresolved[ref.arn] = { code: 'CollectorError', message: `the collector failed: ${(err as Error)?.message ?? String(err)}`, operation: 'collect', accountId: ref.ownerAccountId };
    }
  });
  return unresolved;
}
