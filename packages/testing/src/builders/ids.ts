import { createHash } from 'node:crypto';

/** Deterministic ids, so two builds of the same test snapshot are byte-identical. */
export function hashHex(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

/** A UUID-shaped id (KMS key ids look like this). */
export function uuidFrom(...parts: string[]): string {
  const h = hashHex(...parts);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** An IAM unique id: prefix (AIDA, AROA, AGPA, ANPA) and 17 upper-case characters. */
export function iamUniqueId(prefix: string, ...parts: string[]): string {
  return prefix + hashHex(...parts).slice(0, 17).toUpperCase();
}

/** An S3 canonical user id (64 hex characters) for an account. */
export function canonicalUserId(accountId: string): string {
  return hashHex('canonical', accountId);
}

export function minutesBefore(iso: string, minutes: number): string {
  return new Date(Date.parse(iso) - minutes * 60_000).toISOString();
}

export function isArn(s: string): boolean {
  return s.startsWith('arn:');
}
