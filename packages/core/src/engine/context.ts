import { type Known, type KnownError, describeKnownError, isUnknown } from '../model/known.js';
import type { ResourceRef, Status } from '../model/result.js';
import type { AccountSnapshot, Bucket, Trail } from '../model/snapshot.js';
import type {
  AccountView,
  BucketSettingName,
  BucketView,
  CheckContext,
  Evidence,
  KeyView,
  MessageData,
  TrailView,
} from '../plugin/api.js';
import {
  type CollectDeclaration,
  type ExtensionPlace,
  declarationHash,
  extensionKey,
  parseCommand,
} from '../plugin/collect-declaration.js';
import type { ExtensionTarget } from '../plugin/api.js';
import type { SelectorEvaluator } from '../selectors/evaluator.js';
import {
  type SnapshotIndex,
  accountResource,
  bucketResource,
  keyResource,
  knownOrNotCollected,
  notCollected,
  parseArn,
  trailResource,
} from './snapshot-index.js';
import { isolatedFailure, keptAfterFailure } from './isolation.js';

export interface RawFinding {
  status: Status;
  resource: ResourceRef;
  message: string;
  messageId?: string;
  evidence: Evidence;
}

export class CheckBudgetExceeded extends Error {
  constructor(readonly budgetMs: number) {
    super(`ran past its time budget of ${budgetMs} ms`);
  }
}

export interface ContextInput {
  checkId: string;
  /** The plugin the check came from: its `collect` entries live in this snapshot namespace. */
  plugin?: string;
  collect?: Record<string, CollectDeclaration>;
  messages: Record<string, string>;
  options: object;
  now: Date;
  index: SnapshotIndex;
  selectors: SelectorEvaluator;
  emit(finding: RawFinding): void;
  /** Throws CheckBudgetExceeded once the check's time is up (checked on every context call). */
  guard(): void;
}

const compiledTemplates = new Map<string, string[]>();

/** `Trail {{name}} ...` with data → text. Templates are split once: this runs once per finding. */
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
};

/** "trail main", "trails a, b", "5 trails (a, b, c, ...)": names the trails of a bucket or key in a message. */
export function describeTrails(trails: readonly TrailView[]): string {
  const names = trails.map((t) => t.trail.name).sort();
  if (names.length === 0) return 'no scanned trail';
  if (names.length > 3) return `${names.length} trails (${names.slice(0, 3).join(', ')}, ...)`;
  return `${names.length === 1 ? 'trail' : 'trails'} ${names.join(', ')}`;
}

export function formatMessage(template: string, data: MessageData | undefined): string {
  let parts = compiledTemplates.get(template);
  if (!parts) {
    // Odd indexes are placeholder names.
    parts = template.split(/\{\{\s*([\w.-]+)\s*\}\}/);
    compiledTemplates.set(template, parts);
  }
  if (parts.length === 1) return template;
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (i % 2 === 0) out += part;
    else out += data && part in data ? String(data[part]) : `{{${part}}}`;
  }
  return out;
}

export function createCheckContext(input: ContextInput): CheckContext<object, string> {
  const { index, guard } = input;
  const snapshot = index.snapshot;
  // Where findings go: the engine, or the buffer of the isolated judgement in progress.
  let sink: (f: RawFinding) => void = input.emit;

  /** See CheckContext.isolate. A budget overrun is not the resource's fault: it stops the check. */
  const isolate = (resource: ResourceRef, judge: () => void): boolean => {
    const outer = sink;
    const emitted: RawFinding[] = [];
    sink = (f) => emitted.push(f);
    try {
      judge();
      sink = outer;
      for (const f of emitted) outer(f);
      return true;
    } catch (e) {
      sink = outer;
      if (e instanceof CheckBudgetExceeded) throw e;
      for (const f of keptAfterFailure(emitted, resource)) outer(f);
      outer(isolatedFailure(resource, input.checkId, e));
      return false;
    }
  };

  const report = (status: Status, resource: ResourceRef, messageId: string, data?: MessageData, evidence?: Evidence) => {
    guard();
    const template = input.messages[messageId];
    if (template === undefined) {
      throw new Error(`reported unknown message id "${messageId}" (declare it in meta.messages)`);
    }
    sink({ status, resource, message: formatMessage(template, data), messageId, evidence: evidence ?? {} });
  };

  const error = (resource: ResourceRef, cause: KnownError | string, evidence?: Evidence) => {
    guard();
    const message =
      typeof cause === 'string' ? cause : `Cannot decide: ${describeKnownError(cause)}.`;
    const ev: Evidence = { ...(evidence ?? {}) };
    if (typeof cause !== 'string') ev.error = { ...cause } as Evidence;
    sink({ status: 'ERROR', resource, message, evidence: ev });
  };

  /**
   * Why a detail of a trail is missing: the owner account could not be read, the trail's owner was
   * not scanned (a member cannot read an organization trail's selectors), or it was not collected.
   */
  const missingDetail = (seenFrom: Trail, resolved: Trail, operation: string): KnownError => {
    const owner = resolved.ownerAccountId;
    const ownerData = snapshot.accounts[owner];
    if (ownerData && isUnknown(ownerData.access)) return { ...ownerData.access.error, accountId: owner };
    if (ownerData?.trails && isUnknown(ownerData.trails)) return { ...ownerData.trails.error, accountId: owner };
    if (resolved.ownerAccountId !== seenFrom.ownerAccountId || !ownerData) {
      return {
        code: 'OwnerOutOfScope',
        message: `trail ${resolved.name} is owned by account ${owner}, which was not scanned; its ${operation === 'GetTrailStatus' ? 'status' : 'selectors'} can be read only there`,
        operation,
        accountId: owner,
        region: resolved.homeRegion,
      };
    }
    return knownOrNotCollected(undefined, operation, owner, resolved.homeRegion).error as KnownError;
  };

  const trailView = (trail: Trail): TrailView => {
    const resolved = index.trails.get(trail.arn) ?? trail;
    const detail = <T>(k: Known<T> | undefined, operation: string): Known<T> => k ?? { error: missingDetail(trail, resolved, operation) };
    return {
      trail: resolved,
      resource: trailResource(resolved),
      status: () => detail(resolved.status, 'GetTrailStatus'),
      regionStatuses: () => [
        { region: resolved.homeRegion, status: detail(resolved.status, 'GetTrailStatus') },
        ...Object.keys(resolved.regionStatus ?? {})
          .filter((r) => r !== resolved.homeRegion)
          .sort()
          .map((region) => ({ region, status: resolved.regionStatus![region]! })),
      ],
      eventSelectors: () => detail(resolved.eventSelectors, 'GetEventSelectors'),
      insightSelectors: () => detail(resolved.insightSelectors, 'GetInsightSelectors'),
      bucket: () => (resolved.s3BucketName ? resolveBucket(resolved) : null),
      key: () => (resolved.kmsKeyId ? resolveKey(resolved) : null),
    };
  };

  const resolveBucket = (trail: Trail): Known<BucketView> => {
    const name = trail.s3BucketName as string;
    const hit = index.buckets.get(name);
    if (hit) return { value: bucketView(name) };
    const reason = snapshot.unresolved?.buckets?.[name];
    return {
      error: reason ?? {
        code: 'BucketOutOfScope',
        message: `bucket ${name} is not owned by any scanned account (or was not collected)`,
        operation: 'ListBuckets',
        accountId: trail.ownerAccountId,
      },
    };
  };

  const resolveKey = (trail: Trail): Known<KeyView> => {
    const arn = trail.kmsKeyId as string;
    if (index.keys.has(arn)) return { value: keyView(arn) };
    const owner = parseArn(arn)?.accountId;
    const reason = snapshot.unresolved?.keys?.[arn];
    return {
      error: reason ?? {
        code: owner && snapshot.accounts[owner] ? 'NotCollected' : 'KeyOutOfScope',
        message:
          owner && snapshot.accounts[owner]
            ? `key ${arn} was not read in its owner account ${owner}`
            : `key ${arn} is owned by account ${owner ?? '(unknown)'}, which was not scanned`,
        operation: 'DescribeKey',
        accountId: owner ?? trail.ownerAccountId,
        region: parseArn(arn)?.region,
      },
    };
  };

  // Trails by bucket / key, computed lazily once per context.
  let trailsByBucket: Map<string, TrailView[]> | undefined;
  let trailsByKey: Map<string, TrailView[]> | undefined;
  const usage = () => {
    if (!trailsByBucket || !trailsByKey) {
      trailsByBucket = new Map();
      trailsByKey = new Map();
      for (const t of index.trails.values()) {
        const view = trailView(t);
        if (t.s3BucketName) push(trailsByBucket, t.s3BucketName, view);
        if (t.kmsKeyId) push(trailsByKey, t.kmsKeyId, view);
      }
    }
    return { byBucket: trailsByBucket, byKey: trailsByKey };
  };

  const bucketView = (name: string): BucketView => {
    const hit = index.buckets.get(name)!;
    const region = hit.bucket.region.value;
    const resource = bucketResource(index, name, hit.accountId, region);
    return {
      bucket: hit.bucket,
      resource,
      trails: usage().byBucket.get(name) ?? [],
      setting: (setting) =>
        (hit.bucket[setting] ?? { error: notCollected(BUCKET_OPERATIONS[setting], hit.accountId, resource.region) }) as NonNullable<Bucket[typeof setting]>,
    };
  };

  const keyView = (arn: string): KeyView => {
    const hit = index.keys.get(arn)!;
    return { key: hit.key, resource: keyResource(hit.key, hit.accountId, hit.key.region), trails: usage().byKey.get(arn) ?? [] };
  };

  const accountView = (id: string): AccountView => {
    const data = snapshot.accounts[id] as AccountSnapshot;
    const trailsOf = (own: boolean): Known<TrailView[]> => {
      if (isUnknown(data.access)) return { error: data.access.error };
      const trails = knownOrNotCollected(data.trails, 'DescribeTrails', id);
      if (isUnknown(trails)) return trails;
      return { value: trails.value.filter((t) => !own || t.ownerAccountId === id).map(trailView) };
    };
    return {
      id,
      name: index.accountNames.get(id),
      resource: accountResource(index, id),
      ouPath: index.ouPaths.get(id) ?? [],
      isManagementAccount: index.managementAccountId === id,
      data,
      ownTrails: () => trailsOf(true),
      applicableTrails: () => trailsOf(false),
    };
  };

  const accounts = () => {
    guard();
    return index.accountIds.map(accountView);
  };

  /** Where a check asked to read an entry, checked against the entry's placement. */
  const placeOf = (entry: string, decl: CollectDeclaration, at: ExtensionTarget): { place: ExtensionPlace; accountId: string; region?: string } => {
    const a = (at ?? {}) as Partial<{ accountId: string; region: string; trail: TrailView; bucket: BucketView; key: KeyView }>;
    const wrong = (what: string) => new Error(`ctx.extension("${entry}") is collected per ${decl.per}: pass ${what}`);
    switch (decl.per) {
      case 'account':
        if (typeof a.accountId !== 'string') throw wrong('{ accountId }');
        return { place: { per: 'account', accountId: a.accountId }, accountId: a.accountId };
      case 'region':
        if (typeof a.accountId !== 'string' || typeof a.region !== 'string') throw wrong('{ accountId, region }');
        return { place: { per: 'region', accountId: a.accountId, region: a.region }, accountId: a.accountId, region: a.region };
      case 'trail':
        if (!a.trail) throw wrong('{ trail } (a TrailView)');
        return { place: { per: 'trail', arn: a.trail.trail.arn }, accountId: a.trail.trail.ownerAccountId, region: a.trail.trail.homeRegion };
      case 'bucket':
        if (!a.bucket) throw wrong('{ bucket } (a BucketView)');
        return { place: { per: 'bucket', name: a.bucket.bucket.name }, accountId: a.bucket.resource.accountId, region: a.bucket.resource.region };
      case 'key':
        if (!a.key) throw wrong('{ key } (a KeyView)');
        return { place: { per: 'key', arn: a.key.key.arn }, accountId: a.key.resource.accountId, region: a.key.resource.region };
    }
  };

  const extension = <T>(entry: string, at: ExtensionTarget): Known<T> => {
    guard();
    const decl = input.collect?.[entry];
    if (!decl) throw new Error(`ctx.extension("${entry}"): declare "${entry}" in the check's collect`);
    const plugin = input.plugin ?? '';
    const { place, accountId, region } = placeOf(entry, decl, at);
    const operation = parseCommand(decl.command)?.operation ?? decl.command;
    const missing = (message: string): Known<T> => ({
      error: { code: 'NotCollected', message, operation, accountId, ...(region ? { region } : {}) },
    });
    const requested = snapshot.extensionsRequested?.[plugin]?.[entry];
    if (requested === undefined) {
      return missing(`${decl.command} (entry "${entry}" of plugin ${plugin}) is not in the snapshot; collect again with this check enabled`);
    }
    if (requested !== declarationHash(decl)) {
      return missing(`the snapshot holds entry "${entry}" of plugin ${plugin} as an older declaration read it (the plugin changed what it collects); collect again with this check enabled`);
    }
    const stored = snapshot.extensions?.[plugin]?.[extensionKey(entry, place)];
    if (stored) return stored as Known<T>;
    // Not read there: say why when the snapshot knows (the account could not be read).
    const account = snapshot.accounts[accountId];
    if (account && isUnknown(account.access)) return { error: account.access.error };
    if (decl.per === 'region' && account?.regions && isUnknown(account.regions)) return { error: account.regions.error };
    return missing(`${decl.command} was not read for this ${decl.per} (outside the scanned accounts or regions?)`);
  };

  const ctx: CheckContext<object, string> = {
    checkId: input.checkId,
    options: input.options,
    now: input.now,
    partition: index.partition,
    snapshot,
    selectors: input.selectors,
    accounts,
    account: (id) => (snapshot.accounts[id] ? accountView(id) : undefined),
    forEachAccount(fn) {
      for (const account of accounts()) {
        if (isUnknown(account.data.access)) error(account.resource, account.data.access.error);
        else isolate(account.resource, () => fn(account));
      }
    },
    forEachTrail(fn) {
      for (const account of accounts()) {
        const trails = account.ownTrails();
        if (isUnknown(trails)) {
          error(account.resource, trails.error);
          continue;
        }
        for (const t of trails.value) isolate(t.resource, () => fn(t));
        // A single-region trail homed where DescribeTrails failed is invisible: name the gap, never skip it.
        const listing = account.data.trailListing ?? {};
        for (const region of Object.keys(listing).sort()) {
          const failed = listing[region]?.error;
          if (!failed) continue;
          const unseen: ResourceRef = {
            arn: `arn:${index.partition}:cloudtrail:${region}:${account.id}:trail/*`,
            type: 'AWS::CloudTrail::Trail',
            name: `trails homed in ${region}`,
            accountId: account.id,
            region,
          };
          error(unseen, failed, { consequence: `trails homed only in ${region} could not be listed, so they were not judged` });
        }
      }
      // An organization trail whose scanned owner could not be read (the management account without
      // the scan role) but whose details were read from another account (the CloudTrail delegated
      // administrator, or a member for its status): judged from that record.
      for (const t of sortedTrails()) {
        if (!snapshot.accounts[t.ownerAccountId] || !isUnknown(accountView(t.ownerAccountId).ownTrails())) continue;
        if (t.status === undefined && t.eventSelectors === undefined && t.insightSelectors === undefined) continue;
        fn(trailView(t));
      }
    },
    forEachBucket(fn) {
      const seen = new Set<string>();
      const visit = (name: string, referrer?: Trail) => {
        if (seen.has(name)) return;
        seen.add(name);
        if (index.buckets.has(name)) {
          const view = bucketView(name);
          isolate(view.resource, () => fn(view));
          return;
        }
        const r = referrer as Trail;
        const res = resolveBucket(r);
        error(bucketResource(index, name, r.ownerAccountId, r.homeRegion), res.error as KnownError);
      };
      const referrers = unreadableTrailAccounts();
      for (const name of [...index.buckets.keys()].sort()) visit(name);
      for (const t of sortedTrails()) if (t.s3BucketName) visit(t.s3BucketName, t);
      for (const a of referrers) error(a.resource, a.why, { consequence: 'the buckets its trails use are unknown' });
    },
    forEachKey(fn) {
      const seen = new Set<string>();
      const visit = (arn: string, referrer?: Trail) => {
        if (seen.has(arn)) return;
        seen.add(arn);
        if (index.keys.has(arn)) {
          const view = keyView(arn);
          isolate(view.resource, () => fn(view));
          return;
        }
        const r = referrer as Trail;
        const res = resolveKey(r);
        const parsed = parseArn(arn);
        error(keyResource({ arn }, parsed?.accountId ?? r.ownerAccountId, parsed?.region ?? r.homeRegion), res.error as KnownError);
      };
      const referrers = unreadableTrailAccounts();
      for (const arn of [...index.keys.keys()].sort()) visit(arn);
      for (const t of sortedTrails()) if (t.kmsKeyId) visit(t.kmsKeyId, t);
      for (const a of referrers) error(a.resource, a.why, { consequence: 'the keys its trails use are unknown' });
    },
    pass: (r, m, d, e) => report('PASS', r, m, d, e),
    fail: (r, m, d, e) => report('FAIL', r, m, d, e),
    notApplicable: (r, m, d, e) => report('NOT_APPLICABLE', r, m, d, e),
    error,
    isolate,
    extension: extension as CheckContext<object, string>['extension'],
  };

  function sortedTrails(): Trail[] {
    return [...index.trails.values()].sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  }

  function unreadableTrailAccounts(): { resource: ResourceRef; why: KnownError }[] {
    const out: { resource: ResourceRef; why: KnownError }[] = [];
    for (const id of index.accountIds) {
      const data = snapshot.accounts[id] as AccountSnapshot;
      const why = isUnknown(data.access) ? data.access.error : data.trails && isUnknown(data.trails) ? data.trails.error : undefined;
      if (why) out.push({ resource: accountResource(index, id), why });
    }
    return out;
  }

  return ctx;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
