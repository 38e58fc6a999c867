import { DEFAULT_CATALOGUE, type Snapshot, registerPluginModule, validateCheck, BUILTIN_PACKS, frameworksOfCheck } from '@trailwarden/core';
import {
  CheckTester,
  account,
  advancedSelectors,
  bucket,
  classicSelectors,
  organization,
  runCheck,
  snapshot,
  trail,
  unreadable,
} from '@trailwarden/testing';
import { describe, expect, it } from 'vitest';
import checks, { s3DataEventsRead, s3DataEventsWrite } from './index.js';

const MGMT = '111111111111';
const MEMBER = '222222222222';
const ARCHIVE = '333333333333';

type TrailInput = Parameters<typeof trail>[0];
/** One account, one trail delivering to bucket `logs`. */
const one = (t: Omit<TrailInput, 'name'> & { name?: string }): Snapshot =>
  snapshot({ accounts: [account(MGMT, { trails: [trail({ name: 'main', bucket: 'logs', ...t })] })] });
/** An organization trail in the management account, delivering to `org-logs` in the log-archive account. */
const orgArchive = (t: Omit<TrailInput, 'name'>, mgmt: Parameters<typeof account>[1] = {}): Snapshot =>
  snapshot({
    organization: organization({ managementAccountId: MGMT }),
    accounts: [
      account(MGMT, { ...mgmt, trails: [trail({ name: 'org-trail', organization: true, bucket: 'org-logs', ...t })] }),
      account(MEMBER),
      account(ARCHIVE, { buckets: [bucket('org-logs')] }),
    ],
  });

const FIX_WRITE_MAIN = `aws cloudtrail put-event-selectors --trail-name arn:aws:cloudtrail:us-east-1:111111111111:trail/main --advanced-event-selectors '[{"Name":"S3 object writes","FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::S3::Object"]},{"Field":"readOnly","Equals":["false"]},{"Field":"resources.ARN","StartsWith":["arn:aws:s3:::logs/"]}]}]' (list the trail's other selectors too)`;

const writeOnly = advancedSelectors.s3Data({ bucket: 'logs', readOnly: false });
const readOnly = advancedSelectors.s3Data({ bucket: 'logs', readOnly: true });

new CheckTester().run(s3DataEventsWrite, {
  valid: [
    { name: 'classic: all S3 objects (arn:aws:s3)', snapshot: () => one({ eventSelectors: classicSelectors.s3Data('*') }) },
    {
      name: 'classic: arn:aws:s3::: also means all objects',
      snapshot: () =>
        one({ eventSelectors: [{ readWriteType: 'All', includeManagementEvents: true, dataResources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3:::'] }] }] }),
    },
    { name: 'classic: the bucket itself, WriteOnly', snapshot: () => one({ eventSelectors: classicSelectors.s3Data('logs', 'WriteOnly') }) },
    { name: 'advanced: write-only selector for the bucket', snapshot: () => one({ eventSelectors: [...advancedSelectors.managementAll(), ...writeOnly] }) },
    { name: 'advanced: all S3 objects, no readOnly constraint', snapshot: () => one({ eventSelectors: advancedSelectors.s3Data() }) },
    {
      name: 'advanced: read and write selectors for the bucket',
      snapshot: () => one({ eventSelectors: [...readOnly, ...writeOnly] }),
    },
    {
      name: 'an organization trail covers the log-archive bucket, judged in its owner account',
      snapshot: () => orgArchive({ eventSelectors: [...advancedSelectors.managementAll(), ...advancedSelectors.s3Data()] }),
    },
    {
      name: 'one qualifying trail is enough',
      snapshot: () =>
        snapshot({
          accounts: [
            account(MGMT, {
              trails: [
                trail({ name: 'a-regional', bucket: 'logs', multiRegion: false, eventSelectors: classicSelectors.s3Data('*') }),
                trail({ name: 'b-data', bucket: 'logs', eventSelectors: classicSelectors.s3Data('logs') }),
              ],
            }),
          ],
        }),
    },
  ],
  invalid: [
    {
      name: 'a trail with only management events (the default)',
      snapshot: () => one({}),
      findings: [
        {
          status: 'FAIL',
          messageId: 'notRecorded',
          resource: 'logs',
          accountId: MGMT,
          data: { bucket: 'logs', reasons: 'main: records no object-level write events for this bucket', fix: FIX_WRITE_MAIN },
          // The wording matters once: the fix is a command to paste.
          message:
            'Bucket logs: no multi-region, logging trail records its object-level write events (main: records no object-level write events for this bucket). Fix: aws cloudtrail put-event-selectors --trail-name arn:aws:cloudtrail:us-east-1:111111111111:trail/main --advanced-event-selectors \'[{"Name":"S3 object writes","FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::S3::Object"]},{"Field":"readOnly","Equals":["false"]},{"Field":"resources.ARN","StartsWith":["arn:aws:s3:::logs/"]}]}]\' (list the trail\'s other selectors too)',
        },
      ],
    },
    {
      name: 'a read-only advanced data selector does not satisfy the write check',
      snapshot: () => one({ eventSelectors: readOnly }),
      findings: [{ status: 'FAIL', messageId: 'notRecorded', data: { reasons: 'main: records no object-level write events for this bucket', fix: FIX_WRITE_MAIN } }],
    },
    {
      name: 'a classic ReadOnly data selector does not satisfy the write check',
      snapshot: () => one({ eventSelectors: classicSelectors.s3Data('*', 'ReadOnly') }),
      findings: [{ status: 'FAIL', messageId: 'notRecorded', data: { reasons: 'main: records no object-level write events for this bucket' } }],
    },
    {
      name: 'a stopped trail does not satisfy it',
      snapshot: () => one({ logging: false, eventSelectors: classicSelectors.s3Data('*') }),
      findings: [{ status: 'FAIL', messageId: 'notRecorded', data: { reasons: 'main: not logging', fix: `aws cloudtrail start-logging --name arn:aws:cloudtrail:us-east-1:${MGMT}:trail/main` } }],
    },
    {
      name: 'a single-region trail does not satisfy it',
      snapshot: () => one({ multiRegion: false, eventSelectors: classicSelectors.s3Data('*') }),
      findings: [{ status: 'FAIL', messageId: 'notRecorded', data: { reasons: 'main: single-region (us-east-1 only)', fix: `aws cloudtrail update-trail --name arn:aws:cloudtrail:us-east-1:${MGMT}:trail/main --is-multi-region-trail` } }],
    },
    {
      name: 'classic: a key prefix only is narrowed, and the message says how',
      snapshot: () => one({ eventSelectors: classicSelectors.s3Data('logs/AWSLogs/') }),
      findings: [{ status: 'FAIL', messageId: 'narrowed', data: { bucket: 'logs', how: 'trail main: classic selector #1 covers only the key prefixes arn:aws:s3:::logs/AWSLogs/', fix: FIX_WRITE_MAIN } }],
    },
    {
      name: 'advanced: resources.ARN StartsWith a key prefix is narrowed',
      snapshot: () => one({ eventSelectors: advancedSelectors.s3Data({ arnPrefix: 'arn:aws:s3:::logs/AWSLogs/', readOnly: false }) }),
      findings: [
        {
          status: 'FAIL',
          messageId: 'narrowed',
          data: { how: 'trail main: advanced selector "S3 data events selector" filters on resources.ARN StartsWith [arn:aws:s3:::logs/AWSLogs/] and readOnly Equals [false]' },
        },
      ],
    },
    {
      name: 'advanced: an eventName filter is narrowed',
      snapshot: () =>
        one({
          eventSelectors: [
            {
              fieldSelectors: [
                { field: 'eventCategory', equals: ['Data'] },
                { field: 'resources.type', equals: ['AWS::S3::Object'] },
                { field: 'eventName', equals: ['PutObject'] },
              ],
            },
          ],
        }),
      findings: [{ status: 'FAIL', messageId: 'narrowed', data: { how: 'trail main: advanced selector #1 filters on eventName Equals [PutObject]' } }],
    },
    {
      name: 'advanced: NotStartsWith the bucket excludes it',
      snapshot: () =>
        one({
          eventSelectors: [
            {
              fieldSelectors: [
                { field: 'eventCategory', equals: ['Data'] },
                { field: 'resources.type', equals: ['AWS::S3::Object'] },
                { field: 'resources.ARN', notStartsWith: ['arn:aws:s3:::logs/'] },
              ],
            },
          ],
        }),
      findings: [{ status: 'FAIL', messageId: 'notRecorded', data: { reasons: 'main: records no object-level write events for this bucket' } }],
    },
    {
      name: 'a selector for another bucket does not cover this one (nor one whose name starts the same)',
      snapshot: () => one({ eventSelectors: [...classicSelectors.s3Data('log'), ...classicSelectors.s3Data('logs-archive')] }),
      findings: [{ status: 'FAIL', messageId: 'notRecorded', data: { reasons: 'main: records no object-level write events for this bucket' } }],
    },
    {
      name: 'only the bucket a selector names is covered',
      snapshot: () =>
        snapshot({
          accounts: [
            account(MGMT, {
              trails: [
                trail({ name: 'a', bucket: 'logs-a', eventSelectors: classicSelectors.s3Data('logs-a') }),
                trail({ name: 'b', bucket: 'logs-b', eventSelectors: classicSelectors.allManagement() }),
              ],
            }),
          ],
        }),
      findings: [
        { status: 'PASS', resource: 'logs-a', messageId: 'recorded', data: { bucket: 'logs-a', trail: 'a' } },
        { status: 'FAIL', resource: 'logs-b', messageId: 'notRecorded', data: { reasons: 'a: records no object-level write events for this bucket; b: records no object-level write events for this bucket' } },
      ],
    },
    {
      name: 'unreadable selectors are an ERROR, never a PASS',
      snapshot: () => one({ eventSelectors: unreadable('AccessDenied', 'GetEventSelectors') }),
      findings: [{ status: 'ERROR', messageId: 'undecided', data: { bucket: 'logs', why: /^trail main: GetEventSelectors failed in account 111111111111, region us-east-1: AccessDenied/ } }],
    },
    {
      name: 'unreadable status of a trail that records the events is an ERROR',
      snapshot: () => one({ status: unreadable('AccessDenied', 'GetTrailStatus'), eventSelectors: classicSelectors.s3Data('*') }),
      findings: [{ status: 'ERROR', messageId: 'undecided', data: { why: /^trail main: GetTrailStatus failed in account 111111111111, region us-east-1: AccessDenied/ } }],
    },
    {
      name: "a trail in another account that is not an organization trail does not apply to the bucket's owner",
      snapshot: () =>
        snapshot({
          accounts: [
            account(MGMT, { trails: [trail({ name: 'main', bucket: 'shared-logs', eventSelectors: classicSelectors.s3Data('*') })] }),
            account(ARCHIVE, { buckets: [bucket('shared-logs')] }),
          ],
        }),
      findings: [
        {
          status: 'FAIL',
          accountId: ARCHIVE,
          resource: 'shared-logs',
          messageId: 'notRecorded',
          data: { reasons: 'no trail applies to account 333333333333' },
          message: /no trail applies to account 333333333333\)\. Fix: .*--trail-name <multi-region-trail> .*, on a logging multi-region trail of account 333333333333 or the organization trail$/,
        },
      ],
    },
    {
      name: 'a stopped organization trail leaves the log-archive bucket unrecorded',
      snapshot: () => orgArchive({ logging: false, eventSelectors: advancedSelectors.s3Data() }),
      findings: [
        {
          status: 'FAIL',
          accountId: ARCHIVE,
          resource: 'org-logs',
          messageId: 'notRecorded',
          data: { reasons: 'org-trail: not logging' },
          message: /org-trail: not logging\)\. Fix: aws cloudtrail start-logging --name \S+trail\/org-trail \(in account 111111111111, which owns the trail\)$/,
        },
      ],
    },
    {
      name: 'a bucket owned outside the scanned accounts is an ERROR',
      snapshot: () => snapshot({ accounts: [account(MGMT, { trails: [trail({ name: 'main', bucket: 'far-away', unresolved: { bucket: true } })] })] }),
      findings: [{ status: 'ERROR', resource: 'far-away', messageId: 'core.cannotDecide', data: { code: 'BucketOutOfScope' } }],
    },
  ],
});

new CheckTester().run(s3DataEventsRead, {
  valid: [
    { name: 'classic: all S3 objects', snapshot: () => one({ eventSelectors: classicSelectors.s3Data('*') }) },
    { name: 'classic: ReadOnly for the bucket', snapshot: () => one({ eventSelectors: classicSelectors.s3Data('logs', 'ReadOnly') }) },
    { name: 'advanced: read-only selector for the bucket', snapshot: () => one({ eventSelectors: readOnly }) },
    { name: 'an organization trail covers the log-archive bucket', snapshot: () => orgArchive({ eventSelectors: advancedSelectors.s3Data({ readOnly: true }) }) },
  ],
  invalid: [
    {
      name: 'a write-only advanced data selector does not satisfy the read check',
      snapshot: () => one({ eventSelectors: writeOnly }),
      findings: [{ status: 'FAIL', messageId: 'notRecorded', data: { reasons: 'main: records no object-level read events for this bucket', fix: /"readOnly","Equals":\["true"\]/ } }],
    },
    {
      name: 'a classic WriteOnly selector does not satisfy the read check',
      snapshot: () => one({ eventSelectors: classicSelectors.s3Data('*', 'WriteOnly') }),
      findings: [{ status: 'FAIL', messageId: 'notRecorded', data: { reasons: 'main: records no object-level read events for this bucket' } }],
    },
    {
      name: 'a stopped trail does not satisfy it',
      snapshot: () => one({ logging: false, eventSelectors: readOnly }),
      findings: [{ status: 'FAIL', messageId: 'notRecorded', data: { reasons: 'main: not logging' } }],
    },
    {
      name: 'a single-region trail does not satisfy it',
      snapshot: () => one({ multiRegion: false, eventSelectors: readOnly }),
      findings: [{ status: 'FAIL', messageId: 'notRecorded', data: { reasons: 'main: single-region (us-east-1 only)' } }],
    },
    {
      name: 'a key prefix only is narrowed',
      snapshot: () => one({ eventSelectors: advancedSelectors.s3Data({ arnPrefix: 'arn:aws:s3:::logs/AWSLogs/', readOnly: true }) }),
      findings: [{ status: 'FAIL', messageId: 'narrowed', data: { how: /^trail main: advanced selector .* filters on resources\.ARN StartsWith \[arn:aws:s3:::logs\/AWSLogs\/\]/ }, message: /object-level read events are recorded only in part/ }],
    },
    {
      name: 'unreadable selectors are an ERROR, never a PASS',
      snapshot: () => one({ eventSelectors: unreadable('AccessDenied', 'GetEventSelectors') }),
      findings: [{ status: 'ERROR', messageId: 'undecided', data: { bucket: 'logs', why: /^trail main: GetEventSelectors failed/ }, message: /^Cannot decide whether object-level read events of bucket logs are recorded/ }],
    },
    {
      name: 'a bucket owned outside the scanned accounts is an ERROR',
      snapshot: () => snapshot({ accounts: [account(MGMT, { trails: [trail({ name: 'main', bucket: 'far-away', unresolved: { bucket: true } })] })] }),
      findings: [{ status: 'ERROR', resource: 'far-away', messageId: 'core.cannotDecide', data: { code: 'BucketOutOfScope' } }],
    },
  ],
});

describe('trail-s3-data-events-*', () => {
  it('exports both checks as the default array, each a valid plugin with the CIS controls its framework packs map to it', () => {
    expect(checks.map((c) => c.id)).toEqual(['trail-s3-data-events-write', 'trail-s3-data-events-read']);
    for (const c of checks) expect(() => validateCheck(c, 's3-data-events')).not.toThrow();
    expectCatalogued(frameworksOfCheck(s3DataEventsWrite.id, BUILTIN_PACKS), /object-level logging for write events/);
    expectCatalogued(frameworksOfCheck(s3DataEventsRead.id, BUILTIN_PACKS), /object-level logging for read events/);
    expect(frameworksOfCheck(s3DataEventsWrite.id, BUILTIN_PACKS)).toEqual({
      'cis-aws-1.4.0': ['3.10'],
      'cis-aws-1.5.0': ['3.10'],
      'cis-aws-2.0.0': ['3.10'],
      'cis-aws-3.0.0': ['3.8'],
      'cis-aws-4.0.1': ['3.8'],
      'cis-aws-5.0.0': ['3.8'],
      'cis-aws-6.0.0': ['4.8'],
    });
    expect(frameworksOfCheck(s3DataEventsRead.id, BUILTIN_PACKS)).toEqual({
      'cis-aws-1.4.0': ['3.11'],
      'cis-aws-1.5.0': ['3.11'],
      'cis-aws-2.0.0': ['3.11'],
      'cis-aws-3.0.0': ['3.9'],
      'cis-aws-4.0.1': ['3.9'],
      'cis-aws-5.0.0': ['3.9'],
      'cis-aws-6.0.0': ['4.9'],
    });
  });

  it('loads as a plugin module exporting both checks', async () => {
    const plugin = registerPluginModule(await import('./index.js'), { name: '@trailwarden/check-s3-data-events', specifier: '@trailwarden/check-s3-data-events' });
    expect(plugin.checks.map((c) => c.id)).toEqual(['trail-s3-data-events-write', 'trail-s3-data-events-read']);
  });

  it('reports one finding per bucket, in the owner account, however many trails use it', async () => {
    const snap = snapshot({
      organization: organization({ managementAccountId: MGMT }),
      accounts: [
        account(MGMT, { trails: [trail({ name: 'org-trail', organization: true, bucket: 'org-logs', eventSelectors: advancedSelectors.s3Data() })] }),
        account(MEMBER, { trails: [trail({ name: 'local', bucket: 'org-logs' })] }),
        account(ARCHIVE, { buckets: [bucket('org-logs', { region: 'eu-west-1' })] }),
      ],
    });
    const findings = await runCheck(s3DataEventsWrite, snap);
    expect(findings.map((f) => `${f.accountId} ${f.region} ${f.resource.name} ${f.status}`)).toEqual([`${ARCHIVE} eu-west-1 org-logs PASS`]);
    expect(findings[0]).toMatchObject({ messageId: 'recorded', data: { bucket: 'org-logs', trail: 'org-trail' } });
    expect(findings[0]?.message).toBe('Bucket org-logs: object-level write events are recorded by multi-region trail org-trail.');
  });

  it('the read check passes naming the trail that records the reads', async () => {
    const [f] = await runCheck(s3DataEventsRead, one({ eventSelectors: readOnly }));
    expect(f).toMatchObject({ status: 'PASS', messageId: 'recorded', data: { bucket: 'logs', trail: 'main' } });
  });

  it('gives the trails considered and their verdicts as evidence', async () => {
    const findings = await runCheck(s3DataEventsWrite, one({ eventSelectors: readOnly }));
    expect(findings[0]?.evidence).toMatchObject({
      ownerAccountId: MGMT,
      trails: [{ name: 'main', isMultiRegionTrail: true, isLogging: true, writeDataEvents: 'none' }],
    });
  });
});

/** Every control the check maps to is in the core catalogue, with a title about the same thing. */
function expectCatalogued(frameworks: Record<string, string[]> | undefined, topic: RegExp): void {
  for (const [fw, controls] of Object.entries(frameworks ?? {})) {
    for (const id of controls) expect(DEFAULT_CATALOGUE[fw]?.controls[id], `${fw} ${id}`).toMatch(topic);
  }
}
