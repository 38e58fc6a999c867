import type { KnownError } from '@trailwarden/core';

/** What the retry wrapper does with a failed call. */
export type ErrorKind = 'throttle' | 'transient' | 'final';

/** Error codes AWS services use for throttling (they differ per service). */
const THROTTLE_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'RequestThrottled',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'SlowDown',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
  'TransactionInProgressException',
]);

/** Errors that retrying can never fix: permission and opt-in answers, bad input, missing things. */
const NEVER_RETRY = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthFailure',
  'OptInRequired',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'AWSOrganizationsNotInUseException',
  // The endpoint does not serve the operation (a plugin's collect entry on an AWS-compatible
  // endpoint): 501 for S3, but no retry can change the answer.
  'NotImplemented',
  'UnknownOperationException',
  'InvalidAction',
]);

const TRANSIENT_NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);

interface AwsLikeError {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
}

export function errorCode(err: unknown): string {
  const e = (err ?? {}) as AwsLikeError;
  const code = e.Code ?? (e.name && e.name !== 'Error' ? e.name : undefined) ?? e.code;
  if (code) return code;
  const status = e.$metadata?.httpStatusCode;
  return status ? `HTTP${status}` : 'UnknownError';
}

export function errorMessage(err: unknown): string {
  const e = (err ?? {}) as AwsLikeError;
  const msg = typeof e.message === 'string' ? e.message : String(err);
  // The SDK's fallback message for bodiless errors says nothing useful; keep it short.
  return msg === 'UnknownError' ? '' : msg;
}

export function classifyError(err: unknown): ErrorKind {
  const e = (err ?? {}) as AwsLikeError;
  const code = errorCode(err);
  if (NEVER_RETRY.has(code)) return 'final';
  const status = e.$metadata?.httpStatusCode;
  if (THROTTLE_CODES.has(code) || status === 429 || e.$retryable?.throttling) return 'throttle';
  if (TRANSIENT_NETWORK.has(code) || TRANSIENT_NETWORK.has(e.code ?? '')) return 'transient';
  if ((status !== undefined && status >= 500) || e.$fault === 'server') return 'transient';
  return 'final';
}

/** An error the collector itself raised (not AWS): carries a code for the Known error. */
export class CollectorError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

export function toKnownError(err: unknown, operation: string, accountId?: string, region?: string): KnownError {
  const out: KnownError = { code: errorCode(err), message: errorMessage(err), operation };
  if (accountId) out.accountId = accountId;
  if (region) out.region = region;
  return out;
}
