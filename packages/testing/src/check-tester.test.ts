import validation from '@trailwarden/check-validation';
import { type Finding, PLUGIN_API_VERSION, defineCheck } from '@trailwarden/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CheckTestFailure,
  CheckTester,
  account,
  assertCase,
  organization,
  runCase,
  runCheck,
  snapshot,
  trail,
  unreadable,
} from './index.js';

const MGMT = '111111111111';
const MEMBER = '222222222222';

/** A small check with typed options, used to test option handling. */
const minTrails = defineCheck({
  id: 'test-min-trails',
  meta: {
    title: 'Accounts have enough trails',
    description: 'Each account owns at least `minimum` trails.',
    severity: 'low',
    resource: 'AWS::::Account',
    remediation: { text: 'Create a trail.' },
    messages: { enough: 'Account {{id}} has {{count}} trail(s).', tooFew: 'Account {{id}} has {{count}} trail(s), fewer than {{minimum}}.' },
  },
  options: {
    schema: { type: 'object', properties: { minimum: { type: 'integer', minimum: 0 } }, additionalProperties: false },
    defaults: { minimum: 1 },
  },
  requires: ['trails'],
  evaluate(ctx) {
    ctx.forEachAccount((a) => {
      const own = a.ownTrails();
      if (own.error) return ctx.error(a.resource, own.error);
      const data = { id: a.id, count: own.value.length, minimum: ctx.options.minimum };
      if (own.value.length >= ctx.options.minimum) ctx.pass(a.resource, 'enough', data);
      else ctx.fail(a.resource, 'tooFew', data);
    });
  },
});

// The reference check, tested through the kit exactly as a plugin author would.
new CheckTester().run(validation, {
  valid: [
    { name: 'a default trail validates its logs and delivers digests', snapshot: snapshot({ accounts: [account(MGMT, { trails: [trail({ name: 'main' })] })] }) },
    {
      name: 'an organization trail is judged once, in its owner account',
      snapshot: () =>
        snapshot({
          organization: organization({ managementAccountId: MGMT }),
          accounts: [account(MGMT, { trails: [trail({ name: 'org', organization: true })] }), account(MEMBER)],
        }),
    },
  ],
  invalid: [
    {
      name: 'validation off',
      snapshot: snapshot({ accounts: [account(MGMT, { trails: [trail({ name: 'main', logFileValidation: false })] })] }),
      findings: [{ status: 'FAIL', messageId: 'disabled', resource: 'main', accountId: MGMT, region: 'us-east-1' }],
    },
    {
      name: 'digests failing',
      snapshot: snapshot({ accounts: [account(MGMT, { trails: [trail({ name: 'main', status: { latestDigestDeliveryError: 'AccessDenied' } })] })] }),
      findings: [{ status: 'FAIL', messageId: 'digestFailing', message: /cannot deliver its digest files \(AccessDenied\)/ }],
    },
    {
      name: 'unreadable status is an ERROR, never a PASS',
      snapshot: snapshot({ accounts: [account(MGMT, { trails: [trail({ name: 'main', status: unreadable('AccessDenied', 'GetTrailStatus') })] })] }),
      findings: [{ status: 'ERROR', message: /GetTrailStatus failed in account 111111111111, region us-east-1: AccessDenied/ }],
    },
    {
      name: 'an unreadable account is an ERROR; the readable one still PASSes',
      snapshot: snapshot({
        accounts: [account(MGMT, { trails: [trail({ name: 'main' })] }), account(MEMBER, { access: unreadable('AccessDenied', 'AssumeRole') })],
      }),
      findings: [
        { status: 'PASS', resource: 'main' },
        { status: 'ERROR', accountId: MEMBER, resource: `arn:aws:iam::${MEMBER}:root` },
      ],
    },
  ],
});

new CheckTester().run(minTrails, {
  valid: [
    { name: 'default minimum 1', snapshot: snapshot({ accounts: [account(MGMT, { trails: [trail({ name: 'a' })] })] }) },
    { name: 'minimum 0 accepts an account without trails', snapshot: snapshot({ accounts: [account(MGMT)] }), options: { minimum: 0 } },
  ],
  invalid: [
    {
      name: 'minimum 2',
      snapshot: snapshot({ accounts: [account(MGMT, { trails: [trail({ name: 'a' })] })] }),
      options: { minimum: 2 },
      findings: [{ status: 'FAIL', messageId: 'tooFew', message: 'Account 111111111111 has 1 trail(s), fewer than 2.', resource: MGMT }],
    },
  ],
});

describe('runCheck', () => {
  const single = snapshot({ accounts: [account(MGMT, { trails: [trail({ name: 'a' })] })] });

  it('returns the engine findings, with the snapshot time as the default clock', async () => {
    const findings = await runCheck(validation, single);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ checkId: 'trail-log-file-validation', status: 'PASS', messageId: 'enabled', severity: 'medium' });
    expect(findings[0]?.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });

  it('validates options against the check schema as the CLI does, naming the option', async () => {
    await expect(runCheck(minTrails, single, { options: { minimum: -1 } })).rejects.toThrow(/checks\.test-min-trails\.options\.minimum: must be >= 0/);
    // @ts-expect-error — `minimun` is not an option of this check
    await expect(runCheck(minTrails, single, { options: { minimun: 2 } })).rejects.toThrow(/minimun: is not a known field/);
  });

  it('refuses, as the loader would, a check written for another plugin API version', async () => {
    // Deliberately not a valid check: a version no Trailwarden implements.
    const future = { ...minTrails, apiVersion: PLUGIN_API_VERSION + 1 } as unknown as typeof minTrails;
    await expect(runCheck(future, single)).rejects.toThrow(new RegExp(`plugin @trailwarden/testing: .*check "test-min-trails" was written for plugin API version ${PLUGIN_API_VERSION + 1}`));
  });

  it('refuses a check whose option defaults break its own schema', async () => {
    const broken = defineCheck({ ...minTrails, options: { schema: minTrails.options?.schema ?? {}, defaults: { minimum: -5 } } });
    await expect(runCheck(broken, single)).rejects.toThrow(/options\.defaults\.minimum: must be >= 0 \(the defaults must satisfy the options schema\)/);
  });

  it('turns a throwing check into ERROR findings the tester can expect', async () => {
    const throws = defineCheck({ ...minTrails, id: 'test-throws', evaluate: () => { throw new RangeError('nope'); } });
    const findings = await runCheck(throws, single);
    expect(findings.map((f) => f.status)).toEqual(['ERROR']);
    expect(findings[0]?.message).toMatch(/threw RangeError: nope/);
  });
});

describe('the clock rule', () => {
  const single = snapshot({ accounts: [account(MGMT, { trails: [trail({ name: 'a' })] })] });
  const clocky = (read: (ctx: { now: Date }) => number) =>
    defineCheck({
      ...minTrails,
      id: 'test-clock',
      evaluate(ctx) {
        const age = read(ctx);
        ctx.forEachAccount((a) => ctx.pass(a.resource, 'enough', { id: a.id, count: age, minimum: 0 }));
      },
    });

  it('fails a check that reads the system clock, naming the call and the fix', async () => {
    const RealDate = Date;
    await expect(runCheck(clocky(() => Date.now()), single)).rejects.toThrow(/check test-clock read the system clock \(Date\.now\(\)\) while evaluating; use ctx\.now/);
    // biome-ignore lint/complexity/useDateNow: reading the clock through new Date() is what is tested
    await expect(runCheck(clocky(() => new Date().getTime()), single)).rejects.toThrow(/\(new Date\(\)\)/);
    expect(Date).toBe(RealDate);
    const err = await runCase(clocky(() => Date.now()), 'valid', { name: 'v', snapshot: single }).catch((e: Error) => e);
    expect((err as Error).name).toBe('SystemClockRead');
  });

  it('accepts dates derived from ctx.now or from the data, and the system clock when allowed', async () => {
    await expect(runCheck(clocky((ctx) => new Date(ctx.now.getTime() - 1000).getTime()), single)).resolves.toHaveLength(1);
    await expect(runCheck(clocky(() => Date.parse('2026-01-01T00:00:00Z')), single)).resolves.toHaveLength(1);
    await expect(runCheck(clocky(() => Date.now()), single, { allowSystemClock: true })).resolves.toHaveLength(1);
    await expect(runCase(clocky(() => Date.now()), 'valid', { name: 'v', snapshot: single }, { allowSystemClock: true })).resolves.toHaveLength(1);
  });
});

describe('the tester fails when expectations are wrong', () => {
  const failing = snapshot({ accounts: [account(MGMT, { trails: [trail({ name: 'main', logFileValidation: false })] })] });
  const passing = snapshot({ accounts: [account(MGMT, { trails: [trail({ name: 'main' })] })] });

  it('a valid case with a FAIL finding fails, listing the actual findings', async () => {
    const err = await runCase(validation, 'valid', { name: 'v', snapshot: failing }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckTestFailure);
    expect((err as Error).message).toMatch(/trail-log-file-validation › valid › "v": expected every finding to be PASS or NOT_APPLICABLE/);
    expect((err as Error).message).toMatch(/#1 FAIL\s+111111111111 us-east-1\s+main \[disabled\] Trail main has log file validation off/);
  });

  it('a valid case with no findings at all fails', () => {
    expect(() => assertCase(validation, 'valid', { name: 'empty' }, [])).toThrow(/expected at least one PASS finding, the check reported nothing/);
  });

  it('an invalid case fails on a wrong status, message id, message, resource, account, region or count', async () => {
    const cases: [Parameters<typeof runCase<object, 'enabled' | 'disabled' | 'digestFailing'>>[2], RegExp][] = [
      [{ name: 'status', snapshot: failing, findings: [{ status: 'ERROR' }] }, /finding #1: status: expected ERROR, got FAIL/],
      [{ name: 'id', snapshot: failing, findings: [{ status: 'FAIL', messageId: 'digestFailing' }] }, /messageId: expected "digestFailing", got "disabled"/],
      [{ name: 'msg', snapshot: failing, findings: [{ status: 'FAIL', message: /digest/ }] }, /message: expected \/digest\/, got "Trail main/],
      [{ name: 'res', snapshot: failing, findings: [{ status: 'FAIL', resource: 'other' }] }, /resource: expected "other", got "main" \(arn:aws:cloudtrail:us-east-1:111111111111:trail\/main\)/],
      [{ name: 'acct', snapshot: failing, findings: [{ status: 'FAIL', accountId: MEMBER }] }, /accountId: expected 222222222222, got 111111111111/],
      [{ name: 'region', snapshot: failing, findings: [{ status: 'FAIL', region: 'eu-west-1' }] }, /region: expected eu-west-1, got us-east-1/],
      [{ name: 'evidence', snapshot: failing, findings: [{ status: 'FAIL', evidence: { logFileValidationEnabled: true } }] }, /evidence\.logFileValidationEnabled: expected true, got false; the evidence is \{"logFileValidationEnabled":false\}/],
      [{ name: 'data', snapshot: failing, findings: [{ status: 'FAIL', messageId: 'disabled', data: { name: 'other' } }] }, /data\.name: expected "other", got "main"; the data is \{"name":"main","arn":"arn:aws:cloudtrail:us-east-1:111111111111:trail\/main"\}/],
      [{ name: 'data pattern', snapshot: failing, findings: [{ status: 'FAIL', data: { arn: /:trail\/other$/ } }] }, /data\.arn: expected \/:trail\\\/other\$\/, got "arn:aws/],
      [{ name: 'count', snapshot: failing, findings: [{ status: 'FAIL' }, { status: 'FAIL' }] }, /expected 2 FAIL\/ERROR finding\(s\), got 1/],
      [{ name: 'clean', snapshot: passing, findings: [{ status: 'FAIL' }] }, /expected 1 FAIL\/ERROR finding\(s\), got 0[\s\S]*#1 PASS/],
      [{ name: 'none', snapshot: failing, findings: [] }, /an invalid case needs `findings`/],
    ];
    for (const [c, pattern] of cases) {
      const err = await runCase(validation, 'invalid', c).catch((e: unknown) => e);
      expect(err, c.name).toBeInstanceOf(CheckTestFailure);
      expect((err as Error).message, c.name).toMatch(pattern);
    }
  });

  it('an expected message id the check does not declare is reported as such', () => {
    const f = { status: 'FAIL', messageId: 'disabled' } as Finding;
    // @ts-expect-error — 'nope' is not a message id of the check
    expect(() => assertCase(validation, 'invalid', { name: 'x', findings: [{ status: 'FAIL', messageId: 'nope' }] }, [f])).toThrow(
      /"nope" is not declared in meta.messages \(enabled, disabled, digestFailing\)/,
    );
  });

  it('an invalid case passes when it matches', async () => {
    await expect(runCase(validation, 'invalid', { name: 'ok', snapshot: failing, findings: [{ status: 'FAIL', messageId: 'disabled' }] })).resolves.toHaveLength(1);
    const evidence = { logFileValidationEnabled: false };
    await expect(runCase(validation, 'invalid', { name: 'ev', snapshot: failing, findings: [{ status: 'FAIL', evidence }] })).resolves.toHaveLength(1);
    // As RuleTester: the message id and (a subset of) its data, values or patterns.
    const data = { name: 'main', arn: /:trail\/main$/ };
    await expect(runCase(validation, 'invalid', { name: 'data', snapshot: failing, findings: [{ status: 'FAIL', messageId: 'disabled', data }] })).resolves.toHaveLength(1);
  });

  it('an ERROR about an unreadable value is asserted by its core message id and error code', async () => {
    const denied = snapshot({ accounts: [account(MGMT, { trails: [trail({ name: 'main', status: unreadable('AccessDenied', 'GetTrailStatus') })] })] });
    const expected = { status: 'ERROR' as const, messageId: 'core.cannotDecide' as const, data: { code: 'AccessDenied', operation: 'GetTrailStatus' } };
    await expect(runCase(validation, 'invalid', { name: 'denied', snapshot: denied, findings: [expected] })).resolves.toHaveLength(1);
  });
});

describe('CheckTester.run', () => {
  const original = { describe: CheckTester.describe, it: CheckTester.it };
  afterEach(() => {
    CheckTester.describe = original.describe;
    CheckTester.it = original.it;
  });

  it('registers one test per case under describe(check id › valid|invalid), each failing on wrong expectations', async () => {
    const registered: { path: string; fn: () => Promise<void> }[] = [];
    const stack: string[] = [];
    CheckTester.describe = (name, fn) => {
      stack.push(name);
      fn();
      stack.pop();
    };
    CheckTester.it = ((name: string, fn: () => Promise<void>) => registered.push({ path: [...stack, name].join(' › '), fn })) as typeof CheckTester.it;
    new CheckTester({ now: new Date('2026-01-15T12:00:00Z') }).run(validation, {
      valid: [{ name: 'wrongly valid', snapshot: snapshot({ accounts: [account(MGMT, { trails: [trail({ name: 't', logFileValidation: false })] })] }) }],
      invalid: [{ name: 'rightly invalid', snapshot: snapshot({ accounts: [account(MGMT, { trails: [trail({ name: 't', logFileValidation: false })] })] }), findings: [{ status: 'FAIL' }] }],
    });
    expect(registered.map((r) => r.path)).toEqual(['trail-log-file-validation › valid › wrongly valid', 'trail-log-file-validation › invalid › rightly invalid']);
    await expect(registered[0]?.fn()).rejects.toThrow(CheckTestFailure);
    await expect(registered[1]?.fn()).resolves.toBeUndefined();
  });

  it('refuses a call without case lists', () => {
    // @ts-expect-error — invalid is required
    expect(() => new CheckTester().run(validation, { valid: [] })).toThrow(/give both `valid` and `invalid`/);
  });
});

describe('typing', () => {
  it('types message ids and options of the check under test (checked by tsc, never run)', () => {
    const typeOnly = () => {
      new CheckTester().run(minTrails, {
        valid: [
          // @ts-expect-error — minimum is a number
          { name: 'x', snapshot: snapshot({ accounts: [account(MGMT)] }), options: { minimum: 'two' } },
        ],
        invalid: [
          {
            name: 'y',
            snapshot: snapshot({ accounts: [account(MGMT)] }),
            // @ts-expect-error — 'disabled' is a message id of another check
            findings: [{ status: 'FAIL', messageId: 'disabled' }],
          },
          // @ts-expect-error — findings are required in an invalid case
          { name: 'z', snapshot: snapshot({ accounts: [account(MGMT)] }) },
        ],
      });
    };
    expect(typeof typeOnly).toBe('function');
  });
});
