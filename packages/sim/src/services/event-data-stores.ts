/**
 * CloudTrail Lake event data stores (awsJson1_1, the CloudTrail endpoint): ListEventDataStores and
 * GetEventDataStore, regional, as AWS answers them. An organization store lives in the management
 * account; the CloudTrail delegated administrator sees and manages it too; member accounts never see
 * it (see packages/sim/README.md for the pages each behaviour follows).
 */
import { jsonReply } from '../protocol/reply.js';
import { SimError } from '../protocol/services.js';
import { eventDataStoreArn } from '../world/event-data-store-ids.js';
import type { WorldEventDataStore } from '../world/types.js';
import { type CallContext, compact, type Handler } from './context.js';
import { decodeToken, encodeToken } from './cloudtrail.js';

/** Page size when MaxResults is not sent (AWS does not publish its default; small so paging is exercised). */
const DEFAULT_PAGE = 5;
const MAX_RESULTS = 1000;
/** CreateEventDataStore's default selector: all management events. */
const DEFAULT_SELECTORS = [{ Name: 'Default management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }];
const CREATED = '2026-01-05T10:00:00.000Z';

interface Store {
  spec: WorldEventDataStore;
  ownerId: string;
  arn: string;
}

/** The stores the caller's account sees in this region: its own, and (delegated administrator) the organization's. */
function visibleStores(ctx: CallContext): Store[] {
  const of = (accountId: string, onlyOrg: boolean): Store[] => {
    const account = ctx.model.accounts.get(accountId);
    return (account?.source.eventDataStores ?? [])
      .filter((s) => s.region === ctx.region && (!onlyOrg || s.organization === true))
      .map((spec) => ({ spec, ownerId: accountId, arn: eventDataStoreArn(ctx.model.partition, accountId, spec.region, spec.name, spec.id) }));
  };
  const own = of(ctx.account.id, false);
  const org = ctx.model.org;
  const cloudTrailAdmin = org?.delegatedAdministrators.some((d) => d.accountId === ctx.account.id && d.servicePrincipal === 'cloudtrail.amazonaws.com');
  const managed = org && cloudTrailAdmin && ctx.account.status === 'ACTIVE' ? of(org.managementAccountId, true) : [];
  return [...own, ...managed].sort((a, b) => (a.arn < b.arn ? -1 : 1));
}

const listEventDataStores: Handler = (ctx) => {
  const p = ctx.input;
  const max = p.MaxResults === undefined ? DEFAULT_PAGE : p.MaxResults;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > MAX_RESULTS) throw new SimError('InvalidMaxResultsException', 'This exception is thrown if the limit specified is not valid.');
  const all = visibleStores(ctx);
  const start = typeof p.NextToken === 'string' ? decodeToken(p.NextToken) : 0;
  const page = all.slice(start, start + max);
  const next = start + max < all.length ? encodeToken(start + max) : undefined;
  // The listing's other members (status, selectors, ...) are deprecated in the API reference: only the ARN and name.
  return jsonReply(compact({ EventDataStores: page.map((s) => ({ EventDataStoreArn: s.arn, Name: s.spec.name })), NextToken: next }), ctx.requestId);
};

const STORE_ARN = /^arn:[^:]+:cloudtrail:([a-z0-9-]+):([0-9]{12}):eventdatastore\/([A-Za-z0-9-]+)$/;

const getEventDataStore: Handler = (ctx) => {
  const ref = ctx.input.EventDataStore;
  if (typeof ref !== 'string' || !/^[a-zA-Z0-9._/\-:]{3,256}$/.test(ref)) throw new SimError('InvalidParameterException', 'The request includes a parameter that is not valid.');
  const visible = visibleStores(ctx);
  let store: Store | undefined;
  if (ref.startsWith('arn:')) {
    const m = STORE_ARN.exec(ref);
    if (!m) throw new SimError('EventDataStoreARNInvalidException', 'The specified event data store ARN is not valid or does not map to an event data store in your account.');
    store = visible.find((s) => s.arn === ref);
    // Another account's store the caller may not see (a member asking for the organization's store).
    if (!store && m[2] !== ctx.account.id) throw new SimError('EventDataStoreARNInvalidException', 'The specified event data store ARN is not valid or does not map to an event data store in your account.');
  } else {
    store = visible.find((s) => s.ownerId === ctx.account.id && s.arn.endsWith(`/${ref}`));
  }
  if (!store) throw new SimError('EventDataStoreNotFoundException', 'The specified event data store was not found.');
  const s = store.spec;
  const created = Date.parse(CREATED) / 1000;
  return jsonReply(
    compact({
      EventDataStoreArn: store.arn,
      Name: s.name,
      Status: s.status ?? 'ENABLED',
      AdvancedEventSelectors: s.advancedEventSelectors ?? DEFAULT_SELECTORS,
      MultiRegionEnabled: s.multiRegion ?? true,
      OrganizationEnabled: s.organization ?? false,
      BillingMode: 'EXTENDABLE_RETENTION_PRICING',
      RetentionPeriod: s.retentionPeriod ?? 366,
      TerminationProtectionEnabled: s.terminationProtection ?? true,
      CreatedTimestamp: created,
      UpdatedTimestamp: created,
      KmsKeyId: s.kmsKeyId,
      FederationStatus: 'DISABLED',
    }),
    ctx.requestId,
  );
};

export const eventDataStoreHandlers: Record<string, Handler> = {
  ListEventDataStores: listEventDataStores,
  GetEventDataStore: getEventDataStore,
};
