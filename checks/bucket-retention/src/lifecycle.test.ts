import type { JsonValue, LifecycleRule } from '@trailwarden/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, assessLifecycle, logPrefixes, ruleScope } from './lifecycle.js';

const TAKEN = new Date('2026-11-21T10:00:00Z');
const rule = (over: Partial<LifecycleRule>): LifecycleRule => ({ id: 'r', status: 'Enabled', ...over });
const assess = (rules: LifecycleRule[] | null, prefixes = ['AWSLogs/'], min = DEFAULT_OPTIONS.minimumRetentionDays) =>
  assessLifecycle(rules, prefixes, { minimumRetentionDays: min }, TAKEN);
const actions = (rules: LifecycleRule[] | null, prefixes?: string[], min?: number) =>
  assess(rules, prefixes, min).earlyDeletions.map((d) => `${d.action}=${d.value}`);

describe('logPrefixes', () => {
  it.each<[string | undefined, string[]]>([
    [undefined, ['AWSLogs/']],
    ['', ['AWSLogs/']],
    ['cloudtrail', ['cloudtrail/AWSLogs/']],
    ['org/cloudtrail', ['org/cloudtrail/AWSLogs/']],
    ['cloudtrail/', ['cloudtrail//AWSLogs/', 'cloudtrail/AWSLogs/']],
  ])('%j → %j', (prefix, expected) => expect(logPrefixes(prefix)).toEqual(expected));
});

describe('ruleScope', () => {
  it.each<[string, Partial<LifecycleRule>, string[], boolean, string[]]>([
    ['no filter: the whole bucket', {}, ['AWSLogs/'], true, []],
    ['empty legacy prefix', { prefix: '' }, ['AWSLogs/'], true, []],
    ['filter Prefix ""', { filter: { Prefix: '' } }, ['AWSLogs/'], true, []],
    ['filter {} (whole bucket)', { filter: {} }, ['AWSLogs/'], true, []],
    ['Prefix AWSLogs/ exactly', { filter: { Prefix: 'AWSLogs/' } }, ['AWSLogs/'], true, []],
    ['Prefix narrower than the logs (one account)', { filter: { Prefix: 'AWSLogs/111122223333/' } }, ['AWSLogs/'], true, []],
    ['Prefix broader than the logs', { filter: { Prefix: 'AWS' } }, ['AWSLogs/'], true, []],
    ['Prefix elsewhere', { filter: { Prefix: 'tmp/' } }, ['AWSLogs/'], false, []],
    ['legacy prefix elsewhere', { prefix: 'access-logs/' }, ['AWSLogs/'], false, []],
    ['Prefix AWSLogs/ when the trail writes under a key prefix', { filter: { Prefix: 'AWSLogs/' } }, ['ct/AWSLogs/'], false, []],
    ['Prefix of the trail key prefix', { filter: { Prefix: 'ct/' } }, ['ct/AWSLogs/'], true, []],
    ['one of two trails matches', { filter: { Prefix: 'b/' } }, ['a/AWSLogs/', 'b/AWSLogs/'], true, []],
    ['tag filter: assumed to match', { filter: { Tag: { Key: 'tier', Value: 'tmp' } } }, ['AWSLogs/'], true, ['tag filter']],
    ['And with tags and a log prefix', { filter: { And: { Prefix: 'AWSLogs/', Tags: [{ Key: 'k', Value: 'v' }] } } }, ['AWSLogs/'], true, ['tag filter']],
    ['And with tags and another prefix', { filter: { And: { Prefix: 'tmp/', Tags: [{ Key: 'k', Value: 'v' }] } } }, ['AWSLogs/'], false, ['tag filter']],
    ['object size filter: assumed to match', { filter: { ObjectSizeGreaterThan: 1024 } }, ['AWSLogs/'], true, ['object-size filter']],
    ['an unknown filter element: assumed to match', { filter: { Mystery: 1 } }, ['AWSLogs/'], true, ['filter element Mystery']],
    ['no trail: every rule counts', { filter: { Prefix: 'tmp/' } }, [], true, []],
  ])('%s', (_name, over, prefixes, mayMatch, assumed) => {
    const s = ruleScope(rule(over), prefixes);
    expect(s.mayMatch).toBe(mayMatch);
    expect(s.assumed).toEqual(assumed);
  });
});

describe('assessLifecycle', () => {
  it.each<[string, LifecycleRule[] | null, string[]]>([
    ['no lifecycle configuration', null, []],
    ['no rules', [], []],
    ['expires after 90 days', [rule({ expiration: { days: 90 } })], ['Expiration.Days=90']],
    ['expires after 364 days', [rule({ expiration: { days: 364 } })], ['Expiration.Days=364']],
    ['expires after exactly 365 days', [rule({ expiration: { days: 365 } })], []],
    ['expires after 7 years', [rule({ expiration: { days: 2555 } })], []],
    ['disabled rule expiring after 1 day', [rule({ status: 'Disabled', expiration: { days: 1 } })], []],
    ['rule on another prefix expiring after 1 day', [rule({ filter: { Prefix: 'tmp/' }, expiration: { days: 1 } })], []],
    ['tag-filtered rule expiring after 30 days (assumed to match)', [rule({ filter: { Tag: { Key: 'k', Value: 'v' } }, expiration: { days: 30 } })], ['Expiration.Days=30']],
    ['date in the past', [rule({ expiration: { date: '2025-01-01T00:00:00.000Z' } })], ['Expiration.Date=2025-01-01T00:00:00.000Z']],
    ['date within the minimum after the snapshot', [rule({ expiration: { date: '2027-06-01T00:00:00.000Z' } })], ['Expiration.Date=2027-06-01T00:00:00.000Z']],
    ['date beyond the minimum still deletes young logs that day', [rule({ expiration: { date: '2030-01-01T00:00:00.000Z' } })], ['Expiration.Date=2030-01-01T00:00:00.000Z']],
    ['noncurrent versions deleted after 30 days', [rule({ noncurrentVersionExpiration: { noncurrentDays: 30 } })], ['NoncurrentVersionExpiration.NoncurrentDays=30']],
    ['noncurrent versions kept 400 days', [rule({ noncurrentVersionExpiration: { noncurrentDays: 400, newerNoncurrentVersions: 2 } })], []],
    ['transitions only (not deletion)', [rule({ transitions: [{ days: 30, storageClass: 'GLACIER' }] })], []],
    ['expired delete markers only', [rule({ expiration: { expiredObjectDeleteMarker: true } })], []],
    ['abort incomplete uploads only', [rule({ abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } })], []],
    [
      'several rules, several problems, in order',
      [rule({ id: 'a', expiration: { days: 30 }, noncurrentVersionExpiration: { noncurrentDays: 1 } }), rule({ id: 'b', expiration: { days: 400 } })],
      ['Expiration.Days=30', 'NoncurrentVersionExpiration.NoncurrentDays=1'],
    ],
  ])('%s', (_name, rules, expected) => {
    expect(actions(rules)).toEqual(expected);
  });

  it('honours minimumRetentionDays', () => {
    expect(actions([rule({ expiration: { days: 90 } })], ['AWSLogs/'], 90)).toEqual([]);
    expect(actions([rule({ expiration: { days: 400 } })], ['AWSLogs/'], 730)).toEqual(['Expiration.Days=400']);
  });

  it('explains each early deletion, each ignored rule and each assumption', () => {
    const a = assess([
      rule({ id: 'short', expiration: { days: 30 } }),
      rule({ id: 'tmp', filter: { Prefix: 'tmp/' }, expiration: { days: 1 } }),
      rule({ id: 'off', status: 'Disabled', expiration: { days: 1 } }),
      rule({ id: 'tagged', filter: { And: { Prefix: '', Tags: [{ Key: 'k', Value: 'v' }] } as JsonValue }, noncurrentVersionExpiration: { noncurrentDays: 7 } }),
      rule({ id: undefined, expiration: { date: '2025-01-01T00:00:00.000Z' } }),
      rule({ id: 'late', expiration: { date: '2030-01-01T00:00:00.000Z' } }),
      rule({ id: 'soon', expiration: { date: '2027-06-01T00:00:00.000Z' } }),
    ]);
    expect(a.earlyDeletions.map((d) => d.text)).toEqual([
      'rule "short" expires log files after 30 days',
      'rule "tagged" permanently deletes overwritten or deleted log file versions 7 days after they become noncurrent',
      'rule #5 has expired every log file since 2025-01-01, whatever its age',
      'rule "late" expires every log file on 2030-01-01, including those delivered less than 365 days before',
      'rule "soon" expires every log file on 2027-06-01, less than 365 days after the snapshot was taken',
    ]);
    expect(a.ignored).toEqual([
      { rule: '"tmp"', why: 'its prefix "tmp/" cannot match log files under AWSLogs/' },
      { rule: '"off"', why: 'disabled' },
    ]);
    expect(a.assumedMatching).toEqual([{ rule: '"tagged"', filters: ['tag filter'] }]);
  });
});

describe('expiration dates are UTC', () => {
  it('reads a date-time without a zone designator as UTC, whatever the machine time zone', () => {
    const saved = process.env.TZ;
    process.env.TZ = 'Asia/Tokyo';
    try {
      const [d] = assess([rule({ expiration: { date: '2026-01-01T00:00:00' } })]).earlyDeletions;
      expect(d?.text).toBe('rule "r" has expired every log file since 2026-01-01, whatever its age');
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});
