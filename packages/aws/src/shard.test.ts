import { shardOf } from '@trailwarden/core';
import { describe, expect, it } from 'vitest';
import { grantsCloudTrail } from './read/trail-destinations.js';
import { assertShardSpec, cutShard } from './shard.js';

const ids = Array.from({ length: 400 }, (_, i) => String(100000000000 + i * 7919));

describe('cutShard', () => {
  it('splits the selection by a hash of the id: every account in exactly one shard, about 1/N each', () => {
    const n = 4;
    const cuts = Array.from({ length: n }, (_, i) => cutShard(ids.map((id) => ({ id })), { index: i + 1, count: n }).targets.map((t) => t.id));
    expect(cuts.flat().sort()).toEqual([...ids].sort());
    for (const cut of cuts) expect(cut.length).toBeGreaterThan(400 / n / 1.5);
  });

  it('is stable when accounts are added or closed: no other account changes shard', () => {
    const before = new Map(ids.map((id) => [id, shardOf(id, 8)]));
    const more = [...ids.slice(50), ...Array.from({ length: 100 }, (_, i) => String(900000000000 + i))];
    for (const id of more) if (before.has(id)) expect(shardOf(id, 8)).toBe(before.get(id));
    expect(cutShard([{ id: ids[0]! }], { index: 1, count: 1 }).state.selection.has(ids[0]!)).toBe(true);
  });

  it('refuses a shard that does not exist', () => {
    expect(() => assertShardSpec({ index: 0, count: 3 })).toThrow(/--shard: shard 0 must be from 1 to 3/);
    expect(() => assertShardSpec({ index: 1, count: 0 })).toThrow(/shard count 0 must be a whole number from 1 to 10000/);
  });
});

describe('grantsCloudTrail', () => {
  const allow = (principal: unknown) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: 's3:PutObject', Resource: 'arn:aws:s3:::b/*' }] });
  it('sees the CloudTrail service principal (string or list), or anyone', () => {
    expect(grantsCloudTrail(allow({ Service: 'cloudtrail.amazonaws.com' }))).toBe(true);
    expect(grantsCloudTrail(allow({ Service: ['config.amazonaws.com', 'cloudtrail.amazonaws.com'] }))).toBe(true);
    expect(grantsCloudTrail(allow('*'))).toBe(true);
    expect(grantsCloudTrail(allow({ AWS: '*' }))).toBe(true);
    expect(grantsCloudTrail({ Statement: { Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' } } })).toBe(true);
  });
  it('is false for other principals, a Deny, or no statement', () => {
    expect(grantsCloudTrail(allow({ Service: 'config.amazonaws.com' }))).toBe(false);
    expect(grantsCloudTrail(allow({ AWS: 'arn:aws:iam::111111111111:root' }))).toBe(false);
    expect(grantsCloudTrail({ Statement: [{ Effect: 'Deny', Principal: { Service: 'cloudtrail.amazonaws.com' } }] })).toBe(false);
    expect(grantsCloudTrail({})).toBe(false);
    expect(grantsCloudTrail(null)).toBe(false);
  });
});
