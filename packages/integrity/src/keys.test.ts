import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type Digest, parseDigest, stringToSign } from './digest.js';
import { loadPublicKey, parsePublicKeysJson, verifySignature } from './keys.js';

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pkcs1 = publicKey.export({ type: 'pkcs1', format: 'der' });
const spki = publicKey.export({ type: 'spki', format: 'der' });
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

const digest: Digest = parseDigest(
  JSON.stringify({
    awsAccountId: '111122223333',
    digestStartTime: '2015-08-17T14:01:31Z',
    digestEndTime: '2015-08-17T15:01:31Z',
    digestS3Bucket: 'bucket',
    digestS3Object: 'AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2015/08/17/111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20150817T150131Z.json.gz',
    digestPublicKeyFingerprint: 'x',
    digestSignatureAlgorithm: 'SHA256withRSA',
    previousDigestSignature: null,
    logFiles: [],
  }),
)!;

describe('keys and signatures', () => {
  it('builds the four-line string with the literal null for a starting digest, no trailing LF', () => {
    expect(stringToSign(digest, 'ab'.repeat(32))).toBe(`2015-08-17T15:01:31Z\nbucket/${digest.digestS3Object}\n${'ab'.repeat(32)}\nnull`);
    expect(stringToSign({ ...digest, previousDigestSignature: 'cd' }, 'ef')).toMatch(/\nef\ncd$/);
  });

  it('loads PKCS#1 and SPKI DER, fingerprinted over the bytes as given', () => {
    const a = loadPublicKey({ value: pkcs1, fingerprint: md5(pkcs1) });
    const b = loadPublicKey({ value: spki, fingerprint: md5(spki) });
    expect(a?.fingerprintMismatch).toBe(false);
    expect(b?.fingerprintMismatch).toBe(false);
    expect(loadPublicKey({ value: pkcs1, fingerprint: md5(spki) })?.fingerprintMismatch).toBe(true);
    expect(loadPublicKey({ value: Buffer.from('not a key'), fingerprint: 'aa' })).toBeUndefined();
  });

  it('verifies SHA256withRSA and refuses bad hex instead of truncating it', () => {
    const data = stringToSign(digest, 'ab'.repeat(32));
    const sig = sign('sha256', Buffer.from(data), privateKey).toString('hex');
    const key = loadPublicKey({ value: spki, fingerprint: md5(spki) })!.key;
    expect(verifySignature(data, sig, key)).toBe(true);
    expect(verifySignature(`${data} `, sig, key)).toBe(false);
    expect(verifySignature(data, `${sig.slice(0, 10)}zz${sig.slice(12)}`, key)).toBe(false);
    expect(verifySignature(data, sig.slice(1), key)).toBe(false);
  });

  it('parses the list-public-keys JSON and names what is wrong', () => {
    const text = JSON.stringify({ PublicKeyList: [{ Value: pkcs1.toString('base64'), Fingerprint: md5(pkcs1), ValidityStartTime: '2026-01-01T00:00:00Z', ValidityEndTime: 1_800_000_000 }] });
    const [k] = parsePublicKeysJson(text, 'keys.json');
    expect(Buffer.from(k!.value).equals(pkcs1)).toBe(true);
    expect(k!.validityEnd?.toISOString()).toBe('2027-01-15T08:00:00.000Z');
    expect(() => parsePublicKeysJson('{}', 'keys.json')).toThrow(/keys.json: no PublicKeyList/);
    expect(() => parsePublicKeysJson('{"PublicKeyList":[{"Value":"###","Fingerprint":"aa"}]}', 'keys.json')).toThrow(/PublicKeyList\[0\].Value is not base64/);
  });

  it('refuses digests without the keys aws-cli requires', () => {
    expect(parseDigest('{"digestStartTime":"2015-08-17T14:01:31Z"}')).toBeUndefined();
    expect(parseDigest('not json')).toBeUndefined();
  });
});
