/**
 * @trailwarden/integrity — proves a trail's logs were not deleted, changed or slipped in: verifies
 * CloudTrail digest chains (SHA256withRSA, node:crypto) and log files (strict single-member gzip,
 * SHA-256), merges the verified windows and labels every gap. Reads through an IntegritySource: S3
 * (built by @trailwarden/aws, the only code that talks to AWS) or a local mirror.
 */
export { accountBase, type Digest, parseDigest, parseDigestKey, parseLogKeyTime, stringToSign } from './digest.js';
export { type GunzipResult, gunzipStrict } from './gzip.js';
export { loadPublicKey, type LoadedKey, parsePublicKeysJson, type PublicKeyRecord, verifySignature } from './keys.js';
export { loadMetadataFile, loadPublicKeyFiles, MirrorSource, type MirrorOptions, safeJoin, UnsafePathError } from './mirror.js';
export type * from './result.js';
export { trailIntegritySchema, verifyLogsResultSchema } from './schema.js';
export type { FetchResult, IntegritySource, ListedObject, ListPage } from './source.js';
export { resultText, type TextOutput, trailText } from './text.js';
export { exitCodeOf, summarize } from './totals.js';
export { mergeWindows, type TrailToVerify, Verifier, type VerifyOptions } from './verify.js';
