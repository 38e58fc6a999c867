import { describeKnownError, type Known, type KnownError } from '../model/known.js';
import type { EventDataStore, JsonValue, Snapshot } from '../model/snapshot.js';
import type { SelectorCoverage, SelectorEvaluator } from '../selectors/evaluator.js';
import { type Service, defineService } from '../plugin/api.js';

/** How one CloudTrail Lake event data store that applies to an account records its management events. */
export interface StoreJudgement {
  store: EventDataStore;
  /** Ingesting (ENABLED), from every region, all read and write management events. */
  recordsAllManagementEvents: boolean;
  /** Why not (empty when it does), or what could not be read. */
  problems: string[];
  evidence: { [key: string]: JsonValue };
}

/** The event data stores that record an account's events, as far as the snapshot can tell. */
export interface LakeCoverage {
  /** The account's own stores and the organization's (applying to every member), judged. */
  stores: StoreJudgement[];
  /** Listings that failed or were not read: stores there are unknown (never "none"). */
  unknown: KnownError[];
}

/**
 * CloudTrail Lake event data stores whose events cover `accountId`: its own, and organization
 * stores (they live in the management account, and the CloudTrail delegated administrator lists
 * them too; members never see them). A store records management events when it is ingesting, is
 * multi-region and its advanced event selectors select every read and write management event.
 */
export function lakeCoverage(snapshot: Readonly<Snapshot>, accountId: string, selectors: SelectorEvaluator): LakeCoverage {
  const unknown: KnownError[] = [];
  const listed = (id: string): { stores: EventDataStore[]; errors: KnownError[] } => {
    const account = snapshot.accounts[id];
    if (!account) return { stores: [], errors: [] };
    const byRegion = account.eventDataStores;
    if (!byRegion) {
      const why = account.access.error ?? account.regions?.error;
      return {
        stores: [],
        errors: [why ?? { code: 'NotCollected', message: 'the event data stores were not read in this account', operation: 'ListEventDataStores', accountId: id }],
      };
    }
    const stores: EventDataStore[] = [];
    const errors: KnownError[] = [];
    for (const region of Object.keys(byRegion).sort()) {
      const k: Known<EventDataStore[]> = byRegion[region]!;
      if (k.error) errors.push(k.error);
      else stores.push(...k.value);
    }
    return { stores, errors };
  };

  const own = listed(accountId);
  unknown.push(...own.errors);
  const found = new Map<string, EventDataStore>();
  const add = (s: EventDataStore) => {
    const known = found.get(s.arn);
    // Prefer the record whose details were read (the owner's, usually).
    if (!known || (known.details.error && !s.details.error)) found.set(s.arn, s);
  };
  for (const s of own.stores) if (s.ownerAccountId === accountId || s.details.value?.organizationEnabled) add(s);

  if (snapshot.scope.mode === 'organization') {
    // Organization stores: wherever they were listed (the management account, a delegated administrator).
    for (const id of Object.keys(snapshot.accounts).sort()) {
      if (id === accountId) continue;
      for (const s of listed(id).stores) if (s.details.value?.organizationEnabled || (s.details.error && s.ownerAccountId !== id)) add(s);
    }
    const managementId = snapshot.organization?.value?.managementAccountId;
    if (managementId && managementId !== accountId) {
      const mgmt = snapshot.accounts[managementId];
      if (!mgmt) {
        if (![...found.values()].some((s) => s.details.value?.organizationEnabled)) {
          unknown.push({ code: 'NotScanned', message: `the management account ${managementId}, where organization event data stores live, was not scanned`, operation: 'ListEventDataStores', accountId: managementId });
        }
      } else {
        const m = listed(managementId);
        unknown.push(...m.errors);
        // A store of the management account whose details could not be read may be the organization's.
        for (const s of m.stores) if (s.details.error) unknown.push(s.details.error);
      }
    } else if (!managementId) {
      // Which account is the management account is unknown: any listing that failed may hide an organization store.
      for (const id of Object.keys(snapshot.accounts).sort()) if (id !== accountId) unknown.push(...listed(id).errors);
    }
  }

  const stores = [...found.values()].sort((a, b) => (a.arn < b.arn ? -1 : 1)).map((s) => judge(s, selectors));
  return { stores, unknown: dedupe(unknown) };
}

/**
 * `lakeCoverage` for plugin API v2 checks, which do not see the snapshot:
 * `ctx.services.use(lakeCoverageService)(account.id)`. Each account's coverage is computed once per
 * evaluation and shared by the checks that ask (trail-multi-region, org-trail-coverage).
 */
export const lakeCoverageService: Service<(accountId: string) => LakeCoverage> = defineService(
  'trailwarden/core/lake-coverage',
  ({ snapshot, selectors }) => {
    const byAccount = new Map<string, LakeCoverage>();
    return (accountId) => {
      let coverage = byAccount.get(accountId);
      if (!coverage) {
        coverage = lakeCoverage(snapshot, accountId, selectors);
        byAccount.set(accountId, coverage);
      }
      // Fresh lists, as every view hands out: no check can change what the next one reads.
      return { stores: [...coverage.stores], unknown: [...coverage.unknown] };
    };
  },
);

function judge(store: EventDataStore, selectors: SelectorEvaluator): StoreJudgement {
  const base = { arn: store.arn, name: store.name, ownerAccountId: store.ownerAccountId, region: store.region };
  if (store.details.error) {
    const why = `unknown: ${describeKnownError(store.details.error)}`;
    return { store, recordsAllManagementEvents: false, problems: [why], evidence: { ...base, verdict: why } };
  }
  const d = store.details.value;
  const problems: string[] = [];
  if (d.status !== 'ENABLED') problems.push(`not ingesting (status ${d.status})`);
  if (!d.multiRegionEnabled) problems.push(`single-region (${store.region} only)`);
  const read: SelectorCoverage = selectors.managementEvents({ advancedEventSelectors: d.advancedEventSelectors }, 'read');
  const write: SelectorCoverage = selectors.managementEvents({ advancedEventSelectors: d.advancedEventSelectors }, 'write');
  if (read !== 'all' || write !== 'all') {
    problems.push(read === 'none' && write === 'none' ? 'records no management events' : `records ${read} read and ${write} write management events`);
  }
  return {
    store,
    recordsAllManagementEvents: problems.length === 0,
    problems,
    evidence: {
      ...base,
      organizationEnabled: d.organizationEnabled,
      multiRegionEnabled: d.multiRegionEnabled,
      status: d.status,
      readManagementEvents: read,
      writeManagementEvents: write,
      verdict: problems.length === 0 ? 'records all management events' : problems.join(', '),
    },
  };
}

function dedupe(errors: KnownError[]): KnownError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.operation}|${e.accountId}|${e.region}|${e.code}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** "event data store NAME (organization, owned by ID)" for messages. */
export function describeStore(s: EventDataStore): string {
  const org = s.details.value?.organizationEnabled;
  return `CloudTrail Lake ${org ? 'organization ' : ''}event data store ${s.name} (${s.arn})`;
}
