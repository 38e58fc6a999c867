/**
 * CloudTrail's digest signing keys, as the simulator holds them: one RSA-2048 key pair per region
 * (and per rotation), plus an "attacker" pair that no region publishes. Generating RSA keys is slow
 * (~0.1–1 s each), so each pair is made once per process, on first use, and shared by every world.
 */
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';

export interface SigningKey {
  privateKey: KeyObject;
  /** DER PKCS#1 RSAPublicKey: what ListPublicKeys returns as `Value`. */
  publicDer: Buffer;
  /** Hex MD5 of `publicDer` (CloudTrail's fingerprint). */
  fingerprint: string;
}

const cache = new Map<string, SigningKey>();

/** The key pair named `id` (e.g. `us-east-1#0`), generated on first use. */
export function signingKey(id: string): SigningKey {
  let key = cache.get(id);
  if (!key) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const publicDer = publicKey.export({ type: 'pkcs1', format: 'der' });
    key = { privateKey, publicDer, fingerprint: createHash('md5').update(publicDer).digest('hex') };
    cache.set(id, key);
  }
  return key;
}

export const ATTACKER_KEY_ID = 'attacker#0';
