import type { KnownError } from './known.js';

/**
 * The error codes Trailwarden itself gives a Known<T> (AWS's own codes, e.g. `AccessDenied`, are
 * passed through as AWS gave them). Defined once here: the collector, the scan model, the testing
 * kit and checks build these errors with the constructors below, never with bare strings.
 */
export const TRAILWARDEN_ERROR_CODES = {
  /** The snapshot lacks this data: collected without the check that needs it, or an older snapshot. */
  NotCollected: 'NotCollected',
  /** The resource lives in an account that was not scanned. */
  OutOfScope: 'OutOfScope',
  /** A trail's bucket is owned by no scanned account (or was not collected). */
  BucketOutOfScope: 'BucketOutOfScope',
  /** A trail's KMS key is owned by an account that was not scanned. */
  KeyOutOfScope: 'KeyOutOfScope',
  /** An organization trail's details can be read only in its owner account, which was not scanned. */
  OwnerOutOfScope: 'OwnerOutOfScope',
} as const;
export type TrailwardenErrorCode = keyof typeof TRAILWARDEN_ERROR_CODES;

const NOT_COLLECTED_MESSAGE = 'this data is not in the snapshot (collected without the check that needs it?)';

/** Drop an absent region so the error serialises the same whether or not one was given. */
function at(accountId: string | undefined, region: string | undefined): Pick<KnownError, 'accountId' | 'region'> {
  return { ...(accountId !== undefined ? { accountId } : {}), ...(region !== undefined ? { region } : {}) };
}

/**
 * The snapshot does not hold what `operation` would have read. `message` says what is missing when
 * the generic "not in the snapshot" would not help (e.g. "the key policy is not in the snapshot").
 */
export function notCollected(operation: string, accountId: string, region?: string, message?: string): KnownError {
  return { code: TRAILWARDEN_ERROR_CODES.NotCollected, message: message ?? NOT_COLLECTED_MESSAGE, operation, accountId, region };
}

/** The data lives in an account that was not scanned. */
export function outOfScope(operation: string, message: string, accountId: string, region?: string): KnownError {
  return { code: TRAILWARDEN_ERROR_CODES.OutOfScope, message, operation, ...at(accountId, region) };
}

/** A trail delivers to bucket `name`, which no scanned account owns (seen from `referrerAccountId`). */
export function bucketOutOfScope(name: string, referrerAccountId: string): KnownError {
  return {
    code: TRAILWARDEN_ERROR_CODES.BucketOutOfScope,
    message: `bucket ${name} is not owned by any scanned account (or was not collected)`,
    operation: 'ListBuckets',
    accountId: referrerAccountId,
  };
}

/**
 * A trail encrypts with key `arn`, owned by account `owner` (undefined when the ARN does not say),
 * which was not scanned. The error is placed in the owner account, else in `referrerAccountId`.
 */
export function keyOutOfScope(arn: string, owner: string | undefined, referrerAccountId: string, region?: string): KnownError {
  return {
    code: TRAILWARDEN_ERROR_CODES.KeyOutOfScope,
    message: `key ${arn} is owned by account ${owner ?? '(unknown)'}, which was not scanned`,
    operation: 'DescribeKey',
    accountId: owner ?? referrerAccountId,
    region,
  };
}

/** An organization trail's status or selectors: readable only in its owner account, not scanned. */
export function ownerOutOfScope(trailName: string, owner: string, homeRegion: string, operation: string): KnownError {
  return {
    code: TRAILWARDEN_ERROR_CODES.OwnerOutOfScope,
    message: `trail ${trailName} is owned by account ${owner}, which was not scanned; its ${operation === 'GetTrailStatus' ? 'status' : 'selectors'} can be read only there`,
    operation,
    accountId: owner,
    region: homeRegion,
  };
}
