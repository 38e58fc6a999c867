import { DEFAULT_CATALOGUE, type Snapshot, validateCheck, BUILTIN_PACKS, frameworksOfCheck } from '@trailwarden/core';
import {
  CheckTester,
  account,
  advancedSelectors,
  classicSelectors,
  eventDataStore,
  organization,
  runCheck,
  snapshot,
  trail,
  unreadable,
} from '@trailwarden/testing';
import { describe, expect, it } from 'vitest';
import check from './index.js';

const MGMT = '111111111111';
const MEMBER = '222222222222';
const OTHER = '333333333333';

const single = (...trails: ReturnType<typeof trail>[]): Snapshot => snapshot({ accounts: [account(MGMT, { trails })] });
const org = (mgmtTrails: ReturnType<typeof trail>[], ...members: ReturnType<typeof account>[]): Snapshot =>
  snapshot({
    organization: organization({ managementAccountId: MGMT }),
    accounts: [account(MGMT, { trails: mgmtTrails }), ...members],
  });

const S3_DATA_STORE = eventDataStore({
  name: 's3-data',
  advancedEventSelectors: [{ fieldSelectors: [{ field: 'eventCategory', equals: ['Data'] }, { field: 'resources.type', equals: ['AWS::S3::Object'] }] }],
});

new CheckTester().run(check, {
  valid: [
    { name: 'a never-configured multi-region trail (AWS default selector) that is logging', snapshot: () => single(trail({ name: 'main' })) },
    {
      name: 'an advanced management selector named anything passes',
      snapshot: () =>
        single(trail({ name: 'main', eventSelectors: [{ name: 'whatever I like', fieldSelectors: [{ field: 'eventCategory', equals: ['Management'] }] }] })),
    },
    {
      name: 'an advanced management selector with no name passes',
      snapshot: () => single(trail({ name: 'main', eventSelectors: [{ fieldSelectors: [{ field: 'eventCategory', equals: ['Management'] }] }] })),
    },
    {
      name: 'management plus S3 data selectors on one trail',
      snapshot: () => single(trail({ name: 'main', eventSelectors: [...advancedSelectors.managementAll(), ...advancedSelectors.s3Data()] })),
    },
    {
      name: 'classic ReadOnly and WriteOnly selectors on the same trail add up',
      snapshot: () =>
        single(
          trail({
            name: 'main',
            eventSelectors: [...classicSelectors.allManagement({ readWriteType: 'ReadOnly' }), ...classicSelectors.allManagement({ readWriteType: 'WriteOnly' })],
          }),
        ),
    },
    {
      name: 'advanced read-only and write-only selectors on the same trail add up',
      snapshot: () =>
        single(trail({ name: 'main', eventSelectors: [...advancedSelectors.management({ readOnly: true }), ...advancedSelectors.management({ readOnly: false })] })),
    },
    {
      name: 'a member account covered only by the organization trail passes (and so does the management account)',
      snapshot: () => org([trail({ name: 'org-trail', organization: true })], account(MEMBER), account(OTHER)),
    },
    {
      name: 'one qualifying trail among failing ones is enough',
      snapshot: () =>
        single(
          trail({ name: 'a-regional', multiRegion: false }),
          trail({ name: 'b-stopped', logging: false }),
          trail({ name: 'c-good' }),
          trail({ name: 'd-unreadable', status: unreadable('AccessDenied', 'GetTrailStatus') }),
        ),
    },
    {
      name: 'classic excluded sources pass with allowExcludedSources',
      snapshot: () => single(trail({ name: 'main', eventSelectors: classicSelectors.allManagement({ excludeSources: ['kms.amazonaws.com'] }) })),
      options: { allowExcludedSources: true },
    },
    {
      name: 'advanced eventSource NotEquals passes with allowExcludedSources',
      snapshot: () => single(trail({ name: 'main', eventSelectors: advancedSelectors.management({ excludeSources: ['rdsdata.amazonaws.com'] }) })),
      options: { allowExcludedSources: true },
    },
  ],
  invalid: [
    {
      name: 'an account with no trail',
      snapshot: () => single(),
      findings: [{ status: 'FAIL', messageId: 'noTrail', accountId: MGMT, resource: `arn:aws:iam::${MGMT}:root`, data: { account: MGMT, consequence: ', so API activity in it is not recorded' } }],
    },
    {
      name: 'no trail, but an organization event data store records every management event: named, still FAIL (CIS requires a trail), never "not recorded"',
      snapshot: () =>
        snapshot({
          organization: organization({ managementAccountId: MGMT }),
          accounts: [account(MGMT, { eventDataStores: [eventDataStore({ name: 'org-eds', organization: true })] }), account(MEMBER)],
        }),
      findings: [
        { status: 'FAIL', messageId: 'noTrail', accountId: MGMT, data: { consequence: /^(?!.*not recorded); its management events are recorded by CloudTrail Lake organization event data store org-eds \(arn:aws:cloudtrail:us-east-1:111111111111:eventdatastore\/.*CIS requires a trail/ } },
        { status: 'FAIL', messageId: 'noTrail', accountId: MEMBER, data: { consequence: /^(?!.*not recorded).*organization event data store org-eds/ } },
      ],
    },
    {
      name: 'an organization event data store whose ingestion is stopped records nothing: "not recorded" stands, the store is evidence',
      snapshot: () =>
        snapshot({
          organization: organization({ managementAccountId: MGMT }),
          accounts: [account(MGMT, { eventDataStores: [eventDataStore({ name: 'org-eds', organization: true, status: 'STOPPED_INGESTION' })] })],
        }),
      findings: [{ status: 'FAIL', messageId: 'noTrail', data: { consequence: ', so API activity in it is not recorded' } }],
    },
    {
      name: 'a store recording only data events does not record management events',
      snapshot: () => snapshot({ accounts: [account(MGMT, { eventDataStores: [S3_DATA_STORE] })] }),
      findings: [{ status: 'FAIL', messageId: 'noTrail', data: { consequence: /not recorded/ } }],
    },
    {
      name: 'a member, and the management account could not read one of its stores: unknown, never "not recorded"',
      snapshot: () =>
        snapshot({
          organization: organization({ managementAccountId: MGMT }),
          accounts: [account(MGMT, { trails: [trail({ name: 'main' })], eventDataStores: [eventDataStore({ name: 'x', details: unreadable('AccessDeniedException', 'GetEventDataStore') })] }), account(OTHER)],
        }),
      findings: [{ status: 'FAIL', accountId: OTHER, messageId: 'noTrail', data: { consequence: /^(?!.*not recorded).*is unknown \(GetEventDataStore failed in account 111111111111/ } }],
    },
    {
      name: 'store listings that failed: "not recorded" is unknown, never claimed',
      snapshot: () => snapshot({ accounts: [account(MGMT, { eventDataStores: unreadable('AccessDeniedException', 'ListEventDataStores') })] }),
      findings: [{ status: 'FAIL', messageId: 'noTrail', data: { consequence: /^(?!.*not recorded); whether a CloudTrail Lake event data store records its management events is unknown \(ListEventDataStores failed in account 111111111111/ } }],
    },
    {
      name: 'a snapshot without the eventDataStores section (older, or lake-kms-encryption off) is judged, and Lake is unknown',
      snapshot: () => snapshot({ sections: ['trails', 'trailStatus', 'eventSelectors'], accounts: [account(MGMT, {})] }),
      findings: [{ status: 'FAIL', messageId: 'noTrail', data: { consequence: /^(?!.*not recorded); whether a CloudTrail Lake event data store records its management events is unknown \(.*not read/ } }],
    },
    {
      name: 'a stopped trail and an organization event data store: the store is named after the trail reasons',
      snapshot: () =>
        snapshot({
          organization: organization({ managementAccountId: MGMT }),
          accounts: [account(MGMT, { trails: [trail({ name: 'main', logging: false })], eventDataStores: [eventDataStore({ name: 'org-eds', organization: true })] })],
        }),
      findings: [
        {
          status: 'FAIL',
          messageId: 'notCovered',
          data: { reasons: 'main: not logging', lake: /^ Still, its management events are recorded by CloudTrail Lake organization event data store org-eds /, fix: /^aws cloudtrail start-logging/ },
        },
      ],
    },
    {
      name: 'a single-region trail never satisfies it',
      snapshot: () => single(trail({ name: 'regional', multiRegion: false })),
      findings: [
        {
          status: 'FAIL',
          messageId: 'notCovered',
          data: { reasons: 'regional: single-region (us-east-1 only)', lake: '', fix: 'aws cloudtrail update-trail --name arn:aws:cloudtrail:us-east-1:111111111111:trail/regional --is-multi-region-trail' },
          message: /regional: single-region \(us-east-1 only\)\)\. Fix: aws cloudtrail update-trail --name arn:aws:cloudtrail:us-east-1:111111111111:trail\/regional --is-multi-region-trail$/,
        },
      ],
    },
    {
      name: 'a stopped multi-region trail',
      snapshot: () => single(trail({ name: 'main', logging: false })),
      findings: [{ status: 'FAIL', messageId: 'notCovered', data: { reasons: 'main: not logging', fix: 'aws cloudtrail start-logging --name arn:aws:cloudtrail:us-east-1:111111111111:trail/main' } }],
    },
    {
      name: 'read-only on one trail plus write-only on another do not add up',
      snapshot: () =>
        single(
          trail({ name: 'reads', eventSelectors: classicSelectors.allManagement({ readWriteType: 'ReadOnly' }) }),
          trail({ name: 'writes', eventSelectors: advancedSelectors.management({ readOnly: false }) }),
        ),
      findings: [
        {
          status: 'FAIL',
          messageId: 'notCovered',
          data: { reasons: /reads: records no write management events; writes: records no read management events/ },
        },
      ],
    },
    {
      name: 'classic ExcludeManagementEventSources fails by default (Security Hub CloudTrail.1)',
      snapshot: () => single(trail({ name: 'main', eventSelectors: classicSelectors.allManagement({ excludeSources: ['kms.amazonaws.com', 'rdsdata.amazonaws.com'] }) })),
      findings: [{ status: 'FAIL', messageId: 'notCovered', data: { reasons: 'main: excludes management event sources kms.amazonaws.com, rdsdata.amazonaws.com (allowExcludedSources is off)' } }],
    },
    {
      name: 'advanced eventSource NotEquals fails by default',
      snapshot: () => single(trail({ name: 'main', eventSelectors: advancedSelectors.management({ excludeSources: ['kms.amazonaws.com'] }) })),
      findings: [{ status: 'FAIL', messageId: 'notCovered', data: { reasons: /excludes management event sources kms\.amazonaws\.com/ } }],
    },
    {
      name: 'allowExcludedSources does not excuse other narrowing (read-only plus an exclusion)',
      snapshot: () => single(trail({ name: 'main', eventSelectors: advancedSelectors.management({ readOnly: true, excludeSources: ['kms.amazonaws.com'] }) })),
      options: { allowExcludedSources: true },
      findings: [{ status: 'FAIL', messageId: 'notCovered', data: { reasons: /records only some read management events .* and no write management events/ } }],
    },
    {
      name: 'an advanced read-only management selector',
      snapshot: () => single(trail({ name: 'main', eventSelectors: advancedSelectors.management({ readOnly: true }) })),
      findings: [
        {
          status: 'FAIL',
          message:
            /main: records no write management events\)\. Fix: aws cloudtrail put-event-selectors --trail-name \S+main --advanced-event-selectors '\[\{"Name":"Management events","FieldSelectors":\[\{"Field":"eventCategory","Equals":\["Management"\]\}\]\}\]' \(list the trail's data event selectors too\)$/,
        },
      ],
    },
    {
      name: 'a classic WriteOnly selector',
      snapshot: () => single(trail({ name: 'main', eventSelectors: classicSelectors.allManagement({ readWriteType: 'WriteOnly' }) })),
      findings: [{ status: 'FAIL', messageId: 'notCovered', data: { reasons: 'main: records no read management events' } }],
    },
    {
      name: 'an advanced management selector narrowed by eventName',
      snapshot: () =>
        single(
          trail({
            name: 'main',
            eventSelectors: [{ name: 'Management events selector', fieldSelectors: [{ field: 'eventCategory', equals: ['Management'] }, { field: 'eventName', notEquals: ['ConsoleLogin'] }] }],
          }),
        ),
      findings: [{ status: 'FAIL', messageId: 'notCovered', data: { reasons: /only some read management events .* and only some write management events/ } }],
    },
    {
      name: 'a data-events-only trail records no management events',
      snapshot: () => single(trail({ name: 'data', eventSelectors: classicSelectors.s3Data('*', 'All', { includeManagement: false }) })),
      findings: [{ status: 'FAIL', messageId: 'notCovered', data: { reasons: 'data: records no management events' } }],
    },
    {
      name: 'an advanced data selector named like the console management selector is not management',
      snapshot: () =>
        single(trail({ name: 'main', eventSelectors: [{ ...advancedSelectors.s3Data()[0]!, name: 'Management events selector' }] })),
      findings: [{ status: 'FAIL', messageId: 'notCovered', data: { reasons: 'main: records no management events' } }],
    },
    {
      name: 'an empty selector list records nothing',
      snapshot: () => single(trail({ name: 'main', eventSelectors: { eventSelectors: [] } })),
      findings: [{ status: 'FAIL', messageId: 'notCovered', data: { reasons: 'main: records no management events' } }],
    },
    {
      name: 'unknown trail status is an ERROR naming GetTrailStatus, not a FAIL or PASS',
      snapshot: () => single(trail({ name: 'main', status: unreadable('AccessDenied', 'GetTrailStatus') })),
      findings: [{ status: 'ERROR', messageId: 'undecided', data: { account: MGMT, why: /^trail main: GetTrailStatus failed in account 111111111111, region us-east-1: AccessDenied/ } }],
    },
    {
      name: 'unknown event selectors are an ERROR naming GetEventSelectors',
      snapshot: () => single(trail({ name: 'main', eventSelectors: unreadable('ThrottlingException', 'GetEventSelectors') })),
      findings: [{ status: 'ERROR', messageId: 'undecided', data: { why: /GetEventSelectors failed .*ThrottlingException/ } }],
    },
    {
      name: 'an unknown status does not turn a definite FAIL into an ERROR (single-region anyway)',
      snapshot: () => single(trail({ name: 'regional', multiRegion: false, status: unreadable('AccessDenied', 'GetTrailStatus') })),
      findings: [{ status: 'FAIL', messageId: 'notCovered', data: { reasons: /^regional: single-region/ } }],
    },
    {
      name: 'an account that could not be read',
      snapshot: () => org([trail({ name: 'org-trail', organization: true })], account(MEMBER, { access: unreadable('AccessDenied', 'AssumeRole') })),
      findings: [{ status: 'ERROR', accountId: MEMBER, messageId: 'core.cannotDecide', data: { code: 'AccessDenied', operation: 'AssumeRole', reason: /AssumeRole failed in account 222222222222: AccessDenied/ } }],
    },
    {
      name: 'an account whose trails could not be listed',
      snapshot: () => snapshot({ accounts: [account(MGMT, { trails: unreadable('AccessDenied', 'DescribeTrails') })] }),
      findings: [{ status: 'ERROR', messageId: 'core.cannotDecide', data: { operation: 'DescribeTrails', reason: /DescribeTrails failed in account 111111111111: AccessDenied/ } }],
    },
    {
      name: 'DescribeTrails denied in one region, no trail listed elsewhere: FAIL (a multi-region trail is listed in every region), without claiming there is no trail at all',
      snapshot: () => snapshot({ accounts: [account(MGMT, { deniedRegions: ['eu-west-1'] })] }),
      findings: [
        {
          status: 'FAIL',
          messageId: 'notCovered',
          data: {
            reasons: 'no multi-region trail is listed in any region that could be read (DescribeTrails failed in region eu-west-1: AccessDenied; trails homed there are unknown)',
            fix: /^aws cloudtrail create-trail .* \(in account 111111111111\)$/,
          },
        },
      ],
    },
    {
      name: 'DescribeTrails denied in one region beside a failing trail: the FAIL says what could not be listed',
      snapshot: () => snapshot({ accounts: [account(MGMT, { deniedRegions: ['eu-west-1'], trails: [trail({ name: 'main', logging: false })] })] }),
      findings: [
        {
          status: 'FAIL',
          messageId: 'notCovered',
          data: { reasons: 'main: not logging; DescribeTrails failed in region eu-west-1: AccessDenied, so single-region trails homed there are unknown', fix: /^aws cloudtrail start-logging/ },
        },
      ],
    },
    {
      name: 'a stopped organization trail leaves every account uncovered',
      snapshot: () => org([trail({ name: 'org-trail', organization: true, logging: false })], account(MEMBER)),
      findings: [
        { status: 'FAIL', accountId: MGMT, messageId: 'notCovered', data: { reasons: 'org-trail: not logging' } },
        {
          status: 'FAIL',
          accountId: MEMBER,
          messageId: 'notCovered',
          data: { reasons: 'org-trail: not logging', fix: /^aws cloudtrail start-logging --name \S+org-trail \(in account 111111111111, which owns the trail\)$/ },
        },
      ],
    },
    {
      name: "a member's own single-region trail does not help when the organization trail is stopped",
      snapshot: () =>
        org([trail({ name: 'org-trail', organization: true, logging: false })], account(MEMBER, { trails: [trail({ name: 'local', multiRegion: false })] })),
      findings: [
        { status: 'FAIL', accountId: MGMT },
        { status: 'FAIL', accountId: MEMBER, messageId: 'notCovered', data: { reasons: 'org-trail: not logging; local: single-region (us-east-1 only)' } },
      ],
    },
    {
      name: "the organization trail's selectors cannot be read when its owner account could not be read: ERROR in the member",
      snapshot: () =>
        snapshot({
          organization: organization({ managementAccountId: MGMT }),
          accounts: [account(MGMT, { access: unreadable('AccessDenied', 'AssumeRole'), trails: [trail({ name: 'org-trail', organization: true })] }), account(MEMBER)],
        }),
      findings: [
        { status: 'ERROR', accountId: MGMT, messageId: 'core.cannotDecide', data: { operation: 'AssumeRole' } },
        { status: 'ERROR', accountId: MEMBER, messageId: 'undecided', data: { account: MEMBER, why: /^trail org-trail: .*AssumeRole failed in account 111111111111: AccessDenied/ } },
      ],
    },
  ],
});

describe('trail-multi-region details', () => {
  it('is a valid plugin with the controls its framework packs map to it', () => {
    expect(() => validateCheck(check, 'multi-region')).not.toThrow();
    expectCatalogued(frameworksOfCheck(check.id, BUILTIN_PACKS), /all regions|multi-Region trail/);
    expect(frameworksOfCheck(check.id, BUILTIN_PACKS)).toEqual({
      'cis-aws-1.2.0': ['2.1'],
      'cis-aws-1.4.0': ['3.1'],
      'cis-aws-1.5.0': ['3.1'],
      'cis-aws-2.0.0': ['3.1'],
      'cis-aws-3.0.0': ['3.1'],
      'cis-aws-4.0.1': ['3.1'],
      'cis-aws-5.0.0': ['3.1'],
      'cis-aws-6.0.0': ['4.1'],
      'aws-fsbp': ['CloudTrail.1'],
    });
  });

  it('reports one finding per account and the trails considered as evidence', async () => {
    const findings = await runCheck(
      check,
      org([trail({ name: 'org-trail', organization: true })], account(MEMBER, { trails: [trail({ name: 'local', multiRegion: false })] })),
    );
    expect(findings.map((f) => `${f.accountId} ${f.status}`)).toEqual([`${MGMT} PASS`, `${MEMBER} PASS`]);
    const member = findings[1]!;
    expect(member).toMatchObject({ messageId: 'covered', data: { account: MEMBER, trail: 'org-trail', note: '' } });
    expect(member.message).toMatch(/covered by multi-region trail org-trail/);
    const trails = member.evidence.trails as { name: string; verdict: string; ownerAccountId: string }[];
    expect(trails.map((t) => [t.name, t.ownerAccountId, t.verdict])).toEqual([
      ['org-trail', MGMT, 'qualifies'],
      ['local', MEMBER, 'single-region (us-east-1 only)'],
    ]);
  });

  it('says in the PASS message when excluded sources were accepted', async () => {
    const findings = await runCheck(
      check,
      single(trail({ name: 'main', eventSelectors: classicSelectors.allManagement({ excludeSources: ['kms.amazonaws.com'] }) })),
      { options: { allowExcludedSources: true } },
    );
    expect(findings[0]).toMatchObject({ messageId: 'covered', data: { note: ' (excluding event sources kms.amazonaws.com, allowed by allowExcludedSources)' } });
    expect(findings[0]?.message).toMatch(/excluding event sources kms\.amazonaws\.com, allowed by allowExcludedSources/);
  });

  it('gives the fix for the trail closest to qualifying', async () => {
    const findings = await runCheck(check, single(trail({ name: 'a', multiRegion: false, logging: false }), trail({ name: 'b', logging: false })));
    expect(findings[0]?.data?.fix).toBe('aws cloudtrail start-logging --name arn:aws:cloudtrail:us-east-1:111111111111:trail/b');
    expect(findings[0]?.message).toMatch(/Fix: aws cloudtrail start-logging --name arn:aws:cloudtrail:us-east-1:111111111111:trail\/b$/);
  });

  it('puts each CloudTrail Lake event data store that applies in the evidence, with its verdict', async () => {
    const findings = await runCheck(
      check,
      snapshot({
        organization: organization({ managementAccountId: MGMT }),
        accounts: [
          account(MGMT, { eventDataStores: [eventDataStore({ name: 'org-eds', organization: true, status: 'STOPPED_INGESTION' }), eventDataStore({ name: 'single', multiRegion: false })] }),
          account(MEMBER, { eventDataStores: [S3_DATA_STORE] }),
        ],
      }),
    );
    const stores = (id: string) => ((findings.find((f) => f.accountId === id)?.evidence.eventDataStores ?? []) as { name: string; verdict: string }[]).map((s) => `${s.name}: ${s.verdict}`);
    expect(stores(MGMT)).toEqual(expect.arrayContaining(['org-eds: not ingesting (status STOPPED_INGESTION)', 'single: single-region (us-east-1 only)']));
    // A member sees the organization's store, never another account's own store.
    expect(stores(MEMBER).sort()).toEqual(['org-eds: not ingesting (status STOPPED_INGESTION)', 's3-data: records no management events']);
  });

  it('refuses an option of the wrong type', async () => {
    await expect(runCheck(check, single(trail({ name: 'main' })), { options: { allowExcludedSources: 'yes' as unknown as boolean } })).rejects.toThrow(
      /allowExcludedSources/,
    );
  });
});

/** Every control the check maps to is in the core catalogue, with a title about the same thing. */
function expectCatalogued(frameworks: Record<string, string[]> | undefined, topic: RegExp): void {
  for (const [fw, controls] of Object.entries(frameworks ?? {})) {
    for (const id of controls) expect(DEFAULT_CATALOGUE[fw]?.controls[id], `${fw} ${id}`).toMatch(topic);
  }
}
