/**
 * S3 object reads of the trails' delivered files: ListObjectsV2, GetObject, HeadObject (S3 API
 * reference). Objects exist only where the world asks CloudTrail to have written them
 * (`trails[].integrity`); reads are allowed from the bucket owner's account.
 */
import { createHash } from 'node:crypto';
import { integrityWorld } from '../integrity/chains.js';
import type { BucketObjects, StoredObject } from '../integrity/store.js';
import { type Reply, S3_NS, xmlReply } from '../protocol/reply.js';
import { SimError } from '../protocol/services.js';
import { el, wrap } from '../protocol/xml.js';
import type { CallContext, Handler } from './context.js';

const NS = `xmlns="${S3_NS}"`;
const MAX_KEYS = 1000;
const EMPTY = new Map<string, never>();

function target(ctx: CallContext): { name: string; key: string; objects: BucketObjects | undefined } {
  const [first, ...rest] = ctx.req.path.split('/').filter(Boolean);
  const name = decodeURIComponent(first ?? '');
  const bucket = ctx.model.buckets.get(name);
  if (!bucket) throw new SimError('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: name });
  if (bucket.ownerId !== ctx.account.id) throw new SimError('AccessDenied', 'Access Denied', 403);
  const key = rest.map((s) => decodeURIComponent(s)).join('/');
  return { name, key, objects: integrityWorld(ctx.model).buckets.get(name) };
}

const etag = (o: StoredObject) => `"${createHash('md5').update(o.body).digest('hex')}"`;
const httpDate = (iso: string) => new Date(iso).toUTCString();

/** Continuation tokens are opaque to clients: the last key returned, base64. */
const encodeToken = (key: string) => Buffer.from(`v2:${key}`).toString('base64');
function decodeToken(token: string): string {
  const text = Buffer.from(token, 'base64').toString();
  if (!text.startsWith('v2:')) throw new SimError('InvalidArgument', 'The continuation token provided is incorrect', 400, { ArgumentName: 'continuation-token' });
  return text.slice(3);
}

const listObjectsV2: Handler = (ctx) => {
  const { name, objects } = target(ctx);
  const q = ctx.req.query;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') || undefined;
  const token = q.get('continuation-token');
  const startAfter = q.get('start-after') ?? undefined;
  const maxRaw = Number(q.get('max-keys') ?? MAX_KEYS);
  const max = Number.isInteger(maxRaw) && maxRaw >= 0 ? Math.min(maxRaw, MAX_KEYS) : MAX_KEYS;
  const after = token ? decodeToken(token) : startAfter;
  const { contents, prefixes, last, count, truncated } = listPage(objects, prefix, delimiter, after, max);
  const xml = wrap(
    'ListBucketResult',
    el('Name', name) +
      el('Prefix', prefix) +
      el('KeyCount', count) +
      el('MaxKeys', max) +
      el('Delimiter', delimiter) +
      el('IsTruncated', truncated) +
      contents.join('') +
      prefixes.join('') +
      el('ContinuationToken', token ?? undefined) +
      el('NextContinuationToken', truncated && last ? encodeToken(last) : undefined) +
      el('StartAfter', startAfter),
    NS,
  );
  return xmlReply(xml, ctx.requestId);
};

/** ListObjects (v1): Marker paging, as aws-cli's validate-logs lists digests. NextMarker only with a delimiter. */
const listObjects: Handler = (ctx) => {
  const { name, objects } = target(ctx);
  const q = ctx.req.query;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') || undefined;
  const marker = q.get('marker') || undefined;
  const maxRaw = Number(q.get('max-keys') ?? MAX_KEYS);
  const max = Number.isInteger(maxRaw) && maxRaw >= 0 ? Math.min(maxRaw, MAX_KEYS) : MAX_KEYS;
  const page = listPage(objects, prefix, delimiter, marker, max);
  const xml = wrap(
    'ListBucketResult',
    el('Name', name) +
      el('Prefix', prefix) +
      el('Marker', marker ?? '') +
      el('MaxKeys', max) +
      el('Delimiter', delimiter) +
      el('IsTruncated', page.truncated) +
      page.contents.join('') +
      page.prefixes.join('') +
      el('NextMarker', page.truncated && delimiter ? page.last : undefined),
    NS,
  );
  return xmlReply(xml, ctx.requestId);
};

function listPage(objects: BucketObjects | undefined, prefix: string, delimiter: string | undefined, after: string | undefined, max: number) {
  const keys = objects?.keys() ?? [];
  let i = objects ? objects.firstIndex(prefix, after) : 0;
  const contents: string[] = [];
  const prefixes: string[] = [];
  let last: string | undefined;
  let count = 0;
  while (i < keys.length && count < max) {
    const key = keys[i]!;
    if (!key.startsWith(prefix)) break;
    const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    if (cut >= 0) {
      const common = key.slice(0, cut + delimiter!.length);
      prefixes.push(wrap('CommonPrefixes', el('Prefix', common)));
      last = common;
      count++;
      // Skip every key under this common prefix (the next key after it, in order).
      i = objects!.firstIndex(prefix, `${common}\u{10FFFF}`);
      continue;
    }
    const o = objects!.get(key)!;
    contents.push(
      wrap('Contents', el('Key', key) + el('LastModified', o.lastModified.replace('Z', '.000Z')) + el('ETag', etag(o)) + el('Size', o.body.length) + el('StorageClass', 'STANDARD')),
    );
    last = key;
    count++;
    i++;
  }
  const truncated = i < keys.length && keys[i]!.startsWith(prefix);
  return { contents, prefixes, last, count, truncated };
}

function objectOf(ctx: CallContext): StoredObject {
  const { key, objects } = target(ctx);
  const o = (objects ?? EMPTY).get(key);
  if (!o) throw new SimError('NoSuchKey', 'The specified key does not exist.', 404, { Key: key });
  if (o.kmsKeyId && o.decryptDenied) {
    // SSE-KMS: reading the object decrypts it with the caller's permissions on the key.
    throw new SimError('AccessDenied', `User: ${ctx.identity.arn} is not authorized to perform: kms:Decrypt on resource: ${o.kmsKeyId} because no identity-based policy allows the kms:Decrypt action`, 403);
  }
  return o;
}

function objectHeaders(o: StoredObject, requestId: string): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    etag: etag(o),
    'last-modified': httpDate(o.lastModified),
    'accept-ranges': 'bytes',
    'x-amz-request-id': requestId,
    'x-amz-server-side-encryption': o.kmsKeyId ? 'aws:kms' : 'AES256',
  };
  if (o.kmsKeyId) headers['x-amz-server-side-encryption-aws-kms-key-id'] = o.kmsKeyId;
  for (const [k, v] of Object.entries(o.metadata)) headers[`x-amz-meta-${k}`] = v;
  return headers;
}

const getObject: Handler = (ctx): Reply => {
  const o = objectOf(ctx);
  return { status: 200, headers: objectHeaders(o, ctx.requestId), body: o.body };
};

/** The server sends no body for HEAD; the content-length stays the object's. */
const headObject: Handler = (ctx): Reply => {
  const o = objectOf(ctx);
  return { status: 200, headers: objectHeaders(o, ctx.requestId), body: o.body };
};

export const s3ObjectHandlers: Record<string, Handler> = {
  ListObjects: listObjects,
  ListObjectsV2: listObjectsV2,
  GetObject: getObject,
  HeadObject: headObject,
};
