/** CloudTrail digest files: fields, the signed string, and the layout of digest keys. */
import { createHash } from 'node:crypto';

export interface DigestLogFile {
  s3Bucket: string;
  s3Object: string;
  hashValue: string;
  hashAlgorithm?: string;
}

export interface Digest {
  awsAccountId: string | null;
  digestStartTime: string;
  digestEndTime: string;
  digestS3Bucket: string;
  digestS3Object: string;
  digestPublicKeyFingerprint: string;
  digestSignatureAlgorithm: string | null;
  previousDigestS3Bucket: string | null;
  previousDigestS3Object: string | null;
  previousDigestHashValue: string | null;
  previousDigestHashAlgorithm: string | null;
  previousDigestSignature: string | null;
  logFiles: DigestLogFile[];
}

/** aws-cli treats a digest without any of these keys (null allowed) as "invalid format". */
const REQUIRED = ['digestPublicKeyFingerprint', 'digestS3Bucket', 'digestS3Object', 'previousDigestSignature', 'digestEndTime', 'digestStartTime'] as const;
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const HEX = /^[0-9a-f]+$/i;

export const isHex = (s: unknown): s is string => typeof s === 'string' && s.length > 0 && s.length % 2 === 0 && HEX.test(s);
export const sha256Hex = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Parse digest JSON text; undefined when it is not a digest (aws-cli: "invalid format"). */
export function parseDigest(text: string): Digest | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const o = raw as Record<string, unknown>;
  for (const k of REQUIRED) if (!(k in o)) return undefined;
  const { digestStartTime, digestEndTime, digestS3Bucket, digestS3Object, digestPublicKeyFingerprint } = o;
  if (typeof digestStartTime !== 'string' || !TIME.test(digestStartTime) || typeof digestEndTime !== 'string' || !TIME.test(digestEndTime)) return undefined;
  if (typeof digestS3Bucket !== 'string' || typeof digestS3Object !== 'string' || typeof digestPublicKeyFingerprint !== 'string') return undefined;
  const logs = Array.isArray(o.logFiles) ? o.logFiles : [];
  const logFiles: DigestLogFile[] = [];
  for (const l of logs) {
    if (!l || typeof l !== 'object') return undefined;
    const f = l as Record<string, unknown>;
    if (typeof f.s3Bucket !== 'string' || typeof f.s3Object !== 'string' || typeof f.hashValue !== 'string') return undefined;
    logFiles.push({ s3Bucket: f.s3Bucket, s3Object: f.s3Object, hashValue: f.hashValue, ...(typeof f.hashAlgorithm === 'string' ? { hashAlgorithm: f.hashAlgorithm } : {}) });
  }
  return {
    awsAccountId: strOrNull(o.awsAccountId),
    digestStartTime,
    digestEndTime,
    digestS3Bucket,
    digestS3Object,
    digestPublicKeyFingerprint,
    digestSignatureAlgorithm: strOrNull(o.digestSignatureAlgorithm),
    previousDigestS3Bucket: strOrNull(o.previousDigestS3Bucket),
    previousDigestS3Object: strOrNull(o.previousDigestS3Object),
    previousDigestHashValue: strOrNull(o.previousDigestHashValue),
    previousDigestHashAlgorithm: strOrNull(o.previousDigestHashAlgorithm),
    previousDigestSignature: strOrNull(o.previousDigestSignature),
    logFiles,
  };
}

/**
 * The string CloudTrail signs: end time as written, `bucket/key`, the SHA-256 of the uncompressed
 * digest bytes, and the previous signature (the text `null` for a starting digest); LF-joined, no
 * trailing LF.
 */
export function stringToSign(digest: Digest, digestSha256: string): string {
  return `${digest.digestEndTime}\n${digest.digestS3Bucket}/${digest.digestS3Object}\n${digestSha256}\n${digest.previousDigestSignature ?? 'null'}`;
}

/** `[prefix/]AWSLogs/[o-id/]<account>/` */
export function accountBase(prefix: string | undefined, orgId: string | undefined, accountId: string): string {
  const p = prefix ? `${prefix.replace(/^\/+|\/+$/g, '')}/` : '';
  return `${p}AWSLogs/${orgId ? `${orgId}/` : ''}${accountId}/`;
}

export interface DigestKeyInfo {
  key: string;
  endMs: number;
  backfill: boolean;
}

const DIGEST_NAME = /^(\d{12})_CloudTrail-Digest_([a-z0-9-]+)_(.+)_([a-z0-9-]+)_(\d{8}T\d{6}Z)(_backfill)?\.json\.gz$/;

/** The end time and kind of a digest key of this trail, or undefined for any other object. */
export function parseDigestKey(key: string, trailName: string, homeRegion: string): DigestKeyInfo | undefined {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const m = DIGEST_NAME.exec(name);
  if (!m || m[3] !== trailName || m[4] !== homeRegion) return undefined;
  const t = m[5]!;
  const endMs = Date.parse(`${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(9, 11)}:${t.slice(11, 13)}:${t.slice(13, 15)}Z`);
  if (!Number.isFinite(endMs)) return undefined;
  return { key, endMs, backfill: m[6] !== undefined };
}

const LOG_NAME = /^(\d{12})_CloudTrail_([a-z0-9-]+)_(\d{8}T\d{4})Z_[A-Za-z0-9]{16}\.json\.gz$/;

/** The delivery time in a log file's name (minute precision), or undefined for another object. */
export function parseLogKeyTime(key: string): number | undefined {
  const m = LOG_NAME.exec(key.slice(key.lastIndexOf('/') + 1));
  if (!m) return undefined;
  const t = m[3]!;
  const ms = Date.parse(`${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(9, 11)}:${t.slice(11, 13)}:00Z`);
  return Number.isFinite(ms) ? ms : undefined;
}

export const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** `YYYY/MM/DD/` of a time, as in digest and log key folders. */
export const dayFolder = (ms: number) => `${new Date(ms).toISOString().slice(0, 10).replace(/-/g, '/')}/`;
