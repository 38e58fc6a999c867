import { MAX_SHARDS } from '../shard/assign.js';

type S = Record<string, unknown>;
const shardNumber: S = { type: 'integer', minimum: 1, maximum: MAX_SHARDS };
const byName: S = { type: 'object', additionalProperties: shardNumber };

/** The snapshot's `shard` field (SnapshotShard); `key` is the snapshot schema's KMS key record. */
export function shardSchema(key: S): S {
  return {
    type: 'object',
    required: ['count', 'assignment', 'selectionDigest'],
    properties: {
      count: shardNumber,
      index: shardNumber,
      assignment: { const: 'sha256-mod' },
      selection: { type: 'array', items: { type: 'string', pattern: '^\\d{12}$' } },
      selectionDigest: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      foreignKeys: { type: 'object', additionalProperties: key },
      probedBuckets: { type: 'array', items: { type: 'string' } },
      parts: {
        type: 'array',
        items: {
          type: 'object',
          required: ['index', 'collectedAt', 'accounts'],
          properties: { index: shardNumber, collectedAt: { type: 'string' }, accounts: { type: 'integer', minimum: 0 } },
          additionalProperties: false,
        },
      },
      missing: { type: 'array', items: shardNumber },
      readBy: { type: 'object', properties: { accounts: byName, buckets: byName, keys: byName }, additionalProperties: false },
    },
    additionalProperties: false,
  };
}
