import type { AdvancedEventSelector, EventDataStore, Partition } from '@trailwarden/core';
import { uuidFrom } from './ids.js';
import { type Unreadable, isUnreadable, knownError } from './unreadable.js';

export interface EventDataStoreInput {
  name: string;
  /** The region it lives in. Default: the account's first region. */
  region?: string;
  /** An organization event data store (lives in the management account). Default false. */
  organization?: boolean;
  /** Default true (AWS's default). */
  multiRegion?: boolean;
  /** Default `ENABLED`. */
  status?: string;
  /** Default: AWS's default, every management event. */
  advancedEventSelectors?: AdvancedEventSelector[];
  /** Customer managed key ARN; default none (a key AWS owns). */
  kmsKeyId?: string;
  /** Default true. */
  terminationProtection?: boolean;
  /** GetEventDataStore failed: the details are unknown. */
  details?: Unreadable;
}

export interface EventDataStoreSpec {
  readonly kind: 'eventDataStore';
  readonly input: EventDataStoreInput;
}

/** A CloudTrail Lake event data store, for `account(id, { eventDataStores: [...] })`. Defaults: compliant-looking, ingesting every management event, no customer key. */
export function eventDataStore(input: EventDataStoreInput): EventDataStoreSpec {
  return { kind: 'eventDataStore', input };
}

const DEFAULT_SELECTORS: AdvancedEventSelector[] = [{ name: 'Default management events', fieldSelectors: [{ field: 'eventCategory', equals: ['Management'] }] }];

export function buildEventDataStore(spec: EventDataStoreSpec, at: { partition: Partition; accountId: string; defaultRegion: string }): EventDataStore {
  const s = spec.input;
  const region = s.region ?? at.defaultRegion;
  const arn = `arn:${at.partition}:cloudtrail:${region}:${at.accountId}:eventdatastore/${uuidFrom('eds', at.accountId, region, s.name)}`;
  const details: EventDataStore['details'] = isUnreadable(s.details)
    ? knownError(s.details, at.accountId, region)
    : {
        value: {
          status: s.status ?? 'ENABLED',
          multiRegionEnabled: s.multiRegion ?? true,
          organizationEnabled: s.organization ?? false,
          terminationProtectionEnabled: s.terminationProtection ?? true,
          advancedEventSelectors: s.advancedEventSelectors ?? DEFAULT_SELECTORS,
          ...(s.kmsKeyId ? { kmsKeyId: s.kmsKeyId } : {}),
          retentionPeriod: 366,
          billingMode: 'EXTENDABLE_RETENTION_PRICING',
        },
      };
  return { arn, name: s.name, ownerAccountId: at.accountId, region, details };
}
