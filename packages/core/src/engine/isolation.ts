import type { ResourceRef } from '../model/result.js';
import type { RawFinding } from './context.js';
import { CORE_MESSAGES, formatMessage } from './core-messages.js';

/** Longest error text quoted in a finding: a thrown message may carry a 20 MB string from the snapshot. */
const MAX_QUOTED = 300;

/** `TypeError: Cannot read properties of undefined (reading 'startsWith')`, bounded. */
export function describeThrown(e: unknown): string {
  let text: string;
  try {
    text = e instanceof Error ? `${e.name}: ${e.message}` : `a non-error value (${typeof e})`;
  } catch {
    text = 'an error that could not be described';
  }
  return text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}... (${text.length} characters)` : text;
}

const sameResource = (a: ResourceRef, b: ResourceRef) => a.arn === b.arn && a.accountId === b.accountId && a.region === b.region;

/**
 * What a judgement that threw leaves standing: FAILs (a problem found is found, whatever failed
 * later), and findings about other resources; the resource's own PASS and NOT_APPLICABLE verdicts
 * go, since they rested on a judgement that did not finish.
 */
export function keptAfterFailure(emitted: readonly RawFinding[], resource: ResourceRef): RawFinding[] {
  return emitted.filter((f) => f.status === 'FAIL' || f.status === 'ERROR' || !sameResource(f.resource, resource));
}

/** The ERROR a resource gets when judging it threw. */
export function isolatedFailure(resource: ResourceRef, checkId: string, e: unknown): RawFinding {
  const what = describeThrown(e);
  const data = { check: checkId, error: what };
  return {
    status: 'ERROR',
    resource,
    message: formatMessage(CORE_MESSAGES['core.judgementFailed'], data),
    messageId: 'core.judgementFailed',
    data,
    evidence: { reason: 'the check failed on this resource', error: what },
  };
}
