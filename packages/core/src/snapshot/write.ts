import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** One account at a time: an iterable (or async iterable) of `[accountId, record]`. */
export type AccountEntries = Iterable<readonly [string, unknown]> | AsyncIterable<readonly [string, unknown]>;

/** Bytes buffered before a write: large enough to keep syscalls few, small next to one account. */
const CHUNK = 1 << 20;

/**
 * Write a snapshot to `path` without building it as one string: the top-level fields in their own
 * order, and `accounts` one record at a time (from `accounts`, or the snapshot's own). The bytes are
 * exactly `JSON.stringify(snapshot, null, 2) + '\n'`, so digests and diffs of existing snapshots do
 * not change; a 10,000-account snapshot is never a multi-hundred-megabyte string (V8 cannot make
 * strings past 512 MB at all). Atomic: written to a temporary file in the same folder, then renamed.
 */
export async function writeSnapshotFile(path: string, snapshot: Record<string, unknown>, accounts?: AccountEntries): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', 0o644);
  let buffer = '';
  const flush = async (force = false) => {
    if (buffer.length === 0 || (!force && buffer.length < CHUNK)) return;
    const out = buffer;
    buffer = '';
    await handle.write(out);
  };
  const put = async (text: string) => {
    buffer += text;
    await flush();
  };
  try {
    try {
      const keys = Object.keys(snapshot).filter((k) => snapshot[k] !== undefined || (k === 'accounts' && accounts));
      if (!keys.includes('accounts') && accounts) keys.push('accounts');
      await put('{');
      let first = true;
      for (const key of keys) {
        await put(`${first ? '' : ','}\n  ${JSON.stringify(key)}: `);
        first = false;
        if (key === 'accounts') await writeAccounts(put, accounts ?? Object.entries((snapshot.accounts ?? {}) as Record<string, unknown>));
        else await put(indent(JSON.stringify(snapshot[key], null, 2), '  '));
      }
      await put(keys.length ? '\n}\n' : '}\n');
      await flush(true);
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
}

async function writeAccounts(put: (text: string) => Promise<void>, entries: AccountEntries): Promise<void> {
  let count = 0;
  for await (const [id, record] of entries) {
    await put(`${count === 0 ? '{' : ','}\n    ${JSON.stringify(id)}: ${indent(JSON.stringify(record, null, 2), '    ')}`);
    count += 1;
  }
  await put(count === 0 ? '{}' : '\n  }');
}

function indent(json: string, pad: string): string {
  return json.includes('\n') ? json.replaceAll('\n', `\n${pad}`) : json;
}
