import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSnapshotFile } from './write.js';

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '../__fixtures__/org-snapshot.json'), 'utf8'));

describe('writeSnapshotFile', () => {
  it('writes exactly the bytes of JSON.stringify(snapshot, null, 2) + newline, one account at a time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-write-'));
    await writeSnapshotFile(join(dir, 'a.json'), fixture);
    expect(readFileSync(join(dir, 'a.json'), 'utf8')).toBe(`${JSON.stringify(fixture, null, 2)}\n`);
    // Only the file itself: the temporary file was renamed.
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('takes the accounts from an async iterable, in the place `accounts` has among the fields', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-write-'));
    const big = 'x'.repeat(3 << 20); // past the write buffer: flushed in the middle of the accounts
    const accounts = { '111111111111': { id: '111111111111', note: big }, '222222222222': { id: '222222222222', list: [1, { a: null }] } };
    async function* entries() {
      for (const e of Object.entries(accounts)) yield e;
    }
    const header = { schemaVersion: '1.0', accounts: undefined, after: { nested: ['a'] }, skipped: undefined };
    await writeSnapshotFile(join(dir, 'b.json'), header, entries());
    expect(readFileSync(join(dir, 'b.json'), 'utf8')).toBe(`${JSON.stringify({ schemaVersion: '1.0', accounts, after: { nested: ['a'] } }, null, 2)}\n`);
  });

  it('writes an empty accounts record as {} and an empty snapshot as {}', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-write-'));
    await writeSnapshotFile(join(dir, 'c.json'), { schemaVersion: '1.0', accounts: {} });
    expect(readFileSync(join(dir, 'c.json'), 'utf8')).toBe(`${JSON.stringify({ schemaVersion: '1.0', accounts: {} }, null, 2)}\n`);
    await writeSnapshotFile(join(dir, 'd.json'), {});
    expect(readFileSync(join(dir, 'd.json'), 'utf8')).toBe('{}\n');
  });
});
