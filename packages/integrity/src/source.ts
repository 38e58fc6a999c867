/** Where the verifier reads a trail's bucket and its region's public keys: S3 online, or a mirror. */
import type { PublicKeyRecord } from './keys.js';

export interface ListedObject {
  key: string;
}

export interface ListPage {
  objects: ListedObject[];
  /** With a delimiter: the common prefixes (e.g. one per account or region folder). */
  prefixes: string[];
  /** Pass back to get the next page; absent on the last page. */
  next?: string;
}

export type FetchResult =
  | { kind: 'ok'; body: Buffer; metadata: Record<string, string> | undefined }
  | { kind: 'notFound' }
  /** AccessDenied (bucket policy, kms:Decrypt), throttling past retries, ...: reported per file. */
  | { kind: 'error'; code: string; message: string };

export interface IntegritySource {
  /** One page of keys under a prefix, in S3 order, after `startAfter` (or from a `next` token). */
  list(bucket: string, prefix: string, options: { startAfter?: string; delimiter?: string; next?: string }): Promise<ListPage>;
  get(bucket: string, key: string, maxBytes: number): Promise<FetchResult>;
  /** The region's public keys valid in [from, to]. */
  publicKeys(region: string, from: Date, to: Date): Promise<PublicKeyRecord[]>;
  /** Human name of the source (`s3`, `mirror /path`). */
  readonly label: string;
}

/** Every key under a prefix, page by page (never the whole bucket at once). */
export async function* listAll(source: IntegritySource, bucket: string, prefix: string, startAfter?: string): AsyncGenerator<string> {
  let next: string | undefined;
  do {
    const page = await source.list(bucket, prefix, { ...(startAfter !== undefined ? { startAfter } : {}), ...(next ? { next } : {}) });
    for (const o of page.objects) yield o.key;
    next = page.next;
  } while (next);
}

/** The common prefixes one level below `prefix` (e.g. account or region folders). */
export async function listFolders(source: IntegritySource, bucket: string, prefix: string): Promise<string[]> {
  const out: string[] = [];
  let next: string | undefined;
  do {
    const page = await source.list(bucket, prefix, { delimiter: '/', ...(next ? { next } : {}) });
    out.push(...page.prefixes);
    next = page.next;
  } while (next);
  return out;
}
