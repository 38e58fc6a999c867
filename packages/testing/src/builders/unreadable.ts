import type { KnownError } from '@trailwarden/core';

const UNREADABLE = Symbol.for('@trailwarden/testing.unreadable');

/** A Known error as a builder input: "this could not be read". Accepted wherever a Known field is. */
export interface Unreadable {
  readonly error: KnownError;
  readonly [UNREADABLE]: true;
}

const DEFAULT_MESSAGES: Record<string, (operation: string) => string> = {
  AccessDenied: (op) => `User: arn:aws:sts::000000000000:assumed-role/TrailwardenAudit/trailwarden is not authorized to perform: ${op}`,
  AccessDeniedException: (op) => `User is not authorized to perform: ${op}`,
  ThrottlingException: () => 'Rate exceeded',
  UnauthorizedOperation: (op) => `You are not authorized to perform this operation (${op}).`,
};

/**
 * Mark a value as unreadable: the collector got `code` from `operation`. The builders fill in the
 * account and region of the place it is used, e.g.
 * `trail({ name: 't', status: unreadable('AccessDenied', 'GetTrailStatus') })`.
 */
export function unreadable(code: string, operation: string, message?: string): Unreadable {
  const error: KnownError = { code, message: message ?? DEFAULT_MESSAGES[code]?.(operation) ?? `${operation} failed with ${code}`, operation };
  return Object.defineProperty({ error }, UNREADABLE, { value: true, enumerable: false }) as Unreadable;
}

/** True for `unreadable(...)` results and for plain `{ error: { code, operation, ... } }` objects. */
export function isUnreadable(value: unknown): value is Unreadable {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  if ((value as Record<symbol, unknown>)[UNREADABLE] === true) return true;
  const keys = Object.keys(value);
  const e = (value as { error?: unknown }).error;
  return keys.length === 1 && keys[0] === 'error' && !!e && typeof e === 'object' && typeof (e as KnownError).code === 'string' && typeof (e as KnownError).operation === 'string';
}

/** The Known error for this place: the given error, with account and region filled when absent. */
export function knownError(u: Unreadable, accountId: string, region?: string): { error: KnownError } {
  const e = { ...u.error };
  e.accountId ??= accountId;
  if (region !== undefined) e.region ??= region;
  if (typeof e.message !== 'string') e.message = `${e.operation} failed with ${e.code}`;
  return { error: e };
}
