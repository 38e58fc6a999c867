import type { PublicAccessBlock } from '@trailwarden/core';
import type { BucketSpec } from './bucket.js';
import type { EventDataStoreSpec } from './event-data-store.js';
import type { EventHistoryInput } from './event-history.js';
import type { IamInput } from './iam.js';
import type { KmsKeySpec } from './key.js';
import type { TrailSpec } from './trail.js';
import type { Unreadable } from './unreadable.js';

export interface AccountInput {
  /** Account name (the organization's name for it). Default: the id. */
  name?: string;
  /** Enabled regions. Default `['us-east-1', 'eu-west-1']`. Unreadable: ListRegions failed. */
  regions?: string[] | Unreadable;
  /** Opt-in regions the account has not enabled (listed, not read). */
  disabledRegions?: string[];
  /** Regions where DescribeTrails was denied (e.g. by an SCP): their listing is an AccessDenied error. */
  deniedRegions?: string[];
  /** Trails the account owns. Unreadable: DescribeTrails failed in every region. */
  trails?: TrailSpec[] | Unreadable;
  buckets?: BucketSpec[];
  keys?: KmsKeySpec[];
  /** GetAccountAuthorizationDetails. Default: no users, roles, groups or policies. */
  iam?: IamInput | Unreadable;
  /** How the account was read; unreadable: nothing else could be read (e.g. AssumeRole denied). */
  access?: Unreadable;
  /** Account-level S3 Block Public Access, merged over "all four on". `null`: not configured. */
  publicAccessBlock?: Partial<PublicAccessBlock> | null | Unreadable;
  /** CloudTrail Event History (LookupEvents) per region. Default: not looked up. */
  eventHistory?: EventHistoryInput;
  /**
   * CloudTrail Lake event data stores the account owns (an organization store: in the management
   * account). Default none, listed in every region. Unreadable: ListEventDataStores failed in every
   * region; a record of regions: failed there only.
   */
  eventDataStores?: EventDataStoreSpec[] | Unreadable;
  /** Regions where ListEventDataStores failed (the others list the stores). */
  eventDataStoresUnreadable?: Record<string, Unreadable>;
}

export interface AccountSpec {
  readonly kind: 'account';
  readonly id: string;
  readonly input: AccountInput;
}

/** One scanned AWS account and what it owns. */
export function account(id: string, input: AccountInput = {}): AccountSpec {
  if (!/^\d{12}$/.test(id)) throw new Error(`account(${JSON.stringify(id)}): an account id is 12 digits`);
  return { kind: 'account', id, input };
}
