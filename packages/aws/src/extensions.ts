/**
 * Plugin collection: the `collect` entries of the checks to run (extra read-only AWS calls declared
 * as data), made with the collector's own machinery (read-only guard, pacing, retries, role
 * sessions, Known errors) and stored under `snapshot.extensions[plugin]`. See
 * packages/core/docs/collection-plugins.md.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type AccountSnapshot,
  type CollectDeclaration,
  type ExtensionPlace,
  type ExtensionRequest,
  type JsonValue,
  type Known,
  type KnownError,
  SNAPSHOT_SECTIONS,
  collectionProblem,
  collectionVerdict,
  declarationHash,
  declarationProblem,
  extensionKey,
  fillInput,
  iamPrefixForClient,
  iamPrefixForServiceId,
  parseCommand,
} from '@trailwarden/core';
import { OPERATION_ACTIONS } from './actions.js';
import { compareStrings } from './arn.js';
import type { ClientFactory } from './clients.js';
import { CollectorError } from './errors.js';
import { readKnown, toJson } from './known-read.js';
import type { Sender } from './pacing/caller.js';
import type { Metrics } from './pacing/metrics.js';
import type { Service } from './pacing/quotas.js';
import { forEachLimit } from './pool.js';
import { regionsToScan } from './read/regions-to-scan.js';
import type { AccountSession } from './session.js';

/** SDK packages the collector builds clients for itself: entries on them share those clients and their pacing. */
const BUILT_IN: Record<string, Service> = {
  s3: 's3',
  cloudtrail: 'cloudtrail',
  kms: 'kms',
  iam: 'iam',
  ec2: 'ec2',
  organizations: 'organizations',
  sts: 'sts',
  's3-control': 's3control',
};

/** A stored value larger than this (JSON characters) is an error, never a cut-down value. */
export const MAX_EXTENSION_VALUE_CHARS = 1_000_000;
/** Entries of one account read at once. */
const ENTRIES_PER_ACCOUNT = 8;

type CommandClass = new (input: object) => object;
type ClientClass = new (config: object) => Sender;

export interface ResolvedEntry {
  plugin: string;
  entry: string;
  decl: CollectDeclaration;
  client: string;
  operation: string;
  Command: CommandClass;
  /** The collector's own service for a built-in package; otherwise the package's client class. */
  builtin?: Service;
  Client?: ClientClass;
  /** The IAM action the call needs, `<prefix from the client's service id>:<Operation>`. */
  action: string;
  /** Allowed by Trailwarden's read-only allow-list, or by the user's `collection.allow`. */
  allowedBy: 'built-in' | 'config';
}

/** IAM prefixes of the collector's own clients. */
const BUILT_IN_PREFIX: Record<Service, string> = {
  s3: 's3',
  cloudtrail: 'cloudtrail',
  kms: 'kms',
  iam: 'iam',
  ec2: 'ec2',
  organizations: 'organizations',
  sts: 'sts',
  s3control: 's3',
  logs: 'logs',
  cloudwatch: 'cloudwatch',
  sns: 'sns',
  events: 'events',
};

/**
 * The service id the SDK client class says it talks to ("Secrets Manager"), read from a client
 * built and destroyed at once (no call is made); undefined when the class does not say.
 */
function serviceIdOf(Client: ClientClass): string | undefined {
  try {
    const probe = new Client({ region: 'us-east-1', credentials: { accessKeyId: 'probe', secretAccessKey: 'probe' } }) as Sender & {
      config?: { serviceId?: unknown };
      destroy?: () => void;
    };
    const id = probe.config?.serviceId;
    probe.destroy?.();
    return typeof id === 'string' && id !== '' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** The IAM action of an entry: the collector's own table where it knows the operation, else `<prefix>:<Operation>`. */
function iamActionOf(client: string, operation: string, builtin: Service | undefined, Client: ClientClass | undefined): string {
  if (builtin) {
    const known = OPERATION_ACTIONS[builtin === 's3control' ? `S3Control:${operation}` : operation];
    return known?.startsWith(`${BUILT_IN_PREFIX[builtin]}:`) ? known : `${BUILT_IN_PREFIX[builtin]}:${operation}`;
  }
  const serviceId = Client ? serviceIdOf(Client) : undefined;
  return `${serviceId ? iamPrefixForServiceId(serviceId) : iamPrefixForClient(client)}:${operation}`;
}

export type ModuleImporter = (specifier: string) => Promise<Record<string, unknown>>;

const importFromHere: ModuleImporter = (specifier) => import(specifier) as Promise<Record<string, unknown>>;

/** `@aws-sdk/client-<name>`: from the collector's own dependencies, else from the working directory (installed next to the config). */
async function importClientPackage(pkg: string, importer: ModuleImporter): Promise<Record<string, unknown> | undefined> {
  try {
    return await importer(pkg);
  } catch {
    try {
      const file = createRequire(join(process.cwd(), 'trailwarden-plugin-resolution.js')).resolve(pkg);
      return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
}

function clientClassOf(mod: Record<string, unknown>, client: string): ClientClass | undefined {
  const candidates = Object.entries(mod).filter(([name, v]) => /^[A-Z][A-Za-z0-9]*Client$/.test(name) && typeof v === 'function' && typeof (v as { prototype?: { send?: unknown } }).prototype?.send === 'function');
  if (candidates.length === 1) return candidates[0]?.[1] as ClientClass;
  const wanted = `${client.replace(/-/g, '')}client`;
  return candidates.find(([name]) => name.toLowerCase() === wanted)?.[1] as ClientClass | undefined;
}

/**
 * Check every declaration again (collect() may be called without the plugin loader) and load the
 * SDK command classes, before any AWS call: a missing package is one line naming what to install.
 */
export async function resolveExtensions(
  requests: readonly ExtensionRequest[],
  importer: ModuleImporter = importFromHere,
  allow: readonly string[] = [],
): Promise<ResolvedEntry[]> {
  const out: ResolvedEntry[] = [];
  const modules = new Map<string, Record<string, unknown> | undefined>();
  for (const { plugin, entries } of requests) {
    for (const [entry, decl] of Object.entries(entries)) {
      const where = `plugin ${plugin}, collect entry "${entry}"`;
      const invalid = declarationProblem(decl, SNAPSHOT_SECTIONS);
      if (invalid) throw new CollectorError('InvalidCollectEntry', `${where}: ${invalid}`);
      const { client, operation } = parseCommand(decl.command) as { client: string; operation: string };
      const pkg = `@aws-sdk/client-${client}`;
      if (!modules.has(pkg)) modules.set(pkg, await importClientPackage(pkg, importer));
      const mod = modules.get(pkg);
      if (!mod) throw new CollectorError('MissingClientPackage', `${where} (${decl.command}) needs the AWS SDK package ${pkg}, which is not installed: npm install ${pkg}`);
      const Command = mod[`${operation}Command`];
      if (typeof Command !== 'function') throw new CollectorError('UnknownCommand', `${where}: ${pkg} has no ${operation}Command (check the operation's spelling in ${decl.command})`);
      const builtin = BUILT_IN[client];
      const Client = builtin ? undefined : clientClassOf(mod, client);
      if (!builtin && !Client) throw new CollectorError('UnknownCommand', `${where}: ${pkg} exports no client class`);
      const action = iamActionOf(client, operation, builtin, Client);
      const problem = collectionProblem(action, allow);
      if (problem) throw new CollectorError('CollectionNotAllowed', `${where} (${decl.command}): ${problem}`);
      const verdict = collectionVerdict(action, allow);
      const allowedBy = verdict.kind === 'allowed' ? verdict.by : 'config';
      const resolved: ResolvedEntry = { plugin, entry, decl, client, operation, Command: Command as CommandClass, action, allowedBy };
      if (builtin) resolved.builtin = builtin;
      else resolved.Client = Client as ClientClass;
      out.push(resolved);
    }
  }
  return out;
}

export interface ExtensionContext {
  homeRegion: string;
  /** `--regions`, narrowing the regions of the `region` placement. */
  regions: string[] | undefined;
  partition: string;
  metrics: Metrics;
  factory: ClientFactory;
  sessionFor(accountId: string): AccountSession;
}

interface Placement {
  key: string;
  region: string;
  vars: Record<string, string>;
}

/** The places an entry is read in one account: each with its snapshot key, region and variables; or the reason it cannot be. */
function placements(entry: string, decl: CollectDeclaration, snap: AccountSnapshot, ctx: ExtensionContext): (Placement | { key: string; error: KnownError })[] {
  const common = (region: string) => ({ accountId: snap.id, region, partition: ctx.partition });
  const at = (place: ExtensionPlace, region: string, extra: Record<string, string> = {}): Placement => ({ key: extensionKey(entry, place), region, vars: { ...common(region), ...extra } });
  switch (decl.per) {
    case 'account':
      return [at({ per: 'account', accountId: snap.id }, ctx.homeRegion)];
    case 'region':
      // Unknown regions: nothing to read; ctx.extension answers with the regions' error.
      return regionsToScan(snap.regions?.value ?? [], ctx.regions).map((region) => at({ per: 'region', accountId: snap.id, region }, region));
    case 'trail':
      return (snap.trails?.value ?? [])
        .filter((t) => t.ownerAccountId === snap.id)
        .map((t) => at({ per: 'trail', arn: t.arn }, t.homeRegion, { 'trail.arn': t.arn, 'trail.name': t.name, 'trail.homeRegion': t.homeRegion }));
    case 'bucket':
      return Object.values(snap.buckets ?? {}).map((b) => {
        const place: ExtensionPlace = { per: 'bucket', name: b.name };
        if (b.region.error) return { key: extensionKey(entry, place), error: b.region.error };
        return at(place, b.region.value, { 'bucket.name': b.name, 'bucket.arn': b.arn });
      });
    case 'key':
      return Object.values(snap.keys ?? {}).map((k) => at({ per: 'key', arn: k.arn }, k.region, { 'key.arn': k.arn, 'key.id': k.keyId }));
  }
}

const PAGE_TOKENS = ['NextToken', 'nextToken', 'NextMarker', 'NextContinuationToken', 'NextPageToken', 'nextPageToken'];

/** The name of the field saying the answer has more pages, if it does. */
function morePages(out: Record<string, unknown>): string | undefined {
  const token = PAGE_TOKENS.find((k) => typeof out[k] === 'string' && out[k] !== '');
  if (token) return token;
  return out.IsTruncated === true || out.Truncated === true ? 'IsTruncated' : undefined;
}

/** The SDK's answer → the stored value: the selected fields, as JSON, within the size budget. */
function storedValue(out: unknown, e: ResolvedEntry, accountId: string, region: string): Known<JsonValue> {
  const fail = (code: string, message: string): Known<JsonValue> => ({ error: { code, message, operation: e.operation, accountId, region } });
  if (out === null || out === undefined) return { value: null };
  const record = out as Record<string, unknown>;
  const more = morePages(record);
  // A first page read as the whole list would let a check pass on data it never saw.
  if (more) return fail('ExtensionMorePages', `the answer has more pages (${more}); paging plugin reads is not supported yet, and a partial list is never stored`);
  const kept = e.decl.select ? Object.fromEntries(e.decl.select.filter((k) => record[k] !== undefined).map((k) => [k, record[k]])) : record;
  const value = toJson(kept);
  const size = JSON.stringify(value).length;
  if (size > MAX_EXTENSION_VALUE_CHARS) return fail('ExtensionLimitExceeded', `the answer is ${size} characters of JSON, over the ${MAX_EXTENSION_VALUE_CHARS} a plugin value may take (narrow it with select)`);
  return { value };
}

async function readEntry(ctx: ExtensionContext, session: AccountSession, e: ResolvedEntry, p: Placement): Promise<Known<JsonValue>> {
  const place = { accountId: session.accountId, region: p.region, metrics: ctx.metrics };
  const notConfigured = e.decl.notConfigured?.length ? { codes: e.decl.notConfigured, value: null } : undefined;
  const read = await readKnown<unknown>(
    place,
    e.operation,
    () => {
      const command = new e.Command(fillInput(e.decl.input, p.vars));
      if (e.builtin) return session.send(e.builtin, p.region, command);
      return session.sendVia(e.client, p.region, ctx.factory.getCustom(e.client, p.region, e.Client as ClientClass), command);
    },
    notConfigured,
  );
  return read.error ? { error: read.error } : storedValue(read.value, e, session.accountId, p.region);
}

export interface CollectedExtensions {
  extensions: Record<string, Record<string, Known<JsonValue>>>;
  requested: Record<string, Record<string, string>>;
}

/**
 * Read every entry at every placement of every readable account, each in the account and region
 * that owns the resource. Reads never throw: each outcome is a Known, stored under its key.
 */
export async function collectExtensions(
  ctx: ExtensionContext,
  accounts: Record<string, AccountSnapshot>,
  entries: readonly ResolvedEntry[],
  concurrency: number,
): Promise<CollectedExtensions> {
  const extensions: Record<string, Record<string, Known<JsonValue>>> = {};
  const requested: Record<string, Record<string, string>> = {};
  for (const e of entries) {
    extensions[e.plugin] ??= {};
    requested[e.plugin] ??= {};
    (requested[e.plugin] as Record<string, string>)[e.entry] = declarationHash(e.decl);
  }
  const readable = Object.keys(accounts)
    .filter((id) => !accounts[id]?.access.error)
    .sort(compareStrings);
  await forEachLimit(readable, concurrency, async (accountId) => {
    const snap = accounts[accountId] as AccountSnapshot;
    const session = ctx.sessionFor(accountId);
    const jobs: (() => Promise<void>)[] = [];
    for (const e of entries) {
      const store = extensions[e.plugin] as Record<string, Known<JsonValue>>;
      for (const p of placements(e.entry, e.decl, snap, ctx)) {
        if ('error' in p) store[p.key] = { error: p.error };
        else
          jobs.push(async () => {
            store[p.key] = await readEntry(ctx, session, e, p);
          });
      }
    }
    await forEachLimit(jobs, ENTRIES_PER_ACCOUNT, (job) => job());
    session.close();
  });
  const sorted = <V>(r: Record<string, V>): Record<string, V> => Object.fromEntries(Object.keys(r).sort(compareStrings).map((k) => [k, r[k] as V]));
  return {
    extensions: sorted(Object.fromEntries(Object.entries(extensions).map(([k, v]) => [k, sorted(v)]))),
    requested: sorted(Object.fromEntries(Object.entries(requested).map(([k, v]) => [k, sorted(v)]))),
  };
}

export interface PlannedAction {
  plugin: string;
  entry: string;
  command: string;
  action: string;
  allowedBy: 'built-in' | 'config';
}

/**
 * The IAM actions the plugins' entries need, checked against the allow-list (a refused or not
 * allowed one throws, naming it): the CLI prints them before any AWS call, so the scan role can be
 * granted exactly these.
 */
export async function planExtensions(requests: readonly ExtensionRequest[], allow: readonly string[] = []): Promise<PlannedAction[]> {
  const entries = await resolveExtensions(requests, importFromHere, allow);
  return entries.map((e) => ({ plugin: e.plugin, entry: e.entry, command: e.decl.command, action: e.action, allowedBy: e.allowedBy }));
}
