import { open } from 'node:fs/promises';
import { type AccountSnapshot, SNAPSHOT_SCHEMA_VERSION, type Snapshot } from '../model/snapshot.js';
import { InputError } from '../util/errors.js';
import { validateSnapshot } from './io.js';

/** One top-level field of a snapshot, or one account record, parsed. */
export type SnapshotEntry = { kind: 'field'; key: string; value: unknown } | { kind: 'account'; id: string; value: unknown };

const CHUNK = 4 << 20;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

type Expect = 'start' | 'key' | 'colon' | 'value' | 'inValue' | 'commaOrEnd' | 'done';

/**
 * Read a snapshot file as a stream of entries: each top-level field, and each account of `accounts`
 * on its own, without the file ever being one string (V8 cannot make strings past 512 MB, and a
 * 10,000-account snapshot comes near). A structural scan — strings, escapes and nesting depth, the
 * whole grammar a splitter needs — finds where each member starts and ends; `JSON.parse` parses each
 * slice, so the values are exactly what `JSON.parse` of the whole file gives. Any layout of valid JSON
 * is read (pretty or compact); anything else is an InputError naming the byte offset.
 */
export async function* readSnapshotEntries(path: string): AsyncGenerator<SnapshotEntry> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    throw new InputError(`cannot read the snapshot file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, path);
  }
  try {
    let buf = Buffer.alloc(0);
    let consumed = 0; // bytes of the file before buf[0]
    let i = 0;
    let depth = 0;
    let level = 1; // the depth whose members are emitted: 1 (top level) or 2 (inside `accounts`)
    let expect: Expect = 'start';
    let inString = false;
    let escaped = false;
    let keyStart = -1;
    let valueStart = -1;
    let key = '';
    const bad = (what: string): never => {
      throw new InputError(`is not valid JSON: ${what} at byte ${consumed + i}`, path);
    };
    const slice = (from: number, to: number): unknown => {
      try {
        return JSON.parse(buf.toString('utf8', from, to));
      } catch (e) {
        return bad(`${(e as Error).message} (in the value of "${key}")`);
      }
    };
    /** The `}` of the object whose members are emitted: back to the top level, or the end. */
    const closeLevel = (): Expect => {
      if (level === 2) {
        level = 1;
        depth = 1;
        return 'commaOrEnd';
      }
      depth = 0;
      return 'done';
    };
    const chunk = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, CHUNK, null);
      if (bytesRead === 0) break;
      buf = buf.length === 0 ? Buffer.from(chunk.subarray(0, bytesRead)) : Buffer.concat([buf, chunk.subarray(0, bytesRead)]);
      const out: SnapshotEntry[] = [];
      for (; i < buf.length; i++) {
        const c = buf[i]!;
        if (inString) {
          if (escaped) escaped = false;
          else if (c === BACKSLASH) escaped = true;
          else if (c === QUOTE) {
            inString = false;
            if (depth === level && expect === 'key') {
              key = slice(keyStart, i + 1) as string;
              expect = 'colon';
            }
          }
          continue;
        }
        if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
        if (expect === 'done') bad('unexpected data after the snapshot');
        if (expect === 'start') {
          if (c !== OPEN_OBJECT) bad('a snapshot is a JSON object; expected {');
          depth = 1;
          expect = 'key';
          continue;
        }
        if (depth > level) {
          if (c === QUOTE) inString = true;
          else if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
          else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) depth--;
          continue;
        }
        // Directly inside the object whose members are emitted.
        switch (expect) {
          case 'key':
            if (c === QUOTE) {
              keyStart = i;
              inString = true;
            } else if (c === CLOSE_OBJECT) expect = closeLevel();
            else bad('expected a key');
            break;
          case 'colon':
            if (c !== COLON) bad('expected :');
            expect = 'value';
            break;
          case 'value':
            valueStart = i;
            if (level === 1 && key === 'accounts' && c === OPEN_OBJECT) {
              out.push({ kind: 'field', key: 'accounts', value: undefined });
              depth = 2;
              level = 2;
              expect = 'key';
              break;
            }
            expect = 'inValue';
            if (c === QUOTE) inString = true;
            else if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
            else if (c === COMMA || c === CLOSE_OBJECT || c === COLON || c === CLOSE_ARRAY) bad('expected a value');
            break;
          case 'inValue':
            if (c === COMMA || c === CLOSE_OBJECT) {
              const value = slice(valueStart, i);
              out.push(level === 2 ? { kind: 'account', id: key, value } : { kind: 'field', key, value });
              if (c === COMMA) expect = 'key';
              else expect = closeLevel();
            } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
            else if (c === QUOTE) inString = true;
            else if (c === CLOSE_ARRAY) bad('unexpected ]');
            break;
          case 'commaOrEnd':
            if (c === COMMA) expect = 'key';
            else if (c === CLOSE_OBJECT) expect = closeLevel();
            else bad('expected , or }');
            break;
        }
      }
      for (const e of out) yield e;
      // Keep only the bytes of the member being read.
      const keep = expect === 'inValue' ? valueStart : inString && expect === 'key' ? keyStart : buf.length;
      buf = buf.subarray(keep);
      consumed += keep;
      i -= keep;
      valueStart -= keep;
      keyStart -= keep;
    }
    if (expect !== 'done') throw new InputError(`is not valid JSON: the file ends before the snapshot does (byte ${consumed + buf.length})`, path);

  } finally {
    await handle.close();
  }
}

/** A header that passes the schema, to validate one account record on its own. */
const ACCOUNT_ONLY = { schemaVersion: SNAPSHOT_SCHEMA_VERSION, collectedAt: '1970-01-01T00:00:00.000Z', partition: 'aws', sections: [], scope: { mode: 'fixture', accounts: [], regions: [] } };

/** Validate one account record read on its own (the snapshot schema's account rules). */
export function validateAccountRecord(id: string, value: unknown, where: string): AccountSnapshot {
  validateSnapshot({ ...ACCOUNT_ONLY, accounts: { [id]: value } }, where);
  return value as AccountSnapshot;
}

/**
 * A snapshot read through `readSnapshotEntries` and validated: the same result as parsing the whole
 * file, without the whole file as one string. `readSnapshotFile` uses it for large files.
 */
export async function readSnapshotFileStreaming(path: string): Promise<Snapshot> {
  const data: Record<string, unknown> = {};
  let accounts: Record<string, unknown> | undefined;
  for await (const e of readSnapshotEntries(path)) {
    if (e.kind === 'field') {
      if (e.key === 'accounts' && e.value === undefined) {
        accounts = {};
        data.accounts = accounts;
      } else data[e.key] = e.value;
    } else if (accounts) accounts[e.id] = e.value;
  }
  return validateSnapshot(data, path);
}
