import { keyOutOfScope, notCollected, ownerOutOfScope, bucketOutOfScope } from '../model/errors.js';
import { type Known, type KnownError, isUnknown } from '../model/known.js';
import type { ResourceRef } from '../model/result.js';
import type { AccountSnapshot, Bucket, InsightSelector, Snapshot, Trail } from '../model/snapshot.js';
import type {
  Account,
  AccountSettingName,
  AccountSettings,
  AccountView,
  BucketSettingName,
  BucketView,
  KeyView,
  KeySettingName,
  KeySettings,
  TrailView,
} from '../plugin/api.js';
import { type SnapshotIndex, accountResource, bucketResource, buildSnapshotIndex, keyResource, parseArn, trailResource } from './snapshot-index.js';

/**
 * The resolved scan model: every account, trail, bucket and key of the snapshot as the views checks
 * read, with their relations resolved (a trail's bucket and key in whichever scanned account owns
 * them, a bucket's trails, an account's applicable trails) and every missing value turned into a
 * Known error here, once. Built once per evaluation (and once per worker thread) and shared by
 * every check: views hold no per-check state, and lists they hand out are fresh copies.
 */
export interface ScanModel {
  index: SnapshotIndex;
  snapshot: Snapshot;
  /** The v2 account (no raw snapshot data). */
  account(id: string): Account | undefined;
  /** The v1 account view: the v2 account plus `data`, the account's raw snapshot record. */
  accountView(id: string): AccountView | undefined;
  trail(seen: Trail): TrailView;
  /** Bucket by name, when a scanned account owns it. */
  bucket(name: string): BucketView | undefined;
  /** Key by ARN, when a scanned account owns it. */
  key(arn: string): KeyView | undefined;
  /** Why `trail`'s bucket / key is not in the model. */
  unresolvedBucket(trail: Trail): KnownError;
  unresolvedKey(trail: Trail): KnownError;
  /** Every trail record once (the most complete one), by ARN. */
  sortedTrails(): readonly Trail[];
  /** Accounts whose trails (and so their buckets and keys) are unknown, and why. */
  unreadableTrailAccounts(): readonly { resource: ResourceRef; why: KnownError }[];
}

/** The S3 call behind each bucket setting, to name it when the setting is missing. */
const BUCKET_OPERATIONS: Record<BucketSettingName, string> = {
  policy: 'GetBucketPolicy',
  policyStatus: 'GetBucketPolicyStatus',
  acl: 'GetBucketAcl',
  publicAccessBlock: 'GetPublicAccessBlock',
  ownershipControls: 'GetBucketOwnershipControls',
  objectLock: 'GetObjectLockConfiguration',
  encryption: 'GetBucketEncryption',
  logging: 'GetBucketLogging',
  versioning: 'GetBucketVersioning',
  lifecycle: 'GetBucketLifecycleConfiguration',
  accessPoints: 'ListAccessPoints',
};

/** The KMS call behind each key setting and what to call it when it is missing. */
const KEY_SETTINGS: Record<KeySettingName, { operation: string; what: string }> = {
  metadata: { operation: 'DescribeKey', what: 'the key metadata is not in the snapshot' },
  policy: { operation: 'GetKeyPolicy', what: 'the key policy is not in the snapshot' },
  rotation: { operation: 'GetKeyRotationStatus', what: 'the key rotation status is not in the snapshot' },
};

/** The call behind each account-level section. */
const ACCOUNT_OPERATIONS: Record<AccountSettingName, string> = {
  regions: 'DescribeRegions',
  iam: 'GetAccountAuthorizationDetails',
  s3AccountPublicAccessBlock: 'GetPublicAccessBlock',
  eventHistory: 'LookupEvents',
  monitoring: 'DescribeMetricFilters',
  rootUser: 'GetAccountSummary',
  eventDataStores: 'ListEventDataStores',
};

export function buildScanModel(snapshot: Snapshot, index: SnapshotIndex = buildSnapshotIndex(snapshot)): ScanModel {
  const trailViews = new WeakMap<Trail, TrailView>();
  const bucketViews = new Map<string, BucketView>();
  const keyViews = new Map<string, KeyView>();
  const accounts = new Map<string, Account>();
  const accountViews = new Map<string, AccountView>();

  /**
   * Why a detail of a trail is missing: the owner account could not be read, the trail's owner was
   * not scanned (a member cannot read an organization trail's selectors), or it was not collected.
   */
  const missingDetail = (seenFrom: Trail, resolved: Trail, operation: string, what?: string): KnownError => {
    const owner = resolved.ownerAccountId;
    const ownerData = snapshot.accounts[owner];
    if (ownerData && isUnknown(ownerData.access)) return { ...ownerData.access.error, accountId: owner };
    if (ownerData?.trails && isUnknown(ownerData.trails)) return { ...ownerData.trails.error, accountId: owner };
    if (resolved.ownerAccountId !== seenFrom.ownerAccountId || !ownerData) return ownerOutOfScope(resolved.name, owner, resolved.homeRegion, operation);
    return notCollected(operation, owner, resolved.homeRegion, what);
  };

  const trail = (seen: Trail): TrailView => {
    const hit = trailViews.get(seen);
    if (hit) return hit;
    const resolved = index.trails.get(seen.arn) ?? seen;
    const detail = <T>(k: Known<T> | undefined, operation: string, what?: string): Known<T> => k ?? { error: missingDetail(seen, resolved, operation, what) };
    const insightSelectors = (): Known<InsightSelector[]> => {
      // GetInsightSelectors answers InsightNotEnabledException for a trail without Insights: that is "none".
      if (resolved.insightSelectors?.error?.code === 'InsightNotEnabledException') return { value: [] };
      // Not read, but DescribeTrails says the trail has none (HasInsightSelectors false): an answer too.
      if (!resolved.insightSelectors && resolved.hasInsightSelectors === false) return { value: [] };
      return detail(resolved.insightSelectors, 'GetInsightSelectors', 'the insight selectors of this trail are not in the snapshot');
    };
    const settings = {
      status: () => detail(resolved.status, 'GetTrailStatus'),
      eventSelectors: () => detail(resolved.eventSelectors, 'GetEventSelectors'),
      insightSelectors,
    };
    const view: TrailView = {
      trail: resolved,
      resource: trailResource(resolved),
      status: settings.status,
      regionStatuses: () => [
        { region: resolved.homeRegion, status: settings.status() },
        ...Object.keys(resolved.regionStatus ?? {})
          .filter((r) => r !== resolved.homeRegion)
          .sort()
          .map((region) => ({ region, status: resolved.regionStatus![region]! })),
      ],
      eventSelectors: settings.eventSelectors,
      insightSelectors,
      get: ((name: keyof typeof settings) => settings[name]()) as TrailView['get'],
      bucket: () => (resolved.s3BucketName ? resolveBucket(resolved) : null),
      key: () => (resolved.kmsKeyId ? resolveKey(resolved) : null),
    };
    trailViews.set(seen, view);
    return view;
  };

  const unresolvedBucket = (t: Trail): KnownError => {
    const name = t.s3BucketName as string;
    return snapshot.unresolved?.buckets?.[name] ?? bucketOutOfScope(name, t.ownerAccountId);
  };

  const unresolvedKey = (t: Trail): KnownError => {
    const arn = t.kmsKeyId as string;
    const reason = snapshot.unresolved?.keys?.[arn];
    if (reason) return reason;
    const parsed = parseArn(arn);
    const owner = parsed?.accountId;
    if (owner && snapshot.accounts[owner]) return notCollected('DescribeKey', owner, parsed?.region, `key ${arn} was not read in its owner account ${owner}`);
    return keyOutOfScope(arn, owner, t.ownerAccountId, parsed?.region);
  };

  const resolveBucket = (t: Trail): Known<BucketView> => {
    const view = bucket(t.s3BucketName as string);
    return view ? { value: view } : { error: unresolvedBucket(t) };
  };

  const resolveKey = (t: Trail): Known<KeyView> => {
    const view = key(t.kmsKeyId as string);
    return view ? { value: view } : { error: unresolvedKey(t) };
  };

  // Trails by bucket / key, computed once, when first asked.
  let usage: { byBucket: Map<string, TrailView[]>; byKey: Map<string, TrailView[]> } | undefined;
  const trailsUsing = () => {
    if (!usage) {
      usage = { byBucket: new Map(), byKey: new Map() };
      for (const t of index.trails.values()) {
        const view = trail(t);
        if (t.s3BucketName) push(usage.byBucket, t.s3BucketName, view);
        if (t.kmsKeyId) push(usage.byKey, t.kmsKeyId, view);
      }
    }
    return usage;
  };

  const bucket = (name: string): BucketView | undefined => {
    const cached = bucketViews.get(name);
    if (cached) return cached;
    const hit = index.buckets.get(name);
    if (!hit) return undefined;
    const resource = bucketResource(index, name, hit.accountId, hit.bucket.region.value);
    const setting = <K extends BucketSettingName>(s: K) =>
      (hit.bucket[s] ?? { error: notCollected(BUCKET_OPERATIONS[s], hit.accountId, resource.region) }) as NonNullable<Bucket[K]>;
    const view: BucketView = {
      bucket: hit.bucket,
      resource,
      get trails() {
        return [...(trailsUsing().byBucket.get(name) ?? [])];
      },
      setting,
      get: setting,
    };
    bucketViews.set(name, view);
    return view;
  };

  const key = (arn: string): KeyView | undefined => {
    const cached = keyViews.get(arn);
    if (cached) return cached;
    const hit = index.keys.get(arn);
    if (!hit) return undefined;
    const k = hit.key;
    const view: KeyView = {
      key: k,
      resource: keyResource(k, hit.accountId, k.region),
      get trails() {
        return [...(trailsUsing().byKey.get(arn) ?? [])];
      },
      get: <S extends KeySettingName>(s: S): Known<KeySettings[S]> =>
        (k[s] as Known<KeySettings[S]> | undefined) ?? { error: notCollected(KEY_SETTINGS[s].operation, k.ownerAccountId, k.region, KEY_SETTINGS[s].what) },
    };
    keyViews.set(arn, view);
    return view;
  };

  const account = (id: string): Account | undefined => {
    const cached = accounts.get(id);
    if (cached) return cached;
    const data = snapshot.accounts[id] as AccountSnapshot | undefined;
    if (!data) return undefined;
    const trailsOf = (own: boolean): Known<TrailView[]> => {
      if (isUnknown(data.access)) return { error: data.access.error };
      if (!data.trails) return { error: notCollected('DescribeTrails', id) };
      if (isUnknown(data.trails)) return data.trails;
      return { value: data.trails.value.filter((t) => !own || t.ownerAccountId === id).map(trail) };
    };
    const get = <K extends AccountSettingName>(name: K): Known<AccountSettings[K]> => {
      if (isUnknown(data.access)) return { error: data.access.error };
      const v = data[name];
      if (v === undefined) return { error: notCollected(ACCOUNT_OPERATIONS[name], id) };
      // iam, regions, the account Block Public Access and the root user are Known already; the others are plain records.
      if (name === 'iam' || name === 'regions' || name === 's3AccountPublicAccessBlock' || name === 'rootUser') return v as Known<AccountSettings[K]>;
      return { value: v as unknown as AccountSettings[K] };
    };
    const a: Account = {
      id,
      name: index.accountNames.get(id),
      resource: accountResource(index, id),
      ouPath: index.ouPaths.get(id) ?? [],
      isManagementAccount: index.managementAccountId === id,
      access: data.access,
      ownTrails: () => trailsOf(true),
      applicableTrails: () => trailsOf(false),
      unlistedRegions: () =>
        Object.entries(data.trailListing ?? {})
          .filter((e): e is [string, { error: KnownError }] => e[1].error !== undefined)
          .map(([region, k]) => ({ region, error: k.error }))
          .sort((x, y) => (x.region < y.region ? -1 : x.region > y.region ? 1 : 0)),
      get,
    };
    accounts.set(id, a);
    return a;
  };

  const accountView = (id: string): AccountView | undefined => {
    const cached = accountViews.get(id);
    if (cached) return cached;
    const a = account(id);
    if (!a) return undefined;
    const view: AccountView = { ...a, data: snapshot.accounts[id] as AccountSnapshot };
    accountViews.set(id, view);
    return view;
  };

  let sorted: Trail[] | undefined;
  let unreadable: { resource: ResourceRef; why: KnownError }[] | undefined;
  return {
    index,
    snapshot,
    account,
    accountView,
    trail,
    bucket,
    key,
    unresolvedBucket,
    unresolvedKey,
    sortedTrails: () => {
      sorted ??= [...index.trails.values()].sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
      return sorted;
    },
    unreadableTrailAccounts: () => {
      if (!unreadable) {
        unreadable = [];
        for (const id of index.accountIds) {
          const data = snapshot.accounts[id] as AccountSnapshot;
          const why = isUnknown(data.access) ? data.access.error : data.trails && isUnknown(data.trails) ? data.trails.error : undefined;
          if (why) unreadable.push({ resource: accountResource(index, id), why });
        }
      }
      return unreadable;
    },
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
