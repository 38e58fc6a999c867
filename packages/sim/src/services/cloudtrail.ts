/** CloudTrail (awsJson1_1): trails as an account sees them from one region, shadows and organization trails included. */
import { jsonReply } from '../protocol/reply.js';
import { SimError } from '../protocol/services.js';
import type { TrailModel } from '../world/model.js';
import { type CallContext, compact, epochSeconds, type Handler } from './context.js';

const LIST_TRAILS_PAGE = 5;

/** The default selector of a trail whose selectors were never configured (AWS: "logs all management events"). */
const DEFAULT_EVENT_SELECTORS = [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }];

/** Organization trails of the caller's organization that reach this (member) account. */
function orgTrailsFor(ctx: CallContext): TrailModel[] {
  if (!ctx.model.org || ctx.account.status !== 'ACTIVE') return [];
  return ctx.model.orgTrails.filter((t) => t.ownerId !== ctx.account.id);
}

/** Every trail visible in the caller's account and region: owned (home or shadow) and organization trails. */
function visibleTrails(ctx: CallContext): TrailModel[] {
  const inRegion = (t: TrailModel) => t.homeRegion === ctx.region || t.multiRegion === true;
  return [...ctx.account.trails.filter(inRegion), ...orgTrailsFor(ctx).filter(inRegion)];
}

const isShadow = (ctx: CallContext, t: TrailModel) => t.homeRegion !== ctx.region || t.ownerId !== ctx.account.id;

function trailShape(t: TrailModel, ctx: CallContext) {
  return compact({
    Name: t.name,
    S3BucketName: t.bucket,
    S3KeyPrefix: t.keyPrefix,
    SnsTopicName: t.snsTopicName,
    SnsTopicARN: t.snsTopicName ? `arn:${ctx.model.partition}:sns:${t.homeRegion}:${t.ownerId}:${t.snsTopicName}` : undefined,
    IncludeGlobalServiceEvents: t.includeGlobalServiceEvents ?? true,
    IsMultiRegionTrail: t.multiRegion ?? false,
    HomeRegion: t.homeRegion,
    TrailARN: t.arn,
    LogFileValidationEnabled: t.logFileValidation ?? false,
    CloudWatchLogsLogGroupArn: t.cloudWatchLogsLogGroupArn,
    CloudWatchLogsRoleArn: t.cloudWatchLogsRoleArn,
    KmsKeyId: t.kmsKeyId,
    HasCustomEventSelectors: t.eventSelectors !== undefined || t.advancedEventSelectors !== undefined,
    HasInsightSelectors: (t.insightSelectors?.length ?? 0) > 0,
    IsOrganizationTrail: t.organization ?? false,
  });
}

const TRAIL_ARN = /^arn:[^:]+:cloudtrail:([a-z0-9-]+):([0-9]{12}):trail\/([A-Za-z0-9._-]+)$/;

/**
 * Resolves a `Name` parameter as CloudTrail does: a bare name reaches only the caller's own trail homed
 * in this region; a trail homed elsewhere (a shadow) or an organization trail needs its ARN.
 */
function resolveTrail(ctx: CallContext, nameOrArn: unknown): TrailModel {
  if (typeof nameOrArn !== 'string' || nameOrArn === '') throw new SimError('InvalidTrailNameException', 'Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).');
  if (nameOrArn.startsWith('arn:')) {
    if (!TRAIL_ARN.test(nameOrArn)) throw new SimError('CloudTrailARNInvalidException', `Invalid trail ARN: ${nameOrArn}`);
    const trail = visibleTrails(ctx).find((t) => t.arn === nameOrArn);
    if (!trail) throw new SimError('TrailNotFoundException', `Unknown trail: ${nameOrArn} for the user: ${ctx.account.id}`);
    return trail;
  }
  if (!/^[A-Za-z0-9._-]{3,128}$/.test(nameOrArn)) throw new SimError('InvalidTrailNameException', `Trail name is invalid: ${nameOrArn}`);
  const trail = ctx.account.trails.find((t) => t.name === nameOrArn && t.homeRegion === ctx.region);
  if (!trail) throw new SimError('TrailNotFoundException', `Unknown trail: ${nameOrArn} for the user: ${ctx.account.id}`);
  return trail;
}

/**
 * Selectors of an organization trail are only readable from the account that owns it (or the
 * CloudTrail delegated administrator); from a member account CloudTrail refuses the ARN.
 */
function resolveOwnedTrail(ctx: CallContext, nameOrArn: unknown): TrailModel {
  const trail = resolveTrail(ctx, nameOrArn);
  // A CloudTrail delegated administrator manages the organization's trails, so it may read them.
  const cloudTrailAdmin = trail.organization === true && ctx.model.org?.delegatedAdministrators.some((d) => d.accountId === ctx.account.id && d.servicePrincipal === 'cloudtrail.amazonaws.com');
  if (trail.ownerId !== ctx.account.id && !cloudTrailAdmin) {
    throw new SimError('CloudTrailARNInvalidException', `The ARN ${trail.arn} is not valid for this account; selectors of an organization trail can be read only from the account that owns it.`);
  }
  return trail;
}

const params = (ctx: CallContext): Record<string, unknown> => ctx.input;

const describeTrails: Handler = (ctx) => {
  const p = params(ctx);
  const names = Array.isArray(p.trailNameList) ? (p.trailNameList as unknown[]) : [];
  const includeShadow = p.includeShadowTrails !== false;
  let trails: TrailModel[];
  if (names.length > 0) {
    trails = [];
    for (const n of names) {
      if (typeof n !== 'string') continue;
      const t = n.startsWith('arn:')
        ? visibleTrails(ctx).find((x) => x.arn === n)
        : ctx.account.trails.find((x) => x.name === n && x.homeRegion === ctx.region);
      if (t && !trails.includes(t)) trails.push(t);
    }
  } else {
    trails = visibleTrails(ctx).filter((t) => includeShadow || !isShadow(ctx, t));
  }
  return jsonReply({ trailList: trails.map((t) => trailShape(t, ctx)) }, ctx.requestId);
};

const listTrails: Handler = (ctx) => {
  const p = params(ctx);
  // ListTrails lists every trail of the account, whatever its home region, plus organization trails.
  const all = [...ctx.account.trails, ...orgTrailsFor(ctx)].sort((a, b) => (a.arn < b.arn ? -1 : 1));
  const start = typeof p.NextToken === 'string' ? decodeToken(p.NextToken) : 0;
  const page = all.slice(start, start + LIST_TRAILS_PAGE);
  const next = start + LIST_TRAILS_PAGE < all.length ? encodeToken(start + LIST_TRAILS_PAGE) : undefined;
  return jsonReply(compact({ Trails: page.map((t) => ({ TrailARN: t.arn, Name: t.name, HomeRegion: t.homeRegion })), NextToken: next }), ctx.requestId);
};

export function encodeToken(n: number): string {
  return Buffer.from(`sim:${n}`).toString('base64');
}
export function decodeToken(token: string): number {
  const m = /^sim:([0-9]+)$/.exec(Buffer.from(token, 'base64').toString());
  if (!m) throw new SimError('InvalidNextTokenException', 'The provided token is not valid.');
  return Number(m[1]);
}

const getTrailStatus: Handler = (ctx) => {
  const t = resolveTrail(ctx, params(ctx).Name);
  // GetTrailStatus answers the calling region's status only: a multi-region trail can deliver in one
  // region and fail in another.
  const s = { ...(t.status ?? {}), ...(t.regionStatus?.[ctx.region] ?? {}) };
  const isLogging = s.isLogging ?? true;
  const startLogging = s.startLoggingTime ?? (isLogging ? '2020-01-01T00:00:00Z' : undefined);
  return jsonReply(
    compact({
      IsLogging: isLogging,
      LatestDeliveryError: s.latestDeliveryError,
      LatestNotificationError: s.latestNotificationError,
      LatestDeliveryTime: epochSeconds(s.latestDeliveryTime),
      LatestNotificationTime: epochSeconds(s.latestNotificationTime),
      StartLoggingTime: epochSeconds(startLogging),
      StopLoggingTime: epochSeconds(s.stopLoggingTime),
      LatestCloudWatchLogsDeliveryError: s.latestCloudWatchLogsDeliveryError,
      LatestCloudWatchLogsDeliveryTime: epochSeconds(s.latestCloudWatchLogsDeliveryTime),
      LatestDigestDeliveryTime: epochSeconds(s.latestDigestDeliveryTime),
      LatestDigestDeliveryError: s.latestDigestDeliveryError,
      LatestDeliveryAttemptTime: s.latestDeliveryAttemptTime ?? s.latestDeliveryTime,
      LatestNotificationAttemptTime: s.latestNotificationTime ?? '',
      LatestNotificationAttemptSucceeded: s.latestNotificationTime ?? '',
      LatestDeliveryAttemptSucceeded: s.latestDeliveryAttemptSucceeded ?? s.latestDeliveryTime,
      TimeLoggingStarted: startLogging,
      TimeLoggingStopped: s.stopLoggingTime,
    }),
    ctx.requestId,
  );
};

const getEventSelectors: Handler = (ctx) => {
  const t = resolveOwnedTrail(ctx, params(ctx).TrailName);
  if (t.advancedEventSelectors) return jsonReply({ TrailARN: t.arn, AdvancedEventSelectors: t.advancedEventSelectors }, ctx.requestId);
  return jsonReply({ TrailARN: t.arn, EventSelectors: t.eventSelectors ?? DEFAULT_EVENT_SELECTORS }, ctx.requestId);
};

const getInsightSelectors: Handler = (ctx) => {
  const p = params(ctx);
  const t = resolveOwnedTrail(ctx, p.TrailName);
  if (!t.insightSelectors || t.insightSelectors.length === 0) {
    throw new SimError('InsightNotEnabledException', `Trail ${t.arn} does not have Insights enabled.`);
  }
  return jsonReply({ TrailARN: t.arn, InsightSelectors: t.insightSelectors }, ctx.requestId);
};

export const cloudTrailHandlers: Record<string, Handler> = {
  DescribeTrails: describeTrails,
  ListTrails: listTrails,
  GetTrailStatus: getTrailStatus,
  GetEventSelectors: getEventSelectors,
  GetInsightSelectors: getInsightSelectors,
};
