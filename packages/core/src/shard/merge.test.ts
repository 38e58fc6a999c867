import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../model/snapshot.js';
import { selectionDigest, shardOf } from './assign.js';
import { mergeSnapshotParts } from './merge.js';

const fixture: Snapshot = JSON.parse(readFileSync(join(import.meta.dirname, '../__fixtures__/org-snapshot.json'), 'utf8'));
const ids = Object.keys(fixture.accounts).sort();

/** The fixture cut as `collect --shard k/n` would have written it. */
function parts(n: number, tweak: (part: Snapshot, k: number) => void = () => {}): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'tw-merge-'));
  return Array.from({ length: n }, (_, i) => {
    const k = i + 1;
    const mine = ids.filter((id) => shardOf(id, n) === k);
    const part: Snapshot = structuredClone({
      ...fixture,
      scope: { ...fixture.scope, accounts: mine },
      accounts: Object.fromEntries(mine.map((id) => [id, fixture.accounts[id]!])),
      shard: { count: n, index: k, assignment: 'sha256-mod', selection: ids, selectionDigest: selectionDigest(ids) },
    });
    tweak(part, k);
    const path = join(dir, `part-${k}.json`);
    writeFileSync(path, JSON.stringify(part, null, 2));
    return path;
  });
}

async function merged(paths: string[], allowPartial = false): Promise<Snapshot> {
  const out = join(mkdtempSync(join(tmpdir(), 'tw-merged-')), 'merged.json');
  await mergeSnapshotParts(paths, out, { allowPartial });
  return JSON.parse(readFileSync(out, 'utf8'));
}

describe('mergeSnapshotParts', () => {
  it('gives back every account record whole, whatever its fields, and the organization once', async () => {
    expect(new Set(ids.map((id) => shardOf(id, 3))).size).toBeGreaterThan(1);
    const m = await merged(parts(3));
    expect(m.accounts).toEqual(fixture.accounts);
    expect(m.organization).toEqual(fixture.organization);
    expect(m.scope).toEqual({ ...fixture.scope, accounts: ids });
    expect(m.shard).toMatchObject({ count: 3, parts: [{ index: 1 }, { index: 2 }, { index: 3 }] });
    expect(m.shard?.index).toBeUndefined();
    expect(m.shard?.selection).toBeUndefined();
  });

  it('unions organization-level records across shards, and takes a Known value before an error', async () => {
    const m = await merged(
      parts(2, (p, k) => {
        p.extensions = { acme: { [`only-${k}`]: { value: k }, shared: k === 1 ? { error: { code: 'AccessDenied', message: 'no', operation: 'X' } } : { value: 'read' } } };
        if (k === 1) p.organization = { error: { code: 'AccessDenied', message: 'denied', operation: 'DescribeOrganization' } };
        p.scope.notes = [`note ${k}`];
      }),
    );
    expect(m.extensions).toEqual({ acme: { 'only-1': { value: 1 }, 'only-2': { value: 2 }, shared: { value: 'read' } } });
    expect(m.organization).toEqual(fixture.organization);
    expect(m.scope.notes).toEqual(['note 1', 'note 2']);
  });

  it('drops unresolved entries another shard resolved, and moves a key read for another shard to its owner', async () => {
    const owner = ids[0]!;
    const other = ids.find((id) => shardOf(id, 2) !== shardOf(owner, 2))!;
    const arn = `arn:aws:kms:us-east-1:${owner}:key/abc`;
    const key = { arn, keyId: 'abc', ownerAccountId: owner, region: 'us-east-1', rotation: { value: { enabled: true } } };
    const m = await merged(
      parts(2, (p, k) => {
        if (k === shardOf(other, 2)) p.shard!.foreignKeys = { [arn]: key };
        p.unresolved = { keys: { [arn]: { code: 'KeyOutOfScope', message: 'elsewhere', operation: 'DescribeKey' } } };
      }),
    );
    expect(m.accounts[owner]!.keys?.[arn]).toEqual(key);
    expect(m.unresolved).toBeUndefined();
    expect(m.shard?.readBy?.keys?.[arn]).toBe(shardOf(other, 2));
  });

  it('names a missing shard, and with allowPartial records its accounts as not read', async () => {
    const [first, , third] = parts(3);
    const missing = ids.filter((id) => shardOf(id, 3) === 2);
    expect(missing.length).toBeGreaterThan(0);
    await expect(merged([first!, third!])).rejects.toThrow(new RegExp(`^shard 2/3 \\(${missing.length} account\\(s\\): ${missing[0]}`));
    const m = await merged([first!, third!], true);
    expect(m.shard?.missing).toEqual([2]);
    for (const id of missing) expect(m.accounts[id]).toEqual({ id, name: expect.any(String), access: { error: expect.objectContaining({ code: 'ShardNotMerged', accountId: id }) } });
  });

  it('refuses parts of different scans, and a part whose account is not of its shard', async () => {
    const other = parts(2, (p, k) => {
      if (k === 2) p.sections = ['regions'];
    });
    await expect(merged(other)).rejects.toThrow(/part-2\.json: sections is \["regions"\], but .* in .*part-1\.json; parts of one scan share it/);
    const wrong = parts(2, (p, k) => {
      if (k === 1) {
        const stray = ids.find((id) => shardOf(id, 2) === 2)!;
        p.accounts[stray] = fixture.accounts[stray]!;
      }
    });
    await expect(merged(wrong)).rejects.toThrow(/part-1\.json: account \d{12} belongs to shard 2\/2, not to this part's shard 1/);
  });
});
