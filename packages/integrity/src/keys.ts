/**
 * CloudTrail public keys (ListPublicKeys): `Value` is DER PKCS#1 RSAPublicKey (base64 in CLI JSON,
 * bytes from the SDK); one documented AWS key is SPKI, so both are accepted. The fingerprint is the
 * hex MD5 of the DER bytes as given.
 */
import { createHash, createPublicKey, type KeyObject, verify } from 'node:crypto';
import { isHex } from './digest.js';

export interface PublicKeyRecord {
  value: Uint8Array;
  fingerprint: string;
  validityStart?: Date;
  validityEnd?: Date;
}

export interface LoadedKey {
  fingerprint: string;
  key: KeyObject;
  /** The fingerprint CloudTrail lists is not MD5(DER): the key still verifies, but say so. */
  fingerprintMismatch: boolean;
}

export function loadPublicKey(record: PublicKeyRecord): LoadedKey | undefined {
  const der = Buffer.from(record.value);
  let key: KeyObject | undefined;
  for (const type of ['pkcs1', 'spki'] as const) {
    try {
      key = createPublicKey({ key: der, format: 'der', type });
      break;
    } catch {
      // try the other encoding
    }
  }
  if (key?.asymmetricKeyType !== 'rsa') return undefined;
  const md5 = createHash('md5').update(der).digest('hex');
  return { fingerprint: record.fingerprint.toLowerCase(), key, fingerprintMismatch: md5 !== record.fingerprint.toLowerCase() };
}

/** SHA256withRSA (RSASSA-PKCS1-v1_5): the hex signature over the UTF-8 string. */
export function verifySignature(data: string, signatureHex: string, key: KeyObject): boolean {
  if (!isHex(signatureHex)) return false;
  try {
    return verify('sha256', Buffer.from(data, 'utf8'), key, Buffer.from(signatureHex, 'hex'));
  } catch {
    return false;
  }
}

/** Parse the JSON `aws cloudtrail list-public-keys` prints (`{PublicKeyList:[{Value,Fingerprint,...}]}`). */
export function parsePublicKeysJson(text: string, where: string): PublicKeyRecord[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${where}: not JSON (${(err as Error).message})`);
  }
  const list = (raw as { PublicKeyList?: unknown })?.PublicKeyList;
  if (!Array.isArray(list)) throw new Error(`${where}: no PublicKeyList array (expected the output of aws cloudtrail list-public-keys)`);
  return list.map((k, i) => {
    const o = k as Record<string, unknown>;
    if (typeof o.Value !== 'string' || !/^[A-Za-z0-9+/=\s]+$/.test(o.Value)) throw new Error(`${where}: PublicKeyList[${i}].Value is not base64`);
    if (typeof o.Fingerprint !== 'string' || !isHex(o.Fingerprint)) throw new Error(`${where}: PublicKeyList[${i}].Fingerprint is not hex`);
    const date = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? new Date(typeof v === 'number' ? v * 1000 : v) : undefined);
    const start = date(o.ValidityStartTime);
    const end = date(o.ValidityEndTime);
    return { value: Buffer.from(o.Value, 'base64'), fingerprint: o.Fingerprint, ...(start ? { validityStart: start } : {}), ...(end ? { validityEnd: end } : {}) };
  });
}
