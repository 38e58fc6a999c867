/**
 * Writes what CloudTrail delivers for trails with log file validation (AWS CloudTrail User Guide,
 * "CloudTrail digest file structure"): gzip JSON log files and hourly digests, each signed
 * SHA256withRSA by its source region's key over `digestEndTime \n bucket/key \n sha256(digest) \n
 * previousDigestSignature|null`, the hex signature in the object's `x-amz-meta-signature`. Then the
 * world's tampering is applied to the stored objects, as an attacker with bucket access would.
 */
import { createHash, sign } from 'node:crypto';
import { gunzipSync, gzipSync as zlibGzip } from 'node:zlib';
import type { SimModel, TrailModel } from '../world/model.js';
import type { WorldIntegrityTamper, WorldTrailIntegrity } from '../world/types.js';
import { ATTACKER_KEY_ID, type SigningKey, signingKey } from './signing-keys.js';
import { BucketObjects, type StoredObject } from './store.js';

const HOUR = 3_600_000;

const gunzipText = (o: StoredObject) => gunzipSync(o.body).toString('utf8');
/** gzip into an exact-size buffer: zlib's output is a view of a 16 KiB chunk, kept alive per object otherwise. */
const gzipSync = (data: string | Buffer): Buffer => Buffer.from(zlibGzip(data));

/** A region's published keys, with their validity windows (ListPublicKeys). */
export interface PublishedKey {
  key: SigningKey;
  validityStart: Date;
  validityEnd: Date;
}

export interface IntegrityWorld {
  buckets: Map<string, BucketObjects>;
  /** Keys by region, oldest first; regions without a chain publish one key. */
  keysFor(region: string): PublishedKey[];
}

const built = new WeakMap<SimModel, IntegrityWorld>();

/** The delivered objects of every trail in the world (built on first use, then kept). */
export function integrityWorld(model: SimModel): IntegrityWorld {
  let world = built.get(model);
  if (!world) {
    world = build(model);
    built.set(model, world);
  }
  return world;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const compact = (ms: number) => iso(ms).replace(/[-:]/g, ''); // 20261120T010000Z
const datePath = (ms: number) => iso(ms).slice(0, 10).replace(/-/g, '/');
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const FAR_PAST = Date.parse('2015-01-01T00:00:00Z');
const FAR_FUTURE = Date.parse('2099-01-01T00:00:00Z');

interface Chain {
  trail: TrailModel;
  integrity: WorldTrailIntegrity;
  accountId: string;
  region: string;
  /** `[prefix/]AWSLogs/[o-id/]<account>/` */
  base: string;
  digests: Map<number, string>;
  logs: Map<number, string[]>;
  backfill: Map<number, string>;
}

function chainsOf(model: SimModel, trail: TrailModel): Chain[] {
  const integrity = trail.integrity!;
  const regions = integrity.regions ?? (trail.multiRegion ? model.regions.map((r) => r.name) : [trail.homeRegion]);
  const org = trail.organization && model.org ? model.org : undefined;
  const accounts = integrity.accounts ?? (org ? model.sortedAccounts.filter((a) => a.status === 'ACTIVE').map((a) => a.id) : [trail.ownerId]);
  const prefix = trail.keyPrefix ? `${trail.keyPrefix.replace(/\/+$/, '')}/` : '';
  return accounts.flatMap((accountId) =>
    regions.map((region) => ({
      trail,
      integrity,
      accountId,
      region,
      base: `${prefix}AWSLogs/${org ? `${org.id}/` : ''}${accountId}/`,
      digests: new Map(),
      logs: new Map(),
      backfill: new Map(),
    })),
  );
}

function build(model: SimModel): IntegrityWorld {
  const trails = [...model.accounts.values()].flatMap((a) => a.trails).filter((t) => t.integrity && model.buckets.has(t.bucket));
  // Rotation is per region: the earliest rotation any trail there asks for.
  const rotation = new Map<string, number>();
  for (const t of trails) {
    const i = t.integrity!;
    if (i.keyRotationHour === undefined) continue;
    const at = Date.parse(i.start) + i.keyRotationHour * HOUR;
    for (const c of chainsOf(model, t)) rotation.set(c.region, Math.min(rotation.get(c.region) ?? Number.POSITIVE_INFINITY, at));
  }
  const keysFor = (region: string): PublishedKey[] => {
    const at = rotation.get(region);
    if (at === undefined) return [{ key: signingKey(`${region}#0`), validityStart: new Date(FAR_PAST), validityEnd: new Date(FAR_FUTURE) }];
    return [
      { key: signingKey(`${region}#0`), validityStart: new Date(FAR_PAST), validityEnd: new Date(at) },
      { key: signingKey(`${region}#1`), validityStart: new Date(at), validityEnd: new Date(FAR_FUTURE) },
    ];
  };
  const keyAt = (region: string, ms: number): SigningKey => {
    const keys = keysFor(region);
    return (keys.find((k) => ms >= k.validityStart.getTime() && ms < k.validityEnd.getTime()) ?? keys[keys.length - 1]!).key;
  };
  const buckets = new Map<string, BucketObjects>();
  for (const trail of trails) {
    let objects = buckets.get(trail.bucket);
    if (!objects) {
      objects = new BucketObjects();
      buckets.set(trail.bucket, objects);
    }
    const chains = chainsOf(model, trail);
    for (const chain of chains) writeChain(chain, objects, keyAt);
    for (const t of trail.integrity!.tamper ?? []) tamper(t, chains, objects, trail.bucket);
  }
  return { buckets, keysFor };
}

function logsIn(integrity: WorldTrailIntegrity, hour: number): number {
  const l = integrity.logsPerHour ?? 2;
  return typeof l === 'number' ? l : (l[hour % l.length] ?? 0);
}

/** 16 deterministic alphanumerics, like the random tail of a CloudTrail log file name. */
function tail16(...parts: (string | number)[]): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const h = createHash('sha256').update(parts.join('|')).digest();
  let out = '';
  for (let i = 0; i < 16; i++) out += alphabet[h[i]! % alphabet.length];
  return out;
}

function logKey(chain: Chain, atMs: number, salt: string | number): string {
  const { base, accountId, region } = chain;
  return `${base}CloudTrail/${region}/${datePath(atMs)}/${accountId}_CloudTrail_${region}_${compact(atMs).slice(0, 13)}Z_${tail16(base, region, atMs, salt)}.json.gz`;
}

function logBody(chain: Chain, eventMs: number, n: number): string {
  const record = {
    eventVersion: '1.09',
    userIdentity: { type: 'AWSService', invokedBy: 'cloudtrail.amazonaws.com' },
    eventTime: iso(eventMs),
    eventSource: 'sts.amazonaws.com',
    eventName: 'GetCallerIdentity',
    awsRegion: chain.region,
    sourceIPAddress: 'cloudtrail.amazonaws.com',
    requestID: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
    eventID: `00000000-0000-4000-9000-${n.toString(16).padStart(12, '0')}`,
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: chain.accountId,
    eventCategory: 'Management',
  };
  return JSON.stringify({ Records: [record] });
}

interface LogRef {
  s3Bucket: string;
  s3Object: string;
  hashValue: string;
  hashAlgorithm: 'SHA-256';
  newestEventTime: string;
  oldestEventTime: string;
}

interface Previous {
  bucket: string;
  key: string;
  hash: string;
  signature: string;
}

export function signDigest(text: string, digestEndTime: string, bucket: string, key: string, previousSignature: string | null, signer: SigningKey): string {
  const data = `${digestEndTime}\n${bucket}/${key}\n${sha256(text)}\n${previousSignature ?? 'null'}`;
  return sign('sha256', Buffer.from(data, 'utf8'), signer.privateKey).toString('hex');
}

function digestText(chain: Chain, fields: { start: number; end: number; bucket: string; key: string; fingerprint: string; logs: LogRef[]; previous: Previous | null }): string {
  const { previous, logs } = fields;
  const newest = logs.length ? logs.map((l) => l.newestEventTime).sort().at(-1)! : null;
  const oldest = logs.length ? logs.map((l) => l.oldestEventTime).sort()[0]! : null;
  return JSON.stringify({
    awsAccountId: chain.accountId,
    digestStartTime: iso(fields.start),
    digestEndTime: iso(fields.end),
    digestS3Bucket: fields.bucket,
    digestS3Object: fields.key,
    digestPublicKeyFingerprint: fields.fingerprint,
    digestSignatureAlgorithm: 'SHA256withRSA',
    newestEventTime: newest,
    oldestEventTime: oldest,
    previousDigestS3Bucket: previous?.bucket ?? null,
    previousDigestS3Object: previous?.key ?? null,
    previousDigestHashValue: previous?.hash ?? null,
    previousDigestHashAlgorithm: previous ? 'SHA-256' : null,
    previousDigestSignature: previous?.signature ?? null,
    logFiles: logs,
  });
}

function writeChain(chain: Chain, objects: BucketObjects, keyAt: (region: string, ms: number) => SigningKey): void {
  const { integrity, trail, region, accountId, base } = chain;
  const bucket = trail.bucket;
  const start0 = Date.parse(integrity.start);
  const hours = integrity.hours ?? 24;
  const stopped = new Set(integrity.stoppedHours ?? []);
  const backfillHours = new Set(integrity.backfillHours ?? []);
  const kms = trail.kmsKeyId ? { kmsKeyId: trail.kmsKeyId, ...(integrity.kmsDecryptDenied ? { decryptDenied: true } : {}) } : {};
  let previous: Previous | null = null;
  let previousBackfill: Previous | null = null;
  let n = 0;
  for (let hour = 0; hour < hours; hour++) {
    if (stopped.has(hour)) {
      previous = null;
      continue;
    }
    const start = start0 + hour * HOUR;
    const end = start + HOUR;
    const count = logsIn(integrity, hour);
    const logs: LogRef[] = [];
    const keys: string[] = [];
    for (let j = 0; j < count; j++) {
      const at = start + Math.floor(((j + 1) * HOUR) / (count + 1));
      const key = logKey(chain, at, j);
      const text = logBody(chain, at - 60_000, ++n);
      objects.put(key, { body: gzipSync(text), metadata: {}, lastModified: iso(at), ...kms });
      keys.push(key);
      logs.push({ s3Bucket: bucket, s3Object: key, hashValue: sha256(text), hashAlgorithm: 'SHA-256', newestEventTime: iso(at - 60_000), oldestEventTime: iso(at - 60_000) });
    }
    chain.logs.set(hour, keys);
    const signer = keyAt(region, end);
    const key = `${base}CloudTrail-Digest/${region}/${datePath(end)}/${accountId}_CloudTrail-Digest_${region}_${trail.name}_${trail.homeRegion}_${compact(end)}.json.gz`;
    const text = digestText(chain, { start: previous ? start : end - HOUR, end, bucket, key, fingerprint: signer.fingerprint, logs, previous });
    const signature = signDigest(text, iso(end), bucket, key, previous?.signature ?? null, signer);
    objects.put(key, { body: gzipSync(text), metadata: { signature, 'signature-algorithm': 'SHA256withRSA' }, lastModified: iso(end + 5 * 60_000) });
    chain.digests.set(hour, key);
    previous = { bucket, key, hash: sha256(text), signature };

    if (backfillHours.has(hour)) {
      // A log file left out of the hour's digest by a delivery delay, listed by a backfill digest
      // generated later ("CloudTrail digest file structure": backfill digests).
      const at = start + HOUR - 1000;
      const lateKey = logKey(chain, at, 'late');
      const lateText = logBody(chain, at - 60_000, ++n);
      objects.put(lateKey, { body: gzipSync(lateText), metadata: {}, lastModified: iso(at), ...kms });
      const lateLogs: LogRef[] = [{ s3Bucket: bucket, s3Object: lateKey, hashValue: sha256(lateText), hashAlgorithm: 'SHA-256', newestEventTime: iso(at - 60_000), oldestEventTime: iso(at - 60_000) }];
      const generated = end + 3 * HOUR;
      const bfSigner = keyAt(region, generated);
      const bfKey = key.replace(/\.json\.gz$/, '_backfill.json.gz');
      const bfText = digestText(chain, { start, end, bucket, key: bfKey, fingerprint: bfSigner.fingerprint, logs: lateLogs, previous: previousBackfill });
      const bfSignature = signDigest(bfText, iso(end), bucket, bfKey, previousBackfill?.signature ?? null, bfSigner);
      objects.put(bfKey, {
        body: gzipSync(bfText),
        metadata: { signature: bfSignature, 'signature-algorithm': 'SHA256withRSA', 'backfill-generation-timestamp': iso(generated) },
        lastModified: iso(generated),
      });
      chain.backfill.set(hour, bfKey);
      previousBackfill = { bucket, key: bfKey, hash: sha256(bfText), signature: bfSignature };
    }
  }
}


function tamper(t: WorldIntegrityTamper, chains: Chain[], objects: BucketObjects, bucket: string): void {
  const chain = chains.find((c) => (t.account === undefined || c.accountId === t.account) && (t.region === undefined || c.region === t.region));
  if (!chain) return;
  const logKeyOf = () => chain.logs.get(t.hour)?.[t.log ?? 0];
  const digestKey = chain.digests.get(t.hour);
  switch (t.kind) {
    case 'changeLog': {
      const key = logKeyOf();
      const o = key ? objects.get(key) : undefined;
      if (key && o) objects.put(key, { ...o, body: gzipSync(gunzipText(o).replace('GetCallerIdentity', 'GetSessionToken')) });
      return;
    }
    case 'deleteLog': {
      const key = logKeyOf();
      if (key) objects.delete(key);
      return;
    }
    case 'appendGzipMember': {
      const key = logKeyOf();
      const o = key ? objects.get(key) : undefined;
      if (key && o) objects.put(key, { ...o, body: Buffer.concat([o.body, gzipSync(Buffer.alloc(0))]) });
      return;
    }
    case 'injectLog': {
      const at = Date.parse(chain.integrity.start) + t.hour * HOUR + 30 * 60_000 + 17_000;
      const key = logKey(chain, at, `injected-${t.log ?? 0}`);
      objects.put(key, { body: gzipSync(logBody(chain, at, 999_999)), metadata: {}, lastModified: iso(at) });
      return;
    }
  }
  const o = digestKey ? objects.get(digestKey) : undefined;
  if (!digestKey || !o) return;
  switch (t.kind) {
    case 'deleteDigest':
      objects.delete(digestKey);
      return;
    case 'editDigest': {
      const text = gunzipText(o);
      const edited = JSON.parse(text) as { logFiles: unknown[] };
      edited.logFiles = edited.logFiles.slice(1); // hide a log file from the proof
      objects.put(digestKey, { ...o, body: gzipSync(JSON.stringify(edited)) });
      return;
    }
    case 'resignDigest':
    case 'resignDigestSpoofedFingerprint': {
      const attacker = signingKey(ATTACKER_KEY_ID);
      const d = JSON.parse(gunzipText(o)) as Record<string, unknown> & { logFiles: unknown[] };
      d.logFiles = d.logFiles.slice(1);
      if (t.kind === 'resignDigest') d.digestPublicKeyFingerprint = attacker.fingerprint;
      const text = JSON.stringify(d);
      const signature = signDigest(text, String(d.digestEndTime), bucket, digestKey, (d.previousDigestSignature as string | null) ?? null, attacker);
      objects.put(digestKey, { ...o, body: gzipSync(text), metadata: { ...o.metadata, signature } });
      return;
    }
    case 'moveDigest': {
      // Renamed to 30 minutes earlier in the same folder: listed, but not where it claims to be.
      const m = /_(\d{8}T\d{6}Z)\.json\.gz$/.exec(digestKey)!;
      const earlier = compact(Date.parse(`${m[1]!.slice(0, 4)}-${m[1]!.slice(4, 6)}-${m[1]!.slice(6, 11)}:${m[1]!.slice(11, 13)}:${m[1]!.slice(13, 15)}Z`) - 30 * 60_000);
      objects.delete(digestKey);
      objects.put(digestKey.replace(m[1]!, earlier), o);
      return;
    }
    case 'stripSignature':
      objects.put(digestKey, { ...o, metadata: {} });
      return;
  }
}
