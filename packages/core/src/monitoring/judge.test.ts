import { describe, expect, it } from 'vitest';
import { MONITORING_CONTROLS, monitoringControl } from './controls.js';
import { matchEventPattern, parseEventPattern } from './event-pattern.js';
import { matchFilter, parseFilterPattern } from './filter-pattern.js';
import { globMatch } from './glob.js';
import { judgeEventPattern, judgeFilterPattern } from './judge.js';
import { asEventBridgeEvent } from './sample-events.js';

const control = (topic: string) => monitoringControl(topic)!;

describe('CIS sample patterns', () => {
  const rows = MONITORING_CONTROLS.flatMap((c) => c.cisPatterns.map((p) => [c.topic, p] as const));
  it.each(rows)('%s: %s catches every event', (topic, pattern) => {
    const v = judgeFilterPattern(pattern, control(topic));
    expect(v.problem).toBeUndefined();
    expect(v.missed).toEqual([]);
    expect(v.catchesAll).toBe(true);
  });
});

describe('rewritten but equivalent patterns pass', () => {
  const rows: [string, string][] = [
    ['cloudtrail-changes', '{($.eventName=StopLogging)||($.eventName=DeleteTrail)||($.eventName=UpdateTrail)||($.eventName=CreateTrail)||($.eventName=StartLogging)}'],
    ['cloudtrail-changes', '{ ($.eventSource = "cloudtrail.amazonaws.com") && (($.eventName = "*Trail") || ($.eventName = "St*Logging")) }'],
    ['cloudtrail-changes', '{ $.eventSource = cloudtrail.amazonaws.com && $.readOnly IS FALSE && $.eventName != "Put*" }'],
    ['kms-key-deletion', '{ ($.eventName = ScheduleKeyDeletion) || ($.eventName = DisableKey) }'],
    ['kms-key-deletion', '{ $.eventSource = "kms.amazonaws.com" && ($.eventName = "DisableKey" || $.eventName = "ScheduleKeyDeletion") }'],
    ['s3-bucket-policy-changes', '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucket*) || ($.eventName = DeleteBucket*)) }'],
    ['console-signin-without-mfa', '{ $.eventName = "ConsoleLogin" && $.additionalEventData.MFAUsed = "No" }'],
    ['console-auth-failures', '{ ($.eventSource = signin.amazonaws.com) && ($.responseElements.ConsoleLogin = "Failure") }'],
    ['root-usage', '{ ($.userIdentity.type = "Root") && ($.userIdentity.invokedBy NOT EXISTS) && ($.eventType != "AwsServiceEvent") }'],
    ['root-usage', '{ $.userIdentity.arn = "arn:aws:iam::*:root" && $.userIdentity.invokedBy NOT EXISTS }'],
    ['unauthorized-api-calls', '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") && ($.eventName != "HeadBucket") }'],
    ['iam-policy-changes', '{ ($.eventSource = iam.amazonaws.com) && (($.eventName = *Policy) || ($.eventName = *PolicyVersion)) }'],
    ['route-table-changes', '{ $.eventSource = ec2.amazonaws.com && ($.eventName = *Route || $.eventName = *RouteTable || $.eventName = *RouteTableAssociation) }'],
    ['nacl-changes', '{ $.eventName = "*NetworkAcl*" }'],
    ['vpc-changes', '{ $.eventName = "*Vpc*" }'],
    ['organizations-changes', '{ $.eventSource = "organizations.amazonaws.com" && $.readOnly IS FALSE }'],
    ['security-group-changes', '?AuthorizeSecurityGroupIngress ?AuthorizeSecurityGroupEgress ?RevokeSecurityGroupIngress ?RevokeSecurityGroupEgress ?CreateSecurityGroup ?DeleteSecurityGroup'],
    ['cloudtrail-changes', '{ $.requestParameters IS NULL || $.eventSource = "cloudtrail.amazonaws.com" }'],
  ];
  it.each(rows)('%s: %s', (topic, pattern) => {
    const v = judgeFilterPattern(pattern, control(topic));
    expect(v.problem).toBeUndefined();
    expect(v.missed).toEqual([]);
  });
});

describe('near-misses fail, naming what is not caught', () => {
  const rows: [string, string, string[], RegExp?][] = [
    ['cloudtrail-changes', '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) }', ['StopLogging']],
    ['cloudtrail-changes', '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLoging) }', ['StopLogging']],
    ['cloudtrail-changes', '{ ($.eventName = CreateTrail) && ($.eventName = UpdateTrail) }', ['CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StartLogging', 'StopLogging']],
    ['kms-key-deletion', '{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)&&($.eventName=ScheduleKeyDeletion)) }', ['DisableKey', 'ScheduleKeyDeletion']],
    ['kms-key-deletion', '{($.eventSource = kms.amazonaws.com) && ($.eventName=DisableKey) }', ['ScheduleKeyDeletion']],
    ['kms-key-deletion', '{($.eventSource = ec2.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }', ['DisableKey', 'ScheduleKeyDeletion'], /\$\.eventSource = "ec2\.amazonaws\.com"/],
    ['s3-bucket-policy-changes', '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy)) }', ['PutBucketCors', 'PutBucketLifecycle', 'PutBucketReplication', 'DeleteBucketPolicy', 'DeleteBucketCors', 'DeleteBucketLifecycle', 'DeleteBucketReplication']],
    ['console-signin-without-mfa', '{ ($.eventName = ConsoleLogin) && ($.additionalEventData.MFAUsed = Yes) }', ['ConsoleLogin (IAM user, no MFA)']],
    ['root-usage', '{ $.userIdentity.type = Root && $.userIdentity.invokedBy EXISTS }', []],
    ['root-usage', '{ $.userIdentity.type = "root" && $.userIdentity.invokedBy NOT EXISTS }', ['ConsoleLogin (root)', 'CreateAccessKey (root)']],
    ['unauthorized-api-calls', '{ ($.errorCode = "*UnauthorizedOperation") }', ['ListUsers (errorCode AccessDenied)', 'ListFunctions20150331 (errorCode AccessDeniedException)']],
    ['console-auth-failures', '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") && ($.userIdentity.type = Root) }', ['ConsoleLogin (failed)']],
  ];
  it.each(rows)('%s: %s', (topic, pattern, missed, why) => {
    const v = judgeFilterPattern(pattern, control(topic));
    expect(v.catchesAll).toBe(false);
    if (missed.length > 0) expect(v.missed).toEqual(missed);
    if (why) expect(v.why).toMatch(why);
  });

  it('ambiguous grouping: an event counts only if both readings catch it', () => {
    // standard: A || (B && C); left-to-right: (A || B) && C. StopLogging with C false: only one reading catches it.
    const v = judgeFilterPattern('{ $.eventName = StopLogging || $.eventName = DeleteTrail && $.readOnly IS TRUE }', control('cloudtrail-changes'));
    expect(v.missed).toContain('StopLogging');
    expect(v.notes.join(' ')).toMatch(/both groupings/);
  });
});

describe('forms that are not JSON-aware, or not judged', () => {
  it('space-delimited patterns cannot address CloudTrail fields', () => {
    const v = judgeFilterPattern('[version, account, eni, source, destination, srcport, destport]', control('cloudtrail-changes'));
    expect(v.catchesAll).toBe(false);
    expect(v.problem).toMatch(/not JSON-aware/);
  });
  it('terms cannot express a negation', () => {
    const v = judgeFilterPattern('ConsoleLogin', control('console-signin-without-mfa'));
    expect(v.problem).toMatch(/not JSON-aware.*MFAUsed/);
  });
  it('terms that name every event catch them, with a note', () => {
    const v = judgeFilterPattern('?StopLogging ?DeleteTrail ?UpdateTrail ?CreateTrail ?StartLogging', control('cloudtrail-changes'));
    expect(v.catchesAll).toBe(true);
    expect(v.notes.join(' ')).toMatch(/not JSON-aware/);
    expect(judgeFilterPattern('?StopLogging ?DeleteTrail', control('cloudtrail-changes')).missed).toEqual(['CreateTrail', 'UpdateTrail', 'StartLogging']);
    expect(judgeFilterPattern('StopLogging -alice', control('cloudtrail-changes')).missed).toContain('StopLogging');
  });
  it('regular expressions are reported, not guessed', () => {
    expect(judgeFilterPattern('{ $.eventName = %StopLogging|DeleteTrail% }', control('cloudtrail-changes')).problem).toMatch(/regular expression/);
  });
  it('invalid patterns say where', () => {
    expect(judgeFilterPattern('{ ($.eventName = StopLogging ', control('cloudtrail-changes')).problem).toMatch(/expected "\)"/);
    expect(judgeFilterPattern('{ $.eventName > StopLogging }', control('cloudtrail-changes')).problem).toMatch(/needs a number/);
    expect(judgeFilterPattern(`{ ${'('.repeat(40)}$.a = 1${')'.repeat(40)} }`, control('cloudtrail-changes')).problem).toMatch(/nested deeper/);
    expect(judgeFilterPattern('x'.repeat(1025), control('cloudtrail-changes')).problem).toMatch(/longer than 1024/);
  });
  it('the broad CIS 1.4 unauthorized-calls sample is noted as noisy', () => {
    const v = judgeFilterPattern(control('unauthorized-api-calls').cisPatterns[1]!, control('unauthorized-api-calls'));
    expect(v.catchesAll).toBe(true);
    expect(v.notes.join(' ')).toMatch(/noisy/);
  });
  it('a later CIS addition missed is a note, not a failure', () => {
    const v = judgeFilterPattern(control('security-group-changes').cisPatterns[1]!, control('security-group-changes'));
    expect(v.catchesAll).toBe(true);
    expect(v.notes.join(' ')).toMatch(/ModifySecurityGroupRules/);
  });
});

describe('filter grammar', () => {
  const event = { a: { b: [{ c: 'x' }, { c: 'y' }], n: 42, t: true, f: false, z: null, s: '1.5' } };
  const m = (p: string) => matchFilter(parseFilterPattern(p), event);
  it.each([
    ['{ $.a.b[1].c = y }', true],
    ['{ $.a.b[0].c = y }', false],
    ['{ $.a.b[5].c = y }', false],
    ['{ $.a.n = 42 }', true],
    ['{ $.a.n >= 42 }', true],
    ['{ $.a.n > 42 }', false],
    ['{ $.a.n < 1e3 }', true],
    ['{ $.a.n <= -1 }', false],
    ['{ $.a.n != 41 }', true],
    ['{ $.a.s > 1 }', false],
    ['{ $.a.t IS TRUE }', true],
    ['{ $.a.f IS FALSE }', true],
    ['{ $.a.t IS FALSE }', false],
    ['{ $.a.z IS NULL }', true],
    ['{ $.a.missing NOT EXISTS }', true],
    ['{ $.a.n NOT EXISTS }', false],
    ['{ $.a.missing != x }', false],
    ['{ $.a.b[0].c = "*" }', true],
    ['{ ($.a.n = 1) || (($.a.t IS TRUE) && ($.a.b[0].c = x)) }', true],
    ['', true],
  ])('%s → %s', (p, expected) => expect(m(p)).toBe(expected));
});

describe('globMatch', () => {
  it.each([
    ['AccessDenied*', 'AccessDeniedException', true],
    ['*UnauthorizedOperation', 'Client.UnauthorizedOperation', true],
    ['*a*b*', 'xaxxbx', true],
    ['*a*b*', 'xbxxax', false],
    ['a*a', 'a', false],
    ['abc', 'abc', true],
    ['*', '', true],
  ])('%s ~ %s → %s', (p, t, r) => expect(globMatch(p, t)).toBe(r));
  it('stays linear on a ReDoS-shaped pattern', () => {
    const p = `${'*a'.repeat(500)}b`;
    const t = 'a'.repeat(8000);
    expect(globMatch(p, t)).toBe(false);
  });
});

describe('EventBridge event patterns', () => {
  const stop = asEventBridgeEvent(control('cloudtrail-changes').mustCatch.find((e) => e.label === 'StopLogging')!.record);
  const m = (p: object) => matchEventPattern((parseEventPattern(JSON.stringify(p)) as { pattern: never }).pattern, stop);
  it.each([
    [{ source: ['aws.cloudtrail'] }, true],
    [{ source: ['aws.kms'] }, false],
    [{ detail: { eventName: [{ prefix: 'Stop' }] } }, true],
    [{ detail: { eventName: [{ suffix: 'logging' }] } }, false],
    [{ detail: { eventName: [{ suffix: { 'equals-ignore-case': 'logging' } }] } }, true],
    [{ detail: { eventName: [{ 'anything-but': ['StartLogging'] }] } }, true],
    [{ detail: { eventName: [{ 'anything-but': { prefix: 'Stop' } }] } }, false],
    [{ detail: { errorCode: [{ exists: false }] } }, true],
    [{ detail: { errorCode: [{ exists: true }] } }, false],
    [{ detail: { eventName: [{ wildcard: 'St*ing' }] } }, true],
    [{ detail: { eventName: [{ 'equals-ignore-case': 'stoplogging' }] } }, true],
    [{ detail: { readOnly: [false] } }, true],
    [{ $or: [{ source: ['aws.kms'] }, { detail: { eventName: ['StopLogging'] } }] }, true],
  ])('%j → %s', (p, r) => expect(m(p)).toEqual({ matches: r }));
  it('numeric', () => {
    const p = parseEventPattern('{"detail":{"n":[{"numeric":[">",0,"<=",5]}]}}') as { pattern: never };
    expect(matchEventPattern(p.pattern, { detail: { n: 5 } })).toEqual({ matches: true });
    expect(matchEventPattern(p.pattern, { detail: { n: 6 } })).toEqual({ matches: false });
  });
  it('unknown matchers are unsupported, not guessed', () => {
    expect(m({ detail: { sourceIPAddress: [{ cidr: '198.51.100.0/24' }] } })).toHaveProperty('unsupported');
  });
  it('judges a rule against every event of a control', () => {
    const rule = JSON.stringify({ source: ['aws.cloudtrail'], 'detail-type': ['AWS API Call via CloudTrail'], detail: { eventName: ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'CreateTrail', 'StartLogging'] } });
    expect(judgeEventPattern(rule, control('cloudtrail-changes')).catchesAll).toBe(true);
    const partial = JSON.stringify({ source: ['aws.cloudtrail'], detail: { eventName: ['StopLogging'] } });
    expect(judgeEventPattern(partial, control('cloudtrail-changes')).missed).toEqual(['CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StartLogging']);
    const signin = JSON.stringify({ 'detail-type': ['AWS Console Sign In via CloudTrail'], detail: { additionalEventData: { MFAUsed: [{ 'anything-but': 'Yes' }] } } });
    expect(judgeEventPattern(signin, control('console-signin-without-mfa')).catchesAll).toBe(true);
  });
});

describe('the catalogue and the fix patterns', () => {
  it('every fix pattern catches its control, unambiguously', async () => {
    for (const c of MONITORING_CONTROLS) {
      const v = judgeFilterPattern(c.fixPattern ?? c.cisPatterns[0]!, c);
      expect(v.catchesAll, c.topic).toBe(true);
      if (c.fixPattern) expect(v.notes.join(' ')).not.toMatch(/both groupings/);
    }
  });
  it('lists the monitoring section in every CIS version, numbered as each numbers it', async () => {
    const { DEFAULT_CATALOGUE } = await import('../catalogue/catalogue.js');
    expect(DEFAULT_CATALOGUE['cis-aws-1.2.0']!.controls['3.5']).toBe('Ensure a log metric filter and alarm exist for CloudTrail configuration changes');
    expect(DEFAULT_CATALOGUE['cis-aws-1.2.0']!.controls['3.15']).toBeUndefined();
    expect(DEFAULT_CATALOGUE['cis-aws-3.0.0']!.controls['4.15']).toBe('Ensure a log metric filter and alarm exist for AWS Organizations changes');
    expect(DEFAULT_CATALOGUE['cis-aws-6.0.0']!.controls['5.7']).toBe('Ensure disabling or scheduled deletion of customer-created KMS keys is monitored');
    expect(DEFAULT_CATALOGUE['cis-aws-6.0.0']!.controls['4.1']).toBe('Ensure CloudTrail is enabled in all regions');
  });
});
