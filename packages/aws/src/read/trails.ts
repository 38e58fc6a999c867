import {
  DescribeTrailsCommand,
  type DescribeTrailsCommandOutput,
  GetEventSelectorsCommand,
  type GetEventSelectorsCommandOutput,
  GetInsightSelectorsCommand,
  type GetInsightSelectorsCommandOutput,
  GetTrailStatusCommand,
  type GetTrailStatusCommandOutput,
  type Trail as SdkTrail,
} from '@aws-sdk/client-cloudtrail';
import type { AdvancedEventSelector, ClassicEventSelector, InsightSelector, Known, KnownError, SnapshotSection, Trail, TrailEventSelectors, TrailStatus } from '@trailwarden/core';
import { compareStrings, parseArn } from '../arn.js';
import { compact, isoDate, readKnown } from '../known-read.js';
import type { Metrics } from '../pacing/metrics.js';
import type { AccountSession } from '../session.js';

export interface TrailListing {
  /** Per scanned region: the trail ARNs DescribeTrails listed there (shadow copies included). */
  listing: Record<string, Known<string[]>>;
  /** Regions an SCP denies to the account (see `isScpRegionDeny`), left out of `listing`. */
  governedOut?: Record<string, KnownError>;
  /** De-duplicated by ARN, sorted; `undefined` value with an error when no region could be listed. */
  trails: Known<Trail[]>;
}

/**
 * DescribeTrails in every region (each region lists its own trails, shadow copies of multi-region
 * trails and, in member accounts, organization trails), de-duplicated by ARN.
 */
export async function listTrails(session: AccountSession, regions: string[], metrics: Metrics): Promise<TrailListing> {
  const byArn = new Map<string, Trail>();
  const listing: Record<string, Known<string[]>> = {};
  const results = await Promise.all(
    regions.map((region) =>
      readKnown({ accountId: session.accountId, region, metrics }, 'DescribeTrails', async () => {
        const out = await session.send<DescribeTrailsCommandOutput>('cloudtrail', region, new DescribeTrailsCommand({ includeShadowTrails: true }));
        return out.trailList ?? [];
      }),
    ),
  );
  let firstError: Known<Trail[]> | undefined;
  regions.forEach((region, i) => {
    const result = results[i]!;
    if (result.error) {
      listing[region] = { error: result.error };
      firstError ??= { error: result.error };
      return;
    }
    const arns: string[] = [];
    for (const raw of result.value) {
      const trail = toTrail(raw, region, session.accountId);
      if (!trail) continue;
      arns.push(trail.arn);
      if (!byArn.has(trail.arn)) byArn.set(trail.arn, trail);
    }
    listing[region] = { value: [...new Set(arns)].sort(compareStrings) };
  });
  const listedSomewhere = regions.some((_, i) => !results[i]!.error);
  if (!listedSomewhere && firstError) return { listing, trails: firstError };
  // Denied by an SCP in some regions while others answer: a region deny (Control Tower's "Region
  // deny" control), which is the account's scope, not a read that failed. Denied everywhere, the
  // deny is about DescribeTrails itself and stays an error.
  let governedOut: Record<string, KnownError> | undefined;
  for (const region of Object.keys(listing).sort(compareStrings)) {
    const error = listing[region]?.error;
    if (!error || !isScpRegionDeny(error)) continue;
    governedOut ??= {};
    governedOut[region] = error;
    delete listing[region];
    metrics.errors -= 1; // counted as a failed read by readKnown: it is scope, not a failure
  }
  const trails: Known<Trail[]> = { value: [...byArn.values()].sort((a, b) => compareStrings(a.arn, b.arn)) };
  return governedOut ? { listing, trails, governedOut } : { listing, trails };
}

/**
 * An AccessDenied whose message says an SCP explicitly denied the call. IAM's format is "User: … is
 * not authorized to perform: … with an explicit deny in a service control policy"; its guide also
 * quotes "due to an explicit deny in a Service Control Policy", so the phrase is matched without case.
 */
export function isScpRegionDeny(error: KnownError): boolean {
  return /^AccessDenied(Exception)?$/.test(error.code) && /explicit deny in a service control policy/i.test(error.message);
}

export function toTrail(raw: SdkTrail, listedIn: string, accountId: string): Trail | undefined {
  const arn = raw.TrailARN;
  if (!arn) return undefined;
  const parsed = parseArn(arn);
  return compact<Trail>({
    arn,
    name: raw.Name ?? arn.split('/').pop() ?? arn,
    homeRegion: raw.HomeRegion ?? parsed?.region ?? listedIn,
    ownerAccountId: parsed?.accountId && /^\d{12}$/.test(parsed.accountId) ? parsed.accountId : accountId,
    isOrganizationTrail: raw.IsOrganizationTrail === true,
    isMultiRegionTrail: raw.IsMultiRegionTrail === true,
    includeGlobalServiceEvents: raw.IncludeGlobalServiceEvents === true,
    logFileValidationEnabled: raw.LogFileValidationEnabled === true,
    s3BucketName: raw.S3BucketName,
    s3KeyPrefix: raw.S3KeyPrefix,
    snsTopicArn: raw.SnsTopicARN,
    kmsKeyId: raw.KmsKeyId,
    cloudWatchLogsLogGroupArn: raw.CloudWatchLogsLogGroupArn,
    cloudWatchLogsRoleArn: raw.CloudWatchLogsRoleArn,
    hasCustomEventSelectors: raw.HasCustomEventSelectors,
    hasInsightSelectors: raw.HasInsightSelectors,
  });
}

export interface DetailOptions {
  /**
   * Other regions the trail covers (a multi-region trail's shadows): GetTrailStatus answers one
   * region's status only, so it is read there too, by ARN, into `trail.regionStatus`.
   */
  statusRegions?: readonly string[];
  /**
   * Read the event and insight selectors. Only the owner and the CloudTrail delegated administrator
   * may: a member asking for an organization trail's selectors gets CloudTrailARNInvalidException.
   */
  selectors: boolean;
}

/**
 * Status, event selectors and insight selectors of one trail, read in its home region by full ARN
 * (by name these fail for shadow copies and for organization trails seen from a member account).
 */
export async function readTrailDetails(session: AccountSession, trail: Trail, sections: ReadonlySet<SnapshotSection>, metrics: Metrics, options: DetailOptions = { selectors: true }): Promise<void> {
  const region = trail.homeRegion;
  const place = { accountId: session.accountId, region, metrics };
  const name = trail.arn;
  const jobs: Promise<void>[] = [];
  const status = (where: string) =>
    readKnown({ ...place, region: where }, 'GetTrailStatus', async () => toStatus(await session.send<GetTrailStatusCommandOutput>('cloudtrail', where, new GetTrailStatusCommand({ Name: name }))));
  if (sections.has('trailStatus')) {
    jobs.push(
      status(region).then((k) => {
        trail.status = k;
      }),
    );
    const others = [...new Set(options.statusRegions ?? [])].filter((r) => r !== region).sort(compareStrings);
    if (others.length > 0) {
      jobs.push(
        Promise.all(others.map((r) => status(r))).then((read) => {
          trail.regionStatus = Object.fromEntries(others.map((r, i) => [r, read[i]!]));
        }),
      );
    }
  }
  if (sections.has('eventSelectors') && options.selectors) {
    jobs.push(
      readKnown(place, 'GetEventSelectors', async () =>
        toSelectors(await session.send<GetEventSelectorsCommandOutput>('cloudtrail', region, new GetEventSelectorsCommand({ TrailName: name }))),
      ).then((k) => {
        trail.eventSelectors = k;
      }),
    );
  }
  if (sections.has('insightSelectors') && options.selectors) {
    if (trail.hasInsightSelectors === false && trail.ownerAccountId === session.accountId) {
      // DescribeTrails already says the trail has none: that is AWS's answer, no call needed.
      trail.insightSelectors = { value: [] };
    } else {
      jobs.push(
        readKnown(
          place,
          'GetInsightSelectors',
          async () => {
            const out = await session.send<GetInsightSelectorsCommandOutput>('cloudtrail', region, new GetInsightSelectorsCommand({ TrailName: name }));
            return (out.InsightSelectors ?? []).filter((s) => s.InsightType).map((s): InsightSelector => ({ insightType: s.InsightType! }));
          },
          { codes: ['InsightNotEnabledException'], value: [] },
        ).then((k) => {
          trail.insightSelectors = k;
        }),
      );
    }
  }
  await Promise.all(jobs);
}

/** The regions whose DescribeTrails listed the trail (its home region and, if multi-region, its shadows). */
export function listedRegions(listing: Record<string, Known<string[]>> | undefined, arn: string): string[] {
  return Object.entries(listing ?? {})
    .filter(([, k]) => k.value?.includes(arn))
    .map(([r]) => r)
    .sort(compareStrings);
}

function toStatus(out: GetTrailStatusCommandOutput): TrailStatus {
  return compact<TrailStatus>({
    isLogging: out.IsLogging === true,
    latestDeliveryError: out.LatestDeliveryError || undefined,
    latestDeliveryTime: isoDate(out.LatestDeliveryTime),
    latestDigestDeliveryError: out.LatestDigestDeliveryError || undefined,
    latestDigestDeliveryTime: isoDate(out.LatestDigestDeliveryTime),
    latestCloudWatchLogsDeliveryError: out.LatestCloudWatchLogsDeliveryError || undefined,
    latestCloudWatchLogsDeliveryTime: isoDate(out.LatestCloudWatchLogsDeliveryTime),
    latestNotificationError: out.LatestNotificationError || undefined,
    startLoggingTime: isoDate(out.StartLoggingTime),
    stopLoggingTime: isoDate(out.StopLoggingTime),
  });
}

function toSelectors(out: GetEventSelectorsCommandOutput): TrailEventSelectors {
  const result: TrailEventSelectors = {};
  if (out.EventSelectors) {
    result.eventSelectors = out.EventSelectors.map((s) =>
      compact<ClassicEventSelector>({
        readWriteType: s.ReadWriteType as ClassicEventSelector['readWriteType'],
        includeManagementEvents: s.IncludeManagementEvents,
        excludeManagementEventSources: s.ExcludeManagementEventSources,
        dataResources: s.DataResources?.map((d) => ({ type: d.Type ?? '', values: d.Values ?? [] })),
      }),
    );
  }
  if (out.AdvancedEventSelectors) {
    result.advancedEventSelectors = out.AdvancedEventSelectors.map((s) =>
      compact<AdvancedEventSelector>({
        name: s.Name,
        fieldSelectors: (s.FieldSelectors ?? []).map((f) =>
          compact({
            field: f.Field ?? '',
            equals: f.Equals,
            notEquals: f.NotEquals,
            startsWith: f.StartsWith,
            notStartsWith: f.NotStartsWith,
            endsWith: f.EndsWith,
            notEndsWith: f.NotEndsWith,
          }),
        ),
      }),
    );
  }
  return result;
}
