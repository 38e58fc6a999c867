import { setMaxListeners } from 'node:events';
import { GetCallerIdentityCommand, type GetCallerIdentityCommandOutput } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import {
  type AccountSnapshot,
  type ExtensionRequest,
  PLACEMENT_SECTION,

  type Known,
  type KnownError,
  type Partition,
  type RegionInfo,
  resolveSections,
  SNAPSHOT_SCHEMA_VERSION,
  type Snapshot,
  type SnapshotScope,
  type SnapshotSection,
  type Trail,
  TRAILWARDEN_ERROR_CODES,
  didYouMean,
} from '@trailwarden/core';
import { compareStrings, parseArn } from './arn.js';
import { ClientFactory, type Credentials, memoizeCredentials } from './clients.js';
import { RoleAssumer } from './credentials.js';
import { CollectorError, errorCode, errorMessage, toKnownError } from './errors.js';
import { assertProfileExists } from './profiles.js';
import { oneLineSdkLogger } from './sdk-logger.js';
import { collectExtensions, resolveExtensions } from './extensions.js';
import { Caller, scanTimeoutError } from './pacing/caller.js';
import { Metrics } from './pacing/metrics.js';
import { forEachLimit } from './pool.js';
import { type CollectProgress, ProgressReporter } from './progress.js';
import type { ListedBucket } from './read/buckets.js';
import type { Sighting } from './read/foreign-trails.js';
import { selectAccounts, validateFilters } from './scope.js';
import { AccountSession } from './session.js';
import { CredentialExpiry, isExpiredCredentials } from './expiry.js';
import { type HomeRegion, resolveHomeRegion } from './home-region.js';
import { partitionOfRegion } from './partitions.js';
import { type ShardSpec, type ShardState, assertShardSpec, cutShard, probeSharedBuckets, readForeignKeys, shardRecord } from './shard.js';

export interface CollectOptions {
  sections: SnapshotSection[];
  endpointUrl?: string;
  region?: string;
  profile?: string;
  credentials?: Credentials;
  roleName?: string;
  /**
   * The role to assume in the management account when the caller is not it (Organizations creates
   * OrganizationAccountAccessRole only in accounts made with CreateAccount, never in the management
   * account). Default: `roleName`.
   */
  managementRoleName?: string;
  externalId?: string;
  accounts?: string[];
  excludeAccounts?: string[];
  ous?: string[];
  regions?: string[];
  concurrency?: number;
  maxAttempts?: number;
  onProgress?: (e: CollectProgress) => void;
  now?: () => Date;
  /**
   * Plugins' `collect` entries (core's `collectRequests(checks)`): extra read-only calls, stored
   * under `snapshot.extensions[plugin]`. The sections their placements walk are collected too.
   */
  extensions?: ExtensionRequest[];
  /** IAM actions (`service:Action`) plugin entries may call beyond the read-only allow-list (config `collection.allow`). */
  collectionAllow?: string[];
  /**
   * Overall time limit in ms: after it no call starts and in-flight ones are cancelled, each read
   * not done becomes a `ScanTimeout` error, and collect() returns what it has (incomplete).
   */
  timeoutMs?: number;
  /** Read only this shard of the selected accounts (`collect --shard K/N`); see `./shard.ts`. */
  shard?: ShardSpec;
}

export const DEFAULT_ROLE_NAME = 'OrganizationAccountAccessRole';
export const DEFAULT_CONCURRENCY = 16;
const TOOL = { name: 'trailwarden', version: '0.1.0' };
const PARTITIONS = new Set<Partition>(['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b']);
const TRAIL_DETAIL_SECTIONS: SnapshotSection[] = ['trailStatus', 'eventSelectors', 'insightSelectors'];
/** Buckets (and keys) of one owner read at once. */
const RESOURCES_PER_OWNER = 8;

/**
 * Collect a Snapshot: discover the organization, read every scanned account (bounded concurrency;
 * an account's pacing state lives only while it is processed, SDK clients are shared), then read
 * the buckets and keys the trails use, each in the account that owns it.
 */
export async function collect(options: CollectOptions): Promise<Snapshot> {
  validateFilters(options, options.regions);
  if (options.shard) assertShardSpec(options.shard);
  const placementSections = (options.extensions ?? []).flatMap((r) => Object.values(r.entries).map((d) => PLACEMENT_SECTION[d.per]).filter((s) => s !== undefined));
  const sections = new Set(resolveSections([...options.sections, ...placementSections]));
  // Before any AWS call: a bad declaration or a missing SDK package is the user's setup.
  const extensionEntries = await resolveExtensions(options.extensions ?? [], undefined, options.collectionAllow ?? []);
  if (options.profile && !options.credentials) assertProfileExists(options.profile);
  // As the SDK resolves it (--region first, then AWS_REGION, then the profile's region): GovCloud
  // and China credentials are known only to their own partition's endpoints.
  const home = await resolveHomeRegion(options.region, options.profile);
  const homeRegion = home.region;
  const startedAt = Date.now();
  const metrics = new Metrics();
  const progress = new ProgressReporter(metrics, options.onProgress);
  const deadline = scanDeadline(options.timeoutMs);
  // Without a time limit the stop signal (expired credentials) keeps new calls from starting; the few
  // in flight end on their own, so requests need not listen on it.
  const caller = new Caller({ metrics, maxAttempts: options.maxAttempts ?? 8, signal: deadline.signal, abortInFlight: options.timeoutMs !== undefined });
  const factory = new ClientFactory(options.endpointUrl ?? (process.env.AWS_ENDPOINT_URL || undefined));
  const baseCredentials = memoizeCredentials(
    options.credentials ??
      fromNodeProviderChain({ ...(options.profile ? { profile: options.profile } : {}), clientConfig: { region: homeRegion }, logger: oneLineSdkLogger() }),
  );
  const now = options.now ?? (() => new Date());
  progress.emit('discovery');
  try {
    // Who is calling: the account read with the caller's own credentials, and the partition.
    const probe = new AccountSession('caller', baseCredentials, factory, caller);
    let identity: GetCallerIdentityCommandOutput;
    // The first call goes out now; the readers and the other SDK clients load while it is in flight.
    const identifying = probe.send<GetCallerIdentityCommandOutput>('sts', homeRegion, new GetCallerIdentityCommand({}));
    const readers = loadReaders();
    readers.catch(() => undefined); // awaited below; a failure to load is reported there
    try {
      identity = await identifying;
    } catch (err) {
      if (deadline.signal.aborted) throw scanTimeoutError(deadline.signal);
      // Nothing can be read without working credentials: say so plainly, once.
      throw new CollectorError(
        errorCode(err),
        `cannot identify the caller (sts:GetCallerIdentity in ${homeRegion}: ${errorCode(err)}${errorMessage(err) ? ` — ${errorMessage(err)}` : ''}); ${identifyHint(errorCode(err), home)}`,
      );
    } finally {
      probe.close();
    }
    factory.useClientClasses((await readers).sdkClients);
    const callerId = identity.Account ?? '';
    const partitionName = parseArn(identity.Arn ?? '')?.partition ?? 'aws';
    const partition: Partition = PARTITIONS.has(partitionName as Partition) ? (partitionName as Partition) : 'aws';
    // Credentials that expire mid-scan: an assumed role is assumed again; the caller's own stop the scan, once, saying why.
    let assumer: RoleAssumer | undefined;
    const expiry = new CredentialExpiry({
      startedAt,
      currentBase: () => baseCredentials(),
      refreshBase: () => baseCredentials.refresh(),
      forgetRole: (accountId, before) => assumer?.forget(accountId, before),
      progress: () => ({ done: progress.accountsDone, total: progress.accountsTotal }),
      stop: (reason) => deadline.stop(reason),
    });
    const callerSession = new AccountSession(callerId, baseCredentials, factory, caller, { handler: expiry, base: true });
    // A mistyped --regions entry would be silently dropped by every account: check it against the
    // partition's regions (one DescribeRegions in the caller's account) before reading any account.
    if (options.regions?.length) await assertKnownRegions(callerSession, homeRegion, metrics, options.regions, partitionName);

    const discovery = await R.discoverOrganization(callerSession, homeRegion, metrics, sections.has('organization'));
    const notes = [...discovery.notes];
    let targets: { id: string; name?: string }[];
    if (discovery.mode === 'organization') {
      const selected = selectAccounts(discovery.organization.accounts, options);
      targets = selected.accounts;
      notes.push(...selected.notes);
    } else {
      const excluded = (options.accounts?.length && !options.accounts.includes(callerId)) || options.excludeAccounts?.includes(callerId);
      targets = excluded ? [] : [{ id: callerId }];
      if (excluded) notes.push(`The caller's account ${callerId} is excluded by the account filters: nothing was scanned.`);
      if (options.ous?.length) notes.push('--ous was ignored: OUs need Organizations access.');
    }
    let shard: ShardState | undefined;
    if (options.shard) ({ targets, state: shard } = cutShard(targets, options.shard));
    const scanned = new Set(targets.map((t) => t.id));

    const managementId = discovery.mode === 'organization' ? discovery.organization.managementAccountId : undefined;
    const managementRole: [string, string] | undefined =
      options.managementRoleName && managementId && managementId !== callerId ? [managementId, options.managementRoleName] : undefined;
    assumer = new RoleAssumer(callerSession, {
      partition,
      roleName: options.roleName ?? DEFAULT_ROLE_NAME,
      ...(managementRole ? { roleNames: new Map([managementRole]) } : {}),
      region: homeRegion,
      ...(options.externalId ? { externalId: options.externalId } : {}),
    });
    const ctx: AccountContext = {
      sections,
      homeRegion,
      regions: options.regions,
      callerId,
      scanned,
      metrics,
      factory,
      caller,
      baseCredentials,
      assumer,
      expiry,
      bucketOwners: new Map(),
      listBucketsGaps: [],
      bucketRefs: new Map(),
      keyRefs: new Map(),
      readBuckets: new Set(),
      readKeys: new Set(),
      partition,
      sightings: new Map(),
      scopeNotes: [],
      shard,
    };

    const accounts: Record<string, AccountSnapshot> = {};
    progress.accountsTotal = targets.length;
    progress.emit('accounts');
    await forEachLimit(targets, options.concurrency ?? DEFAULT_CONCURRENCY, async (target) => {
      accounts[target.id] = await collectAccount(ctx, target).catch((err: unknown) => unexpected(ctx, target, err));
      progress.accountsDone += 1;
      progress.regionsDone += enabledRegionCount(accounts[target.id]);
      progress.emit();
    });

    // Organization trails whose owner could not read them: read once from an account that sees them.
    let admins: Promise<ReadonlySet<string>> | undefined;
    const cloudTrailAdmins = () => {
      admins ??= (async () => {
        if (discovery.mode !== 'organization') return new Set<string>();
        await discovery.policiesRead;
        const known = discovery.organization.delegatedAdministrators ?? (await R.readCloudTrailDelegatedAdmins(callerSession, homeRegion, metrics));
        return new Set((known.value ?? []).map((a) => a.accountId));
      })();
      return admins;
    };
    await R.readForeignTrailDetails({
      sightings: ctx.sightings,
      accounts,
      callerId,
      cloudTrailAdmins,
      sessionFor: (id) => sessionFor(ctx, id),
      sections,
      metrics,
      concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    });

    progress.emit('resources');
    if (shard && sections.has('buckets')) {
      await probeSharedBuckets(shard, {
        owners: ctx.bucketOwners,
        referenced: (name) => ctx.bucketRefs.has(name) || ctx.readBuckets.has(name),
        probe: (accountId, name, region) => R.bucketAcceptsCloudTrail(sessionFor(ctx, accountId), name, region ?? homeRegion),
        accept: (name, accountId) => ctx.bucketRefs.set(name, accountId),
        concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
      });
    }
    const unresolved = await collectResources(ctx, accounts, partition, options.concurrency ?? DEFAULT_CONCURRENCY);
    if (sections.has('eventHistory')) {
      progress.emit('eventHistory');
      await R.collectEventHistory(accounts, {
        homeRegion,
        metrics,
        concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
        now: now(),
        sessionFor: (id) => sessionFor(ctx, id),
        forEachLimit,
      });
    }
    if (discovery.mode === 'organization') await discovery.policiesRead;
    const collectedExtensions =
      extensionEntries.length > 0
        ? await collectExtensions(
            { homeRegion, regions: options.regions, partition, metrics, factory, sessionFor: (id) => sessionFor(ctx, id) },
            accounts,
            extensionEntries,
            options.concurrency ?? DEFAULT_CONCURRENCY,
          )
        : undefined;
    callerSession.close();

    const scope: SnapshotScope = { mode: discovery.mode, accounts: [...scanned].sort(compareStrings), regions: [...(options.regions ?? [])].sort(compareStrings) };
    const filters = definedFilters(options);
    if (filters) scope.filters = filters;
    notes.push(...ctx.scopeNotes.sort(compareStrings));
    if (deadline.signal.aborted) {
      const reason = scanTimeoutError(deadline.signal);
      notes.push(`The scan stopped early: ${reason.message}. Every read not finished by then is a ${reason.code} error.`);
    }
    if (notes.length > 0) scope.notes = notes;
    const snapshot: Snapshot = {
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      collectedAt: now().toISOString(),
      partition,
      sections: [...sections],
      scope,
      tool: TOOL,
      accounts: canonicalAccounts(accounts),
    };
    // Only when asked for: without its policies an organization record would claim "no SCPs".
    if (sections.has('organization')) snapshot.organization = discovery.mode === 'organization' ? { value: discovery.organization } : discovery.organization;
    if (unresolved) snapshot.unresolved = unresolved;
    if (shard) snapshot.shard = shardRecord(shard);
    if (collectedExtensions) {
      snapshot.extensions = collectedExtensions.extensions;
      snapshot.extensionsRequested = collectedExtensions.requested;
    }
    progress.emit('done');
    return snapshot;
  } finally {
    deadline.clear();
    factory.close();
  }
}

async function assertKnownRegions(session: AccountSession, homeRegion: string, metrics: Metrics, requested: string[], partition: string): Promise<void> {
  const all = await R.readRegions(session, homeRegion, metrics);
  // Unreadable here: each account's own listing reports its gap; a region of another partition is wrong anyway.
  const known = all.value?.map((r) => r.name) ?? [];
  for (const r of requested) {
    const of = partitionOfRegion(r);
    if (of !== partition) {
      throw new CollectorError('UnknownRegion', `regions: "${r}" is a region of partition ${of}, not of the caller's partition ${partition}${counterpart(r, known)}${known.length ? `; known: ${known.join(', ')}` : ''}`);
    }
    if (all.value && !known.includes(r)) throw new CollectorError('UnknownRegion', `regions: "${r}" is not a region of this partition${didYouMean(r, known)}; known: ${known.join(', ')}`);
  }
}

/** The caller's partition's region of the same place, if any: us-east-1 → us-gov-east-1, eu-north-1 → cn-north-1. */
function counterpart(region: string, known: string[]): string {
  const close = didYouMean(region, known);
  if (close) return close;
  const tail = region.split('-').slice(-2).join('-');
  const same = known.find((k) => k.endsWith(`-${tail}`));
  return same ? ` (did you mean "${same}"?)` : '';
}

/** What to check when the caller cannot be identified: expired credentials, or a region of another partition. */
function identifyHint(code: string, home: HomeRegion): string {
  if (isExpiredCredentials({ name: code })) return 'the credentials have expired: renew them (aws sso login, or a new session) and scan again';
  const where = home.source === 'default' ? `no region is configured (--region, AWS_REGION or the profile's region), so ${home.region} was used` : `the home region is ${home.region}`;
  if (code === 'InvalidClientTokenId' || code === 'UnrecognizedClientException' || code === 'AuthFailure') {
    return `check the credentials, --profile and --endpoint-url; ${where}: GovCloud and China credentials work only in a region of their own partition (e.g. --region us-gov-west-1, --region cn-north-1)`;
  }
  return 'check the credentials, --profile and --endpoint-url';
}

/**
 * The scan's stop signal: it fires after `timeoutMs` (the timer never keeps the process alive), or
 * when `stop` is called (the caller's credentials expired), with that reason.
 */
function scanDeadline(timeoutMs: number | undefined): { signal: AbortSignal; stop(reason: CollectorError): void; clear(): void } {
  const controller = new AbortController();
  // Every in-flight request listens on this one signal: hundreds at once is expected, not a leak.
  setMaxListeners(0, controller.signal);
  const timer =
    timeoutMs === undefined ? undefined : setTimeout(() => controller.abort(`the scan reached its overall time limit of ${formatDuration(timeoutMs)} (--timeout)`), timeoutMs);
  timer?.unref();
  return {
    signal: controller.signal,
    stop: (reason) => {
      if (!controller.signal.aborted) controller.abort(reason);
    },
    clear: () => clearTimeout(timer),
  };
}

function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

interface AccountContext {
  sections: ReadonlySet<SnapshotSection>;
  homeRegion: string;
  regions: string[] | undefined;
  callerId: string;
  scanned: ReadonlySet<string>;
  metrics: Metrics;
  factory: ClientFactory;
  caller: Caller;
  baseCredentials: AwsCredentialIdentityProvider;
  assumer: RoleAssumer;
  expiry: CredentialExpiry;
  /** Bucket name → owner (from ListBuckets in every scanned account). */
  bucketOwners: Map<string, { accountId: string; region?: string }>;
  /** Accounts whose ListBuckets could not run or failed (their buckets' owners are unknown). */
  listBucketsGaps: KnownError[];
  /** Buckets and keys trails use: name / key ARN → the account that saw the reference. */
  bucketRefs: Map<string, string>;
  keyRefs: Map<string, { ownerAccountId: string; region: string; keyId: string }>;
  /** Buckets and keys already read (or being read), so each is read once. */
  readBuckets: Set<string>;
  readKeys: Set<string>;
  partition: string;
  /** Trails owned by another account, by ARN: where each was listed (see `R.readForeignTrailDetails`). */
  sightings: Map<string, Sighting[]>;
  /** Said once per account in the snapshot's scope notes (regions an SCP governs out). */
  scopeNotes: string[];
  /** A sharded collection: the whole selection, and what this shard reads for the others. */
  shard: ShardState | undefined;
}

/** A session for an account: the caller's own credentials for the caller, the assumed role otherwise. */
function sessionFor(ctx: AccountContext, accountId: string): AccountSession {
  const base = accountId === ctx.callerId;
  const credentials = base ? ctx.baseCredentials : ctx.assumer.provider(accountId);
  return new AccountSession(accountId, credentials, ctx.factory, ctx.caller, { handler: ctx.expiry, base });
}

async function accessFor(ctx: AccountContext, accountId: string): Promise<AccountSnapshot['access']> {
  if (accountId === ctx.callerId) return { value: { via: 'caller' } };
  try {
    await ctx.assumer.credentials(accountId);
    return { value: { via: 'role', roleArn: ctx.assumer.roleArn(accountId) } };
  } catch (err) {
    ctx.metrics.errors += 1;
    return { error: toKnownError(err, 'AssumeRole', accountId, ctx.homeRegion) };
  }
}

async function collectAccount(ctx: AccountContext, target: { id: string; name?: string }): Promise<AccountSnapshot> {
  const snap: AccountSnapshot = { id: target.id, access: await accessFor(ctx, target.id) };
  if (target.name) snap.name = target.name;
  if (snap.access.error) {
    if (ctx.sections.has('buckets')) ctx.listBucketsGaps.push({ ...snap.access.error });
    return snap;
  }
  const session = sessionFor(ctx, target.id);
  const { sections, homeRegion, metrics } = ctx;
  const jobs: Promise<unknown>[] = [];
  if (sections.has('regions')) jobs.push(collectRegionsAndTrails(ctx, session, snap));
  if (sections.has('buckets')) {
    jobs.push(
      R.listBuckets(session, homeRegion, metrics).then((listed) => {
        if (listed.error) ctx.listBucketsGaps.push(listed.error);
        else for (const b of listed.value) recordBucketOwner(ctx, b, target.id);
      }),
    );
  }
  if (sections.has('iam')) {
    jobs.push(R.readIam(session, homeRegion, metrics).then((k) => (snap.iam = k)));
    jobs.push(R.readRootUser(session, homeRegion, metrics).then((k) => (snap.rootUser = k)));
  }
  if (sections.has('s3AccountPublicAccessBlock')) jobs.push(R.readAccountPublicAccessBlock(session, homeRegion, metrics).then((k) => (snap.s3AccountPublicAccessBlock = k)));
  await Promise.all(jobs);
  if (sections.has('monitoring') && snap.trails?.value) {
    const monitoring = await R.readMonitoring(session, snap.trails.value, metrics);
    if (monitoring) snap.monitoring = monitoring;
  }
  await readOwnResources(ctx, session, snap);
  session.close();
  return snap;
}

/**
 * The buckets and keys this account owns that its own trails use (the common case: a trail and its
 * bucket in one account, the log archive seeing the organization trail): read now, while the
 * account is being processed, instead of in a second pass. The rest waits for `collectResources`.
 */
async function readOwnResources(ctx: AccountContext, session: AccountSession, snap: AccountSnapshot): Promise<void> {
  const jobs: (() => Promise<void>)[] = [];
  for (const trail of snap.trails?.value ?? []) {
    const name = trail.s3BucketName;
    const owner = name ? ctx.bucketOwners.get(name) : undefined;
    if (ctx.sections.has('buckets') && name && owner?.accountId === snap.id && !ctx.readBuckets.has(name)) {
      ctx.readBuckets.add(name);
      jobs.push(async () => {
        try {
          const bucket = await R.readBucket(session, name, ctx.partition, ctx.homeRegion, ctx.metrics, owner.region);
          snap.buckets ??= {};
          snap.buckets[name] = bucket;
        } catch {
          ctx.readBuckets.delete(name); // reads never throw; if the collector did, the second pass tries again
        }
      });
    }
    const key = ctx.sections.has('keys') ? keyRef(trail, ctx.partition) : undefined;
    if (key && key.ownerAccountId === snap.id && !ctx.readKeys.has(key.arn)) {
      ctx.readKeys.add(key.arn);
      jobs.push(async () => {
        try {
          const read = await R.readKey(session, key.arn, key.keyId, key.region, ctx.metrics);
          snap.keys ??= {};
          snap.keys[key.arn] = read;
        } catch {
          ctx.readKeys.delete(key.arn); // as above
        }
      });
    }
  }
  await forEachLimit(jobs, RESOURCES_PER_OWNER, (job) => job());
  if (snap.buckets) snap.buckets = sortRecord(snap.buckets);
  if (snap.keys) snap.keys = sortRecord(snap.keys);
}

/**
 * Reads never throw (they become Known errors); anything else that does is a collector bug. It must
 * not end the scan or hide the account: the account is reported as not read, with the reason.
 */
function unexpected(ctx: AccountContext, target: { id: string; name?: string }, err: unknown): AccountSnapshot {
  ctx.metrics.errors += 1;
  const snap: AccountSnapshot = {
    id: target.id,
    access: { error: { code: 'CollectorError', message: `the collector failed on this account: ${(err as Error)?.message ?? String(err)}`, operation: 'collect', accountId: target.id } },
  };
  if (target.name) snap.name = target.name;
  return snap;
}

function recordBucketOwner(ctx: AccountContext, bucket: ListedBucket, accountId: string): void {
  ctx.bucketOwners.set(bucket.name, bucket.region ? { accountId, region: bucket.region } : { accountId });
}

async function collectRegionsAndTrails(ctx: AccountContext, session: AccountSession, snap: AccountSnapshot): Promise<void> {
  const regions = await R.readRegions(session, ctx.homeRegion, ctx.metrics);
  snap.regions = regions;
  await Promise.all([collectTrails(ctx, session, snap, regions), ctx.sections.has('eventDataStores') ? collectEventDataStores(ctx, session, snap, regions) : undefined]);
  // A region an SCP governs out (see collectTrails) is out of scope for the stores too, when their
  // listing there was refused the same way: a scope fact, not an ERROR.
  const stores = snap.eventDataStores;
  if (stores && snap.governedOutRegions) {
    for (const region of Object.keys(snap.governedOutRegions)) {
      const listed = stores[region];
      if (!listed?.error || !R.isScpRegionDeny(listed.error)) continue;
      delete stores[region];
      ctx.metrics.errors -= 1; // counted as a failed read when it failed: it is scope, not a failure
    }
  }
}

/** CloudTrail Lake event data stores in the regions the trails are listed in (left out when those are unknown). */
async function collectEventDataStores(ctx: AccountContext, session: AccountSession, snap: AccountSnapshot, regions: Known<RegionInfo[]>): Promise<void> {
  const scan = regions.value ? R.regionsToScan(regions.value, ctx.regions) : ctx.regions?.length ? ctx.regions : undefined;
  if (scan) snap.eventDataStores = await R.readEventDataStores(session, scan, ctx.metrics);
}

async function collectTrails(ctx: AccountContext, session: AccountSession, snap: AccountSnapshot, regions: Known<RegionInfo[]>): Promise<void> {
  if (!ctx.sections.has('trails')) return;
  let scan: string[];
  if (regions.value) scan = R.regionsToScan(regions.value, ctx.regions);
  else if (ctx.regions?.length) scan = [...ctx.regions].sort(compareStrings);
  else {
    snap.trails = {
      error: { ...regions.error, message: `the account's enabled regions are unknown, so its trails were not listed: ${regions.error.message}` },
    };
    return;
  }
  const { listing, trails, governedOut } = await R.listTrails(session, scan, ctx.metrics);
  snap.trailListing = listing;
  if (governedOut) {
    snap.governedOutRegions = governedOut;
    const regions = Object.keys(governedOut);
    ctx.scopeNotes.push(
      `Account ${snap.id}: ${regions.length === 1 ? 'region' : 'regions'} ${regions.join(', ')} ${regions.length === 1 ? 'is' : 'are'} governed out by a service control policy (DescribeTrails: explicit deny in a service control policy); nothing was read there.`,
    );
  }
  snap.trails = trails;
  if (!trails.value) return;
  const details = TRAIL_DETAIL_SECTIONS.filter((s) => ctx.sections.has(s));
  await Promise.all(
    trails.value.map(async (trail) => {
      noteReferences(ctx, trail, session.accountId);
      if (details.length === 0) return;
      const regions = R.listedRegions(listing, trail.arn);
      if (trail.ownerAccountId !== session.accountId) {
        // Another account's trail (an organization trail) is judged from its owner's record; read
        // from here, once, only if the owner's read does not succeed (`R.readForeignTrailDetails`).
        noteSighting(ctx, { accountId: session.accountId, trail, regions });
        return;
      }
      await R.readTrailDetails(session, trail, ctx.sections, ctx.metrics, { statusRegions: trail.isMultiRegionTrail ? regions : [], selectors: true });
    }),
  );
}

function noteSighting(ctx: AccountContext, sighting: Sighting): void {
  const list = ctx.sightings.get(sighting.trail.arn);
  if (list) list.push(sighting);
  else ctx.sightings.set(sighting.trail.arn, [sighting]);
}

function noteReferences(ctx: AccountContext, trail: Trail, seenIn: string): void {
  if (ctx.sections.has('buckets') && trail.s3BucketName) {
    // The lowest account id that saw it, whatever order the accounts finished in (deterministic output).
    const known = ctx.bucketRefs.get(trail.s3BucketName);
    if (known === undefined || seenIn < known) ctx.bucketRefs.set(trail.s3BucketName, seenIn);
  }
  const key = ctx.sections.has('keys') ? keyRef(trail, ctx.partition) : undefined;
  if (key && !ctx.keyRefs.has(key.arn)) ctx.keyRefs.set(key.arn, { ownerAccountId: key.ownerAccountId, region: key.region, keyId: key.keyId });
}

/** The KMS key a trail uses: its ARN (a bare key id is in the trail's own account and home region). */
function keyRef(trail: Trail, partition: string): { arn: string; ownerAccountId: string; region: string; keyId: string } | undefined {
  if (!trail.kmsKeyId) return undefined;
  const parsed = parseArn(trail.kmsKeyId);
  if (parsed) return { arn: trail.kmsKeyId, ownerAccountId: parsed.accountId, region: parsed.region, keyId: parsed.resource.replace(/^key\//, '') };
  return {
    arn: `arn:${partition}:kms:${trail.homeRegion}:${trail.ownerAccountId}:key/${trail.kmsKeyId}`,
    ownerAccountId: trail.ownerAccountId,
    region: trail.homeRegion,
    keyId: trail.kmsKeyId,
  };
}

/**
 * Read every bucket and key the trails use, once, in the account that owns it. Ones no scanned
 * account owns (or whose owner could not be read) go to `unresolved`, with the reason.
 */
async function collectResources(ctx: AccountContext, accounts: Record<string, AccountSnapshot>, partition: string, concurrency: number): Promise<Snapshot['unresolved']> {
  const unresolvedBuckets: Record<string, KnownError> = {};
  const unresolvedKeys: Record<string, KnownError> = {};
  const byOwner = new Map<string, { buckets: { name: string; region?: string }[]; keys: { arn: string; region: string; keyId: string }[] }>();
  const group = (owner: string) => {
    let g = byOwner.get(owner);
    if (!g) {
      g = { buckets: [], keys: [] };
      byOwner.set(owner, g);
    }
    return g;
  };

  for (const [name, seenIn] of [...ctx.bucketRefs].sort((a, b) => compareStrings(a[0], b[0]))) {
    const owner = ctx.bucketOwners.get(name);
    if (ctx.readBuckets.has(name)) continue;
    if (owner) {
      group(owner.accountId).buckets.push(owner.region ? { name, region: owner.region } : { name });
    } else if (ctx.listBucketsGaps.length > 0) {
      const gaps = ctx.listBucketsGaps
        .map((e) => e.accountId ?? '')
        .filter(Boolean)
        .sort(compareStrings);
      unresolvedBuckets[name] = {
        code: 'BucketOwnerUnknown',
        message: `no scanned account lists bucket ${name} (used by a trail seen in ${seenIn}), and ListBuckets could not be read in ${gaps.length} account(s): ${gaps.slice(0, 10).join(', ')}${gaps.length > 10 ? ', …' : ''}`,
        operation: 'ListBuckets',
      };
    } else {
      unresolvedBuckets[name] = {
        code: TRAILWARDEN_ERROR_CODES.BucketOutOfScope,
        message: `bucket ${name} (used by a trail seen in ${seenIn}) is owned by an account outside the scanned accounts`,
        operation: 'ListBuckets',
      };
    }
  }
  const foreignKeys: { arn: string; ownerAccountId: string; region: string; keyId: string }[] = [];
  for (const [arn, ref] of ctx.keyRefs) {
    if (ctx.readKeys.has(arn)) continue;
    const ownerSnap = accounts[ref.ownerAccountId];
    if (!ownerSnap && ctx.shard?.selection.has(ref.ownerAccountId)) foreignKeys.push({ arn, ...ref });
    else if (!ownerSnap) {
      unresolvedKeys[arn] = {
        code: TRAILWARDEN_ERROR_CODES.KeyOutOfScope,
        message: `key ${arn} is owned by account ${ref.ownerAccountId}, which is not scanned`,
        operation: 'DescribeKey',
        accountId: ref.ownerAccountId,
        region: ref.region,
      };
    } else if (ownerSnap.access.error) {
      unresolvedKeys[arn] = { ...ownerSnap.access.error, message: `the key's owner account could not be read: ${ownerSnap.access.error.message}` };
    } else {
      group(ref.ownerAccountId).keys.push({ arn, region: ref.region, keyId: ref.keyId });
    }
  }

  const owners = [...byOwner.keys()].sort(compareStrings);
  await forEachLimit(owners, concurrency, async (owner) => {
    const work = byOwner.get(owner)!;
    const snap = accounts[owner]!;
    const session = sessionFor(ctx, owner);
    // Reads never throw; should the collector itself fail on one item, that item is reported as
    // not read and the others go on.
    const failed = (err: unknown): KnownError => {
      ctx.metrics.errors += 1;
      return { code: 'CollectorError', message: `the collector failed: ${(err as Error)?.message ?? String(err)}`, operation: 'collect', accountId: owner };
    };
    const jobs: (() => Promise<void>)[] = [
      ...work.buckets.map((b) => async () => {
        try {
          const bucket = await R.readBucket(session, b.name, partition, ctx.homeRegion, ctx.metrics, b.region);
          snap.buckets ??= {};
          snap.buckets[b.name] = bucket;
        } catch (err) {
          unresolvedBuckets[b.name] = failed(err);
        }
      }),
      ...work.keys.map((k) => async () => {
        try {
          const key = await R.readKey(session, k.arn, k.keyId, k.region, ctx.metrics);
          snap.keys ??= {};
          snap.keys[k.arn] = key;
        } catch (err) {
          unresolvedKeys[k.arn] = failed(err);
        }
      }),
    ];
    await forEachLimit(jobs, RESOURCES_PER_OWNER, (job) => job());
    if (snap.buckets) snap.buckets = sortRecord(snap.buckets);
    if (snap.keys) snap.keys = sortRecord(snap.keys);
    session.close();
  });

  if (ctx.shard && foreignKeys.length > 0) {
    const failed = await readForeignKeys(ctx.shard, foreignKeys, {
      access: async (id) => (await accessFor(ctx, id)).error,
      read: (k) => R.readKey(sessionFor(ctx, k.ownerAccountId), k.arn, k.keyId, k.region, ctx.metrics),
      concurrency,
    });
    Object.assign(unresolvedKeys, failed);
  }

  const out: NonNullable<Snapshot['unresolved']> = {};
  if (Object.keys(unresolvedBuckets).length > 0) out.buckets = sortRecord(unresolvedBuckets);
  if (Object.keys(unresolvedKeys).length > 0) out.keys = sortRecord(unresolvedKeys);
  return out.buckets || out.keys ? out : undefined;
}

const ACCOUNT_KEYS: (keyof AccountSnapshot)[] = [
  'id',
  'name',
  'access',
  'regions',
  'trailListing',
  'governedOutRegions',
  'trails',
  'buckets',
  'keys',
  'iam',
  'rootUser',
  's3AccountPublicAccessBlock',
  'monitoring',
  'eventHistory',
  'eventDataStores',
];
const TRAIL_DETAIL_KEYS = ['status', 'regionStatus', 'eventSelectors', 'insightSelectors'] as const;

/**
 * Accounts sorted by id, each with its keys in one fixed order (reads finish in any order), so two
 * scans of the same state give byte-identical snapshots.
 */
function canonicalAccounts(accounts: Record<string, AccountSnapshot>): Record<string, AccountSnapshot> {
  const out: Record<string, AccountSnapshot> = {};
  for (const id of Object.keys(accounts).sort(compareStrings)) {
    const account = accounts[id]!;
    const ordered: Record<string, unknown> = {};
    for (const key of ACCOUNT_KEYS) if (account[key] !== undefined) ordered[key] = account[key];
    for (const trail of account.trails?.value ?? []) {
      for (const key of TRAIL_DETAIL_KEYS) {
        const value = trail[key];
        if (value === undefined) continue;
        delete trail[key];
        (trail as unknown as Record<string, unknown>)[key] = value;
      }
    }
    out[id] = ordered as unknown as AccountSnapshot;
  }
  return out;
}

function definedFilters(o: CollectOptions): SnapshotScope['filters'] | undefined {
  const f: NonNullable<SnapshotScope['filters']> = {};
  if (o.accounts?.length) f.accounts = [...o.accounts].sort(compareStrings);
  if (o.excludeAccounts?.length) f.excludeAccounts = [...o.excludeAccounts].sort(compareStrings);
  if (o.ous?.length) f.ous = [...o.ous].sort(compareStrings);
  if (o.regions?.length) f.regions = [...o.regions].sort(compareStrings);
  return Object.keys(f).length > 0 ? f : undefined;
}

function sortRecord<V>(record: Record<string, V>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const k of Object.keys(record).sort(compareStrings)) out[k] = record[k]!;
  return out;
}

/** How many regions an account had enabled (0 when they could not be read). */
function enabledRegionCount(account: AccountSnapshot | undefined): number {
  const regions = account?.regions;
  return regions?.value ? regions.value.filter((r) => r.enabled).length : 0;
}

/**
 * The readers (and the SDK client classes), loaded while the first call is in flight. Set once per
 * process by `loadReaders`; every use is after it (collect awaits it before reading any account).
 */
let R: typeof import('./read/index.js');
let readersLoading: Promise<typeof import('./read/index.js')> | undefined;
function loadReaders(): Promise<typeof import('./read/index.js')> {
  readersLoading ??= import('./read/index.js').then((m) => {
    R = m;
    return m;
  });
  return readersLoading;
}
