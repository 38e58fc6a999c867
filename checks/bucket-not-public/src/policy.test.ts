import type { JsonValue } from '@trailwarden/core';
import { describe, expect, it } from 'vitest';
import { analyseBucketPolicy, isFixedValue, isUniversalCidr } from './policy.js';

const B = 'arn:aws:s3:::logs';
const policy = (...statements: JsonValue[]): JsonValue => ({ Version: '2012-10-17', Statement: statements });
const allow = (principal: JsonValue, condition?: JsonValue, extra: Record<string, JsonValue> = {}): JsonValue => ({
  Sid: 'S',
  Effect: 'Allow',
  Principal: principal,
  Action: 's3:GetObject',
  Resource: `${B}/*`,
  ...(condition === undefined ? {} : { Condition: condition }),
  ...extra,
});

const publicCount = (doc: JsonValue): number => {
  const a = analyseBucketPolicy(doc);
  if (!a.ok) throw new Error(a.reason);
  return a.publicStatements.length;
};

describe('analyseBucketPolicy: who is "everyone"', () => {
  it.each<[string, JsonValue, number]>([
    ['Principal "*"', allow('*'), 1],
    ['Principal {"AWS": "*"}', allow({ AWS: '*' }), 1],
    ['Principal {"AWS": ["arn:aws:iam::111122223333:root", "*"]}', allow({ AWS: ['arn:aws:iam::111122223333:root', '*'] }), 1],
    ['a wildcard inside an ARN (any account)', allow({ AWS: 'arn:aws:iam::*:root' }), 1],
    ['Principal {"CanonicalUser": "*"}', allow({ CanonicalUser: '*' }), 1],
    ['Allow with NotPrincipal (everyone but a few)', { Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::1:root' }, Action: 's3:*', Resource: B }, 1],
    ['a fixed account', allow({ AWS: 'arn:aws:iam::111122223333:root' }), 0],
    ['a service principal (CloudTrail delivery)', allow({ Service: 'cloudtrail.amazonaws.com' }), 0],
    ['Deny to "*" (a guard, not a grant)', { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: B }, 0],
  ])('%s', (_name, statement, expected) => {
    expect(publicCount(policy(statement))).toBe(expected);
  });

  it('accepts a single Statement object, and a policy with no statements', () => {
    expect(publicCount({ Statement: allow('*') })).toBe(1);
    expect(publicCount({ Version: '2012-10-17' })).toBe(0);
  });

  it('describes the public statement: sid, actions, principal', () => {
    const a = analyseBucketPolicy(policy(allow({ AWS: '*' }, undefined, { Sid: 'PublicRead', Action: ['s3:GetObject', 's3:ListBucket'] })));
    expect(a).toMatchObject({
      ok: true,
      publicStatements: [{ index: 0, sid: 'PublicRead', actions: 's3:GetObject, s3:ListBucket', principal: 'Principal {"AWS": "*"}' }],
    });
    if (a.ok) expect(a.publicStatements[0]?.why).toContain('"PublicRead" (#1) allows s3:GetObject, s3:ListBucket');
    const b = analyseBucketPolicy(policy(allow('*', undefined, { Action: undefined as never, NotAction: 's3:DeleteObject' })));
    if (b.ok) expect(b.publicStatements[0]?.actions).toBe('every action except s3:DeleteObject');
  });
});

describe('analyseBucketPolicy: conditions that pin a wildcard principal', () => {
  it.each<[string, JsonValue, boolean]>([
    ['aws:PrincipalOrgID fixed (a peer mistake: this is not public)', { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }, true],
    ['aws:SourceArn fixed', { StringEquals: { 'aws:SourceArn': 'arn:aws:cloudtrail:us-east-1:111122223333:trail/t' } }, true],
    ['aws:SourceArn by ArnLike without a wildcard', { ArnLike: { 'aws:SourceArn': 'arn:aws:cloudtrail:us-east-1:111122223333:trail/t' } }, true],
    ['aws:SourceAccount fixed', { StringEquals: { 'aws:SourceAccount': '111122223333' } }, true],
    ['aws:SourceOwner fixed', { StringEquals: { 'aws:SourceOwner': '111122223333' } }, true],
    ['aws:PrincipalAccount fixed (list)', { StringEquals: { 'aws:PrincipalAccount': ['111122223333', '444455556666'] } }, true],
    ['aws:SourceVpce fixed', { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } }, true],
    ['aws:SourceVpc fixed', { StringEquals: { 'aws:SourceVpc': 'vpc-111bbb22' } }, true],
    ['aws:SourceIp on a /16', { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, true],
    ['aws:SourceIp, IPv6 /56', { IpAddress: { 'aws:SourceIp': '2001:db8:1234:1a00::/56' } }, true],
    ['key names are case-insensitive', { StringEquals: { 'AWS:principalorgid': 'o-a1b2c3d4e5' } }, true],
    ['ForAnyValue:StringEquals still pins', { 'ForAnyValue:StringEquals': { 'aws:SourceAccount': '111122223333' } }, true],
    ['one pinning condition among others suffices (conditions are ANDed)', { Bool: { 'aws:SecureTransport': 'true' }, StringEquals: { 'aws:SourceAccount': '111122223333' } }, true],
    ['aws:SourceIp 0.0.0.0/0 is universal', { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }, false],
    ['aws:SourceIp ::/0 is universal', { IpAddress: { 'aws:SourceIp': '::/0' } }, false],
    ['aws:SourceIp list containing 0.0.0.0/0', { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '0.0.0.0/0'] } }, false],
    ['NotIpAddress does not pin (the rest of the internet is in)', { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, false],
    ['a wildcard value does not pin', { StringLike: { 'aws:PrincipalOrgID': 'o-*' } }, false],
    ['"*" as the value does not pin, even with StringEquals', { StringEquals: { 'aws:SourceAccount': '*' } }, false],
    ['ArnLike with a wildcard does not pin', { ArnLike: { 'aws:SourceArn': 'arn:aws:cloudtrail:*:111122223333:trail/*' } }, false],
    ['a list with one wildcard does not pin', { StringEquals: { 'aws:SourceAccount': ['111122223333', '*'] } }, false],
    ['a policy variable does not pin', { StringEquals: { 'aws:SourceAccount': '$' + '{aws:PrincipalAccount}' } }, false],
    ['...IfExists does not pin (anonymous callers lack the key)', { StringEqualsIfExists: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } }, false],
    ['ForAllValues: does not pin (true when the key is absent)', { 'ForAllValues:StringEquals': { 'aws:SourceAccount': '111122223333' } }, false],
    ['StringNotEquals does not pin', { StringNotEquals: { 'aws:PrincipalOrgID': 'o-other' } }, false],
    ['a key outside the list does not pin', { StringEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/r' } }, false],
    ['a transport condition does not pin', { Bool: { 'aws:SecureTransport': 'true' } }, false],
    ['Null does not pin', { Null: { 'aws:SourceAccount': 'false' } }, false],
    ['an empty value list does not pin', { StringEquals: { 'aws:SourceAccount': [] } }, false],
  ])('%s', (_name, condition, pinned) => {
    const a = analyseBucketPolicy(policy(allow('*', condition)));
    expect(a.ok).toBe(true);
    if (!a.ok) return;
    expect(a.publicStatements.length).toBe(pinned ? 0 : 1);
    expect(a.pinnedStatements.length).toBe(pinned ? 1 : 0);
  });

  it('names the pinning condition', () => {
    const a = analyseBucketPolicy(policy(allow('*', { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } })));
    expect(a).toMatchObject({ ok: true, pinnedStatements: [{ index: 0, sid: 'S', pinnedBy: 'StringEquals aws:PrincipalOrgID' }] });
  });
});

describe('analyseBucketPolicy: malformed policies', () => {
  it.each<[string, JsonValue, RegExp]>([
    ['raw text that did not parse', '{"Statement": [', /not valid JSON \(text begins "\{\\"Statement\\": \["\)/],
    ['a list at the top', [allow('*')], /not a JSON object \(got a list\)/],
    ['Statement a string', { Statement: 'Allow everything' }, /Statement is a string/],
    ['a statement that is a number', { Statement: [allow('*'), 3] }, /statement #2 .* is a number/],
    ['a Condition that is a string', policy(allow('*', 'aws:SourceAccount=1')), /"S" \(#1\) has a Condition that is a string/],
    ['a condition operator mapping to a list', policy(allow('*', { StringEquals: ['x'] })), /StringEquals maps to a list/],
  ])('%s', (_name, doc, reason) => {
    const a = analyseBucketPolicy(doc);
    expect(a.ok).toBe(false);
    if (!a.ok) expect(a.reason).toMatch(reason);
  });
});

describe('value helpers', () => {
  it.each<[JsonValue, boolean]>([
    ['o-a1b2c3d4e5', true],
    ['', false],
    ['o-*', false],
    ['arn:aws:s3:::b?', false],
    ['$' + '{aws:username}', false],
    [123, true],
  ])('isFixedValue(%j) = %s', (v, expected) => expect(isFixedValue(v)).toBe(expected));

  it.each<[string, boolean]>([
    ['0.0.0.0/0', true],
    ['::/0', true],
    [' 0.0.0.0/0 ', true],
    ['10.0.0.0/8', false],
    ['2001:db8::/32', false],
    ['192.0.2.10', false],
  ])('isUniversalCidr(%s) = %s', (v, expected) => expect(isUniversalCidr(v)).toBe(expected));
});

describe('analyseBucketPolicy: the access-point delegation pattern and the other keys S3 counts as fixed', () => {
  const OWNER = '111122223333';
  it.each<[string, JsonValue, number]>([
    ['s3:DataAccessPointAccount = the owner account (AWS\'s delegation example)', allow({ AWS: '*' }, { StringEquals: { 's3:DataAccessPointAccount': OWNER } }, { Action: '*' }), 0],
    ['s3:DataAccessPointArn, one access point', allow('*', { StringEquals: { 's3:DataAccessPointArn': `arn:aws:s3:us-east-1:${OWNER}:accesspoint/logs-reader` } }), 0],
    ['s3:DataAccessPointArn, every access point of a fixed account', allow('*', { ArnLike: { 's3:DataAccessPointArn': `arn:aws:s3:us-east-1:${OWNER}:accesspoint/*` } }), 0],
    ['s3:DataAccessPointArn, any account', allow('*', { ArnLike: { 's3:DataAccessPointArn': 'arn:aws:s3:us-east-1:*:accesspoint/*' } }), 1],
    ['s3:DataAccessPointAccount with a wildcard', allow('*', { StringLike: { 's3:DataAccessPointAccount': '*' } }), 1],
    ['aws:userid fixed', allow('*', { StringEquals: { 'aws:userid': 'AIDAEXAMPLEUSERID' } }), 0],
    ['aws:userid, every session of one role', allow('*', { StringLike: { 'aws:userid': 'AROAEXAMPLEROLEID:*' } }), 0],
    ['aws:userid, anything', allow('*', { StringLike: { 'aws:userid': '*' } }), 1],
    ['a negated s3:DataAccessPointAccount', allow('*', { StringNotEquals: { 's3:DataAccessPointAccount': OWNER } }), 1],
  ])('%s', (_name, statement, expected) => {
    expect(publicCount(policy(statement))).toBe(expected);
  });
});
