import { createHash, createPublicKey, verify } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { ListPublicKeysCommand } from '@aws-sdk/client-cloudtrail';
import { GetObjectCommand, HeadObjectCommand, ListObjectsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clients, clientsAs } from '../clients.test-util.js';
import { type SimServer, startSimulator } from '../index.js';

const WORLD = new URL('../../../../test/worlds/integrity-tamper.yaml', import.meta.url).pathname;
const BUCKET = 'org-trail-logs';
const BASE = 'AWSLogs/o-integrity1/200000000001/';
let sim: SimServer;
let archive: S3Client;

beforeAll(async () => {
  sim = await startSimulator({ world: WORLD });
  archive = (await clientsAs(sim, '100000000002')).s3;
});
afterAll(() => sim.stop());

describe('S3 object reads of delivered CloudTrail files', () => {
  it('ListObjectsV2 pages by continuation token, honours start-after and delimiter', async () => {
    const prefix = `${BASE}CloudTrail-Digest/us-east-1/`;
    const first = await archive.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, MaxKeys: 3 }));
    expect(first.KeyCount).toBe(3);
    expect(first.IsTruncated).toBe(true);
    const rest = await archive.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ContinuationToken: first.NextContinuationToken }));
    const keys = [...(first.Contents ?? []), ...(rest.Contents ?? [])].map((c) => c.Key!);
    expect(keys).toHaveLength(9); // 8 hourly digests + 1 backfill
    expect([...keys].sort()).toEqual(keys);
    const after = await archive.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, StartAfter: keys[6] }));
    expect(after.Contents?.map((c) => c.Key)).toEqual(keys.slice(7));
    const accounts = await archive.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'AWSLogs/o-integrity1/', Delimiter: '/' }));
    expect(accounts.CommonPrefixes?.map((p) => p.Prefix)).toHaveLength(16); // every account of the organization
    expect(accounts.Contents ?? []).toEqual([]);
  });

  it('ListObjects (v1, as aws-cli validate-logs lists) pages by Marker', async () => {
    const prefix = `${BASE}CloudTrail-Digest/us-east-1/`;
    const first = await archive.send(new ListObjectsCommand({ Bucket: BUCKET, Prefix: prefix, MaxKeys: 4 }));
    expect(first.IsTruncated).toBe(true);
    expect(first.NextMarker).toBeUndefined(); // only with a delimiter: clients page from the last key
    const rest = await archive.send(new ListObjectsCommand({ Bucket: BUCKET, Prefix: prefix, Marker: first.Contents!.at(-1)!.Key }));
    expect(rest.IsTruncated).toBe(false);
    expect([...first.Contents!, ...rest.Contents!].map((c) => c.Key)).toHaveLength(9);
  });

  it('GetObject returns the gzip bytes and x-amz-meta-signature, which verifies with the ListPublicKeys key', async () => {
    const listed = await archive.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${BASE}CloudTrail-Digest/us-east-1/2026/11/20/` }));
    const key = listed.Contents!.find((c) => c.Key!.endsWith('T030000Z.json.gz'))!.Key!;
    const got = await archive.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    const bytes = Buffer.from(await got.Body!.transformToByteArray());
    const text = gunzipSync(bytes).toString();
    const digest = JSON.parse(text) as Record<string, string | null>;
    expect(got.Metadata).toEqual({ signature: expect.stringMatching(/^[0-9a-f]{512}$/), 'signature-algorithm': 'SHA256withRSA' });
    expect(digest.digestS3Object).toBe(key);
    const ct = (await clientsAs(sim, '100000000001')).cloudtrail;
    const keys = await ct.send(new ListPublicKeysCommand({ StartTime: new Date('2026-11-20T00:00:00Z'), EndTime: new Date('2026-11-20T12:00:00Z') }));
    expect(keys.PublicKeyList).toHaveLength(2); // the key rotates at hour 6
    const pk = keys.PublicKeyList!.find((k) => k.Fingerprint === digest.digestPublicKeyFingerprint)!;
    expect(createHash('md5').update(pk.Value!).digest('hex')).toBe(pk.Fingerprint);
    const data = `${digest.digestEndTime}\n${BUCKET}/${key}\n${createHash('sha256').update(text).digest('hex')}\n${digest.previousDigestSignature ?? 'null'}`;
    expect(verify('sha256', Buffer.from(data), createPublicKey({ key: Buffer.from(pk.Value!), format: 'der', type: 'pkcs1' }), Buffer.from(got.Metadata!.signature!, 'hex'))).toBe(true);
    const head = await archive.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(head.ContentLength).toBe(bytes.length);
    expect(head.Metadata?.signature).toBe(got.Metadata!.signature);
  });

  it('log files are SSE-KMS; a missing key is NoSuchKey; another account is refused', async () => {
    const logs = await archive.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${BASE}CloudTrail/us-east-1/` }));
    const log = await archive.send(new GetObjectCommand({ Bucket: BUCKET, Key: logs.Contents![0]!.Key! }));
    expect(log.ServerSideEncryption).toBe('aws:kms');
    expect(JSON.parse(gunzipSync(Buffer.from(await log.Body!.transformToByteArray())).toString()).Records).toHaveLength(1);
    await expect(archive.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${BASE}nope.json.gz` }))).rejects.toMatchObject({ name: 'NoSuchKey' });
    const other = clients(sim).s3; // the management account does not own the bucket
    await expect(other.send(new GetObjectCommand({ Bucket: BUCKET, Key: logs.Contents![0]!.Key! }))).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('kms:Decrypt refused: the SSE-KMS log files answer AccessDenied, the digests still read', async () => {
    const s3 = (await clientsAs(sim, '300000000001')).s3;
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'audit-trail-logs', Prefix: 'audit/AWSLogs/300000000001/' }));
    const log = listed.Contents!.find((c) => c.Key!.includes('/CloudTrail/'))!.Key!;
    const digest = listed.Contents!.find((c) => c.Key!.includes('/CloudTrail-Digest/'))!.Key!;
    await expect(s3.send(new GetObjectCommand({ Bucket: 'audit-trail-logs', Key: log }))).rejects.toThrow(/kms:Decrypt/);
    expect((await s3.send(new GetObjectCommand({ Bucket: 'audit-trail-logs', Key: digest }))).Metadata?.signature).toBeDefined();
  });
});
