import type { HistoryEvent, JsonValue } from '@trailwarden/core';
import type { Unreadable } from './unreadable.js';

/** An account's CloudTrail Event History for `account(id, { eventHistory })`: events per region, or unreadable. */
export interface EventHistoryInput {
  regions: Record<string, HistoryEvent[] | Unreadable>;
  /** Look-up start; default 90 days before the snapshot's collectedAt. */
  from?: string;
}

export interface HistoryEventInput {
  /** Who: an IAM user/role ARN or an assumed-role session ARN. Default the account root. */
  actor?: string;
  region?: string;
  /** CloudTrail requestParameters. */
  params?: Record<string, JsonValue>;
  errorCode?: string;
  account?: string;
}

let counter = 0;

/** One CloudTrail management event record, as the collector stores it. */
export function historyEvent(eventName: string, eventTime: string, input: HistoryEventInput = {}): HistoryEvent {
  const account = input.account ?? '111111111111';
  const actor = input.actor ?? `arn:aws:iam::${account}:root`;
  const assumed = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(actor);
  const userIdentity: JsonValue = assumed
    ? { type: 'AssumedRole', arn: actor, accountId: assumed[2]!, sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:${assumed[1]}:iam::${assumed[2]}:role/${assumed[3]}`, userName: assumed[3]! } } }
    : actor.endsWith(':root')
      ? { type: 'Root', arn: actor, accountId: account }
      : { type: 'IAMUser', arn: actor, accountId: account, userName: actor.split('/').pop()! };
  const source = /Bucket/.test(eventName) ? 's3' : /Key/.test(eventName) ? 'kms' : 'cloudtrail';
  const e: HistoryEvent = {
    eventId: `event-${++counter}`,
    eventName,
    eventSource: `${source}.amazonaws.com`,
    eventTime: new Date(eventTime).toISOString(),
    awsRegion: input.region ?? 'us-east-1',
    userIdentity,
    requestParameters: input.params ?? null,
    readOnly: false,
  };
  if (input.errorCode) e.errorCode = input.errorCode;
  return e;
}
