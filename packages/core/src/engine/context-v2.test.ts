import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { closestFix, describeUndecided, qualificationVerdict, qualifies, undecided } from '../helpers/trail-qualification.js';
import type { Snapshot } from '../model/snapshot.js';
import { type Account, type Context, type TrailView, createCheck, defineService } from '../plugin/api.js';
import { validateSnapshot } from '../snapshot/io.js';
import { type LoadedCheck, evaluate } from './evaluate.js';
import { buildScanModel } from './scan-model.js';

const raw = (): Snapshot => JSON.parse(readFileSync(new URL('../__fixtures__/org-snapshot.json', import.meta.url), 'utf8')) as Snapshot;
const fixture = (damage: (s: Snapshot) => void = () => {}): Snapshot => {
  const s = raw();
  damage(s);
  return validateSnapshot(s, 'org-snapshot.json');
};
const NOW = new Date('2026-11-21T12:00:00Z');
const loaded = (check: LoadedCheck['check']): LoadedCheck => ({ check, plugin: { name: 'test' }, options: {} });
const meta = (messages: Record<string, string>) => ({
  title: 'T',
  description: 'D',
  severity: 'low' as const,
  resource: 'AWS::CloudTrail::Trail',
  remediation: { text: 'r' },
  messages,
});

describe('plugin API v2: one report call', () => {
  const messages = { named: 'Trail {{name}} is named.', odd: 'Cannot decide: trail {{name}} is odd.' } as const;
  type Ctx = Context<Record<string, never>, keyof typeof messages>;
  // A helper typed once, from the messages: no type arguments on createCheck, no cast.
  const judge = (ctx: Ctx, t: TrailView) => {
    if (t.trail.isMultiRegionTrail) ctx.report({ status: 'PASS', resource: t.resource, messageId: 'named', data: { name: t.trail.name } });
    else ctx.report({ status: 'ERROR', resource: t.resource, messageId: 'odd', data: { name: t.trail.name }, evidence: { why: 'single-region' } });
  };
  const check = createCheck({ id: 'test-v2-report', meta: meta(messages), requires: ['trails'], evaluate: (ctx) => ctx.forEachTrail((t) => judge(ctx, t)) });

  it('stamps v2 and keeps every finding\'s message id and data, ERRORs included', async () => {
    expect(check.apiVersion).toBe(2);
    const { findings } = await evaluate(fixture(), { checks: [loaded(check)], now: NOW });
    // The fixture's unreadable accounts get the engine's own ERROR; the rest are the check's.
    const own = findings.filter((f) => f.messageId !== 'core.cannotDecide');
    expect(own.length).toBeGreaterThan(0);
    for (const f of own) {
      expect(f.messageId === 'named' || f.messageId === 'odd').toBe(true);
      expect(f.data).toEqual({ name: f.resource.name });
      expect(f.message).toBe(f.messageId === 'named' ? `Trail ${f.resource.name} is named.` : `Cannot decide: trail ${f.resource.name} is odd.`);
    }
    expect(findings.some((f) => f.status === 'ERROR' && f.evidence.why === 'single-region')).toBe(true);
  });

  it('reports an unreadable value as core.cannotDecide, with its code and operation as data', async () => {
    const unreadable = createCheck({
      id: 'test-v2-unreadable',
      meta: meta({ fine: 'fine' }),
      requires: ['trails', 'trailStatus'],
      evaluate(ctx) {
        ctx.forEachTrail((t) => {
          const status = t.get('status');
          if (status.error) ctx.report({ status: 'ERROR', resource: t.resource, error: status.error, evidence: { extra: 1 } });
          else ctx.report({ status: 'PASS', resource: t.resource, messageId: 'fine' });
        });
      },
    });
    const denied = fixture((s) => {
      for (const a of Object.values(s.accounts)) for (const t of a.trails?.value ?? []) t.status = { error: { code: 'AccessDenied', message: 'no', operation: 'GetTrailStatus' } };
    });
    const { findings } = await evaluate(denied, { checks: [loaded(unreadable)], now: NOW });
    const errors = findings.filter((f) => f.status === 'ERROR' && f.evidence.extra === 1);
    expect(errors.length).toBeGreaterThan(0);
    for (const f of errors) {
      expect(f).toMatchObject({ messageId: 'core.cannotDecide', data: { code: 'AccessDenied', operation: 'GetTrailStatus' }, evidence: { extra: 1, error: { code: 'AccessDenied' } } });
      expect(f.message).toBe('Cannot decide: GetTrailStatus failed: AccessDenied — no.');
    }
  });

  it('refuses an unknown message id or status: the check becomes ERRORs naming it', async () => {
    const bad = createCheck({
      id: 'test-v2-bad',
      meta: meta({ ok: 'ok' }),
      requires: ['trails'],
      evaluate(ctx) {
        ctx.report({ status: 'MAYBE' as 'PASS', resource: ctx.accounts()[0]!.resource, messageId: 'ok' });
      },
    });
    const result = await evaluate(fixture(), { checks: [loaded(bad)], now: NOW });
    expect(result.checks[0]!.error).toMatch(/reported unknown status "MAYBE"/);
    expect(result.findings.every((f) => f.messageId === 'core.checkFailed' && f.data?.check === 'test-v2-bad')).toBe(true);
  });
});

describe('the scan model', () => {
  it('is built once per evaluation: every check sees the same views', async () => {
    const seen: unknown[] = [];
    const spy = (id: string) =>
      createCheck({
        id,
        meta: meta({ ok: 'ok' }),
        requires: ['trails'],
        evaluate(ctx) {
          seen.push(ctx.accounts()[0]);
          ctx.report({ status: 'PASS', resource: ctx.accounts()[0]!.resource, messageId: 'ok' });
        },
      });
    await evaluate(fixture(), { checks: [loaded(spy('test-a')), loaded(spy('test-b'))], now: NOW });
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe(seen[1]);
  });

  it('hands v2 checks no raw snapshot, and v1 checks their AccountView.data', () => {
    const model = buildScanModel(fixture());
    const id = model.index.accountIds[0]!;
    expect('data' in (model.account(id) as Account)).toBe(false);
    expect(model.accountView(id)?.data).toBe(model.snapshot.accounts[id]);
  });

  it('makes every NotCollected error itself, naming the AWS call', () => {
    const snap = fixture((s) => {
      for (const a of Object.values(s.accounts)) {
        delete a.eventHistory;
        for (const k of Object.values(a.keys ?? {})) delete k.rotation;
        for (const b of Object.values(a.buckets ?? {})) delete b.versioning;
      }
    });
    const model = buildScanModel(snap);
    const id = model.index.accountIds.find((a) => model.account(a)?.access.value)!;
    expect(model.account(id)?.get('eventHistory').error).toMatchObject({ code: 'NotCollected', operation: 'LookupEvents', accountId: id });
    const [arn, { key }] = [...model.index.keys][0]!;
    expect(model.key(arn)?.get('rotation').error).toEqual({
      code: 'NotCollected',
      message: 'the key rotation status is not in the snapshot',
      operation: 'GetKeyRotationStatus',
      accountId: key.ownerAccountId,
      region: key.region,
    });
    const [name] = [...model.index.buckets][0]!;
    expect(model.bucket(name)?.get('versioning').error).toMatchObject({ code: 'NotCollected', operation: 'GetBucketVersioning' });
  });

  it('reads the root user\'s credentials and the event data store listings through get, as collected', () => {
    const snap = fixture((s) => {
      for (const a of Object.values(s.accounts)) {
        delete a.rootUser;
        delete a.eventDataStores;
      }
    });
    const before = buildScanModel(snap);
    const id = before.index.accountIds.find((a) => before.account(a)?.access.value)!;
    const bare = before.account(id);
    expect(bare?.get('rootUser').error).toMatchObject({ code: 'NotCollected', operation: 'GetAccountSummary', accountId: id });
    expect(bare?.get('eventDataStores').error).toMatchObject({ code: 'NotCollected', operation: 'ListEventDataStores', accountId: id });
    const denied = { error: { code: 'AccessDenied', message: 'no', operation: 'ListEventDataStores', accountId: id, region: 'us-east-1' } };
    snap.accounts[id]!.rootUser = { value: { accessKeysPresent: false, mfaEnabled: true } };
    snap.accounts[id]!.eventDataStores = { 'us-east-1': denied };
    const account = buildScanModel(snap).account(id);
    expect(account?.get('rootUser')).toEqual({ value: { accessKeysPresent: false, mfaEnabled: true } });
    expect(account?.get('eventDataStores')).toEqual({ value: { 'us-east-1': denied } });
  });

  it('lists the regions where DescribeTrails failed, sorted', () => {
    const snap = fixture((s) => {
      const a = Object.values(s.accounts)[0]!;
      a.trailListing = {
        'us-west-2': { error: { code: 'AccessDenied', message: 'x', operation: 'DescribeTrails' } },
        'ap-south-1': { error: { code: 'Throttling', message: 'y', operation: 'DescribeTrails' } },
        'eu-west-1': { value: [] },
      };
    });
    const model = buildScanModel(snap);
    const id = Object.keys(snap.accounts)[0]!;
    expect(model.account(id)?.unlistedRegions().map((u) => [u.region, u.error.code])).toEqual([
      ['ap-south-1', 'Throttling'],
      ['us-west-2', 'AccessDenied'],
    ]);
  });

  it('gives insight selectors as [] when Insights is off, as AWS answers it', () => {
    const snap = fixture((s) => {
      for (const a of Object.values(s.accounts))
        for (const t of a.trails?.value ?? []) t.insightSelectors = { error: { code: 'InsightNotEnabledException', message: 'off', operation: 'GetInsightSelectors' } };
    });
    const model = buildScanModel(snap);
    const t = model.sortedTrails()[0]!;
    expect(model.trail(t).get('insightSelectors')).toEqual({ value: [] });
  });
});

describe('services', () => {
  it('are created once per evaluation, on first use, and not shared between evaluations', async () => {
    let made = 0;
    const counter = defineService('test/counter', ({ snapshot }) => {
      made++;
      return { accounts: Object.keys(snapshot.accounts).length };
    });
    const user = (id: string) =>
      createCheck({
        id,
        meta: meta({ ok: 'there are {{n}} accounts' }),
        requires: ['trails'],
        evaluate(ctx) {
          const n = ctx.services.use(counter).accounts;
          ctx.report({ status: 'PASS', resource: ctx.accounts()[0]!.resource, messageId: 'ok', data: { n } });
        },
      });
    const checks = [loaded(user('test-a')), loaded(user('test-b'))];
    await evaluate(fixture(), { checks, now: NOW });
    expect(made).toBe(1);
    await evaluate(fixture(), { checks, now: NOW });
    expect(made).toBe(2);
  });
});

describe('trail qualification', () => {
  const view = (arn: string, owner: string) => ({ trail: { arn, ownerAccountId: owner } }) as unknown as TrailView;
  const denied = { code: 'AccessDenied', message: 'no', operation: 'GetEventSelectors' };

  it('qualifies, rules out, or leaves undecided', () => {
    const ok = { trail: view('a', '1'), problems: [], fixes: [], unknown: [] };
    const bad = { trail: view('b', '1'), problems: ['single-region (us-east-1 only)', 'not logging'], fixes: ['x'], unknown: [] };
    const unknown = { trail: view('c', '1'), problems: [], fixes: [], unknown: [denied] };
    expect([ok, bad, unknown].map(qualifies)).toEqual([true, false, false]);
    expect([ok, bad, unknown].map(undecided)).toEqual([false, false, true]);
    expect([ok, bad, unknown].map(qualificationVerdict)).toEqual(['qualifies', 'single-region (us-east-1 only), not logging', 'unknown: GetEventSelectors failed: AccessDenied — no']);
  });

  it('proposes the fix of the trail closest to qualifying, in its owner account', () => {
    const two = { trail: view('arn:1', '111'), problems: ['p', 'q'], fixes: ['fix a', 'fix b'], unknown: [] };
    const one = { trail: view('arn:2', '222'), problems: ['p'], fixes: ['fix c'], unknown: [], extra: 'kept' };
    const unreadable = { trail: view('arn:3', '111'), problems: ['p'], fixes: [], unknown: [denied] };
    expect(closestFix([two, one, unreadable], '111', 'create one')).toBe('fix c (in account 222, which owns the trail)');
    expect(closestFix([two], '111', 'create one')).toBe('fix a && fix b');
    expect(closestFix([unreadable], '111', 'create one')).toBe('create one');
  });

  it('breaks ties between equally many fixes with prefer, and only ties', () => {
    const own = { trail: view('arn:1', '111'), problems: ['p'], fixes: ['fix own'], unknown: [], kind: 'own' };
    const org = { trail: view('arn:2', '222'), problems: ['p'], fixes: ['fix org'], unknown: [], kind: 'org' };
    const orgTwo = { trail: view('arn:3', '222'), problems: ['p', 'q'], fixes: ['fix a', 'fix b'], unknown: [], kind: 'org' };
    // The callback sees the extended type (kind), with no type argument.
    expect(closestFix([own, org], '111', 'create one', (q) => q.kind === 'org')).toBe('fix org (in account 222, which owns the trail)');
    expect(closestFix([own, org], '111', 'create one')).toBe('fix own');
    expect(closestFix([orgTwo, own], '111', 'create one', (q) => q.kind === 'org')).toBe('fix own');
  });

  it('names what kept undecided trails from a verdict, each failure once', () => {
    const a = { trail: { ...view('arn:1', '111'), trail: { arn: 'arn:1', ownerAccountId: '111', name: 'a' } } as unknown as TrailView, problems: [], fixes: [], unknown: [denied, denied] };
    const b = { trail: { ...view('arn:2', '111'), trail: { arn: 'arn:2', ownerAccountId: '111', name: 'b' } } as unknown as TrailView, problems: [], fixes: [], unknown: [denied] };
    expect(describeUndecided([a, b])).toBe('trail a: GetEventSelectors failed: AccessDenied — no | trail b: GetEventSelectors failed: AccessDenied — no');
  });
});
