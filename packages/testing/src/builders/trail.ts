import type {
  AdvancedEventSelector,
  ClassicEventSelector,
  InsightSelector,
  Known,
  Trail,
  TrailEventSelectors,
  TrailStatus,
} from '@trailwarden/core';
import { minutesBefore } from './ids.js';
import { type Unreadable, isUnreadable, knownError } from './unreadable.js';

export interface TrailInput {
  name: string;
  /** An organization trail (needs `organization(...)` in the snapshot). Default false. */
  organization?: boolean;
  /** Default: the owner account's first region (`us-east-1` by default). */
  homeRegion?: string;
  /** Default true. */
  multiRegion?: boolean;
  /** IsLogging. Default: `status.isLogging` when given, else true. Stopped trails get an old last delivery and a stop time. */
  logging?: boolean;
  /** LogFileValidationEnabled. Default true. */
  logFileValidation?: boolean;
  /** Default true. */
  includeGlobalServiceEvents?: boolean;
  /**
   * S3 bucket name. A bucket of that name defined with `bucket(...)` in any account is used; otherwise a
   * compliant one is created in the trail's account (unless `unresolved`). Default:
   * `aws-cloudtrail-logs-<account>-<trail name>`.
   */
  bucket?: string;
  /** S3 key prefix. */
  prefix?: string;
  /**
   * KMS key: full ARN or key id. A key defined with `kmsKey(...)` (matched by ARN or id) is used; otherwise
   * a compliant one is created (in the ARN's account when that account is in the snapshot, else the trail's).
   * `null`: the trail does not use SSE-KMS. Default: a compliant key created in the trail's account.
   */
  kmsKey?: string | null;
  /**
   * Leave the bucket and/or key out of the snapshot instead of creating defaults: the snapshot's
   * `unresolved` section names them (with the given error, or "owned outside the scanned accounts").
   */
  unresolved?: boolean | { bucket?: boolean | Unreadable; key?: boolean | Unreadable };
  /** GetTrailStatus: fields merged over a healthy status relative to `collectedAt`, or unreadable. */
  status?: Partial<TrailStatus> | Unreadable;
  /**
   * GetEventSelectors: classic or advanced selector lists (see `classicSelectors`, `advancedSelectors`),
   * a raw `{ eventSelectors | advancedEventSelectors }` response, or unreadable. Default: all
   * management events, read and write (AWS's default for a new trail).
   */
  eventSelectors?: ClassicEventSelector[] | AdvancedEventSelector[] | TrailEventSelectors | Unreadable;
  /** GetInsightSelectors: insight types. Default: ApiCallRateInsight and ApiErrorRateInsight. */
  insightSelectors?: (InsightSelector | string)[] | Unreadable;
  /** Default: a log group named after the trail in its home region. `null`: no CloudWatch Logs. */
  cloudWatchLogsLogGroupArn?: string | null;
  cloudWatchLogsRoleArn?: string;
  snsTopicArn?: string;
}

export interface TrailSpec {
  readonly kind: 'trail';
  readonly input: TrailInput;
}

/** A CloudTrail trail owned by the account it is listed in. States only what the test breaks. */
export function trail(input: TrailInput): TrailSpec {
  if (!input || typeof input.name !== 'string' || input.name === '') throw new Error('trail(...): `name` is required');
  return { kind: 'trail', input };
}

export interface TrailBuildContext {
  partition: string;
  collectedAt: string;
  accountId: string;
  defaultRegion: string;
}

/** The owner's full record, without bucket/key resolution (done by the snapshot builder). */
export function buildTrail(spec: TrailSpec, ctx: TrailBuildContext): Trail {
  const t = spec.input;
  const { partition, accountId, collectedAt } = ctx;
  const homeRegion = t.homeRegion ?? ctx.defaultRegion;
  const arn = `arn:${partition}:cloudtrail:${homeRegion}:${accountId}:trail/${t.name}`;
  const logging = t.logging ?? (isUnreadable(t.status) ? undefined : t.status?.isLogging) ?? true;
  const validation = t.logFileValidation ?? true;
  const cwArn =
    t.cloudWatchLogsLogGroupArn === null
      ? undefined
      : (t.cloudWatchLogsLogGroupArn ?? `arn:${partition}:logs:${homeRegion}:${accountId}:log-group:aws-cloudtrail-logs-${t.name}:*`);

  const status: Known<TrailStatus> = isUnreadable(t.status)
    ? knownError(t.status, accountId, homeRegion)
    : {
        value: stripUndefined({
          isLogging: logging,
          latestDeliveryTime: minutesBefore(collectedAt, logging ? 5 : 60 * 24 * 2),
          latestDigestDeliveryTime: validation ? minutesBefore(collectedAt, logging ? 35 : 60 * 24 * 2) : undefined,
          latestCloudWatchLogsDeliveryTime: cwArn ? minutesBefore(collectedAt, logging ? 4 : 60 * 24 * 2) : undefined,
          startLoggingTime: minutesBefore(collectedAt, 60 * 24 * 400),
          stopLoggingTime: logging ? undefined : minutesBefore(collectedAt, 60 * 24 * 2),
          ...(t.status as Partial<TrailStatus> | undefined),
        }) as TrailStatus,
      };

  const eventSelectors: Known<TrailEventSelectors> = isUnreadable(t.eventSelectors)
    ? knownError(t.eventSelectors, accountId, homeRegion)
    : { value: normalizeSelectors(t.eventSelectors) };

  const insightSelectors: Known<InsightSelector[]> = isUnreadable(t.insightSelectors)
    ? knownError(t.insightSelectors, accountId, homeRegion)
    : {
        value: (t.insightSelectors ?? ['ApiCallRateInsight', 'ApiErrorRateInsight']).map((s) =>
          typeof s === 'string' ? { insightType: s } : s,
        ),
      };

  return stripUndefined({
    arn,
    name: t.name,
    homeRegion,
    ownerAccountId: accountId,
    isOrganizationTrail: t.organization ?? false,
    isMultiRegionTrail: t.multiRegion ?? true,
    includeGlobalServiceEvents: t.includeGlobalServiceEvents ?? true,
    logFileValidationEnabled: validation,
    s3BucketName: t.bucket ?? `aws-cloudtrail-logs-${accountId}-${t.name}`,
    s3KeyPrefix: t.prefix,
    snsTopicArn: t.snsTopicArn,
    cloudWatchLogsLogGroupArn: cwArn,
    cloudWatchLogsRoleArn: cwArn
      ? (t.cloudWatchLogsRoleArn ?? `arn:${partition}:iam::${accountId}:role/CloudTrailRoleForCloudWatchLogs_${t.name}`)
      : undefined,
    hasCustomEventSelectors: t.eventSelectors !== undefined,
    hasInsightSelectors: isUnreadable(insightSelectors) ? undefined : (insightSelectors.value?.length ?? 0) > 0,
    status,
    eventSelectors,
    insightSelectors,
  }) as Trail;
}

function normalizeSelectors(input: TrailInput['eventSelectors']): TrailEventSelectors {
  if (input === undefined) {
    return { eventSelectors: [{ readWriteType: 'All', includeManagementEvents: true, excludeManagementEventSources: [], dataResources: [] }] };
  }
  if (!Array.isArray(input)) return input as TrailEventSelectors;
  if (input.length === 0) return { eventSelectors: [] };
  const advanced = input.filter((s) => 'fieldSelectors' in s);
  if (advanced.length === input.length) return { advancedEventSelectors: input as AdvancedEventSelector[] };
  if (advanced.length === 0) return { eventSelectors: input as ClassicEventSelector[] };
  throw new Error('trail(...).eventSelectors mixes classic and advanced selectors; a trail has one kind or the other (as in AWS)');
}

export function stripUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
