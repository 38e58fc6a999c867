import { createHash } from 'node:crypto';
import type { JsonValue, SnapshotSection } from '../model/snapshot.js';
import { stableStringify } from '../util/stable.js';
import { REFUSED_ACTIONS, collectionVerdict, iamPrefixForClient } from './collection-policy.js';

/**
 * Where a `collect` entry is read: once per readable account (home region), per scanned region of
 * each account, or per trail / trail bucket / trail KMS key, in the account and region that own it.
 */
export const COLLECT_PLACEMENTS = ['account', 'region', 'trail', 'bucket', 'key'] as const;
export type CollectPlacement = (typeof COLLECT_PLACEMENTS)[number];

/** One extra read-only AWS call a check needs, declared as data (see docs/collection-plugins.md). */
export interface CollectDeclaration {
  /** `<client>:<Operation>`: `@aws-sdk/client-<client>`'s `<Operation>Command`, e.g. `s3:GetBucketTagging`. */
  command: string;
  per: CollectPlacement;
  /** The command's input: JSON whose strings may use the placement's `{{variables}}`. */
  input?: { [key: string]: JsonValue };
  /** Top-level fields of the answer to keep (default: all but the SDK's `$metadata`). */
  select?: string[];
  /** Error codes that mean "there is none": stored as the value `null` instead of an error. */
  notConfigured?: string[];
}

/** The section a placement walks; the check must declare it in `requires`. */
export const PLACEMENT_SECTION: Record<CollectPlacement, SnapshotSection | undefined> = {
  account: undefined,
  region: 'regions',
  trail: 'trails',
  bucket: 'buckets',
  key: 'keys',
};

const COMMON_VARIABLES = ['accountId', 'region', 'partition'];
/** The `{{variables}}` each placement provides to `input`. */
export const PLACEMENT_VARIABLES: Record<CollectPlacement, readonly string[]> = {
  account: COMMON_VARIABLES,
  region: COMMON_VARIABLES,
  trail: [...COMMON_VARIABLES, 'trail.arn', 'trail.name', 'trail.homeRegion'],
  bucket: [...COMMON_VARIABLES, 'bucket.name', 'bucket.arn'],
  key: [...COMMON_VARIABLES, 'key.arn', 'key.id'],
};

/** Only reads: the collector itself sends nothing else (STS role assumption aside). */
export const READ_ONLY_OPERATION = /^(Get|List|Describe)[A-Z][A-Za-z0-9]*$/;

/** Kept for plugins that imported it: the refused actions now live in collection-policy.ts. */
export const DENIED_READS = REFUSED_ACTIONS;

const COMMAND_PATTERN = /^([a-z0-9]+(?:-[a-z0-9]+)*):([A-Za-z0-9]+)$/;
const VARIABLE = /\{\{\s*([\w.-]+)\s*\}\}/g;

export function parseCommand(command: string): { client: string; operation: string } | undefined {
  const m = COMMAND_PATTERN.exec(command);
  return m ? { client: m[1] as string, operation: m[2] as string } : undefined;
}

/** The variables a JSON value uses, sorted and unique. */
export function variablesOf(value: unknown): string[] {
  const out = new Set<string>();
  const walk = (v: unknown) => {
    if (typeof v === 'string') for (const m of v.matchAll(VARIABLE)) out.add(m[1] as string);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return [...out].sort();
}

/** `input` with every `{{variable}}` replaced (all variables are checked at load time). */
export function fillInput(input: { [key: string]: JsonValue } | undefined, vars: Record<string, string>): { [key: string]: JsonValue } {
  const fill = (v: JsonValue): JsonValue => {
    if (typeof v === 'string') return v.replace(VARIABLE, (whole, name: string) => vars[name] ?? whole);
    if (Array.isArray(v)) return v.map(fill);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
    return v;
  };
  return fill(input ?? {}) as { [key: string]: JsonValue };
}

/**
 * What is wrong with one declaration, or undefined. Covers what a JSON Schema cannot say well:
 * read-only operations, refused reads of secrets, placements and their variables, the section a placement needs.
 */
export function declarationProblem(decl: unknown, requires: readonly string[] | undefined): string | undefined {
  if (!decl || typeof decl !== 'object' || Array.isArray(decl)) return 'must be an object { command, per, input?, select?, notConfigured? }';
  const d = decl as Partial<CollectDeclaration>;
  if (typeof d.command !== 'string') return 'command must be a string "<client>:<Operation>", e.g. "s3:GetBucketTagging"';
  const parsed = parseCommand(d.command);
  if (!parsed) return `command "${d.command}" must be "<client>:<Operation>" (the @aws-sdk/client-<client> package and its <Operation>Command), e.g. "s3:GetBucketTagging"`;
  if (!READ_ONLY_OPERATION.test(parsed.operation)) {
    return `command "${d.command}" is not a read-only operation (Trailwarden collects only Get*, List* and Describe* operations)`;
  }
  // By IAM action, not package name (`secrets-manager:` is `secretsmanager:` in IAM); the collector
  // decides again from the SDK client's service id, and applies the allow-list.
  const verdict = collectionVerdict(`${iamPrefixForClient(parsed.client)}:${parsed.operation}`);
  if (verdict.kind === 'refused') return `command "${d.command}" is refused: it reads secrets, credentials or customer data (${verdict.rule}), not configuration`;
  if (!COLLECT_PLACEMENTS.includes(d.per as CollectPlacement)) {
    return `per "${String(d.per)}" is not a placement (use one of ${COLLECT_PLACEMENTS.join(', ')})`;
  }
  const needs = PLACEMENT_SECTION[d.per as CollectPlacement];
  if (needs && !requires?.includes(needs)) return `per "${d.per}" walks the ${needs} section: add '${needs}' to the check's requires`;
  if (d.input !== undefined && (!d.input || typeof d.input !== 'object' || Array.isArray(d.input))) return 'input must be a JSON object';
  const provided = PLACEMENT_VARIABLES[d.per as CollectPlacement];
  const unknown = variablesOf(d.input).filter((v) => !provided.includes(v));
  if (unknown.length > 0) {
    return `input uses {{${unknown[0]}}}, which per "${d.per}" does not provide (it provides ${provided.map((v) => `{{${v}}}`).join(', ')})`;
  }
  return undefined;
}

/** A short hash of a declaration: the snapshot records it so a changed declaration reads as not collected. */
export function declarationHash(decl: CollectDeclaration): string {
  return createHash('sha256').update(stableStringify(decl, 0)).digest('hex').slice(0, 16);
}

/** Where one collected value is read in AWS, and the snapshot key it is stored under. */
export type ExtensionPlace =
  | { per: 'account'; accountId: string }
  | { per: 'region'; accountId: string; region: string }
  | { per: 'trail'; arn: string }
  | { per: 'bucket'; name: string }
  | { per: 'key'; arn: string };

/** `<entry>/<accountId>`, `<entry>/<accountId>/<region>`, `<entry>/trail/<arn>`, `<entry>/bucket/<name>`, `<entry>/key/<arn>`. */
export function extensionKey(entry: string, place: ExtensionPlace): string {
  switch (place.per) {
    case 'account':
      return `${entry}/${place.accountId}`;
    case 'region':
      return `${entry}/${place.accountId}/${place.region}`;
    case 'trail':
      return `${entry}/trail/${place.arn}`;
    case 'bucket':
      return `${entry}/bucket/${place.name}`;
    case 'key':
      return `${entry}/key/${place.arn}`;
  }
}

/** What the collector is asked to read for a set of checks: their `collect` entries, by plugin. */
export interface ExtensionRequest {
  plugin: string;
  entries: Record<string, CollectDeclaration>;
}

/**
 * The `collect` entries of the checks to run, grouped by plugin namespace and sorted (the CLI
 * passes this to the collector). Entries share their plugin's namespace; the loader has refused
 * a plugin whose checks declare one entry name differently.
 */
export function collectRequests(checks: readonly { check: { collect?: Record<string, CollectDeclaration> }; plugin: { name: string } }[]): ExtensionRequest[] {
  const byPlugin = new Map<string, Record<string, CollectDeclaration>>();
  for (const { check, plugin } of checks) {
    if (!check.collect) continue;
    const entries = byPlugin.get(plugin.name) ?? {};
    for (const [entry, decl] of Object.entries(check.collect)) entries[entry] = decl;
    byPlugin.set(plugin.name, entries);
  }
  return [...byPlugin.keys()].sort().map((plugin) => {
    const entries = byPlugin.get(plugin) as Record<string, CollectDeclaration>;
    return { plugin, entries: Object.fromEntries(Object.keys(entries).sort().map((k) => [k, entries[k] as CollectDeclaration])) };
  });
}
