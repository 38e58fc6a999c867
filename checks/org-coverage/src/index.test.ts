import { validateCheck } from '@trailwarden/core';
import { CheckTester, account, eventDataStore, organization, runCheck, snapshot, trail, unreadable } from '@trailwarden/testing';
import { describe, expect, it } from 'vitest';
import check from './index.js';

const MGMT = '111111111111';
const M1 = '222222222222';
const M2 = '333333333333';
const org = (mgmt: Parameters<typeof account>[1], ...members: ReturnType<typeof account>[]) =>
  snapshot({ organization: organization({ managementAccountId: MGMT }), accounts: [account(MGMT, mgmt), ...members] });
const orgTrail = (t: Omit<Parameters<typeof trail>[0], 'name'> = {}) => trail({ name: 'org-trail', organization: true, ...t });

new CheckTester().run(check, {
  valid: [
    { name: 'every account covered by the organization trail', snapshot: () => org({ trails: [orgTrail()] }, account(M1), account(M2)) },
    { name: 'a single account with its own multi-region logging trail', snapshot: () => snapshot({ accounts: [account(MGMT, { trails: [trail({ name: 'main' })] })] }) },
    {
      name: 'no organization trail, but each account has its own multi-region logging trail',
      snapshot: () => org({ trails: [trail({ name: 'mgmt' })] }, account(M1, { trails: [trail({ name: 'm1' })] })),
    },
  ],
  invalid: [
    {
      name: 'no trail but an organization event data store recording management events: still uncovered, the store named',
      snapshot: () => org({ trails: [trail({ name: 'mgmt' })], eventDataStores: [eventDataStore({ name: 'org-eds', organization: true })] }, account(M1)),
      findings: [
        {
          status: 'FAIL',
          accountId: M1,
          messageId: 'uncovered',
          data: {
            reasons: 'no organization trail applies to it and it has no trail of its own',
            lake: /^ Its management events are recorded by CloudTrail Lake organization event data store org-eds \(arn:aws:cloudtrail:us-east-1:111111111111:eventdatastore\/[0-9a-f-]+\), but no trail covers it /,
          },
        },
      ],
    },
    {
      name: 'the management account\'s store listing failed: whether a store records the member is unknown, said plainly',
      snapshot: () => org({ trails: [trail({ name: 'mgmt' })], eventDataStores: unreadable('AccessDeniedException', 'ListEventDataStores') }, account(M1)),
      findings: [{ status: 'FAIL', accountId: M1, messageId: 'uncovered', data: { lake: /^ Whether a CloudTrail Lake event data store records its management events is unknown \(ListEventDataStores failed in account 111111111111/ } }],
    },
    {
      name: 'a member with no trail and no organization trail',
      snapshot: () => org({ trails: [trail({ name: 'mgmt' })] }, account(M1)),
      findings: [
        {
          status: 'FAIL',
          accountId: M1,
          messageId: 'uncovered',
          data: {
            account: M1,
            reasons: 'no organization trail applies to it and it has no trail of its own',
            lake: '',
            fix: /^from the management account, aws cloudtrail create-trail .*--is-organization-trail --is-multi-region-trail/,
          },
        },
      ],
    },
    {
      name: 'DescribeTrails denied in a region of the member: still uncovered, and the message names the region instead of claiming it has no trail',
      snapshot: () => org({ trails: [trail({ name: 'mgmt' })] }, account(M1, { deniedRegions: ['eu-west-1'] })),
      findings: [
        {
          status: 'FAIL',
          accountId: M1,
          messageId: 'uncovered',
          data: {
            reasons:
              'no organization trail applies to it and no multi-region trail of its own is listed in any region that could be read; DescribeTrails failed in region eu-west-1: AccessDenied, so single-region trails homed there are unknown',
          },
        },
      ],
    },
    {
      name: "a member's own single-region trail does not cover it",
      snapshot: () => org({ trails: [trail({ name: 'mgmt' })] }, account(M1, { trails: [trail({ name: 'local', multiRegion: false })] })),
      findings: [{ status: 'FAIL', accountId: M1, messageId: 'uncovered', data: { reasons: /local: single-region \(us-east-1 only\)/ } }],
    },
    {
      name: 'a stopped organization trail covers nobody',
      snapshot: () => org({ trails: [orgTrail({ logging: false })] }, account(M1)),
      findings: [
        { status: 'FAIL', accountId: MGMT, messageId: 'uncovered', data: { reasons: 'org-trail: not logging' } },
        {
          status: 'FAIL',
          accountId: M1,
          messageId: 'uncovered',
          data: { reasons: 'org-trail: not logging', fix: /^aws cloudtrail start-logging --name \S+org-trail \(in account 111111111111, which owns the trail\)$/ },
        },
      ],
    },
    {
      name: 'a single-region organization trail covers nobody',
      snapshot: () => org({ trails: [orgTrail({ multiRegion: false })] }, account(M1)),
      findings: [
        { status: 'FAIL', accountId: MGMT, messageId: 'uncovered', data: { reasons: 'org-trail: single-region (us-east-1 only)' } },
        { status: 'FAIL', accountId: M1, messageId: 'uncovered', data: { reasons: 'org-trail: single-region (us-east-1 only)' } },
      ],
    },
    {
      name: 'a stopped organization trail, but a member with its own trail is covered',
      snapshot: () => org({ trails: [orgTrail({ logging: false })] }, account(M1, { trails: [trail({ name: 'own' })] })),
      findings: [
        { status: 'FAIL', accountId: MGMT, messageId: 'uncovered' },
        { status: 'PASS', accountId: M1, messageId: 'byOwnTrail', data: { account: M1, trail: 'own' } },
      ],
    },
    {
      name: "the organization trail's status unreadable: ERROR, not FAIL or PASS",
      snapshot: () => org({ trails: [orgTrail({ status: unreadable('AccessDenied', 'GetTrailStatus') })] }, account(M1)),
      findings: [
        { status: 'ERROR', accountId: MGMT, messageId: 'undecided', data: { account: MGMT, why: /^trail org-trail: GetTrailStatus failed in account 111111111111, region us-east-1: AccessDenied/ } },
        { status: 'ERROR', accountId: M1, messageId: 'undecided', data: { why: /^trail org-trail: GetTrailStatus failed/ } },
      ],
    },
    {
      name: 'an account that could not be read',
      snapshot: () => org({ trails: [orgTrail()] }, account(M1, { access: unreadable('AccessDenied', 'AssumeRole') })),
      findings: [{ status: 'ERROR', accountId: M1, messageId: 'core.cannotDecide', data: { code: 'AccessDenied', operation: 'AssumeRole' } }],
    },
  ],
});

describe('org-trail-coverage details', () => {
  it('is a valid plugin', () => {
    expect(() => validateCheck(check, 'org-coverage')).not.toThrow();
  });

  it('gives the fix of the organization trail before an own trail needing as many fixes', async () => {
    // a-own sorts before org-trail: without the preference its fix would be proposed.
    const findings = await runCheck(check, org({ trails: [trail({ name: 'a-own', logging: false }), orgTrail({ logging: false })] }));
    expect(findings[0]).toMatchObject({
      accountId: MGMT,
      messageId: 'uncovered',
      data: { reasons: 'a-own: not logging; org-trail: not logging', fix: `aws cloudtrail start-logging --name arn:aws:cloudtrail:us-east-1:${MGMT}:trail/org-trail` },
    });
  });

  it("lists the uncovered accounts in the management account's evidence", async () => {
    const findings = await runCheck(check, org({ trails: [trail({ name: 'mgmt' })] }, account(M1), account(M2, { trails: [trail({ name: 'own' })] }), account('444444444444')));
    expect(findings.map((f) => `${f.accountId} ${f.status}`)).toEqual([`${MGMT} PASS`, `${M1} FAIL`, `${M2} PASS`, '444444444444 FAIL']);
    expect(findings[0]?.evidence.uncoveredAccounts).toEqual([M1, '444444444444']);
    expect(findings[1]?.evidence.uncoveredAccounts).toBeUndefined();
  });

  it('lists organization accounts outside the scan, covered only when the organization trail is', async () => {
    const snap = snapshot({
      organization: organization({ managementAccountId: MGMT, otherAccounts: [{ id: '555555555555' }] }),
      accounts: [account(MGMT, { trails: [orgTrail()] })],
    });
    const [mgmt] = await runCheck(check, snap);
    expect(mgmt?.evidence).toMatchObject({ unscannedAccounts: ['555555555555'], unscannedCoveredByOrganizationTrail: true });
  });

  it('names the covering organization trail and its owner', async () => {
    const findings = await runCheck(check, org({ trails: [orgTrail()] }, account(M1)));
    expect(findings[1]).toMatchObject({ messageId: 'byOrgTrail', data: { account: M1, trail: 'org-trail', owner: MGMT } });
    expect(findings[1]?.message).toBe(`Account ${M1} is covered by organization trail org-trail (owned by ${MGMT}), which is multi-region and logging.`);
  });
});
