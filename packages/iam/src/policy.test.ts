import { describe, expect, it } from 'vitest';
import { compilePolicy, describeStatement, statementCoversAction } from './policy.js';

const src = { type: 'identity' as const, name: 'p' };

describe('compilePolicy', () => {
  it.each([
    ['{"Version": "2012-10-17", "Statement": [', 'the document is not valid JSON'],
    [[], 'the document must be a JSON object'],
    [{ Version: '2012-10-17' }, 'the document has no Statement'],
    [{ Statement: [{ Effect: 'Permit', Action: '*', Resource: '*' }] }, 'Statement[0].Effect must be "Allow" or "Deny"'],
    [{ Statement: [{ Effect: 'Allow', Resource: '*' }] }, 'Statement[0] must have exactly one of Action and NotAction'],
    [{ Statement: [{ Effect: 'Allow', Action: 's3:*', NotAction: 's3:Get*', Resource: '*' }] }, 'Statement[0] must have exactly one of Action and NotAction'],
    [{ Statement: [{ Effect: 'Allow', Action: 's3:*' }] }, 'Statement[0] must have Resource or NotResource'],
    [{ Statement: [{ Effect: 'Allow', Action: 'DeleteObject', Resource: '*' }] }, 'Statement[0].Action "DeleteObject" is not of the form service:action'],
    [{ Statement: [{ Effect: 'Allow', Action: 7, Resource: '*' }] }, 'Statement[0].Action must be a string or a list of strings'],
    [{ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringMaybe: { k: 'v' } } }] }, 'Statement[0].Condition has unknown condition operator "StringMaybe"'],
    [{ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { k: { a: 1 } } } }] }, 'Statement[0].Condition.StringEquals.k must be a value or a list of values'],
    [{ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Principal: '*' }] }, 'Statement[0] must not have Principal in an identity policy'],
    [{ Statement: ['nope'] }, 'Statement[0] must be an object'],
  ])('rejects %j', (document, message) => {
    expect(compilePolicy(document as never, src)).toEqual({ error: message });
  });

  it('accepts a single statement object, numbers and booleans in conditions, and keeps Sid and index', () => {
    const r = compilePolicy(
      {
        Statement: {
          Sid: 'S1',
          Effect: 'Deny',
          NotAction: ['iam:*'],
          NotResource: 'arn:aws:s3:::x',
          Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': 3600 }, Bool: { 'aws:SecureTransport': false } },
        },
      },
      src,
    );
    expect(r.error).toBeUndefined();
    const st = r.policy!.statements[0]!;
    expect(st.ref).toEqual({ type: 'identity', name: 'p', effect: 'Deny', index: 0, sid: 'S1' });
    expect(st.conditions.map((c) => c.values)).toEqual([['3600'], ['false']]);
    expect(statementCoversAction(st, 's3:DeleteObject')).toBe(true);
    expect(statementCoversAction(st, 'IAM:CreateUser')).toBe(false);
    expect(describeStatement(st.ref)).toBe('identity policy p statement "S1"');
  });

  it('resource policies need a Principal; SCPs may omit Resource', () => {
    expect(compilePolicy({ Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }, { type: 'resource', name: 'bucket policy' }).error).toBe(
      'Statement[0] must have Principal or NotPrincipal',
    );
    expect(compilePolicy({ Statement: [{ Effect: 'Deny', Action: 's3:*' }] }, { type: 'scp', name: 'x' }).error).toBeUndefined();
    expect(compilePolicy({ Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*', Principal: { Martian: 'x' } }] }, { type: 'resource', name: 'b' }).error).toBe(
      'Statement[0].Principal has unknown principal type "Martian"',
    );
  });
});
