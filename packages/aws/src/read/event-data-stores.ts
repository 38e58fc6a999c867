import {
  GetEventDataStoreCommand,
  type GetEventDataStoreCommandOutput,
  ListEventDataStoresCommand,
  type ListEventDataStoresCommandOutput,
} from '@aws-sdk/client-cloudtrail';
import type { AdvancedEventSelector, EventDataStore, EventDataStoreDetails, Known } from '@trailwarden/core';
import { compareStrings, parseArn } from '../arn.js';
import { compact, isoDate, readKnown } from '../known-read.js';
import type { Metrics } from '../pacing/metrics.js';
import type { AccountSession } from '../session.js';

/** A region with more pages of event data stores than this is not read to the end, and says so. */
const MAX_PAGES = 10;
/** Stores per page (the API allows 1–1,000). */
const PAGE_SIZE = 100;

/**
 * CloudTrail Lake event data stores in each region: ListEventDataStores answers one region's
 * stores only, so it runs in every scanned region (one call where there are none), then
 * GetEventDataStore per store for what the listing no longer returns (its other fields are
 * deprecated; KmsKeyId was never there). An organization store lives in the management account;
 * the CloudTrail delegated administrator lists it too, member accounts never see it.
 */
export async function readEventDataStores(session: AccountSession, regions: readonly string[], metrics: Metrics): Promise<Record<string, Known<EventDataStore[]>>> {
  const sorted = [...new Set(regions)].sort(compareStrings);
  const read = await Promise.all(sorted.map((region) => readRegion(session, region, metrics)));
  return Object.fromEntries(sorted.map((region, i) => [region, read[i]!]));
}

async function readRegion(session: AccountSession, region: string, metrics: Metrics): Promise<Known<EventDataStore[]>> {
  const place = { accountId: session.accountId, region, metrics };
  const listed = await readKnown(place, 'ListEventDataStores', async () => {
    const out: { arn: string; name: string }[] = [];
    let NextToken: string | undefined;
    for (let page = 0; ; page++) {
      if (page >= MAX_PAGES) throw Object.assign(new Error(`more than ${MAX_PAGES} pages of event data stores; Trailwarden reads at most that many`), { name: 'TooManyResults' });
      const res = await session.send<ListEventDataStoresCommandOutput>('cloudtrail', region, new ListEventDataStoresCommand({ MaxResults: PAGE_SIZE, ...(NextToken ? { NextToken } : {}) }));
      for (const s of res.EventDataStores ?? []) if (s.EventDataStoreArn) out.push({ arn: s.EventDataStoreArn, name: s.Name ?? s.EventDataStoreArn.split('/').pop() ?? '' });
      NextToken = res.NextToken;
      if (!NextToken) break;
    }
    return out;
  });
  if (listed.error) return listed;
  const stores = await Promise.all(
    [...new Map(listed.value.map((s) => [s.arn, s])).values()].map(async ({ arn, name }): Promise<EventDataStore> => {
      const parsed = parseArn(arn);
      const storeRegion = parsed?.region || region;
      const ownerAccountId = parsed && /^\d{12}$/.test(parsed.accountId) ? parsed.accountId : session.accountId;
      const details = await readKnown({ ...place, region: storeRegion }, 'GetEventDataStore', async () =>
        toDetails(await session.send<GetEventDataStoreCommandOutput>('cloudtrail', storeRegion, new GetEventDataStoreCommand({ EventDataStore: arn }))),
      );
      return { arn, name, ownerAccountId, region: storeRegion, details };
    }),
  );
  return { value: stores.sort((a, b) => compareStrings(a.arn, b.arn)) };
}

function toDetails(out: GetEventDataStoreCommandOutput): EventDataStoreDetails {
  return compact<EventDataStoreDetails>({
    status: out.Status ?? 'UNKNOWN',
    multiRegionEnabled: out.MultiRegionEnabled === true,
    organizationEnabled: out.OrganizationEnabled === true,
    terminationProtectionEnabled: out.TerminationProtectionEnabled === true,
    advancedEventSelectors: (out.AdvancedEventSelectors ?? []).map((s) =>
      compact<AdvancedEventSelector>({
        name: s.Name,
        fieldSelectors: (s.FieldSelectors ?? []).map((f) =>
          compact({
            field: f.Field ?? '',
            equals: f.Equals,
            notEquals: f.NotEquals,
            startsWith: f.StartsWith,
            notStartsWith: f.NotStartsWith,
            endsWith: f.EndsWith,
            notEndsWith: f.NotEndsWith,
          }),
        ),
      }),
    ),
    kmsKeyId: out.KmsKeyId || undefined,
    retentionPeriod: out.RetentionPeriod,
    billingMode: out.BillingMode,
    federationStatus: out.FederationStatus,
    createdTimestamp: isoDate(out.CreatedTimestamp),
    updatedTimestamp: isoDate(out.UpdatedTimestamp),
  });
}
