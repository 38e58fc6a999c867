import type { Known, KnownError } from '../model/known.js';
import type {
  FrameworkMap,
  Remediation,
  ResourceRef,
  ScanResult,
  Severity,
} from '../model/result.js';
import type {
  AccountSnapshot,
  Bucket,
  InsightSelector,
  JsonValue,
  Key,
  Partition,
  Snapshot,
  SnapshotSection,
  Trail,
  TrailEventSelectors,
  TrailStatus,
} from '../model/snapshot.js';
import type { SelectorEvaluator } from '../selectors/evaluator.js';
import type { CollectDeclaration } from './collect-declaration.js';

export type { CollectDeclaration, CollectPlacement } from './collect-declaration.js';

/**
 * The plugin API version this core implements. A plugin records the version it was written for
 * (defineCheck stamps it); the loader refuses plugins written for another major version.
 */
export const PLUGIN_API_VERSION = 1;

/** A JSON Schema object (draft 2020-12 subset that ajv understands). */
export type JsonSchema = { [key: string]: unknown };

export type Evidence = Record<string, JsonValue>;
export type MessageData = Record<string, string | number | boolean>;

export interface CheckMeta<MessageIds extends string> {
  title: string;
  /** One paragraph: what it checks and why it matters. */
  description: string;
  severity: Severity;
  /** Resource type the check judges, e.g. `AWS::CloudTrail::Trail`, `AWS::::Account`. */
  resource: string;
  /** Framework id → control ids, e.g. `{ 'cis-aws-3.0.0': ['3.2'] }`. */
  frameworks?: FrameworkMap;
  remediation: Remediation;
  /** Path (relative to the plugin package) or URL of the check's documentation. */
  docs?: string;
  helpUri?: string;
  /** Message templates by id; `{{name}}` is replaced by the data given when reporting. */
  messages: Record<MessageIds, string>;
}

export interface CheckOptionsSpec<Options> {
  /**
   * JSON Schema of the options object; validated with ajv when the config is loaded. An option the
   * schema lists in `required` needs no default: the config must set it, or the run stops before
   * any collection with one line naming `checks.<id>.options.<name>`.
   */
  schema: JsonSchema;
  /** A value for every option that has one (all but the `required` ones). */
  defaults: Partial<Options>;
}

export interface CheckDefinition<Options extends object, MessageIds extends string, EntryNames extends string = string> {
  id: string;
  meta: CheckMeta<MessageIds>;
  options?: CheckOptionsSpec<Options>;
  /** Snapshot sections the check reads; the collector gathers only these. */
  requires: SnapshotSection[];
  /**
   * Off unless the config enables it (`checks.<id>: on`) or `--checks` names it: for checks whose
   * data costs more than a configuration read (e.g. trail-log-integrity reads every log file).
   */
  optIn?: boolean;
  /**
   * Extra read-only AWS calls the check needs, by entry name (see docs/collection-plugins.md). The
   * collector makes them and stores the answers under the plugin's namespace; the check reads them
   * with `ctx.extension(entry, at)`.
   */
  collect?: Record<EntryNames, CollectDeclaration>;
  /** Evaluation budget override in milliseconds (default: the engine's). */
  timeoutMs?: number;
  evaluate(ctx: CheckContext<Options, MessageIds, EntryNames>): void | Promise<void>;
}

export interface Check<Options extends object = object, MessageIds extends string = string, EntryNames extends string = string>
  extends CheckDefinition<Options, MessageIds, EntryNames> {
  kind: 'trailwarden-check';
  apiVersion: number;
}

/**
 * Declare a check. Types of options, message ids and collect entry names are inferred from
 * `options.defaults`, `meta.messages` and `collect`.
 */
export function defineCheck<
  Options extends object = Record<string, never>,
  MessageIds extends string = string,
  EntryNames extends string = never,
>(definition: CheckDefinition<Options, MessageIds, EntryNames>): Check<Options, MessageIds, EntryNames> {
  return { ...definition, kind: 'trailwarden-check', apiVersion: PLUGIN_API_VERSION };
}

export interface ReporterDefinition<Options extends object = Record<string, unknown>> {
  id: string;
  /** Appended to `trailwarden-report`, e.g. `.json`, `.junit.xml`. */
  extension: string;
  description?: string;
  /**
   * JSON Schema of the options (`reporters.<id>` in the config). The CLI validates them when the run
   * starts, before any collection, so a typo costs no scan. Without it the options reach `render`
   * unchecked.
   */
  options?: { schema: JsonSchema };
  render(result: ScanResult, options: Partial<Options>): string | Uint8Array | Promise<string | Uint8Array>;
}

export interface Reporter<Options extends object = Record<string, unknown>> extends ReporterDefinition<Options> {
  kind: 'trailwarden-reporter';
  apiVersion: number;
}

export function defineReporter<Options extends object = Record<string, unknown>>(
  definition: ReporterDefinition<Options>,
): Reporter<Options> {
  return { ...definition, kind: 'trailwarden-reporter', apiVersion: PLUGIN_API_VERSION };
}

/** A plugin package's default export may be a check, a reporter, a list of them, or this object. */
export interface PluginDefinition {
  name?: string;
  // biome-ignore lint/suspicious/noExplicitAny: a plugin holds checks of any option type
  checks?: Check<any, any, any>[];
  // biome-ignore lint/suspicious/noExplicitAny: a plugin holds reporters of any option type
  reporters?: Reporter<any>[];
}

// ----- The context a check evaluates in -----

export interface AccountView {
  id: string;
  name?: string;
  /** `arn:<partition>:iam::<id>:root`, type `AWS::::Account`, region `global`. */
  resource: ResourceRef;
  ouPath: string[];
  isManagementAccount: boolean;
  data: AccountSnapshot;
  /** The account's own trails (including organization trails it owns), once each. */
  ownTrails(): Known<TrailView[]>;
  /**
   * Trails whose events cover this account: its own, plus organization trails owned elsewhere
   * (resolved to the owner's full record when the owner account was scanned).
   */
  applicableTrails(): Known<TrailView[]>;
}

export interface TrailView {
  trail: Trail;
  /** Owner account, home region. */
  resource: ResourceRef;
  /** The trail's status, or why it is unknown (including "not collected"). */
  status(): Known<TrailStatus>;
  /**
   * The status in every region it was read: the home region first (`status()`), then the other
   * regions a multi-region trail covers, sorted (GetTrailStatus answers one region at a time).
   */
  regionStatuses(): { region: string; status: Known<TrailStatus> }[];
  /** Event selectors; a never-configured trail has AWS's default (all management events). */
  eventSelectors(): Known<TrailEventSelectors>;
  /** Insight selectors; `[]` when Insights is off (AWS's InsightNotEnabledException). */
  insightSelectors(): Known<InsightSelector[]>;
  /** The bucket the trail delivers to, resolved in whichever scanned account owns it. */
  bucket(): Known<BucketView> | null;
  /** The KMS key the trail encrypts with; `null` when the trail has no KmsKeyId. */
  key(): Known<KeyView> | null;
}

/** The per-bucket settings the collector reads, each a Known<T>. */
export type BucketSettingName =
  | 'policy'
  | 'policyStatus'
  | 'acl'
  | 'publicAccessBlock'
  | 'ownershipControls'
  | 'objectLock'
  | 'encryption'
  | 'logging'
  | 'versioning'
  | 'lifecycle';

export interface BucketView {
  bucket: Bucket;
  resource: ResourceRef;
  /** Trails (from any scanned account) that deliver to this bucket. */
  trails: TrailView[];
  /** One setting of the bucket; a `NotCollected` error naming the S3 call when the snapshot lacks it. */
  setting<K extends BucketSettingName>(name: K): NonNullable<Bucket[K]>;
}

export interface KeyView {
  key: Key;
  resource: ResourceRef;
  trails: TrailView[];
}

/**
 * Where to read a collected value: the account (per `account`), the account and region (per
 * `region`), or the trail, bucket or key view (per `trail`, `bucket`, `key`).
 */
export type ExtensionTarget =
  | { accountId: string; region?: string }
  | { trail: TrailView }
  | { bucket: BucketView }
  | { key: KeyView };

export interface CheckContext<Options extends object = object, MessageIds extends string = string, EntryNames extends string = string> {
  readonly checkId: string;
  readonly options: Readonly<Options>;
  /** The evaluation's clock. Checks must not read the system clock. */
  readonly now: Date;
  readonly partition: Partition;
  readonly snapshot: Readonly<Snapshot>;
  /** The shared event-selector evaluator. */
  readonly selectors: SelectorEvaluator;

  accounts(): AccountView[];
  account(accountId: string): AccountView | undefined;
  /**
   * Every trail once, in its owner account. Accounts whose trails are unknown get an ERROR, and so
   * does each region where DescribeTrails failed (a trail homed only there could not be seen).
   */
  forEachTrail(fn: (trail: TrailView) => void): void;
  /** Every bucket some trail delivers to, once, in its owner account; unresolved ones get an ERROR. */
  forEachBucket(fn: (bucket: BucketView) => void): void;
  /** Every KMS key some trail uses, once, in its owner account; unresolved ones get an ERROR. */
  forEachKey(fn: (key: KeyView) => void): void;
  /** Every scanned account whose data could be read; unreadable ones get an ERROR. */
  forEachAccount(fn: (account: AccountView) => void): void;

  /**
   * The stored answer of one of this check's `collect` entries at a placement, from this check's
   * plugin namespace. An error when AWS refused (as collected), or `NotCollected` when the snapshot
   * was collected without this entry (or with a different declaration of it).
   */
  extension<T = JsonValue>(entry: EntryNames, at: ExtensionTarget): Known<T>;

  pass(resource: ResourceRef, messageId: MessageIds, data?: MessageData, evidence?: Evidence): void;
  fail(resource: ResourceRef, messageId: MessageIds, data?: MessageData, evidence?: Evidence): void;
  notApplicable(resource: ResourceRef, messageId: MessageIds, data?: MessageData, evidence?: Evidence): void;
  /** The check cannot decide: name what could not be read (a Known error) or why. */
  error(resource: ResourceRef, cause: KnownError | string, evidence?: Evidence): void;

  /**
   * Judge one resource in isolation: when `judge` throws, `resource` gets an ERROR naming the
   * failure, the PASS and NOT_APPLICABLE verdicts `judge` gave it are withdrawn (FAILs and findings
   * about other resources stand), and the check goes on with the next resource. The `forEach*`
   * helpers judge each resource this way; call it for any other per-resource loop. Returns false
   * when the judgement failed (so a summary verdict, such as an account's PASS, can be withheld).
   */
  isolate(resource: ResourceRef, judge: () => void): boolean;
}
