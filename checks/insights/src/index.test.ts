import { type Snapshot, type Trail, validateCheck } from '@trailwarden/core';
import { CheckTester, account, organization, runCheck, snapshot, trail, unreadable } from '@trailwarden/testing';
import { describe, expect, it } from 'vitest';
import check from './index.js';

const A = '111111111111';
const MEMBER = '222222222222';
const one = (t: Omit<Parameters<typeof trail>[0], 'name'>): Snapshot => snapshot({ accounts: [account(A, { trails: [trail({ name: 'main', ...t })] })] });

/** The trail as DescribeTrails alone describes it: insight selectors not read. */
const withoutSelectors = (hasInsightSelectors: boolean): Snapshot => {
  const snap = one({});
  const t = snap.accounts[A]?.trails?.value?.[0] as Trail;
  delete t.insightSelectors;
  t.hasInsightSelectors = hasInsightSelectors;
  return snap;
};

new CheckTester().run(check, {
  valid: [
    { name: 'API call rate and error rate insights on', snapshot: () => one({}) },
    { name: 'only the types the option requires', snapshot: () => one({ insightSelectors: ['ApiCallRateInsight'] }), options: { requiredInsightTypes: ['ApiCallRateInsight'] } },
    {
      name: 'an organization trail is judged once, in its owner account',
      snapshot: () => snapshot({ organization: organization({ managementAccountId: A }), accounts: [account(A, { trails: [trail({ name: 'org', organization: true })] }), account(MEMBER)] }),
    },
  ],
  invalid: [
    {
      name: 'no insight selectors',
      snapshot: () => one({ insightSelectors: [] }),
      findings: [
        {
          status: 'FAIL',
          messageId: 'missing',
          data: { name: 'main', arn: `arn:aws:cloudtrail:us-east-1:${A}:trail/main`, missing: 'ApiCallRateInsight and ApiErrorRateInsight' },
          evidence: { insightTypes: [], requiredInsightTypes: ['ApiCallRateInsight', 'ApiErrorRateInsight'] },
          // The wording matters here: the fix is a command to paste.
          message:
            'Trail main lacks CloudTrail Insights for ApiCallRateInsight and ApiErrorRateInsight, so unusual API call or error rates go unnoticed. Fix: aws cloudtrail put-insight-selectors --trail-name arn:aws:cloudtrail:us-east-1:111111111111:trail/main --insight-selectors \'[{"InsightType":"ApiCallRateInsight"},{"InsightType":"ApiErrorRateInsight"}]\'',
        },
      ],
    },
    {
      name: 'only the API call rate insight',
      snapshot: () => one({ insightSelectors: ['ApiCallRateInsight'] }),
      findings: [
        {
          status: 'FAIL',
          messageId: 'missing',
          // The fix keeps the insight already on.
          data: { missing: 'ApiErrorRateInsight', selectors: `'[{"InsightType":"ApiCallRateInsight"},{"InsightType":"ApiErrorRateInsight"}]'` },
        },
      ],
    },
    {
      name: 'InsightNotEnabledException means no insights',
      snapshot: () => one({ insightSelectors: unreadable('InsightNotEnabledException', 'GetInsightSelectors') }),
      findings: [{ status: 'FAIL', messageId: 'missing', data: { missing: 'ApiCallRateInsight and ApiErrorRateInsight' } }],
    },
    {
      name: 'not read, but DescribeTrails says HasInsightSelectors false',
      snapshot: () => withoutSelectors(false),
      findings: [{ status: 'FAIL', messageId: 'missing', data: { missing: 'ApiCallRateInsight and ApiErrorRateInsight' } }],
    },
    {
      name: 'not read while DescribeTrails says it has some: ERROR',
      snapshot: () => withoutSelectors(true),
      findings: [{ status: 'ERROR', messageId: 'core.cannotDecide', data: { operation: 'GetInsightSelectors', code: 'NotCollected' } }],
    },
    {
      name: 'GetInsightSelectors denied is an ERROR',
      snapshot: () => one({ insightSelectors: unreadable('AccessDenied', 'GetInsightSelectors') }),
      findings: [{ status: 'ERROR', messageId: 'core.cannotDecide', data: { operation: 'GetInsightSelectors', code: 'AccessDenied', reason: /in account 111111111111, region us-east-1/ } }],
    },
  ],
});

describe('trail-insights details', () => {
  it('is a valid plugin, low severity, with both insight types required by default', () => {
    expect(() => validateCheck(check, 'insights')).not.toThrow();
    expect(check.meta.severity).toBe('low');
    expect(check.options?.defaults).toEqual({ requiredInsightTypes: ['ApiCallRateInsight', 'ApiErrorRateInsight'] });
  });

  it('passes with the insight types that are on in the data', async () => {
    const [both] = await runCheck(check, one({}));
    expect(both).toMatchObject({ status: 'PASS', messageId: 'enabled', data: { name: 'main', types: 'ApiCallRateInsight, ApiErrorRateInsight' } });
    const [callRate] = await runCheck(check, one({ insightSelectors: ['ApiCallRateInsight'] }), { options: { requiredInsightTypes: ['ApiCallRateInsight'] } });
    expect(callRate).toMatchObject({ status: 'PASS', messageId: 'enabled', data: { types: 'ApiCallRateInsight' }, evidence: { requiredInsightTypes: ['ApiCallRateInsight'] } });
  });

  it('refuses an unknown insight type in the options', async () => {
    await expect(runCheck(check, one({}), { options: { requiredInsightTypes: ['ApiCallRate'] } })).rejects.toThrow(/requiredInsightTypes/);
  });
});
