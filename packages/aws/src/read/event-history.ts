import { LookupEventsCommand, type LookupEventsCommandOutput, type Event as SdkEvent } from '@aws-sdk/client-cloudtrail';
import { type AccountSnapshot, EVENT_HISTORY_SCHEMA_VERSION, type EventHistory, type HistoryEvent, type JsonValue, type Known } from '@trailwarden/core';
import { compareStrings } from '../arn.js';
import { toKnownError } from '../errors.js';
import type { Metrics } from '../pacing/metrics.js';
import type { AccountSession } from '../session.js';

/** CloudTrail keeps management events in Event History for 90 days. */
export const EVENT_HISTORY_DAYS = 90;
/** LookupEvents returns at most 50 events a page. */
const PAGE_SIZE = 50;
/** Bounded memory against a hostile or runaway endpoint: pages per (region, event name). */
const MAX_PAGES = 200;
/** Bounded size of one CloudTrailEvent JSON document we parse. */
const MAX_EVENT_JSON = 256 * 1024;

/** Events that stop logging, or end a window (StartLogging, CreateTrail), in a trail's home region. */
export const TRAIL_EVENT_NAMES = [
  'StopLogging',
  'StartLogging',
  'DeleteTrail',
  'CreateTrail',
  'UpdateTrail',
  'PutEventSelectors',
  'PutInsightSelectors',
  'StopEventDataStoreIngestion',
  'StartEventDataStoreIngestion',
  'DeleteEventDataStore',
] as const;
/** Changes to a log bucket, in the bucket's region (`PutBucketLifecycle` also records PutBucketLifecycleConfiguration). */
export const BUCKET_EVENT_NAMES = ['PutBucketPolicy', 'DeleteBucketPolicy', 'PutBucketLifecycle', 'PutBucketVersioning'] as const;
/** Changes to a log key, in the key's region. */
export const KEY_EVENT_NAMES = ['DisableKey', 'ScheduleKeyDeletion', 'PutKeyPolicy'] as const;

export interface EventHistoryTargets {
  /** Region → the event names to look up there. */
  byRegion: Map<string, Set<string>>;
}

export function addTargets(targets: EventHistoryTargets, region: string, names: readonly string[]): void {
  let set = targets.byRegion.get(region);
  if (!set) {
    set = new Set();
    targets.byRegion.set(region, set);
  }
  for (const n of names) set.add(n);
}

/**
 * Look up the continuity events of one account: per region, one paged LookupEvents query per event
 * name (LookupEvents takes one lookup attribute per call), management events only, from `from` to
 * `to`. Every call is paced at the LookupEvents quota (2 per second per account and region) in a
 * bucket of its own; regions run side by side. A region where any lookup fails is an error: the
 * events we did see there are not a complete answer.
 */
export async function readEventHistory(session: AccountSession, targets: EventHistoryTargets, from: Date, to: Date, metrics: Metrics): Promise<EventHistory> {
  const regions = [...targets.byRegion.keys()].sort(compareStrings);
  const eventNames: Record<string, string[]> = {};
  const out: Record<string, Known<HistoryEvent[]>> = {};
  await Promise.all(
    regions.map(async (region) => {
      const names = [...(targets.byRegion.get(region) ?? [])].sort(compareStrings);
      eventNames[region] = names;
      const events: HistoryEvent[] = [];
      for (const name of names) {
        try {
          await lookupAll(session, region, name, from, to, events);
        } catch (err) {
          metrics.errors += 1;
          out[region] = { error: toKnownError(err, 'LookupEvents', session.accountId, region) };
          return;
        }
      }
      events.sort((a, b) => compareStrings(a.eventTime, b.eventTime) || compareStrings(a.eventId, b.eventId));
      out[region] = { value: dedupe(events) };
    }),
  );
  const sortedNames: Record<string, string[]> = {};
  const sortedRegions: Record<string, Known<HistoryEvent[]>> = {};
  for (const r of regions) {
    sortedNames[r] = eventNames[r]!;
    sortedRegions[r] = out[r]!;
  }
  return { schemaVersion: EVENT_HISTORY_SCHEMA_VERSION, from: from.toISOString(), to: to.toISOString(), eventNames: sortedNames, regions: sortedRegions };
}

async function lookupAll(session: AccountSession, region: string, eventName: string, from: Date, to: Date, into: HistoryEvent[]): Promise<void> {
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const out = await session.sendPaced<LookupEventsCommandOutput>(
      'cloudtrail',
      'cloudtrail:LookupEvents',
      region,
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }],
        StartTime: from,
        EndTime: to,
        MaxResults: PAGE_SIZE,
        ...(token ? { NextToken: token } : {}),
      }),
    );
    for (const e of out.Events ?? []) {
      const parsed = toHistoryEvent(e, region);
      if (parsed) into.push(parsed);
    }
    token = out.NextToken || undefined;
    if (!token) return;
  }
  throw Object.assign(new Error(`more than ${MAX_PAGES} pages of ${eventName} events; not read to the end`), { name: 'TooManyEvents' });
}

/** An SDK Event → our record, from its CloudTrailEvent JSON where present (CloudTrail's own shape). */
export function toHistoryEvent(e: SdkEvent, region: string): HistoryEvent | undefined {
  let record: Record<string, JsonValue> = {};
  if (typeof e.CloudTrailEvent === 'string' && e.CloudTrailEvent.length <= MAX_EVENT_JSON) {
    try {
      const parsed = JSON.parse(e.CloudTrailEvent) as JsonValue;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) record = parsed;
    } catch {
      // An unparsable record keeps the summary fields below.
    }
  }
  const str = (v: JsonValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
  const eventName = str(record.eventName) ?? e.EventName;
  const time = str(record.eventTime) ?? (e.EventTime instanceof Date ? e.EventTime.toISOString() : undefined);
  if (!eventName || !time) return undefined;
  const eventTime = Number.isNaN(Date.parse(time)) ? time : new Date(Date.parse(time)).toISOString();
  const userIdentity = record.userIdentity ?? (e.Username ? { userName: e.Username } : null);
  const out: HistoryEvent = {
    eventId: str(record.eventID) ?? e.EventId ?? `${eventName}@${eventTime}`,
    eventName,
    eventSource: str(record.eventSource) ?? e.EventSource ?? '',
    eventTime,
    awsRegion: str(record.awsRegion) ?? region,
    userIdentity,
    requestParameters: record.requestParameters ?? null,
  };
  const resources = (e.Resources ?? []).map((r) => ({ ...(r.ResourceType ? { type: r.ResourceType } : {}), ...(r.ResourceName ? { name: r.ResourceName } : {}) }));
  if (resources.length > 0) out.resources = resources;
  const readOnly = typeof record.readOnly === 'boolean' ? record.readOnly : e.ReadOnly === 'true' ? true : e.ReadOnly === 'false' ? false : undefined;
  if (readOnly !== undefined) out.readOnly = readOnly;
  const errorCode = str(record.errorCode);
  if (errorCode) out.errorCode = errorCode;
  const ip = str(record.sourceIPAddress);
  if (ip) out.sourceIPAddress = ip;
  return out;
}

function dedupe(events: HistoryEvent[]): HistoryEvent[] {
  const seen = new Set<string>();
  return events.filter((e) => {
    if (seen.has(e.eventId)) return false;
    seen.add(e.eventId);
    return true;
  });
}

export interface EventHistoryPass {
  homeRegion: string;
  metrics: Metrics;
  concurrency: number;
  now: Date;
  sessionFor: (accountId: string) => AccountSession;
  forEachLimit: <T>(items: T[], limit: number, run: (item: T) => Promise<void>) => Promise<void>;
}

/**
 * Where an account's continuity events are: the home region of each trail it owns, the region of
 * each log bucket and key it owns. An account that owns none of them is looked up for DeleteTrail
 * and StopLogging in the collector's home region (a trail deleted there leaves a trace).
 */
export function eventHistoryTargets(account: AccountSnapshot, homeRegion: string): EventHistoryTargets {
  const targets: EventHistoryTargets = { byRegion: new Map() };
  for (const t of account.trails?.value ?? []) if (t.ownerAccountId === account.id) addTargets(targets, t.homeRegion, TRAIL_EVENT_NAMES);
  for (const b of Object.values(account.buckets ?? {})) if (b.region.value) addTargets(targets, b.region.value, BUCKET_EVENT_NAMES);
  for (const k of Object.values(account.keys ?? {})) addTargets(targets, k.region, KEY_EVENT_NAMES);
  if (targets.byRegion.size === 0) addTargets(targets, homeRegion, ['DeleteTrail', 'StopLogging']);
  return targets;
}

/**
 * The event-history pass, after buckets and keys are read (their regions are known then). Its calls
 * wait on the per-account LookupEvents pace, not on the network, so more accounts run at once than
 * in the main pass (each account and region has its own bucket: no account slows another).
 */
export async function collectEventHistory(accounts: Record<string, AccountSnapshot>, pass: EventHistoryPass): Promise<void> {
  const to = pass.now;
  const from = new Date(to.getTime() - EVENT_HISTORY_DAYS * 86_400_000);
  const readable = Object.values(accounts).filter((a) => !a.access.error);
  await pass.forEachLimit(readable, Math.max(pass.concurrency * 4, 64), async (account) => {
    const session = pass.sessionFor(account.id);
    try {
      account.eventHistory = await readEventHistory(session, eventHistoryTargets(account, pass.homeRegion), from, to, pass.metrics);
    } finally {
      session.close();
    }
  });
}
