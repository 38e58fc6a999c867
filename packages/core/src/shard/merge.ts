import type { KnownError } from '../model/known.js';
import type { SnapshotShard } from '../model/shard.js';
import type { AccountSnapshot, Key, Snapshot } from '../model/snapshot.js';
import { validateSnapshot } from '../snapshot/io.js';
import { readSnapshotEntries, validateAccountRecord } from '../snapshot/read-stream.js';
import { writeSnapshotFile } from '../snapshot/write.js';
import { InputError } from '../util/errors.js';
import { compareStrings } from '../util/stable.js';
import { shardOf } from './assign.js';

export interface MergeOptions {
  /** Merge even when shards are missing: their accounts are recorded as not read (ERROR in every check). */
  allowPartial?: boolean;
}

export interface MergeOutcome {
  shards: number;
  accounts: number;
  missing: { index: number; accounts: string[] }[];
}

/** What one part says about itself, kept after its accounts are dropped (pass 1). */
interface PartHeader {
  path: string;
  index: number;
  header: Omit<Snapshot, 'accounts'>;
  shard: SnapshotShard;
  accounts: string[];
  /** Buckets held in this part's account records (name → owner), and keys (ARN). */
  buckets: Map<string, string>;
  keys: Set<string>;
}

/** Fields a part must share with every other part of the same scan (what was asked, of whom). */
const SAME_SCAN: [string, (s: Omit<Snapshot, 'accounts'>) => unknown][] = [
  ['partition', (s) => s.partition],
  ['sections', (s) => s.sections],
  ['scope.mode', (s) => s.scope.mode],
  ['scope.regions', (s) => s.scope.regions],
  ['scope.filters', (s) => s.scope.filters ?? null],
  ['organization id', (s) => s.organization?.value?.id ?? null],
  ['extensionsRequested', (s) => s.extensionsRequested ?? null],
];

/**
 * Merge the parts of one sharded scan (`collect --shard K/N`) into one snapshot whose evaluation
 * equals a single-process scan's. Parts are read one at a time, twice (first what they hold, then
 * their accounts, written straight out), so at most one part's accounts are in memory.
 *
 * Generic over snapshot fields: an account record is taken whole from the part that read it (parts
 * hold disjoint accounts), so new per-account fields need no change here; organization-level fields
 * are unioned (records by key, recursively), a `Known` value taken from the lowest shard that read
 * it (a `value` wins over an `error`). Only the cross-shard resources have their own rules: keys
 * read for another shard go to their owner's record, probed buckets no trail uses are dropped, and
 * `unresolved` entries another shard resolved are dropped.
 */
export async function mergeSnapshotParts(paths: readonly string[], out: string, options: MergeOptions = {}): Promise<MergeOutcome> {
  if (paths.length === 0) throw new InputError('merge needs the part files of one sharded scan (collect --shard K/N)');
  const parts: PartHeader[] = [];
  const referencedBuckets = new Set<string>();
  const foreignKeys = new Map<string, { key: Key; shard: number }>();
  for (const path of paths) {
    const part = await scanPart(path, (account) => {
      for (const t of account.trails?.value ?? []) if (t.s3BucketName) referencedBuckets.add(t.s3BucketName);
    });
    for (const [arn, key] of Object.entries(part.shard.foreignKeys ?? {})) if (!foreignKeys.has(arn)) foreignKeys.set(arn, { key, shard: part.index });
    parts.push(part);
  }
  parts.sort((a, b) => a.index - b.index);
  const first = parts[0]!;
  checkOneScan(parts);
  const count = first.shard.count;
  const selection = first.shard.selection ?? [];
  const present = new Set(parts.map((p) => p.index));
  const missing: MergeOutcome['missing'] = [];
  for (let i = 1; i <= count; i++) if (!present.has(i)) missing.push({ index: i, accounts: selection.filter((id) => shardOf(id, count) === i) });
  if (missing.length > 0 && !options.allowPartial) {
    const named = missing.map((m) => `shard ${m.index}/${count} (${m.accounts.length} account(s)${m.accounts.length ? `: ${m.accounts.slice(0, 5).join(', ')}${m.accounts.length > 5 ? ', …' : ''}` : ''})`);
    throw new InputError(`${named.join('; ')} ${missing.length === 1 ? 'is' : 'are'} missing; merge every part, or pass --allow-partial to mark their accounts as not read`);
  }
  const unreadAccounts = new Set(missing.flatMap((m) => m.accounts));

  // Who holds what: each bucket and key once, in its owner's record.
  const bucketHolder = new Map<string, number>();
  const keyHolder = new Map<string, number>();
  const accountShard = new Map<string, number>();
  for (const p of parts) {
    for (const id of p.accounts) accountShard.set(id, p.index);
    for (const [name] of p.buckets) if (referencedBuckets.has(name) && !bucketHolder.has(name)) bucketHolder.set(name, p.index);
    for (const arn of p.keys) if (!keyHolder.has(arn)) keyHolder.set(arn, p.index);
  }
  // Keys read for another shard: into the owner's record, unless the owner's shard read it itself.
  const keysFor = new Map<string, Record<string, Key>>();
  const unresolvedKeys: Record<string, KnownError> = {};
  for (const [arn, { key, shard }] of [...foreignKeys].sort((a, b) => compareStrings(a[0], b[0]))) {
    if (keyHolder.has(arn)) continue;
    if (unreadAccounts.has(key.ownerAccountId) || !accountShard.has(key.ownerAccountId)) {
      unresolvedKeys[arn] = notMerged(key.ownerAccountId, count);
      continue;
    }
    keyHolder.set(arn, shard);
    const list = keysFor.get(key.ownerAccountId) ?? {};
    list[arn] = key;
    keysFor.set(key.ownerAccountId, list);
  }
  const unresolvedBuckets: Record<string, KnownError> = {};
  for (const p of parts) {
    for (const [name, e] of Object.entries(p.header.unresolved?.buckets ?? {})) if (!bucketHolder.has(name) && !(name in unresolvedBuckets)) unresolvedBuckets[name] = e;
    for (const [arn, e] of Object.entries(p.header.unresolved?.keys ?? {})) if (!keyHolder.has(arn) && !(arn in unresolvedKeys)) unresolvedKeys[arn] = e;
  }

  const header = mergeHeaders(parts, selection);
  const unresolved: NonNullable<Snapshot['unresolved']> = {};
  if (Object.keys(unresolvedBuckets).length) unresolved.buckets = sortRecord(unresolvedBuckets);
  if (Object.keys(unresolvedKeys).length) unresolved.keys = sortRecord(unresolvedKeys);
  if (unresolved.buckets || unresolved.keys) header.unresolved = unresolved;
  else delete header.unresolved;
  const shard: SnapshotShard = {
    count,
    assignment: 'sha256-mod',
    selectionDigest: first.shard.selectionDigest,
    parts: parts.map((p) => ({ index: p.index, collectedAt: p.header.collectedAt, accounts: p.accounts.length })),
    ...(missing.length ? { missing: missing.map((m) => m.index) } : {}),
    readBy: { accounts: sortRecord(Object.fromEntries(accountShard)), buckets: sortRecord(Object.fromEntries(bucketHolder)), keys: sortRecord(Object.fromEntries(keyHolder)) },
  };
  header.shard = shard;

  const names = new Map<string, string>();
  const org = header.organization?.value;
  for (const a of org?.accounts ?? []) names.set(a.id, a.name);
  const probed = new Map(parts.map((p) => [p.index, new Set(p.shard.probedBuckets ?? [])]));
  let written = 0;
  async function* accounts(): AsyncGenerator<readonly [string, AccountSnapshot]> {
    for (const p of parts) {
      // Read again, one account at a time, each written out before the next is read.
      const dropped = probed.get(p.index)!;
      for await (const e of readSnapshotEntries(p.path)) {
        if (e.kind !== 'account') continue;
        const id = e.id;
        // Validated again: the file is read twice, and must be the same part both times.
        const record = validateAccountRecord(id, e.value, p.path);
        if (accountShard.get(id) !== p.index) throw new InputError(`changed while it was being merged (account ${id})`, p.path);
        const unused = Object.keys(record.buckets ?? {}).filter((name) => dropped.has(name) && !referencedBuckets.has(name));
        if (record.buckets && unused.length > 0) {
          for (const name of unused) delete record.buckets[name];
          // The collector writes `buckets` only once it has read one: none left, none written.
          if (Object.keys(record.buckets).length === 0) delete record.buckets;
        }
        const extra = keysFor.get(id);
        if (extra) record.keys = sortRecord({ ...(record.keys ?? {}), ...extra });
        written += 1;
        yield [id, record];
      }
    }
    for (const id of [...unreadAccounts].sort(compareStrings)) {
      const record: AccountSnapshot = { id, ...(names.get(id) ? { name: names.get(id)! } : {}), access: { error: notMerged(id, count) } };
      written += 1;
      yield [id, record];
    }
  }
  await writeSnapshotFile(out, header as unknown as Record<string, unknown>, accounts());
  return { shards: parts.length, accounts: written, missing };
}

/**
 * Pass 1 over a part, one account at a time: its header (validated as a snapshot with no accounts),
 * each account validated on its own and handed to `each`, and what the part holds.
 */
async function scanPart(path: string, each: (account: AccountSnapshot) => void): Promise<PartHeader> {
  const header: Record<string, unknown> = {};
  const accounts: string[] = [];
  const buckets = new Map<string, string>();
  const keys = new Set<string>();
  for await (const e of readSnapshotEntries(path)) {
    if (e.kind === 'field') {
      header[e.key] = e.key === 'accounts' ? undefined : e.value; // `accounts` keeps its place in the field order
      continue;
    }
    const account = validateAccountRecord(e.id, e.value, path);
    accounts.push(e.id);
    for (const name of Object.keys(account.buckets ?? {})) buckets.set(name, e.id);
    for (const arn of Object.keys(account.keys ?? {})) keys.add(arn);
    each(account);
  }
  if (!('accounts' in header)) throw new InputError('is not a snapshot: it has no accounts', path);
  const snapshot = validateSnapshot({ ...header, accounts: {} }, path);
  const shard = snapshot.shard;
  if (!shard || shard.index === undefined || !shard.selection) {
    throw new InputError(shard ? 'is a merged snapshot, not a part; merge the parts themselves' : 'is not a shard of a scan (collect it with --shard K/N)', path);
  }
  for (const id of accounts) {
    if (shardOf(id, shard.count) !== shard.index) throw new InputError(`account ${id} belongs to shard ${shardOf(id, shard.count)}/${shard.count}, not to this part's shard ${shard.index}`, path);
  }
  return { path, index: shard.index, header: header as unknown as Omit<Snapshot, 'accounts'>, shard, accounts, buckets, keys };
}

function checkOneScan(parts: PartHeader[]): void {
  const first = parts[0]!;
  const seen = new Map<number, string>();
  for (const p of parts) {
    const other = seen.get(p.index);
    if (other) throw new InputError(`is shard ${p.index}/${p.shard.count} again (also ${other}); each shard once`, p.path);
    seen.set(p.index, p.path);
    if (p.shard.count !== first.shard.count) throw new InputError(`is shard ${p.index}/${p.shard.count}, but ${first.path} is one of ${first.shard.count}; parts of one scan share N`, p.path);
    if (p.shard.selectionDigest !== first.shard.selectionDigest) {
      throw new InputError(`selected other accounts than ${first.path} (${p.shard.selection?.length} vs ${first.shard.selection?.length}); its parts are from another scan or another scope`, p.path);
    }
    for (const [name, get] of SAME_SCAN) {
      // An organization one shard could not read (an error) has no id to compare.
      if (name === 'organization id' && (get(p.header) === null || get(first.header) === null)) continue;
      if (JSON.stringify(get(p.header)) !== JSON.stringify(get(first.header))) {
        throw new InputError(`${name} is ${JSON.stringify(get(p.header))}, but ${JSON.stringify(get(first.header))} in ${first.path}; parts of one scan share it`, p.path);
      }
    }
  }
}

/** Organization-level fields: generic union in shard order; the scope is the whole selection's. */
function mergeHeaders(parts: PartHeader[], selection: string[]): Omit<Snapshot, 'accounts'> {
  const skip = new Set(['accounts', 'shard', 'unresolved', 'collectedAt', 'scope']);
  const out: Record<string, unknown> = {};
  for (const p of parts) {
    for (const [k, v] of Object.entries(p.header)) {
      if (skip.has(k)) {
        if (!(k in out)) out[k] = undefined; // keep part 1's key order
        continue;
      }
      out[k] = k in out && out[k] !== undefined ? union(out[k], v) : v;
    }
  }
  const first = parts[0]!.header;
  out.collectedAt = parts.map((p) => p.header.collectedAt).sort(compareStrings).at(-1);
  const notes = [...new Set(parts.flatMap((p) => p.header.scope.notes ?? []))];
  out.scope = { ...first.scope, accounts: [...selection].sort(compareStrings), ...(notes.length ? { notes } : {}) };
  return out as unknown as Omit<Snapshot, 'accounts'>;
}

/**
 * Two shards' copies of one organization-level value: records unioned key by key (recursively); a
 * `Known` is atomic (the first `value`, else the first `error`); anything else: the lower shard's.
 */
function union(a: unknown, b: unknown): unknown {
  if (isKnown(a) || isKnown(b)) return isKnown(a) && 'value' in a ? a : isKnown(b) && 'value' in b ? b : a;
  if (!isRecord(a) || !isRecord(b)) return a;
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = k in out ? union(out[k], v) : v;
  return out;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return !!x && typeof x === 'object' && !Array.isArray(x);
}

function isKnown(x: unknown): x is { value?: unknown; error?: unknown } {
  if (!isRecord(x)) return false;
  const keys = Object.keys(x);
  return keys.length === 1 && (keys[0] === 'value' || keys[0] === 'error');
}

function notMerged(accountId: string, count: number): KnownError {
  return {
    code: 'ShardNotMerged',
    message: `shard ${shardOf(accountId, count)}/${count}, which holds this account, was not merged (--allow-partial): nothing of it was read`,
    operation: 'merge',
    accountId,
  };
}

function sortRecord<V>(record: Record<string, V>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const k of Object.keys(record).sort(compareStrings)) out[k] = record[k]!;
  return out;
}
