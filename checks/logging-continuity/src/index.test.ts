import { DEFAULT_CATALOGUE, type HistoryEvent, type Snapshot, fingerprint, validateCheck, BUILTIN_PACKS, frameworksOfCheck } from '@trailwarden/core';
import { CheckTester, account, bucket, historyEvent, kmsKey, runCheck, snapshot, trail, unreadable } from '@trailwarden/testing';
import { describe, expect, it } from 'vitest';
import check, { actorOf, blindWindows, formatMinutes } from './index.js';

const A = '111111111111';
const NOW = '2026-01-15T12:00:00.000Z';
const ago = (h: number) => new Date(Date.parse(NOW) - h * 3_600_000).toISOString();
const TRAIL = `arn:aws:cloudtrail:us-east-1:${A}:trail/main`;
const MALLORY = `arn:aws:iam::${A}:user/mallory`;
const OPS = `arn:aws:sts::${A}:assumed-role/Ops/jane`;
const KEY = `arn:aws:kms:us-east-1:${A}:key/11111111-2222-3333-4444-555555555555`;

/** One account, trail `main` with bucket `logs-main` and a KMS key, and these us-east-1 events. */
function world(events: HistoryEvent[] | ReturnType<typeof unreadable>, extra: { bucketRegion?: Record<string, HistoryEvent[] | ReturnType<typeof unreadable>> } = {}): Snapshot {
  return snapshot({
    collectedAt: NOW,
    accounts: [
      account(A, {
        trails: [trail({ name: 'main', bucket: 'logs-main', kmsKey: KEY })],
        buckets: [bucket('logs-main')],
        keys: [kmsKey({ id: '11111111-2222-3333-4444-555555555555', region: 'us-east-1' })],
        eventHistory: { regions: { 'us-east-1': events, ...(extra.bucketRegion ?? {}) } },
      }),
    ],
  });
}
const stop = (h: number, actor = MALLORY, name = TRAIL) => historyEvent('StopLogging', ago(h), { actor, params: { name } });
const start = (h: number, actor = MALLORY, name = TRAIL) => historyEvent('StartLogging', ago(h), { actor, params: { name } });

new CheckTester({ now: new Date(NOW) }).run(check, {
  valid: [
    { name: 'no events at all', snapshot: () => world([]) },
    { name: 'a window that ended before the period', snapshot: () => world([stop(24 * 20), start(24 * 20 - 1)]), options: { periodDays: 7 } },
    { name: 'a window within the tolerated length', snapshot: () => world([stop(10), start(9.5)]), options: { toleratedWindowMinutes: 30 } },
    { name: 'a failed StopLogging (AccessDenied) changed nothing', snapshot: () => world([historyEvent('StopLogging', ago(5), { actor: MALLORY, params: { name: TRAIL }, errorCode: 'AccessDenied' })]) },
    { name: 'another trail stopped', snapshot: () => world([stop(5, MALLORY, `arn:aws:cloudtrail:us-east-1:${A}:trail/other`), start(4, MALLORY, `arn:aws:cloudtrail:us-east-1:${A}:trail/other`)]) },
    {
      name: 'weakening changes are listed, not failed, by default',
      snapshot: () => world([historyEvent('PutBucketPolicy', ago(3), { actor: OPS, params: { bucketName: 'logs-main' } })]),
    },
  ],
  invalid: [
    {
      name: 'stopped for two hours by mallory, restarted by the Ops role',
      snapshot: () => world([stop(50), start(48, OPS)]),
      findings: [
        {
          status: 'FAIL',
          messageId: 'blindWindow',
          data: { name: 'main', count: 1, days: 90, more: '' },
          // The wording matters here: who stopped the trail and who started it again.
          message: new RegExp(`StopLogging at ${ago(50).replace(/\./g, '\\.')} by ${MALLORY}, started again at ${ago(48).replace(/\./g, '\\.')} by arn:aws:iam::${A}:role/Ops \\(session jane\\) \\(2 h 0 min\\)`),
        },
      ],
    },
    { name: 'a trail still stopped', snapshot: () => world([stop(30)]), findings: [{ status: 'FAIL', messageId: 'blindWindow', data: { count: 1, first: new RegExp(`^StopLogging at ${ago(30).replace(/\./g, '\\.')} by ${MALLORY}, still not logging \\(30 h 0 min\\)$`) } }] },
    { name: 'a trail named by name, not ARN', snapshot: () => world([stop(5, MALLORY, 'main'), start(4, MALLORY, 'main')]), findings: [{ status: 'FAIL', messageId: 'blindWindow', data: { name: 'main', count: 1, first: /^StopLogging at .* \(1 h 0 min\)$/ } }] },
    {
      name: 'deleted and recreated: the window lasts until logging starts again',
      snapshot: () => world([historyEvent('DeleteTrail', ago(10), { actor: MALLORY, params: { name: TRAIL } }), historyEvent('CreateTrail', ago(9), { params: { name: 'main' } }), start(7)]),
      findings: [{ status: 'FAIL', messageId: 'blindWindow', data: { count: 1, first: /^DeleteTrail at .* \(3 h 0 min\)$/ } }],
    },
    {
      name: 'failOnWeakeningChanges: a key scheduled for deletion FAILs',
      snapshot: () => world([historyEvent('ScheduleKeyDeletion', ago(3), { actor: OPS, params: { keyId: KEY, pendingWindowInDays: 7 } })]),
      options: { failOnWeakeningChanges: true },
      findings: [{ status: 'FAIL', messageId: 'weakened', data: { name: 'main', count: 1, days: 90, first: `ScheduleKeyDeletion on ${KEY} at ${ago(3)} by arn:aws:iam::${A}:role/Ops (session jane)`, more: '' } }],
    },
    {
      name: 'a failed lookup in the home region is an ERROR, never "no window"',
      snapshot: () => world(unreadable('ThrottlingException', 'LookupEvents')),
      findings: [{ status: 'ERROR', messageId: 'core.cannotDecide', data: { operation: 'LookupEvents', code: 'ThrottlingException', reason: /in account 111111111111, region us-east-1/ } }],
    },
    {
      name: 'event history not collected for the account: ERROR',
      snapshot: () => snapshot({ collectedAt: NOW, accounts: [account(A, { trails: [trail({ name: 'main' })] })] }),
      findings: [{ status: 'ERROR', messageId: 'core.cannotDecide', data: { operation: 'LookupEvents', code: 'NotCollected', reason: /Event History was not looked up in us-east-1/ } }],
    },
    {
      name: 'a deleted trail that no longer exists is its own FAIL',
      snapshot: () => world([historyEvent('DeleteTrail', ago(20), { actor: MALLORY, params: { name: `arn:aws:cloudtrail:us-east-1:${A}:trail/legacy` } })]),
      findings: [
        { status: 'FAIL', messageId: 'deletedTrail', resource: `arn:aws:cloudtrail:us-east-1:${A}:trail/legacy`, data: { name: 'legacy', first: `at ${ago(20)} by ${MALLORY}`, more: '' } },
        { status: 'PASS', resource: TRAIL, messageId: 'continuous', data: { name: 'main', days: 90, changes: '' } },
      ],
    },
    {
      name: 'an event data store whose ingestion was stopped',
      snapshot: () =>
        world([
          historyEvent('StopEventDataStoreIngestion', ago(6), { actor: MALLORY, params: { eventDataStore: `arn:aws:cloudtrail:us-east-1:${A}:eventdatastore/eds1` } }),
          historyEvent('StartEventDataStoreIngestion', ago(5), { actor: MALLORY, params: { eventDataStore: `arn:aws:cloudtrail:us-east-1:${A}:eventdatastore/eds1` } }),
        ]),
      findings: [
        { status: 'FAIL', messageId: 'storeWindow', resource: `arn:aws:cloudtrail:us-east-1:${A}:eventdatastore/eds1`, data: { name: 'eds1', count: 1, days: 90, first: /^StopEventDataStoreIngestion at .* \(1 h 0 min\)$/, more: '' } },
        { status: 'PASS', resource: TRAIL, messageId: 'continuous' },
      ],
    },
    {
      name: 'an event data store gap within the tolerated length passes, beside a trail that was stopped too long',
      snapshot: () =>
        world([
          stop(12),
          start(10),
          historyEvent('StopEventDataStoreIngestion', ago(6), { actor: MALLORY, params: { eventDataStore: `arn:aws:cloudtrail:us-east-1:${A}:eventdatastore/eds1` } }),
          historyEvent('StartEventDataStoreIngestion', ago(5.5), { actor: MALLORY, params: { eventDataStore: `arn:aws:cloudtrail:us-east-1:${A}:eventdatastore/eds1` } }),
        ]),
      options: { toleratedWindowMinutes: 60, periodDays: 30 },
      findings: [
        { status: 'PASS', messageId: 'storeContinuous', resource: `arn:aws:cloudtrail:us-east-1:${A}:eventdatastore/eds1`, data: { name: 'eds1', days: 30 }, evidence: { toleratedWindowMinutes: 60 } },
        { status: 'FAIL', messageId: 'blindWindow', resource: TRAIL, data: { count: 1, days: 30 } },
      ],
    },
  ],
});

describe('trail-logging-continuity details', () => {
  it('is a valid plugin, mapped to a catalogued control', () => {
    expect(() => validateCheck(check, 'logging-continuity')).not.toThrow();
    for (const [fw, ids] of Object.entries(frameworksOfCheck(check.id, BUILTIN_PACKS) ?? {})) for (const id of ids) expect(DEFAULT_CATALOGUE[fw]?.controls[id]).toBeDefined();
    expect(check.requires).toContain('eventHistory');
  });

  it('evidence: each window with actor, duration and the trail-api-least-privilege fingerprint of the principal', async () => {
    const [f] = await runCheck(check, world([stop(50, OPS), start(48)]), { now: new Date(NOW) });
    const w = (f!.evidence.windows as Record<string, unknown>[])[0]!;
    expect(w).toMatchObject({ kind: 'StopLogging', start: ago(50), end: ago(48), durationMinutes: 120, open: false });
    expect(w.actor).toMatchObject({ type: 'AssumedRole', arn: OPS, principalArn: `arn:aws:iam::${A}:role/Ops`, leastPrivilegeFingerprint: fingerprint('trail-api-least-privilege', A, 'global', `arn:aws:iam::${A}:role/Ops`) });
  });

  it('lists weakening changes to the trail, its bucket and its key with who made them', async () => {
    const events = [
      historyEvent('PutEventSelectors', ago(9), { actor: OPS, params: { trailName: TRAIL } }),
      historyEvent('PutBucketLifecycle', ago(8), { actor: OPS, params: { bucketName: 'logs-main' } }),
      historyEvent('PutBucketPolicy', ago(7), { actor: OPS, params: { bucketName: 'someone-elses' } }),
      historyEvent('DisableKey', ago(6), { actor: MALLORY, params: { keyId: KEY } }),
    ];
    const [f] = await runCheck(check, world(events), { now: new Date(NOW) });
    expect(f).toMatchObject({ status: 'PASS', messageId: 'continuous', data: { name: 'main', days: 90, changes: /^; 3 change\(s\) to review: PutEventSelectors on / } });
    expect((f!.evidence.weakeningChanges as { eventName: string; target: string }[]).map((c) => `${c.eventName} ${c.target}`)).toEqual([
      `PutEventSelectors ${TRAIL}`,
      'PutBucketLifecycle logs-main',
      `DisableKey ${KEY}`,
    ]);
  });

  it('an unreadable bucket region makes the trail ERROR when its own history is clean', async () => {
    const s = snapshot({
      collectedAt: NOW,
      accounts: [
        account(A, {
          trails: [trail({ name: 'main', bucket: 'logs-main' })],
          buckets: [bucket('logs-main', { region: 'eu-west-1' })],
          eventHistory: { regions: { 'us-east-1': [], 'eu-west-1': unreadable('AccessDeniedException', 'LookupEvents') } },
        }),
      ],
    });
    const [f] = await runCheck(check, s, { now: new Date(NOW) });
    expect(f).toMatchObject({ status: 'ERROR', messageId: 'core.cannotDecide', data: { operation: 'LookupEvents', code: 'AccessDeniedException' } });
    expect(f!.message).toMatch(/LookupEvents failed in account 111111111111, region eu-west-1: AccessDeniedException/);
  });

  it('refuses a period longer than Event History keeps', async () => {
    await expect(runCheck(check, world([]), { options: { periodDays: 91 } })).rejects.toThrow(/periodDays/);
  });

  it('blindWindows pairs stops and starts in time order and ignores a second stop', () => {
    const ws = blindWindows([start(1), stop(5), stop(4), start(3), stop(2)], new Date(NOW));
    expect(blindWindows([stop(2)], new Date(NOW)).map((w) => [w.end, w.open, w.durationMinutes])).toEqual([[null, true, 120]]);
    expect(ws.map((w) => [w.start, w.end, w.durationMinutes])).toEqual([
      [ago(5), ago(3), 120],
      [ago(2), ago(1), 60],
    ]);
  });

  it('actorOf reads CloudTrail userIdentity shapes', () => {
    expect(actorOf({ type: 'AWSService', invokedBy: 'cloudtrail.amazonaws.com' })).toMatchObject({ type: 'AWSService', principalArn: null, invokedBy: 'cloudtrail.amazonaws.com' });
    expect(actorOf(null)).toMatchObject({ type: 'Unknown', arn: null });
    expect(formatMinutes(59)).toBe('59 min');
    expect(formatMinutes(3000)).toBe('2 d 2 h');
  });
});
