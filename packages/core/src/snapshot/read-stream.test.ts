import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSnapshotEntries, readSnapshotFileStreaming } from './read-stream.js';

const FIXTURE = join(import.meta.dirname, '../__fixtures__/org-snapshot.json');
const dir = mkdtempSync(join(tmpdir(), 'tw-read-stream-'));
let n = 0;
function file(text: string): string {
  const path = join(dir, `s${n++}.json`);
  writeFileSync(path, text);
  return path;
}
async function entries(path: string) {
  const out: unknown[] = [];
  for await (const e of readSnapshotEntries(path)) out.push(e);
  return out;
}
/** What the entries rebuild: must equal JSON.parse of the whole file. */
async function rebuilt(path: string): Promise<unknown> {
  const data: Record<string, unknown> = {};
  for await (const e of readSnapshotEntries(path)) {
    if (e.kind === 'field') data[e.key] = e.key === 'accounts' && e.value === undefined ? {} : e.value;
    else (data.accounts as Record<string, unknown>)[e.id] = e.value;
  }
  return data;
}

describe('readSnapshotEntries', () => {
  it('gives each top-level field and each account, exactly as JSON.parse of the whole file (pretty and compact)', async () => {
    const text = readFileSync(FIXTURE, 'utf8');
    const whole = JSON.parse(text);
    expect(await rebuilt(FIXTURE)).toEqual(whole);
    expect(await rebuilt(file(JSON.stringify(whole)))).toEqual(whole);
    const kinds = (await entries(FIXTURE)) as { kind: string; key?: string; id?: string }[];
    expect(kinds.filter((e) => e.kind === 'account').map((e) => e.id)).toEqual(Object.keys(whole.accounts));
    expect(kinds.filter((e) => e.kind === 'field').map((e) => e.key)).toEqual(Object.keys(whole));
    expect(await readSnapshotFileStreaming(FIXTURE)).toEqual(whole);
  });

  it('reads values that cross its 4 MB reads: strings with quotes, escapes, braces and multi-byte characters', async () => {
    const tricky = `${'é🙂"\\{}[],:'.repeat(300_000)}\\`;
    const data = {
      schemaVersion: '1.0',
      before: { s: tricky, list: [1, 2, { x: '}' }], n: -1.5e3, t: true, f: false, z: null },
      accounts: { '111111111111': { id: '111111111111', big: tricky }, '222222222222': { id: '222222222222', nested: [[[{}]]] } },
      after: 'done',
    };
    const path = file(JSON.stringify(data, null, 1));
    expect(readFileSync(path).length).toBeGreaterThan(8 << 20);
    expect(await rebuilt(path)).toEqual(data);
  });

  it('reads an empty accounts record and an empty object', async () => {
    expect(await rebuilt(file('{"accounts":{},"a":1}'))).toEqual({ accounts: {}, a: 1 });
    expect(await entries(file(' {} \n'))).toEqual([]);
  });

  it('refuses anything but one valid JSON object, naming the byte', async () => {
    const bad: [string, RegExp][] = [
      ['[1,2]', /a snapshot is a JSON object; expected \{ at byte 0/],
      ['{"a":1', /the file ends before the snapshot does/],
      ['{"accounts":{"1":{"x":1}', /the file ends before the snapshot does/],
      ['{"a":1} x', /unexpected data after the snapshot at byte 8/],
      ['{"a":tru}', /is not valid JSON: .* \(in the value of "a"\)/],
      ['{"a" 1}', /expected : at byte 5/],
      ['{a:1}', /expected a key at byte 1/],
      ['{"a":,}', /expected a value at byte 5/],
      ['{"accounts":{"1":{}} "b":2}', /expected , or \} at byte 21/],
      ['', /the file ends before the snapshot does/],
    ];
    for (const [text, message] of bad) await expect(entries(file(text)), text).rejects.toThrow(message);
    await expect(entries(join(dir, 'missing.json'))).rejects.toThrow(/cannot read the snapshot file \(ENOENT\)/);
  });
});
