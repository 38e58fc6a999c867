// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are written ${key}, not JS templates
import { describe, expect, it } from 'vitest';
import { evaluateCondition, substituteVariables } from './conditions.js';
import { RequestContext } from './context.js';
import { ipInCidr } from './ip.js';
import { type CompiledCondition, parseOperator } from './policy.js';
import { arnMatches, matchesWildcard } from './wildcard.js';

function cond(operator: string, key: string, values: string[]): CompiledCondition {
  const parsed = parseOperator(operator);
  if (!parsed) throw new Error(`bad operator ${operator}`);
  return { operator, ...parsed, key, values };
}

const ctx = new RequestContext()
  .set('aws:PrincipalArn', 'arn:aws:iam::222222222222:role/BreakGlass')
  .set('aws:username', 'alice')
  .set('aws:PrincipalTag/team', 'security')
  .set('aws:SecureTransport', 'true')
  .set('aws:SourceIp', '10.1.2.3')
  .set('aws:CurrentTime', '2026-03-01T12:00:00Z')
  .set('aws:EpochTime', '1772366400')
  .set('aws:MultiFactorAuthAge', '300')
  .set('aws:TagKeys', ['env', 'team'])
  .set('aws:SourceVpc', null)
  .closePrefix('aws:PrincipalTag/');

// [operator, key, values, expected]
const table: [string, string, string[], boolean | 'undecided'][] = [
  ['StringEquals', 'aws:username', ['alice'], true],
  ['StringEquals', 'aws:username', ['Alice'], false],
  ['StringEquals', 'aws:username', ['bob', 'alice'], true],
  ['StringNotEquals', 'aws:username', ['bob'], true],
  ['StringNotEquals', 'aws:username', ['bob', 'alice'], false],
  ['StringEqualsIgnoreCase', 'aws:username', ['ALICE'], true],
  ['StringNotEqualsIgnoreCase', 'aws:username', ['ALICE'], false],
  ['StringLike', 'aws:username', ['al*'], true],
  ['StringLike', 'aws:username', ['al?ce'], true],
  ['StringLike', 'aws:username', ['al?'], false],
  ['StringNotLike', 'aws:PrincipalArn', ['arn:aws:iam::*:role/BreakGlass'], false],
  ['StringNotLike', 'aws:PrincipalArn', ['arn:aws:iam::*:role/Other'], true],
  ['ArnLike', 'aws:PrincipalArn', ['arn:aws:iam::*:role/Break*'], true],
  ['ArnEquals', 'aws:PrincipalArn', ['arn:aws:iam::222222222222:role/BreakGlass'], true],
  ['ArnNotEquals', 'aws:PrincipalArn', ['arn:aws:iam::222222222222:role/BreakGlass'], false],
  ['ArnNotLike', 'aws:PrincipalArn', ['arn:aws:iam::*:user/*'], true],
  ['Bool', 'aws:SecureTransport', ['true'], true],
  ['Bool', 'aws:SecureTransport', ['false'], false],
  ['Null', 'aws:SourceVpc', ['true'], true],
  ['Null', 'aws:SourceVpc', ['false'], false],
  ['Null', 'aws:username', ['false'], true],
  ['Null', 'aws:PrincipalTag/missing', ['true'], true],
  ['NumericLessThan', 'aws:MultiFactorAuthAge', ['3600'], true],
  ['NumericGreaterThan', 'aws:MultiFactorAuthAge', ['3600'], false],
  ['NumericEquals', 'aws:MultiFactorAuthAge', ['300'], true],
  ['NumericNotEquals', 'aws:MultiFactorAuthAge', ['300'], false],
  ['NumericLessThanEquals', 'aws:MultiFactorAuthAge', ['300'], true],
  ['NumericGreaterThanEquals', 'aws:MultiFactorAuthAge', ['301'], false],
  ['NumericEquals', 'aws:MultiFactorAuthAge', ['not-a-number'], false],
  ['DateGreaterThan', 'aws:CurrentTime', ['2026-01-01T00:00:00Z'], true],
  ['DateLessThan', 'aws:CurrentTime', ['2026-01-01T00:00:00Z'], false],
  ['DateEquals', 'aws:EpochTime', ['2026-03-01T12:00:00Z'], true],
  ['DateLessThanEquals', 'aws:CurrentTime', ['1772366400'], true],
  ['IpAddress', 'aws:SourceIp', ['10.0.0.0/8'], true],
  ['IpAddress', 'aws:SourceIp', ['192.168.0.0/16'], false],
  ['NotIpAddress', 'aws:SourceIp', ['192.168.0.0/16'], true],
  ['IpAddress', 'aws:SourceIp', ['0.0.0.0/0'], true],
  // ...IfExists: true when the key is absent, otherwise the plain operator.
  ['StringEqualsIfExists', 'aws:SourceVpc', ['vpc-1'], true],
  ['StringEqualsIfExists', 'aws:username', ['bob'], false],
  // Absent keys: positive operators false, negated ones true.
  ['StringEquals', 'aws:SourceVpc', ['vpc-1'], false],
  ['StringNotEquals', 'aws:SourceVpc', ['vpc-1'], true],
  ['StringEquals', 'aws:PrincipalTag/missing', ['x'], false],
  ['StringNotEquals', 'aws:PrincipalTag/missing', ['x'], true],
  // Set operators over multi-valued keys.
  ['ForAnyValue:StringEquals', 'aws:TagKeys', ['team'], true],
  ['ForAnyValue:StringEquals', 'aws:TagKeys', ['owner'], false],
  ['ForAllValues:StringEquals', 'aws:TagKeys', ['env', 'team', 'owner'], true],
  ['ForAllValues:StringEquals', 'aws:TagKeys', ['env'], false],
  ['ForAllValues:StringEquals', 'aws:SourceVpc', ['x'], true],
  ['ForAnyValue:StringEquals', 'aws:SourceVpc', ['x'], false],
  ['ForAllValues:StringNotEquals', 'aws:TagKeys', ['owner'], true],
  ['ForAnyValue:StringNotLike', 'aws:TagKeys', ['env'], true],
  // Policy variables in condition values.
  ['StringEquals', 'aws:PrincipalTag/team', ['${aws:PrincipalTag/team}'], true],
  ['StringLike', 'aws:PrincipalArn', ['arn:aws:iam::*:role/${aws:username}'], false],
  ['StringEquals', 'aws:username', ["${aws:PrincipalTag/nope, 'alice'}"], true],
  ['StringEquals', 'aws:username', ['${aws:PrincipalTag/nope}'], false],
  // Unknown keys are undecided, never true or false.
  ['Bool', 'aws:MultiFactorAuthPresent', ['true'], 'undecided'],
  ['BoolIfExists', 'aws:MultiFactorAuthPresent', ['false'], 'undecided'],
  ['Null', 'aws:MultiFactorAuthPresent', ['true'], 'undecided'],
  ['IpAddress', 'aws:VpcSourceIp', ['0.0.0.0/0'], 'undecided'],
  ['StringEquals', 'aws:username', ['${aws:SourceVpce}'], 'undecided'],
  ['StringEquals', 'aws:ResourceTag/env', ['prod'], 'undecided'],
];

describe('condition operators', () => {
  it.each(table)('%s %s %j → %s', (operator, key, values, expected) => {
    const r = evaluateCondition(cond(operator, key, values), ctx);
    if (expected === 'undecided') {
      expect(Array.isArray(r)).toBe(true);
      expect(r).toEqual([{ operator, key, values }]);
    } else expect(r).toBe(expected);
  });

  it('operator names are case-insensitive and reject unknown ones', () => {
    expect(parseOperator('stringequals')?.base).toBe('StringEquals');
    expect(parseOperator('ForAnyValue:StringLikeIfExists')).toEqual({ base: 'StringLike', ifExists: true, set: 'ForAnyValue' });
    expect(parseOperator('StringSortOf')).toBeUndefined();
    expect(parseOperator('NullIfExists')).toBeUndefined();
    expect(parseOperator('Maybe:StringEquals')).toBeUndefined();
  });
});

describe('policy variables', () => {
  it.each([
    ['home/${aws:username}/*', 'home/alice/*'],
    ['${*}${?}${$}', '*?$'],
    ["${aws:PrincipalTag/none, 'dflt'}", 'dflt'],
    ['${aws:PrincipalTag/none}', null],
    ['${aws:SourceIp}', '10.1.2.3'],
    ['${aws:MultiFactorAuthPresent}', undefined],
  ])('%s → %s', (text, expected) => {
    expect(substituteVariables(text, ctx)).toBe(expected);
  });

  // Names of Object.prototype members are variables like any other: unknown here, never the text
  // of a function or "[object Object]" (issue 12 item 11).
  it.each(['${constructor}', '${__proto__}', '${toString}', '${hasOwnProperty}', 'home/${valueOf}/*', "${constructor, 'x'}"])(
    '%s is unknown',
    (text) => {
      expect(substituteVariables(text, ctx)).toBeUndefined();
    },
  );

  it('a condition naming ${constructor} stays undecided, never matches a function text', () => {
    const r = evaluateCondition(cond('StringLike', 'aws:username', ['${constructor}*']), ctx);
    expect(r).toEqual([{ operator: 'StringLike', key: 'aws:username', values: ['${constructor}*'] }]);
  });
});

describe('wildcards', () => {
  it.each([
    ['s3:Delete*', 's3:DeleteObject', true, true],
    ['s3:delete*', 's3:DeleteObject', true, true],
    ['s3:Delete?bject', 's3:DeleteObject', true, true],
    ['s3:Get*', 's3:DeleteObject', true, false],
    ['*', 'kms:PutKeyPolicy', true, true],
    ['arn:aws:s3:::logs/*', 'arn:aws:s3:::logs/AWSLogs/x', false, true],
    ['arn:aws:s3:::Logs/*', 'arn:aws:s3:::logs/AWSLogs/x', false, false],
    ['arn:aws:s3:::logs', 'arn:aws:s3:::logs/a', false, false],
    ['arn:aws:s3:::log?', 'arn:aws:s3:::logs', false, true],
    ['a.b+c(d)', 'a.b+c(d)', false, true],
    ['a.b', 'axb', false, false],
  ])('%s vs %s', (pattern, value, ignoreCase, expected) => {
    expect(matchesWildcard(pattern, value, ignoreCase)).toBe(expected);
  });

  it('ARN patterns may run across segments with a trailing *', () => {
    expect(arnMatches('arn:aws:cloudtrail:*', 'arn:aws:cloudtrail:us-east-1:222222222222:trail/t')).toBe(true);
    expect(arnMatches('arn:aws:cloudtrail:*:*:trail/*', 'arn:aws:cloudtrail:us-east-1:222222222222:trail/t')).toBe(true);
    expect(arnMatches('arn:aws:cloudtrail:*:111111111111:trail/*', 'arn:aws:cloudtrail:us-east-1:222222222222:trail/t')).toBe(false);
  });
});

describe('CIDR', () => {
  it.each([
    ['10.1.2.3', '10.0.0.0/8', true],
    ['10.1.2.3', '10.1.2.3', true],
    ['10.1.2.3', '10.1.2.4/32', false],
    ['11.0.0.1', '10.0.0.0/8', false],
    ['2001:db8::1', '2001:db8::/32', true],
    ['2001:db9::1', '2001:db8::/32', false],
    ['10.1.2.3', '::/0', false],
    ['300.1.2.3', '0.0.0.0/0', false],
    ['10.1.2.3', '10.0.0.0/33', false],
  ])('%s in %s', (ip, cidr, expected) => {
    expect(ipInCidr(ip, cidr)).toBe(expected);
  });
});
