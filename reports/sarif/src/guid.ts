import type { Hash } from 'node:crypto';

/**
 * A version-4-shaped GUID from a content hash: deterministic (the same input gives the same
 * GUID, so re-rendering a snapshot gives identical bytes) yet matching the SARIF schema's GUID
 * pattern, which accepts versions 1–5 only.
 */
export function guidFromHash(hash: Hash): string {
  const b = hash.digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
