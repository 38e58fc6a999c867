import type { HistoryEvent, JsonValue } from '@trailwarden/core';

/** Who made a call, from CloudTrail's userIdentity: the session, and the IAM principal behind it. */
export interface Actor {
  type: string;
  /** The ARN in the record (an assumed-role session ARN for roles). */
  arn: string | null;
  /** The IAM user or role that holds the permission (the session's issuer for assumed roles). */
  principalArn: string | null;
  accountId: string | null;
  invokedBy?: string;
}

export function actorOf(userIdentity: JsonValue): Actor {
  const u = userIdentity && typeof userIdentity === 'object' && !Array.isArray(userIdentity) ? (userIdentity as Record<string, JsonValue>) : {};
  const s = (v: JsonValue | undefined) => (typeof v === 'string' ? v : null);
  const issuer = u.sessionContext && typeof u.sessionContext === 'object' && !Array.isArray(u.sessionContext) ? (u.sessionContext as Record<string, JsonValue>).sessionIssuer : undefined;
  const issuerArn = issuer && typeof issuer === 'object' && !Array.isArray(issuer) ? s((issuer as Record<string, JsonValue>).arn) : null;
  const type = s(u.type) ?? 'Unknown';
  const arn = s(u.arn);
  const actor: Actor = { type, arn, principalArn: type === 'AssumedRole' ? (issuerArn ?? arn) : arn, accountId: s(u.accountId) };
  const invokedBy = s(u.invokedBy);
  if (invokedBy) actor.invokedBy = invokedBy;
  return actor;
}

/** Who, for a sentence: the principal (and session) or the service. */
export function describeActor(a: Actor): string {
  if (a.type === 'AssumedRole' && a.arn && a.principalArn && a.arn !== a.principalArn) return `${a.principalArn} (session ${a.arn.split('/').pop()})`;
  return a.principalArn ?? a.arn ?? a.invokedBy ?? `an unidentified ${a.type} caller`;
}

export interface BlindWindow {
  kind: 'StopLogging' | 'DeleteTrail' | 'StopEventDataStoreIngestion' | 'DeleteEventDataStore';
  start: string;
  /** null: still open at the end of the looked-up history. */
  end: string | null;
  durationMinutes: number;
  /** Open windows are measured to the evaluation's clock. */
  open: boolean;
  actor: Actor;
  endedBy: Actor | null;
  eventId: string;
}

const OPENS: Record<string, BlindWindow['kind']> = {
  StopLogging: 'StopLogging',
  DeleteTrail: 'DeleteTrail',
  StopEventDataStoreIngestion: 'StopEventDataStoreIngestion',
  DeleteEventDataStore: 'DeleteEventDataStore',
};
const CLOSES = new Set(['StartLogging', 'StartEventDataStoreIngestion']);

/**
 * The blind windows of one resource from its events (any order): a stop or a deletion opens one,
 * the next start closes it; a recreation alone (CreateTrail) does not, since a new trail logs only
 * once started. Failed calls (errorCode) change nothing.
 */
export function blindWindows(events: readonly HistoryEvent[], now: Date): BlindWindow[] {
  const sorted = [...events].filter((e) => !e.errorCode).sort((a, b) => (a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : 0));
  const out: BlindWindow[] = [];
  let open: BlindWindow | undefined;
  for (const e of sorted) {
    const kind = OPENS[e.eventName];
    if (kind) {
      // A deletion while stopped keeps the one window open (it started at the stop).
      if (!open) open = { kind, start: e.eventTime, end: null, durationMinutes: 0, open: true, actor: actorOf(e.userIdentity), endedBy: null, eventId: e.eventId };
      continue;
    }
    if (CLOSES.has(e.eventName) && open) {
      open.end = e.eventTime;
      open.open = false;
      open.endedBy = actorOf(e.userIdentity);
      open.durationMinutes = minutesBetween(open.start, e.eventTime);
      out.push(open);
      open = undefined;
    }
  }
  if (open) {
    open.durationMinutes = minutesBetween(open.start, now.toISOString());
    out.push(open);
  }
  return out;
}

function minutesBetween(a: string, b: string): number {
  const ms = Date.parse(b) - Date.parse(a);
  return Number.isNaN(ms) ? 0 : Math.max(0, Math.round(ms / 60_000));
}

export interface WeakeningChange {
  eventName: string;
  eventTime: string;
  eventId: string;
  /** What was changed: trail ARN, bucket name or key ARN. */
  target: string;
  actor: Actor;
  requestParameters: JsonValue;
}

/** The trail (name or ARN) a CloudTrail event names in its request parameters or resources. */
export function trailRefOf(e: HistoryEvent): string | undefined {
  const p = e.requestParameters;
  if (p && typeof p === 'object' && !Array.isArray(p)) {
    const v = (p as Record<string, JsonValue>).name ?? (p as Record<string, JsonValue>).trailName;
    if (typeof v === 'string') return v;
  }
  return e.resources?.find((r) => r.type === 'AWS::CloudTrail::Trail')?.name;
}

export function paramOf(e: HistoryEvent, key: string): string | undefined {
  const p = e.requestParameters;
  if (p && typeof p === 'object' && !Array.isArray(p)) {
    const v = (p as Record<string, JsonValue>)[key];
    if (typeof v === 'string') return v;
  }
  return undefined;
}
