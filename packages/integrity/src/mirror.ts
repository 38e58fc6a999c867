/**
 * Offline source: a local copy of the bucket (`<root>/<bucket>/<key>`), the public keys as `aws
 * cloudtrail list-public-keys` prints them, and optionally the digests' metadata captured at copy
 * time. Keys come from digests, which may be hostile: a key that would leave the mirror (`..`,
 * absolute, backslashes, NUL, a symlink out) is refused, never read.
 */
import { lstat, readdir, readFile, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { type PublicKeyRecord, parsePublicKeysJson } from './keys.js';
import type { FetchResult, IntegritySource, ListPage } from './source.js';

export interface MirrorOptions {
  root: string;
  /** Key files: `{ region: [records] }`; records under `*` apply to every region. */
  publicKeys: Record<string, PublicKeyRecord[]>;
  /** `bucket/key` (or `key`) → user metadata (`signature`, `signature-algorithm`, ...). */
  metadata?: Record<string, Record<string, string>>;
}

export class UnsafePathError extends Error {}

/** `bucket/key` as a path under root, or an UnsafePathError. */
export function safeJoin(root: string, bucket: string, key: string): string {
  for (const [what, v] of [
    ['bucket', bucket],
    ['key', key],
  ] as const) {
    if (v.includes('\0') || v.includes('\\')) throw new UnsafePathError(`${what} ${JSON.stringify(v)} contains a NUL or backslash`);
    if (v.startsWith('/') || isAbsolute(v) || /^[A-Za-z]:/.test(v)) throw new UnsafePathError(`${what} ${JSON.stringify(v)} is an absolute path`);
    if (v.split('/').some((s) => s === '..' || s === '.')) throw new UnsafePathError(`${what} ${JSON.stringify(v)} has a "." or ".." segment`);
  }
  if (bucket === '' || bucket.includes('/')) throw new UnsafePathError(`bucket ${JSON.stringify(bucket)} is not a bucket name`);
  const path = resolve(root, bucket, ...key.split('/'));
  const rel = relative(resolve(root), path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw new UnsafePathError(`${bucket}/${key} resolves outside the mirror`);
  return path;
}

async function walk(dir: string, base: string, out: string[]): Promise<void> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, base, out);
    else if (e.isFile()) out.push(relative(base, p).split(sep).join('/'));
  }
}

export class MirrorSource implements IntegritySource {
  readonly label: string;
  private readonly root: string;
  private readonly listings = new Map<string, string[]>();

  constructor(private readonly options: MirrorOptions) {
    this.root = resolve(options.root);
    this.label = `mirror ${this.root}`;
  }

  /** Sorted keys of a bucket's subtree (read once per top folder; a mirror is local). */
  private async keysUnder(bucket: string, prefix: string): Promise<string[]> {
    const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/') + 1) : '';
    const id = `${bucket}\n${folder}`;
    let keys = this.listings.get(id);
    if (!keys) {
      keys = [];
      const bucketRoot = safeJoin(this.root, bucket, 'x').slice(0, -2);
      const dir = folder ? safeJoin(this.root, bucket, folder.slice(0, -1)) : bucketRoot;
      await walk(dir, bucketRoot, keys);
      keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      this.listings.set(id, keys);
    }
    return keys;
  }

  async list(bucket: string, prefix: string, options: { startAfter?: string; delimiter?: string; next?: string }): Promise<ListPage> {
    const keys = (await this.keysUnder(bucket, prefix)).filter((k) => k.startsWith(prefix));
    const after = options.next ?? options.startAfter;
    const from = after === undefined ? keys : keys.filter((k) => k > after);
    if (!options.delimiter) return { objects: from.map((key) => ({ key })), prefixes: [] };
    const prefixes = new Set<string>();
    const objects: { key: string }[] = [];
    for (const k of from) {
      const cut = k.indexOf(options.delimiter, prefix.length);
      if (cut >= 0) prefixes.add(k.slice(0, cut + options.delimiter.length));
      else objects.push({ key: k });
    }
    return { objects, prefixes: [...prefixes] };
  }

  async get(bucket: string, key: string, maxBytes: number): Promise<FetchResult> {
    let path: string;
    try {
      path = safeJoin(this.root, bucket, key);
    } catch (err) {
      return { kind: 'error', code: 'UnsafePath', message: (err as Error).message };
    }
    try {
      const real = await realpath(path);
      const rel = relative(await realpath(this.root), real);
      if (rel.startsWith('..') || isAbsolute(rel)) return { kind: 'error', code: 'UnsafePath', message: `${bucket}/${key} is a link out of the mirror` };
      const st = await lstat(real);
      if (!st.isFile()) return { kind: 'notFound' };
      if (st.size > maxBytes) return { kind: 'error', code: 'TooLarge', message: `${st.size} bytes, over the ${maxBytes}-byte limit` };
      const body = await readFile(real);
      const metadata = this.options.metadata?.[`${bucket}/${key}`] ?? this.options.metadata?.[key];
      return { kind: 'ok', body, metadata };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'notFound' };
      return { kind: 'error', code: code ?? 'ReadError', message: (err as Error).message };
    }
  }

  async publicKeys(region: string): Promise<PublicKeyRecord[]> {
    return [...(this.options.publicKeys[region] ?? []), ...(this.options.publicKeys['*'] ?? [])];
  }
}

/** Load `--public-keys` arguments: `FILE` (any region) or `REGION=FILE`. */
export async function loadPublicKeyFiles(specs: string[]): Promise<Record<string, PublicKeyRecord[]>> {
  const out: Record<string, PublicKeyRecord[]> = {};
  for (const spec of specs) {
    const m = /^([a-z]{2}(?:-[a-z]+)+-\d+)=(.+)$/.exec(spec);
    const region = m ? m[1]! : '*';
    const file = m ? m[2]! : spec;
    const text = await readFile(file, 'utf8').catch((err: Error) => {
      throw new Error(`--public-keys ${file}: ${err.message}`);
    });
    const list = out[region] ?? [];
    list.push(...parsePublicKeysJson(text, `--public-keys ${file}`));
    out[region] = list;
  }
  return out;
}

/** Load `--metadata FILE`: `{ "bucket/key" | "key": { signature, "signature-algorithm", ... } }`. */
export async function loadMetadataFile(file: string): Promise<Record<string, Record<string, string>>> {
  const text = await readFile(file, 'utf8').catch((err: Error) => {
    throw new Error(`--metadata ${file}: ${err.message}`);
  });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`--metadata ${file}: not JSON (${(err as Error).message})`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`--metadata ${file}: expected an object keyed by S3 key`);
  const out: Record<string, Record<string, string>> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error(`--metadata ${file}: "${k}" is not an object of metadata strings`);
    const entry: Record<string, string> = {};
    for (const [mk, mv] of Object.entries(v as Record<string, unknown>)) if (typeof mv === 'string') entry[mk.replace(/^x-amz-meta-/, '')] = mv;
    out[k] = entry;
  }
  return out;
}
