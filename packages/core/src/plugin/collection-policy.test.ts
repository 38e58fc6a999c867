import { describe, expect, it } from 'vitest';
import { collectionProblem, collectionVerdict, iamPrefixForClient, iamPrefixForServiceId } from './collection-policy.js';

describe('the collection allow-list', () => {
  it('derives IAM prefixes from SDK service ids and package names', () => {
    expect(iamPrefixForServiceId('Secrets Manager')).toBe('secretsmanager');
    expect(iamPrefixForServiceId('CloudWatch Logs')).toBe('logs');
    expect(iamPrefixForServiceId('Lambda')).toBe('lambda');
    expect(iamPrefixForServiceId('DynamoDB')).toBe('dynamodb');
    expect(iamPrefixForClient('secrets-manager')).toBe('secretsmanager');
    expect(iamPrefixForClient('cloudwatch-logs')).toBe('logs');
    expect(iamPrefixForClient('cloudtrail')).toBe('cloudtrail');
  });

  it('allows read-only metadata, asks for collection.allow otherwise, and refuses secret reads whatever the config', () => {
    expect(collectionVerdict('cloudtrail:ListTags')).toEqual({ kind: 'allowed', by: 'built-in' });
    expect(collectionVerdict('ec2:DescribeInstances')).toEqual({ kind: 'allowed', by: 'built-in' });
    expect(collectionVerdict('dynamodb:DescribeTable')).toEqual({ kind: 'needs-allow' });
    expect(collectionVerdict('dynamodb:DescribeTable', ['dynamodb:DescribeTable'])).toEqual({ kind: 'allowed', by: 'config' });
    for (const action of [
      'secretsmanager:GetSecretValue',
      'lambda:GetFunctionConfiguration',
      'ec2:DescribeLaunchTemplateVersions',
      'ec2:DescribeInstanceAttribute',
      'glue:GetConnections',
      'codeartifact:GetAuthorizationToken',
      'dynamodb:GetItem',
      'logs:GetLogEvents',
      'logs:FilterLogEvents',
      'redshift:GetClusterCredentialsWithIAM',
      's3:GetObjectTagging',
      'ssm:GetParametersByPath',
      'sts:GetSessionToken',
    ]) {
      expect(collectionVerdict(action, [action]).kind, action).toBe('refused');
    }
    expect(collectionProblem('kms:Decrypt', ['kms:Decrypt'])).toMatch(/collection\.allow cannot enable it/);
  });

  it('matches a glob within the action only: Describe* never reaches another service', () => {
    expect(collectionVerdict('cloudtrailx:DescribeTrails').kind).toBe('needs-allow');
    expect(collectionVerdict('config:DescribeConfigRules').kind).toBe('allowed');
  });
});
