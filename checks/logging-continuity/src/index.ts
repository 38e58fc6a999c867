import { type EventHistory, type HistoryEvent, type JsonValue, type Known, type KnownError, type ResourceRef, type Trail, createCheck, fingerprint, notCollected } from '@trailwarden/core';
import { type Actor, type BlindWindow, type WeakeningChange, actorOf, blindWindows, describeActor, paramOf, trailRefOf } from './timeline.js';

export { actorOf, blindWindows, describeActor, type Actor, type BlindWindow, type WeakeningChange } from './timeline.js';

export interface LoggingContinuityOptions {
  /** Look-back period in days (Event History keeps 90). */
  periodDays: number;
  /** Blind windows up to this many minutes are listed but do not FAIL. */
  toleratedWindowMinutes: number;
  /** FAIL on weakening changes (policy, lifecycle, versioning, selector, key changes) too, not only list them. */
  failOnWeakeningChanges: boolean;
}

const CHECK_ID = 'trail-logging-continuity';
const LEAST_PRIVILEGE = 'trail-api-least-privilege';
const DAY_MS = 86_400_000;

const WINDOW_EVENTS = new Set(['StopLogging', 'StartLogging', 'DeleteTrail']);
const TRAIL_CHANGES = new Set(['UpdateTrail', 'PutEventSelectors', 'PutInsightSelectors']);
const BUCKET_CHANGES = new Set(['PutBucketPolicy', 'DeleteBucketPolicy', 'PutBucketLifecycle', 'PutBucketVersioning']);
const KEY_CHANGES = new Set(['DisableKey', 'ScheduleKeyDeletion', 'PutKeyPolicy']);
const STORE_EVENTS = new Set(['StopEventDataStoreIngestion', 'StartEventDataStoreIngestion', 'DeleteEventDataStore']);

const messages = {
  continuous:
    'Trail {{name}} logged without a blind window in the last {{days}} days of CloudTrail Event History{{changes}}.',
  blindWindow:
    'Trail {{name}} had {{count}} blind window(s) in the last {{days}} days: {{first}}{{more}}. Nothing the organization did then was recorded by this trail. Find out why, and restrict cloudtrail:StopLogging/DeleteTrail (see trail-api-least-privilege).',
  weakened: 'Trail {{name}} had {{count}} weakening change(s) in the last {{days}} days: {{first}}{{more}}. Review each one.',
  deletedTrail:
    'Trail {{name}} was deleted {{first}} and not started again{{more}}: whatever it recorded stopped then. If another trail replaced it, check that one covers the same events.',
  storeWindow: 'Event data store {{name}} had {{count}} ingestion gap(s) in the last {{days}} days: {{first}}{{more}}.',
  storeContinuous: 'Event data store {{name}} ingested without a gap in the last {{days}} days.',
} as const;

const asJson = (v: unknown): JsonValue => v as JsonValue;

/**
 * trail-logging-continuity: "was it logging throughout the period?", from CloudTrail Event History
 * (LookupEvents, management events, 90 days): every StopLogging → StartLogging or deletion of the
 * trail is a blind window, with who opened and closed it; every weakening change to the trail, its
 * bucket and its key is listed with its actor. See README.md.
 */
export default createCheck({
  id: CHECK_ID,
  meta: {
    title: 'Trails logged without blind windows during the period',
    description:
      'From CloudTrail Event History: no trail was stopped (StopLogging) or deleted during the look-back period, so the audit trail is continuous. Weakening changes to the trail, its S3 bucket and its KMS key are listed with who made them. A trail that is logging today may have been stopped last month.',
    severity: 'high',
    resource: 'AWS::CloudTrail::Trail',
    remediation: {
      text: 'Ask who stopped the trail and why (the finding names the principal). Deny cloudtrail:StopLogging and cloudtrail:DeleteTrail to everyone but a break-glass role with an SCP, and alert on these events (EventBridge rule or a CloudWatch metric filter).',
      cli: [
        'aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=StopLogging --region <home-region>',
        'aws cloudtrail start-logging --name <trail-arn>',
      ].join('\n'),
    },
    docs: 'README.md',
    messages,
  },
  options: {
    schema: {
      type: 'object',
      properties: {
        periodDays: { type: 'integer', minimum: 1, maximum: 90, description: 'Look-back period in days (CloudTrail Event History keeps 90).' },
        toleratedWindowMinutes: { type: 'number', minimum: 0, description: 'Blind windows up to this long are listed but do not FAIL.' },
        failOnWeakeningChanges: { type: 'boolean', description: 'FAIL when a weakening change is found, not only list it.' },
      },
      additionalProperties: false,
    },
    defaults: { periodDays: 90, toleratedWindowMinutes: 0, failOnWeakeningChanges: false },
  },
  requires: ['trails', 'buckets', 'keys', 'eventHistory'],
  evaluate(ctx) {
    const { periodDays, toleratedWindowMinutes, failOnWeakeningChanges } = ctx.options;
    const now = ctx.now;
    const periodStart = now.getTime() - periodDays * DAY_MS;
    const inPeriod = (iso: string | null) => iso === null || Date.parse(iso) >= periodStart;
    const historyOf = (accountId: string): EventHistory | undefined => ctx.account(accountId)?.get('eventHistory').value;
    const notLookedUp = (accountId: string, region: string, what: string): KnownError =>
      notCollected('LookupEvents', accountId, region, `CloudTrail Event History was not looked up in ${region} (${what}); collect again with this check enabled`);
    const regionEvents = (accountId: string, region: string, what: string): Known<HistoryEvent[]> => {
      const eh = historyOf(accountId);
      return eh?.regions[region] ?? { error: notLookedUp(accountId, region, what) };
    };
    const lpFingerprint = (a: Actor): string | null => {
      const m = a.principalArn ? /^arn:[^:]+:iam::(\d{12}):/.exec(a.principalArn) : null;
      return m && a.principalArn ? fingerprint(LEAST_PRIVILEGE, m[1]!, 'global', a.principalArn) : null;
    };
    const windowEvidence = (w: BlindWindow) =>
      asJson({ ...w, actor: { ...w.actor, leastPrivilegeFingerprint: lpFingerprint(w.actor) }, tolerated: w.durationMinutes <= toleratedWindowMinutes });
    const changeEvidence = (c: WeakeningChange) => asJson({ ...c, kind: c.eventName, start: c.eventTime, actor: { ...c.actor, leastPrivilegeFingerprint: lpFingerprint(c.actor) } });
    const windowText = (w: BlindWindow) =>
      `${w.kind} at ${w.start} by ${describeActor(w.actor)}, ${w.end ? `${w.endedBy ? 'started again' : 'ended'} at ${w.end}${w.endedBy ? ` by ${describeActor(w.endedBy)}` : ''}` : 'still not logging'} (${formatMinutes(w.durationMinutes)})`;
    const changeText = (c: WeakeningChange) => `${c.eventName} on ${c.target} at ${c.eventTime} by ${describeActor(c.actor)}`;
    const seenTrails = new Map<string, Set<string>>();

    ctx.forEachTrail((view) => {
      const { trail, resource } = view;
      const key = `${trail.ownerAccountId}|${trail.homeRegion}`;
      if (!seenTrails.has(key)) seenTrails.set(key, new Set());
      seenTrails.get(key)!.add(trail.name).add(trail.arn);
      const eh = historyOf(trail.ownerAccountId);
      const home = regionEvents(trail.ownerAccountId, trail.homeRegion, `home region of trail ${trail.name}`);
      if (home.error) {
        ctx.report({ status: 'ERROR', resource, error: home.error });
        return;
      }
      const unreadable: KnownError[] = [];
      const mine = home.value.filter((e) => e.eventSource === 'cloudtrail.amazonaws.com' && namesTrail(trailRefOf(e), trail));
      const windows = blindWindows(
        mine.filter((e) => WINDOW_EVENTS.has(e.eventName)),
        now,
      ).filter((w) => inPeriod(w.end));
      const changes: WeakeningChange[] = mine
        .filter((e) => TRAIL_CHANGES.has(e.eventName) && !e.errorCode)
        .map((e) => change(e, trail.arn));

      const bucket = view.bucket();
      if (bucket?.error) unreadable.push(bucket.error);
      else if (bucket) {
        const b = bucket.value.bucket;
        if (b.region.error) unreadable.push(b.region.error);
        else {
          const events = regionEvents(b.ownerAccountId, b.region.value, `region of bucket ${b.name}`);
          if (events.error) unreadable.push(events.error);
          else changes.push(...events.value.filter((e) => BUCKET_CHANGES.has(e.eventName) && !e.errorCode && paramOf(e, 'bucketName') === b.name).map((e) => change(e, b.name)));
        }
      }
      const kv = view.key();
      if (kv?.error) unreadable.push(kv.error);
      else if (kv) {
        const k = kv.value.key;
        const events = regionEvents(k.ownerAccountId, k.region, `region of key ${k.arn}`);
        if (events.error) unreadable.push(events.error);
        else {
          const ids = new Set([k.arn, k.keyId]);
          changes.push(...events.value.filter((e) => KEY_CHANGES.has(e.eventName) && !e.errorCode && ids.has(paramOf(e, 'keyId') ?? '')).map((e) => change(e, k.arn)));
        }
      }
      const recent = changes.filter((c) => inPeriod(c.eventTime)).sort((a, b) => (a.eventTime < b.eventTime ? -1 : 1));
      const failing = windows.filter((w) => w.durationMinutes > toleratedWindowMinutes);
      const evidence = {
        periodDays,
        toleratedWindowMinutes,
        lookedUpFrom: eh?.from ?? null,
        lookedUpTo: eh?.to ?? null,
        windows: windows.map(windowEvidence),
        weakeningChanges: recent.map(changeEvidence),
        failedCalls: mine.filter((e) => e.errorCode).length,
        unreadable: unreadable.map((e) => asJson(e)),
      };
      const base = { name: trail.name, days: periodDays };
      if (failing.length > 0) {
        ctx.report({ status: 'FAIL', resource, messageId: 'blindWindow', data: { ...base, count: failing.length, first: windowText(failing[0]!), more: failing.length > 1 ? `, and ${failing.length - 1} more (see the evidence)` : '' }, evidence });
        return;
      }
      if (unreadable.length > 0) {
        ctx.report({ status: 'ERROR', resource, error: { ...unreadable[0]!, message: `${unreadable[0]!.message} (the trail's own history shows no blind window; its bucket's or key's could not be read)` }, evidence });
        return;
      }
      if (failOnWeakeningChanges && recent.length > 0) {
        ctx.report({ status: 'FAIL', resource, messageId: 'weakened', data: { ...base, count: recent.length, first: changeText(recent[0]!), more: recent.length > 1 ? `, and ${recent.length - 1} more` : '' }, evidence });
        return;
      }
      const changesText = recent.length > 0 ? `; ${recent.length} change(s) to review: ${recent.slice(0, 3).map(changeText).join('; ')}${recent.length > 3 ? '; …' : ''}` : '';
      ctx.report({ status: 'PASS', resource, messageId: 'continuous', data: { ...base, changes: changesText }, evidence });
    });

    // Trails deleted and not recreated, and event data stores: found only in the history.
    for (const account of ctx.accounts()) {
      const eh = account.get('eventHistory').value;
      if (!eh) continue;
      for (const [region, known] of Object.entries(eh.regions)) {
        if (!known.value) continue; // the trails homed here already carry the ERROR
        const current = seenTrails.get(`${account.id}|${region}`) ?? new Set<string>();
        const deleted = new Map<string, HistoryEvent[]>();
        const stores = new Map<string, HistoryEvent[]>();
        for (const e of known.value) {
          if (e.eventSource !== 'cloudtrail.amazonaws.com') continue;
          if (WINDOW_EVENTS.has(e.eventName)) {
            const ref = trailRefOf(e);
            if (!ref || current.has(ref) || current.has(ref.split('/').pop() ?? ref)) continue;
            const arn = ref.startsWith('arn:') ? ref : `arn:${ctx.partition}:cloudtrail:${region}:${account.id}:trail/${ref}`;
            deleted.set(arn, [...(deleted.get(arn) ?? []), e]);
          } else if (STORE_EVENTS.has(e.eventName)) {
            const ref = paramOf(e, 'eventDataStore');
            if (ref) stores.set(ref, [...(stores.get(ref) ?? []), e]);
          }
        }
        for (const [arn, events] of deleted) {
          if (!events.some((e) => e.eventName === 'DeleteTrail' && !e.errorCode)) continue;
          const windows = blindWindows(events, now).filter((w) => w.open && w.durationMinutes > toleratedWindowMinutes && inPeriod(w.end));
          if (windows.length === 0) continue;
          const resource: ResourceRef = { arn, type: 'AWS::CloudTrail::Trail', name: arn.split('/').pop() ?? arn, accountId: account.id, region };
          const w = windows[0]!;
          ctx.report({ status: 'FAIL', resource, messageId: 'deletedTrail', data: { name: resource.name, first: `at ${w.start} by ${describeActor(w.actor)}`, more: '' }, evidence: { periodDays, toleratedWindowMinutes, windows: windows.map(windowEvidence), weakeningChanges: [] } });
        }
        for (const [ref, events] of stores) {
          const arn = ref.startsWith('arn:') ? ref : `arn:${ctx.partition}:cloudtrail:${region}:${account.id}:eventdatastore/${ref}`;
          const resource: ResourceRef = { arn, type: 'AWS::CloudTrail::EventDataStore', name: arn.split('/').pop() ?? arn, accountId: account.id, region };
          const windows = blindWindows(events, now).filter((w) => inPeriod(w.end));
          const failing = windows.filter((w) => w.durationMinutes > toleratedWindowMinutes);
          const evidence = { periodDays, toleratedWindowMinutes, windows: windows.map(windowEvidence), weakeningChanges: [] };
          if (failing.length > 0) {
            ctx.report({ status: 'FAIL', resource, messageId: 'storeWindow', data: { name: resource.name, days: periodDays, count: failing.length, first: windowText(failing[0]!), more: failing.length > 1 ? `, and ${failing.length - 1} more` : '' }, evidence });
          } else ctx.report({ status: 'PASS', resource, messageId: 'storeContinuous', data: { name: resource.name, days: periodDays }, evidence });
        }
      }
    }
  },
});

function change(e: HistoryEvent, target: string): WeakeningChange {
  return { eventName: e.eventName, eventTime: e.eventTime, eventId: e.eventId, target, actor: actorOf(e.userIdentity), requestParameters: e.requestParameters };
}

/** Whether an event's trail reference (a name or an ARN) is this trail. */
function namesTrail(ref: string | undefined, trail: Trail): boolean {
  if (!ref) return false;
  return ref === trail.arn || ref === trail.name;
}

/** "3 h 12 min", "2 d 4 h". */
export function formatMinutes(total: number): string {
  if (total < 60) return `${total} min`;
  const h = Math.floor(total / 60);
  if (h < 48) return `${h} h ${total % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}
