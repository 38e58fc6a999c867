import type { Known, KnownError } from '../model/known.js';
import type {
  FrameworkMap,
  Remediation,
  ResourceRef,
  ScanResult,
  Severity,
  Status,
} from '../model/result.js';
import type {
  AccountSnapshot,
  Bucket,
  EventDataStore,
  EventHistory,
  IamData,
  InsightSelector,
  JsonValue,
  Key,
  KeyMetadata,
  Partition,
  PolicyDocument,
  PublicAccessBlock,
  RegionInfo,
  RegionMonitoring,
  RootUserCredentials,
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
 * (`createCheck` stamps 2, the v1 `defineCheck` stamps 1); the loader refuses versions it does not
 * support (see SUPPORTED_PLUGIN_API_VERSIONS).
 */
export const PLUGIN_API_VERSION = 2;
/** v1 checks still load: the engine hands them the v1 context (see docs/plugin-api.md, "v1 plugins"). */
export const SUPPORTED_PLUGIN_API_VERSIONS: readonly number[] = [1, 2];

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

/** What every check declares, whichever API version it was written for. */
export interface CheckFields<Options extends object, MessageIds extends string, EntryNames extends string = string> {
  id: string;
  meta: CheckMeta<MessageIds>;
  options?: CheckOptionsSpec<Options>;
  /** Snapshot sections the check reads; the collector gathers only these. */
  requires: SnapshotSection[];
  /**
   * Sections the check reads when the snapshot has them and can judge without (it then says what it
   * could not know): collected with `requires`, but a snapshot without them is no ERROR for the check.
   */
  uses?: SnapshotSection[];
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
}

/** A check written for plugin API v2 (`createCheck`). */
export interface CheckDefinitionV2<Options extends object, MessageIds extends string, EntryNames extends string = string>
  extends CheckFields<Options, MessageIds, EntryNames> {
  evaluate(ctx: Context<Options, MessageIds, EntryNames>): void | Promise<void>;
}

/** A check written for plugin API v1 (`defineCheck`): evaluated through the v1 context. */
export interface CheckDefinition<Options extends object, MessageIds extends string, EntryNames extends string = string>
  extends CheckFields<Options, MessageIds, EntryNames> {
  evaluate(ctx: CheckContext<Options, MessageIds, EntryNames>): void | Promise<void>;
}

export interface CheckV2<Options extends object = object, MessageIds extends string = string, EntryNames extends string = string>
  extends CheckDefinitionV2<Options, MessageIds, EntryNames> {
  kind: 'trailwarden-check';
  apiVersion: 2;
}

export interface CheckV1<Options extends object = object, MessageIds extends string = string, EntryNames extends string = string>
  extends CheckDefinition<Options, MessageIds, EntryNames> {
  kind: 'trailwarden-check';
  /** 1, or absent in plugins older than the version stamp. */
  apiVersion: 1;
}

/** A loaded check of either API version; `apiVersion` tells which context it is evaluated with. */
export type Check<Options extends object = object, MessageIds extends string = string, EntryNames extends string = string> =
  | CheckV2<Options, MessageIds, EntryNames>
  | CheckV1<Options, MessageIds, EntryNames>;

/**
 * Declare a check (plugin API v2). Options, message ids and collect entry names are inferred from
 * `options.defaults`, `meta.messages` and `collect`: give no type arguments. Like
 * typescript-eslint's `createRule`, the definition is data plus one `evaluate` that reads the scan
 * model and calls `ctx.report(...)`.
 */
export function createCheck<
  Options extends object = Record<string, never>,
  MessageIds extends string = string,
  EntryNames extends string = never,
>(definition: CheckDefinitionV2<Options, MessageIds, EntryNames>): CheckV2<Options, MessageIds, EntryNames> {
  return { ...definition, kind: 'trailwarden-check', apiVersion: 2 };
}

/**
 * Declare a check for plugin API v1 (positional `ctx.pass(...)`, `ctx.snapshot`). Still loaded and
 * run unchanged; new checks use `createCheck`.
 * @deprecated use createCheck (plugin API v2).
 */
export function defineCheck<
  Options extends object = Record<string, never>,
  MessageIds extends string = string,
  EntryNames extends string = never,
>(definition: CheckDefinition<Options, MessageIds, EntryNames>): CheckV1<Options, MessageIds, EntryNames> {
  return { ...definition, kind: 'trailwarden-check', apiVersion: 1 };
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

// ----- The scan model a check reads -----

/** Account-level sections, each read through `Account.get`. */
export interface AccountSettings {
  regions: RegionInfo[];
  iam: IamData;
  /** `null`: the account has no S3 Block Public Access configuration. */
  s3AccountPublicAccessBlock: PublicAccessBlock | null;
  eventHistory: EventHistory;
  /** By region: what watches the trails' CloudWatch Logs log groups there. */
  monitoring: Record<string, RegionMonitoring>;
  /** The root user's credentials (IAM GetAccountSummary: access keys, MFA). */
  rootUser: RootUserCredentials;
  /** By region: the CloudTrail Lake event data stores listed there (each listing known or not). */
  eventDataStores: Record<string, Known<EventDataStore[]>>;
}
export type AccountSettingName = keyof AccountSettings;

/** A scanned account, with its trails resolved. */
export interface Account {
  id: string;
  name?: string;
  /** `arn:<partition>:iam::<id>:root`, type `AWS::::Account`, region `global`. */
  resource: ResourceRef;
  ouPath: string[];
  isManagementAccount: boolean;
  /** How the account was read; an error (e.g. AssumeRole denied) means nothing else was. */
  access: Known<{ via: 'caller' | 'role'; roleArn?: string }>;
  /** The account's own trails (including organization trails it owns), once each. */
  ownTrails(): Known<TrailView[]>;
  /**
   * Trails whose events cover this account: its own, plus organization trails owned elsewhere
   * (resolved to the owner's full record when the owner account was scanned).
   */
  applicableTrails(): Known<TrailView[]>;
  /**
   * Regions where DescribeTrails failed (sorted): a single-region trail homed only there could not
   * be seen, so "no qualifying trail" is not known for this account.
   */
  unlistedRegions(): { region: string; error: KnownError }[];
  /**
   * One account-level section: the account's access error when it could not be read, or a
   * `NotCollected` error naming the AWS call when the snapshot lacks it.
   */
  get<K extends AccountSettingName>(name: K): Known<AccountSettings[K]>;
}

/** Plugin API v1's account: the v2 `Account` plus `data`, its raw snapshot record. */
export interface AccountView extends Account {
  /** @deprecated v1 only: read through `get(...)`; v2 checks do not see the raw snapshot. */
  data: AccountSnapshot;
}

/** Trail-level details read after DescribeTrails, each through `TrailView.get`. */
export interface TrailSettings {
  status: TrailStatus;
  eventSelectors: TrailEventSelectors;
  insightSelectors: InsightSelector[];
}
export type TrailSettingName = keyof TrailSettings;

export interface TrailView {
  trail: Trail;
  /** Owner account, home region. */
  resource: ResourceRef;
  /**
   * A detail of the trail, or why it is unknown: the owner account unreadable or not scanned
   * (`OwnerOutOfScope`: a member cannot read an organization trail's selectors), or `NotCollected`.
   * `insightSelectors` is `[]` when Insights is off (AWS's InsightNotEnabledException, or
   * HasInsightSelectors false).
   */
  get<K extends TrailSettingName>(name: K): Known<TrailSettings[K]>;
  /** The trail's status, or why it is unknown (including "not collected"); `get('status')`. */
  status(): Known<TrailStatus>;
  /**
   * The status in every region it was read: the home region first (`status()`), then the other
   * regions a multi-region trail covers, sorted (GetTrailStatus answers one region at a time).
   */
  regionStatuses(): { region: string; status: Known<TrailStatus> }[];
  /** Event selectors; a never-configured trail has AWS's default (all management events). */
  eventSelectors(): Known<TrailEventSelectors>;
  /** Insight selectors; `[]` when Insights is off; `get('insightSelectors')`. */
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
  | 'lifecycle'
  /** The bucket's S3 access points (ListAccessPoints), each with its policy status and own Block Public Access. */
  | 'accessPoints';

export interface BucketView {
  bucket: Bucket;
  resource: ResourceRef;
  /** Trails (from any scanned account) that deliver to this bucket. */
  readonly trails: TrailView[];
  /** One setting of the bucket; a `NotCollected` error naming the S3 call when the snapshot lacks it. */
  get<K extends BucketSettingName>(name: K): NonNullable<Bucket[K]>;
  /** v1 name of `get`. */
  setting<K extends BucketSettingName>(name: K): NonNullable<Bucket[K]>;
}

/** The per-key settings the collector reads. */
export interface KeySettings {
  metadata: KeyMetadata;
  policy: PolicyDocument;
  rotation: { enabled: boolean; rotationPeriodInDays?: number };
}
export type KeySettingName = keyof KeySettings;

export interface KeyView {
  key: Key;
  resource: ResourceRef;
  /** Trails (from any scanned account) that encrypt with this key. */
  readonly trails: TrailView[];
  /** One setting of the key; a `NotCollected` error naming the KMS call when the snapshot lacks it. */
  get<K extends KeySettingName>(name: K): Known<KeySettings[K]>;
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

/** Plugin API v1's context (`defineCheck`); v2 checks get `Context`. */
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

// ----- Plugin API v2: the context of a `createCheck` check -----

/** A finding: one verdict on one resource, its message chosen by id from `meta.messages`. */
export interface ReportDescriptor<MessageIds extends string = string> {
  status: Status;
  resource: ResourceRef;
  messageId: MessageIds;
  /** Fills the message's `{{name}}` placeholders, and is kept in the finding (tests assert it). */
  data?: MessageData;
  evidence?: Evidence;
  error?: never;
}

/**
 * An ERROR because a value could not be read: reported with the core message id
 * `core.cannotDecide` ("Cannot decide: <what failed, where, AWS's words>."), the error's code and
 * operation as data, and the error itself in the evidence.
 */
export interface UnreadableDescriptor {
  status: 'ERROR';
  resource: ResourceRef;
  error: KnownError;
  evidence?: Evidence;
  messageId?: never;
  data?: never;
}

/**
 * A computation shared by every check of one evaluation (an IAM policy index, an action catalogue):
 * created on first use and kept for that evaluation only. Compare services by identity: declare
 * each one once, at module level, with `defineService`.
 */
export interface Service<T> {
  readonly id: string;
  create(input: ServiceInput): T;
}

/** What a service is built from: the evaluation's snapshot (services, unlike checks, may read it). */
export interface ServiceInput {
  readonly snapshot: Readonly<Snapshot>;
  readonly partition: Partition;
  /** The evaluation's event-selector evaluator (the one checks get as `ctx.services.selectors`). */
  readonly selectors: SelectorEvaluator;
}

export function defineService<T>(id: string, create: (input: ServiceInput) => T): Service<T> {
  return { id, create };
}

/** The per-evaluation registry of shared services. */
export interface Services {
  /** The event-selector evaluator. */
  readonly selectors: SelectorEvaluator;
  /** The evaluation's instance of `service`, created on first use. */
  use<T>(service: Service<T>): T;
}

/** Facts about the scan as a whole. */
export interface ScanFacts {
  /** When the snapshot was collected (ISO 8601, as the collector wrote it). */
  readonly collectedAt: string;
  readonly mode: 'organization' | 'single-account' | 'fixture';
  /** Whether log files were verified in this scan (`scan --verify-logs`). */
  readonly logsVerified: boolean;
  /**
   * What log-file verification found for one trail (the `TrailIntegrity` JSON of
   * @trailwarden/integrity), or why it could not run; undefined when the trail was not verified.
   */
  logIntegrity(trailArn: string): Known<JsonValue> | undefined;
  /** ACTIVE accounts of the organization that were not scanned, sorted (`[]` outside an organization). */
  unscannedAccounts(): string[];
}

/**
 * The context of a plugin API v2 check: the resolved scan model (accounts, trails, buckets, keys
 * and their relations, every value a Known<T>), the shared services, and one `report` call. There
 * is no raw snapshot: a value missing from the model is a Known error from `get(...)`.
 */
export interface Context<Options extends object = object, MessageIds extends string = string, EntryNames extends string = string> {
  readonly checkId: string;
  readonly options: Readonly<Options>;
  /** The evaluation's clock. Checks must not read the system clock. */
  readonly now: Date;
  readonly partition: Partition;
  readonly scan: ScanFacts;
  readonly services: Services;

  accounts(): Account[];
  account(accountId: string): Account | undefined;
  /** Every scanned account whose data could be read; unreadable ones get an ERROR. */
  forEachAccount(fn: (account: Account) => void): void;
  /**
   * Every trail once, in its owner account. Accounts whose trails are unknown get an ERROR, and so
   * does each region where DescribeTrails failed (a trail homed only there could not be seen).
   */
  forEachTrail(fn: (trail: TrailView) => void): void;
  /** Every bucket some trail delivers to, once, in its owner account; unresolved ones get an ERROR. */
  forEachBucket(fn: (bucket: BucketView) => void): void;
  /** Every KMS key some trail uses, once, in its owner account; unresolved ones get an ERROR. */
  forEachKey(fn: (key: KeyView) => void): void;

  /** See CheckContext.extension. */
  extension<T = JsonValue>(entry: EntryNames, at: ExtensionTarget): Known<T>;

  /**
   * Report one finding, for every status: `{ status, resource, messageId, data, evidence }`, or
   * `{ status: 'ERROR', resource, error }` when a value could not be read.
   */
  report(finding: ReportDescriptor<MessageIds> | UnreadableDescriptor): void;

  /** See CheckContext.isolate. */
  isolate(resource: ResourceRef, judge: () => void): boolean;
}
