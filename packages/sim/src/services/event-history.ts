/**
 * CloudTrail Event History (LookupEvents): the management events a world plants, as CloudTrail
 * records them (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html,
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html).
 * Newest first; 50 a page at most (the default too); one lookup attribute per call; only the last
 * 90 days; in the region the call was made in.
 */
import { createHash } from 'node:crypto';
import { jsonReply } from '../protocol/reply.js';
import { SimError } from '../protocol/services.js';
import type { AccountModel, SimModel } from '../world/model.js';
import type { WorldEvent } from '../world/types.js';
import type { CallContext, Handler } from './context.js';
import { decodeToken, encodeToken } from './cloudtrail.js';

const DAY_MS = 86_400_000;
const RETENTION_DAYS = 90;
const MAX_RESULTS = 50;
const ATTRIBUTE_KEYS = ['EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId'];

const SOURCES: Record<string, { source: string; resourceType: string; param: string }> = {
  StopLogging: { source: 'cloudtrail', resourceType: 'AWS::CloudTrail::Trail', param: 'name' },
  StartLogging: { source: 'cloudtrail', resourceType: 'AWS::CloudTrail::Trail', param: 'name' },
  DeleteTrail: { source: 'cloudtrail', resourceType: 'AWS::CloudTrail::Trail', param: 'name' },
  CreateTrail: { source: 'cloudtrail', resourceType: 'AWS::CloudTrail::Trail', param: 'name' },
  UpdateTrail: { source: 'cloudtrail', resourceType: 'AWS::CloudTrail::Trail', param: 'name' },
  PutEventSelectors: { source: 'cloudtrail', resourceType: 'AWS::CloudTrail::Trail', param: 'trailName' },
  PutInsightSelectors: { source: 'cloudtrail', resourceType: 'AWS::CloudTrail::Trail', param: 'trailName' },
  StopEventDataStoreIngestion: { source: 'cloudtrail', resourceType: 'AWS::CloudTrail::EventDataStore', param: 'eventDataStore' },
  StartEventDataStoreIngestion: { source: 'cloudtrail', resourceType: 'AWS::CloudTrail::EventDataStore', param: 'eventDataStore' },
  DeleteEventDataStore: { source: 'cloudtrail', resourceType: 'AWS::CloudTrail::EventDataStore', param: 'eventDataStore' },
  PutBucketPolicy: { source: 's3', resourceType: 'AWS::S3::Bucket', param: 'bucketName' },
  DeleteBucketPolicy: { source: 's3', resourceType: 'AWS::S3::Bucket', param: 'bucketName' },
  PutBucketLifecycle: { source: 's3', resourceType: 'AWS::S3::Bucket', param: 'bucketName' },
  PutBucketVersioning: { source: 's3', resourceType: 'AWS::S3::Bucket', param: 'bucketName' },
  PutBucketAcl: { source: 's3', resourceType: 'AWS::S3::Bucket', param: 'bucketName' },
  DisableKey: { source: 'kms', resourceType: 'AWS::KMS::Key', param: 'keyId' },
  ScheduleKeyDeletion: { source: 'kms', resourceType: 'AWS::KMS::Key', param: 'keyId' },
  PutKeyPolicy: { source: 'kms', resourceType: 'AWS::KMS::Key', param: 'keyId' },
};

/** A world event with its defaults applied, as CloudTrail would have recorded it. */
interface EventRecord {
  id: string;
  timeMs: number;
  region: string;
  name: string;
  source: string;
  readOnly: boolean;
  username: string;
  accessKeyId: string;
  resource?: { type: string; name: string };
  record: Record<string, unknown>;
}

const cache = new WeakMap<AccountModel, EventRecord[]>();

/** Every event of an account: its `events` plus those its trails' `loggingWindows` imply. */
export function accountEvents(model: SimModel, account: AccountModel): EventRecord[] {
  const known = cache.get(account);
  if (known) return known;
  const planted: WorldEvent[] = [...(account.source.events ?? [])];
  for (const t of account.trails) {
    for (const w of t.loggingWindows ?? []) {
      planted.push({ eventName: 'StopLogging', eventTime: w.stoppedAt, region: t.homeRegion, resource: t.arn, ...(w.by ? { actor: w.by } : {}) });
      if (w.startedAt) planted.push({ eventName: 'StartLogging', eventTime: w.startedAt, region: t.homeRegion, resource: t.arn, ...((w.startedBy ?? w.by) ? { actor: w.startedBy ?? w.by } : {}) });
    }
  }
  const records = planted.map((e, i) => toRecord(model, account, e, i)).sort((a, b) => b.timeMs - a.timeMs || (a.id < b.id ? -1 : 1));
  cache.set(account, records);
  return records;
}

function userIdentity(model: SimModel, account: AccountModel, actor: string | undefined): { identity: Record<string, unknown>; username: string; accessKeyId: string } {
  const p = model.partition;
  const principalId = (seed: string) => `AIDA${createHash('sha256').update(seed).digest('hex').slice(0, 17).toUpperCase()}`;
  const accessKeyId = (seed: string) => `ASIA${createHash('sha256').update(`key:${seed}`).digest('hex').slice(0, 16).toUpperCase()}`;
  const arn = actor ?? `arn:${p}:iam::${account.id}:root`;
  const assumed = /^arn:[^:]+:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(arn);
  if (assumed) {
    const roleArn = `arn:${p}:iam::${assumed[1]}:role/${assumed[2]}`;
    const roleId = `AROA${principalId(roleArn).slice(4)}`;
    return {
      identity: {
        type: 'AssumedRole',
        principalId: `${roleId}:${assumed[3]}`,
        arn,
        accountId: assumed[1],
        accessKeyId: accessKeyId(arn),
        sessionContext: {
          sessionIssuer: { type: 'Role', principalId: roleId, arn: roleArn, accountId: assumed[1], userName: assumed[2] },
          attributes: { creationDate: '2026-01-01T00:00:00Z', mfaAuthenticated: 'false' },
        },
      },
      username: assumed[3]!,
      accessKeyId: accessKeyId(arn),
    };
  }
  const user = /^arn:[^:]+:iam::(\d{12}):user\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (user) {
    return {
      identity: { type: 'IAMUser', principalId: principalId(arn), arn, accountId: user[1], accessKeyId: accessKeyId(arn), userName: user[2] },
      username: user[2]!,
      accessKeyId: accessKeyId(arn),
    };
  }
  const root = /^arn:[^:]+:iam::(\d{12}):root$/.exec(arn);
  if (root) return { identity: { type: 'Root', principalId: root[1], arn, accountId: root[1], accessKeyId: accessKeyId(arn) }, username: 'root', accessKeyId: accessKeyId(arn) };
  // An AWS service acting (e.g. an organization's service-linked role) or anything else: as given.
  return { identity: { type: 'AWSService', invokedBy: arn }, username: arn, accessKeyId: '' };
}

function toRecord(model: SimModel, account: AccountModel, e: WorldEvent, index: number): EventRecord {
  const meta = SOURCES[e.eventName] ?? { source: 'cloudtrail', resourceType: 'AWS::CloudTrail::Trail', param: 'name' };
  const region = e.region ?? account.trails[0]?.homeRegion ?? 'us-east-1';
  const timeMs = Date.parse(e.eventTime);
  const id = createHash('sha256').update(`${account.id}|${index}|${e.eventName}|${e.eventTime}`).digest('hex');
  const eventId = `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`;
  const who = userIdentity(model, account, e.actor);
  const requestParameters = e.requestParameters ?? (e.resource ? { [meta.param]: e.resource } : null);
  const record: Record<string, unknown> = {
    eventVersion: '1.09',
    userIdentity: who.identity,
    eventTime: new Date(timeMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: `${meta.source}.amazonaws.com`,
    eventName: e.eventName,
    awsRegion: region,
    sourceIPAddress: e.sourceIPAddress ?? '203.0.113.10',
    userAgent: 'aws-cli/2.15.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.11.6',
    requestParameters,
    responseElements: null,
    requestID: id.slice(32, 64),
    eventID: eventId,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account.id,
    eventCategory: 'Management',
  };
  if (e.errorCode) {
    record.errorCode = e.errorCode;
    record.errorMessage = `User: ${String(who.identity.arn ?? who.username)} is not authorized to perform: ${meta.source}:${e.eventName}`;
  }
  return {
    id: eventId,
    timeMs,
    region,
    name: e.eventName,
    source: `${meta.source}.amazonaws.com`,
    readOnly: false,
    username: who.username,
    accessKeyId: who.accessKeyId,
    ...(e.resource ? { resource: { type: meta.resourceType, name: e.resource } } : {}),
    record,
  };
}

function matches(e: EventRecord, key: string, value: string): boolean {
  switch (key) {
    case 'EventId':
      return e.id === value;
    case 'EventName':
      return e.name === value;
    case 'ReadOnly':
      return String(e.readOnly) === value;
    case 'Username':
      return e.username === value;
    case 'ResourceType':
      return e.resource?.type === value;
    case 'ResourceName':
      return e.resource?.name === value;
    case 'EventSource':
      return e.source === value;
    case 'AccessKeyId':
      return e.accessKeyId === value;
    default:
      return false;
  }
}

const epochMs = (v: unknown): number | undefined => (typeof v === 'number' ? v * 1000 : typeof v === 'string' && v !== '' ? Date.parse(v) : undefined);

const lookupEvents: Handler = (ctx: CallContext) => {
  const p = ctx.input;
  const attrs = Array.isArray(p.LookupAttributes) ? (p.LookupAttributes as { AttributeKey?: unknown; AttributeValue?: unknown }[]) : [];
  if (attrs.length > 1) throw new SimError('InvalidLookupAttributesException', 'You cannot specify more than one lookup attribute.');
  const attr = attrs[0];
  if (attr && (typeof attr.AttributeKey !== 'string' || !ATTRIBUTE_KEYS.includes(attr.AttributeKey))) {
    throw new SimError('InvalidLookupAttributesException', `Invalid attribute key: ${String(attr.AttributeKey)}`);
  }
  if (attr && (typeof attr.AttributeValue !== 'string' || attr.AttributeValue.length === 0 || attr.AttributeValue.length > 2000)) {
    throw new SimError('InvalidLookupAttributesException', 'The attribute value must be between 1 and 2000 characters.');
  }
  const max = p.MaxResults === undefined ? MAX_RESULTS : Number(p.MaxResults);
  if (!Number.isInteger(max) || max < 1 || max > MAX_RESULTS) throw new SimError('InvalidMaxResultsException', 'MaxResults must be between 1 and 50.');
  const nowMs = ctx.historyNowMs ?? ctx.nowMs;
  const oldest = nowMs - RETENTION_DAYS * DAY_MS;
  const start = Math.max(epochMs(p.StartTime) ?? oldest, oldest);
  const end = epochMs(p.EndTime) ?? nowMs;
  if (epochMs(p.StartTime) !== undefined && epochMs(p.EndTime) !== undefined && (epochMs(p.StartTime) as number) > end) {
    throw new SimError('InvalidTimeRangeException', 'Start time must be earlier than end time.');
  }
  if (p.EventCategory !== undefined && p.EventCategory !== 'insight') throw new SimError('InvalidEventCategoryException', `Invalid EventCategory: ${String(p.EventCategory)}`);
  // No Insights events are planted: an insight lookup finds none.
  const all = p.EventCategory === 'insight' ? [] : accountEvents(ctx.model, ctx.account);
  const hits = all.filter((e) => e.region === ctx.region && e.timeMs >= start && e.timeMs <= end && e.timeMs <= nowMs && (!attr || matches(e, attr.AttributeKey as string, attr.AttributeValue as string)));
  const from = typeof p.NextToken === 'string' ? decodeToken(p.NextToken) : 0;
  const page = hits.slice(from, from + max);
  const next = from + max < hits.length ? encodeToken(from + max) : undefined;
  return jsonReply(
    {
      Events: page.map((e) => ({
        EventId: e.id,
        EventName: e.name,
        ReadOnly: String(e.readOnly),
        ...(e.accessKeyId ? { AccessKeyId: e.accessKeyId } : {}),
        EventTime: e.timeMs / 1000,
        EventSource: e.source,
        Username: e.username,
        Resources: e.resource ? [{ ResourceType: e.resource.type, ResourceName: e.resource.name }] : [],
        CloudTrailEvent: JSON.stringify(e.record),
      })),
      ...(next ? { NextToken: next } : {}),
    },
    ctx.requestId,
  );
};

export const eventHistoryHandlers: Record<string, Handler> = { LookupEvents: lookupEvents };
