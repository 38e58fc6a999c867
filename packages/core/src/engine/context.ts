import { TRAILWARDEN_ERROR_CODES } from '../model/errors.js';
import { type Known, type KnownError, describeKnownError, isUnknown } from '../model/known.js';
import { type ResourceRef, STATUSES, type Status } from '../model/result.js';
import type { Snapshot, Trail } from '../model/snapshot.js';
import type {
  AccountView,
  BucketView,
  CheckContext,
  Context,
  Evidence,
  ExtensionTarget,
  KeyView,
  MessageData,
  ReportDescriptor,
  ScanFacts,
  Services,
  TrailView,
  UnreadableDescriptor,
} from '../plugin/api.js';
import {
  type CollectDeclaration,
  type ExtensionPlace,
  declarationHash,
  extensionKey,
  parseCommand,
} from '../plugin/collect-declaration.js';
import { CORE_MESSAGES, formatMessage } from './core-messages.js';

export { formatMessage };
import { isolatedFailure, keptAfterFailure } from './isolation.js';
import type { ScanModel } from './scan-model.js';
import { bucketResource, keyResource, parseArn } from './snapshot-index.js';

/** A finding as a check (or the engine) reported it, before the engine adds the check's metadata. */
export interface RawFinding {
  status: Status;
  resource: ResourceRef;
  message: string;
  messageId?: string;
  /** The data the message was formatted with. */
  data?: MessageData;
  evidence: Evidence;
}

export class CheckBudgetExceeded extends Error {
  constructor(readonly budgetMs: number) {
    super(`ran past its time budget of ${budgetMs} ms`);
  }
}

export interface ContextInput {
  checkId: string;
  /** The plugin API version the check was written for: 1 gets the v1 context, 2 the v2 one. */
  apiVersion: number;
  /** The plugin the check came from: its `collect` entries live in this snapshot namespace. */
  plugin?: string;
  collect?: Record<string, CollectDeclaration>;
  messages: Record<string, string>;
  options: object;
  now: Date;
  model: ScanModel;
  services: Services;
  emit(finding: RawFinding): void;
  /** Throws CheckBudgetExceeded once the check's time is up (checked on every context call). */
  guard(): void;
}

/** "trail main", "trails a, b", "5 trails (a, b, c, ...)": names the trails of a bucket or key in a message. */
export function describeTrails(trails: readonly TrailView[]): string {
  const names = trails.map((t) => t.trail.name).sort();
  if (names.length === 0) return 'no scanned trail';
  if (names.length > 3) return `${names.length} trails (${names.slice(0, 3).join(', ')}, ...)`;
  return `${names.length === 1 ? 'trail' : 'trails'} ${names.join(', ')}`;
}

export function createCheckContext(input: ContextInput): CheckContext<object, string> | Context<object, string> {
  const { model, guard } = input;
  const { index, snapshot } = model;
  const v1 = input.apiVersion === 1;
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

  const message = (messageId: string, data: MessageData | undefined): string => {
    const template = input.messages[messageId];
    if (template === undefined) throw new Error(`reported unknown message id "${messageId}" (declare it in meta.messages)`);
    return formatMessage(template, data);
  };

  /** The one report call (v2), and what the v1 calls come down to. */
  const report = (d: ReportDescriptor | UnreadableDescriptor): void => {
    guard();
    if (d.status === 'ERROR' && d.error !== undefined) {
      sink(unreadable(d.resource, d.error, d.evidence));
      return;
    }
    const { status, resource, messageId, data, evidence } = d as ReportDescriptor;
    if (!(STATUSES as readonly string[]).includes(status)) throw new Error(`reported unknown status "${String(status)}"`);
    sink({ status, resource, message: message(messageId, data), messageId, data: data ?? {}, evidence: evidence ?? {} });
  };

  /** v1 `ctx.error`: prose or a Known error, with no message id (as v1 reported it). */
  const errorV1 = (resource: ResourceRef, cause: KnownError | string, evidence?: Evidence) => {
    guard();
    const text = typeof cause === 'string' ? cause : `Cannot decide: ${describeKnownError(cause)}.`;
    const ev: Evidence = { ...(evidence ?? {}) };
    if (typeof cause !== 'string') ev.error = { ...cause } as Evidence;
    sink({ status: 'ERROR', resource, message: text, evidence: ev });
  };
  /** The ERROR the context itself reports (an unreadable account, trail listing, bucket or key). */
  const errorHere = (resource: ResourceRef, cause: KnownError, evidence?: Evidence) => {
    if (v1) errorV1(resource, cause, evidence);
    else report({ status: 'ERROR', resource, error: cause, ...(evidence ? { evidence } : {}) });
  };

  const accountOf = (id: string) => (v1 ? model.accountView(id) : model.account(id));
  const accounts = () => {
    guard();
    return index.accountIds.map((id) => accountOf(id) as AccountView);
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
    const missing = (text: string): Known<T> => ({
      error: { code: TRAILWARDEN_ERROR_CODES.NotCollected, message: text, operation, accountId, ...(region ? { region } : {}) },
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

  const forEachAccount = (fn: (account: AccountView) => void) => {
    for (const account of accounts()) {
      if (isUnknown(account.access)) errorHere(account.resource, account.access.error);
      else isolate(account.resource, () => fn(account));
    }
  };

  const forEachTrail = (fn: (trail: TrailView) => void) => {
    for (const account of accounts()) {
      const trails = account.ownTrails();
      if (isUnknown(trails)) {
        errorHere(account.resource, trails.error);
        continue;
      }
      for (const t of trails.value) isolate(t.resource, () => fn(t));
      // A single-region trail homed where DescribeTrails failed is invisible: name the gap, never skip it.
      for (const { region, error } of account.unlistedRegions()) {
        const unseen: ResourceRef = {
          arn: `arn:${index.partition}:cloudtrail:${region}:${account.id}:trail/*`,
          type: 'AWS::CloudTrail::Trail',
          name: `trails homed in ${region}`,
          accountId: account.id,
          region,
        };
        errorHere(unseen, error, { consequence: `trails homed only in ${region} could not be listed, so they were not judged` });
      }
    }
    // An organization trail whose scanned owner could not be read (the management account without
    // the scan role) but whose details were read from another account (the CloudTrail delegated
    // administrator, or a member for its status): judged from that record.
    for (const t of model.sortedTrails()) {
      if (!snapshot.accounts[t.ownerAccountId] || !isUnknown((model.account(t.ownerAccountId) as AccountView).ownTrails())) continue;
      if (t.status === undefined && t.eventSelectors === undefined && t.insightSelectors === undefined) continue;
      fn(model.trail(t));
    }
  };

  /** Every bucket (key) once: the resolved ones judged in isolation, the unresolved ones an ERROR. */
  const forEachResolved = <V extends { resource: ResourceRef }>(
    ids: Iterable<string>,
    refOf: (t: Trail) => string | undefined,
    viewOf: (id: string) => V | undefined,
    unresolved: (id: string, referrer: Trail) => { resource: ResourceRef; why: KnownError },
    what: string,
    fn: (view: V) => void,
  ) => {
    const seen = new Set<string>();
    const visit = (id: string, referrer?: Trail) => {
      if (seen.has(id)) return;
      seen.add(id);
      const view = viewOf(id);
      if (view) isolate(view.resource, () => fn(view));
      else {
        const u = unresolved(id, referrer as Trail);
        errorHere(u.resource, u.why);
      }
    };
    const referrers = model.unreadableTrailAccounts();
    for (const id of [...ids].sort()) visit(id);
    for (const t of model.sortedTrails()) {
      const ref = refOf(t);
      if (ref) visit(ref, t);
    }
    for (const a of referrers) errorHere(a.resource, a.why, { consequence: `the ${what} its trails use are unknown` });
  };

  const forEachBucket = (fn: (bucket: BucketView) => void) =>
    forEachResolved(
      index.buckets.keys(),
      (t) => t.s3BucketName,
      model.bucket,
      (name, r) => ({ resource: bucketResource(index, name, r.ownerAccountId, r.homeRegion), why: model.unresolvedBucket(r) }),
      'buckets',
      fn,
    );

  const forEachKey = (fn: (key: KeyView) => void) =>
    forEachResolved(
      index.keys.keys(),
      (t) => t.kmsKeyId,
      model.key,
      (arn, r) => {
        const parsed = parseArn(arn);
        return { resource: keyResource({ arn }, parsed?.accountId ?? r.ownerAccountId, parsed?.region ?? r.homeRegion), why: model.unresolvedKey(r) };
      },
      'keys',
      fn,
    );

  const common = {
    checkId: input.checkId,
    options: input.options,
    now: input.now,
    partition: index.partition,
    accounts,
    account: (id: string) => accountOf(id),
    forEachAccount,
    forEachTrail,
    forEachBucket,
    forEachKey,
    isolate,
    extension: extension as CheckContext<object, string>['extension'],
  };

  if (v1) {
    const ctx: CheckContext<object, string> = {
      ...common,
      account: (id) => model.accountView(id),
      snapshot,
      selectors: input.services.selectors,
      pass: (r, m, d, e) => report({ status: 'PASS', resource: r, messageId: m, data: d, evidence: e }),
      fail: (r, m, d, e) => report({ status: 'FAIL', resource: r, messageId: m, data: d, evidence: e }),
      notApplicable: (r, m, d, e) => report({ status: 'NOT_APPLICABLE', resource: r, messageId: m, data: d, evidence: e }),
      error: errorV1,
    };
    return ctx;
  }
  const ctx: Context<object, string> = {
    ...(common as Omit<Context<object, string>, 'scan' | 'services' | 'report'>),
    scan: scanFacts(snapshot),
    services: input.services,
    report,
  };
  return ctx;
}

/** The ERROR for a value that could not be read, with the core message id. */
export function unreadable(resource: ResourceRef, error: KnownError, evidence?: Evidence): RawFinding {
  const data: MessageData = { code: error.code, operation: error.operation, reason: describeKnownError(error) };
  return {
    status: 'ERROR',
    resource,
    message: formatMessage(CORE_MESSAGES['core.cannotDecide'], data),
    messageId: 'core.cannotDecide',
    data,
    evidence: { ...(evidence ?? {}), error: { ...error } as Evidence },
  };
}

const factsCache = new WeakMap<Snapshot, ScanFacts>();
function scanFacts(snapshot: Snapshot): ScanFacts {
  let facts = factsCache.get(snapshot);
  if (!facts) {
    const verified = snapshot.logIntegrity;
    facts = {
      collectedAt: snapshot.collectedAt,
      mode: snapshot.scope.mode,
      logsVerified: verified !== undefined,
      logIntegrity: (arn) => (verified && Object.hasOwn(verified, arn) ? verified[arn] : undefined),
      unscannedAccounts: () =>
        (snapshot.organization?.value?.accounts ?? [])
          .filter((a) => !Object.hasOwn(snapshot.accounts, a.id) && a.status === 'ACTIVE')
          .map((a) => a.id)
          .sort(),
    };
    factsCache.set(snapshot, facts);
  }
  return facts;
}
