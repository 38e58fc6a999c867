/**
 * @trailwarden/aws — the only code that talks to AWS. `collect()` discovers the organization,
 * assumes a role in each account, reads every enabled region with paced, retried, read-only calls,
 * and returns a Snapshot (see @trailwarden/core).
 */
export { collect, DEFAULT_CONCURRENCY, DEFAULT_ROLE_NAME, type CollectOptions } from './collect.js';
export type { CollectProgress } from './progress.js';
export { COLLECTOR_ACTIONS, OPERATION_ACTIONS } from './actions.js';
export { collectorPolicy, isRoleName, POLICY_PARTITIONS, type IamPolicyDocument, type PolicyOptions } from './policy.js';
export { partitionOfRegion } from './partitions.js';
export { QUOTAS, PACE_FRACTION } from './pacing/quotas.js';
export { isReadOnlyCommandName, MutatingCallRefused } from './read-only.js';
export { SESSION_NAME } from './credentials.js';
export { CollectorError } from './errors.js';
export { planExtensions, type PlannedAction } from './extensions.js';
export { INTEGRITY_ACTIONS, INTEGRITY_OPERATION_ACTIONS } from './integrity/actions.js';
export type { ObjectFetch, ObjectListPage, ObjectReader, ObjectReadOptions, ObjectReads, PublicKeyRead } from './integrity/object-reads.js';
import type { ObjectReadOptions, ObjectReads } from './integrity/object-reads.js';

/** Object reads for log-file verification; its SDK clients load only when it is used. */
export async function openObjectReads(options: ObjectReadOptions): Promise<ObjectReads> {
  return (await import('./integrity/object-reads.js')).openObjectReads(options);
}
