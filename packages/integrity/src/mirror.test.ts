import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MirrorSource, safeJoin, UnsafePathError } from './mirror.js';
import { Verifier } from './verify.js';

describe('mirror paths', () => {
  it('refuses keys that would leave the mirror', () => {
    for (const key of ['../x', 'a/../../x', '/etc/passwd', 'a\\..\\x', 'a/./b', 'C:/x', 'a\0b']) expect(() => safeJoin('/m', 'b', key), key).toThrow(UnsafePathError);
    expect(() => safeJoin('/m', '..', 'x')).toThrow(UnsafePathError);
    expect(safeJoin('/m', 'b', 'AWSLogs/1/x.json.gz')).toBe('/m/b/AWSLogs/1/x.json.gz');
  });

  it('a validly signed digest whose previousDigestS3Object climbs out is reported, and nothing outside is read', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tw-mirror-'));
    writeFileSync(join(root, 'secret.json.gz'), gzipSync('{}'));
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const der = publicKey.export({ type: 'pkcs1', format: 'der' });
    const fingerprint = createHash('md5').update(der).digest('hex');
    const key = 'AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/11/20/111122223333_CloudTrail-Digest_us-east-1_t1_us-east-1_20261120T020000Z.json.gz';
    const text = JSON.stringify({
      awsAccountId: '111122223333',
      digestStartTime: '2026-11-20T01:00:00Z',
      digestEndTime: '2026-11-20T02:00:00Z',
      digestS3Bucket: 'b',
      digestS3Object: key,
      digestPublicKeyFingerprint: fingerprint,
      digestSignatureAlgorithm: 'SHA256withRSA',
      previousDigestS3Bucket: 'b',
      previousDigestS3Object: '../secret.json.gz',
      previousDigestHashValue: 'aa',
      previousDigestHashAlgorithm: 'SHA-256',
      previousDigestSignature: 'bb',
      logFiles: [],
    });
    const hash = createHash('sha256').update(text).digest('hex');
    const signature = sign('sha256', Buffer.from(`2026-11-20T02:00:00Z\nb/${key}\n${hash}\nbb`), privateKey).toString('hex');
    mkdirSync(join(root, 'b', ...key.split('/').slice(0, -1)), { recursive: true });
    writeFileSync(join(root, 'b', ...key.split('/')), gzipSync(text));
    const source = new MirrorSource({ root, publicKeys: { '*': [{ value: der, fingerprint }] }, metadata: { [`b/${key}`]: { signature, 'signature-algorithm': 'SHA256withRSA' } } });
    const trail = await new Verifier(source, { from: new Date('2026-11-20T00:00:00Z'), to: new Date('2026-11-20T03:00:00Z') }).verifyTrail({
      trailArn: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/t1',
      trailName: 't1',
      homeRegion: 'us-east-1',
      bucket: 'b',
    });
    const chain = trail.chains[0]!;
    expect(chain.digests).toEqual({ valid: 1, invalid: 0, unverified: 0, error: 1 });
    expect(chain.files).toEqual([expect.objectContaining({ key: '../secret.json.gz', status: 'ERROR', reason: expect.stringMatching(/^UnsafePath: .*"\.\." segment/) })]);
  });
});
