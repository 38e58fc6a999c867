/**
 * Every value read from AWS is a Known<T>: the value AWS gave (including "there is none", e.g. no
 * bucket policy, as a value such as `null`), or the error that kept us from reading it. Checks must
 * never treat an error as a PASS.
 */
export interface KnownError {
  /** AWS error code (e.g. `AccessDenied`) or a Trailwarden code (e.g. `OutOfScope`). */
  code: string;
  message: string;
  /** API operation that failed, e.g. `GetBucketPolicy`, or `AssumeRole`. */
  operation: string;
  accountId?: string;
  region?: string;
}

export type Known<T> = { value: T; error?: never } | { error: KnownError; value?: never };

export function known<T>(value: T): Known<T> {
  return { value };
}

export function unknownBecause<T = never>(error: KnownError): Known<T> {
  return { error };
}

export function isKnown<T>(k: Known<T> | undefined): k is { value: T } {
  return k !== undefined && 'value' in k && !('error' in k && k.error !== undefined);
}

export function isUnknown<T>(k: Known<T> | undefined): k is { error: KnownError } {
  return k !== undefined && 'error' in k && k.error !== undefined;
}

/** Describe an error for people: what failed, where, and AWS's words. */
export function describeKnownError(e: KnownError): string {
  const where = [e.accountId && `account ${e.accountId}`, e.region && `region ${e.region}`]
    .filter(Boolean)
    .join(', ');
  return `${e.operation} failed${where ? ` in ${where}` : ''}: ${e.code}${e.message ? ` — ${e.message}` : ''}`;
}
