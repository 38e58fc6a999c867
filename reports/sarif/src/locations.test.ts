import type { Finding } from '@trailwarden/core';
import { describe, expect, it } from 'vitest';
import { artifactUri } from './locations.js';

function finding(over: { name: string; type?: string; arn?: string; region?: string }): Finding {
  return {
    checkId: 'c',
    status: 'FAIL',
    severity: 'low',
    accountId: '123456789012',
    region: over.region ?? 'eu-west-1',
    resource: { arn: over.arn ?? `arn:aws:s3:::${over.name}`, type: over.type ?? 'AWS::S3::Bucket', name: over.name },
    message: 'm',
    evidence: {},
    frameworks: {},
    fingerprint: 'f',
  };
}

describe('artifactUri', () => {
  it('builds aws/<account>/<region>/<service>/<type>/<name>', () => {
    expect(artifactUri(finding({ name: 'logs' }))).toBe('aws/123456789012/eu-west-1/s3/bucket/logs');
  });

  it('keeps path navigation and separators inside one segment', () => {
    expect(artifactUri(finding({ name: '..' }))).toBe('aws/123456789012/eu-west-1/s3/bucket/%2E%2E');
    expect(artifactUri(finding({ name: '.' }))).toBe('aws/123456789012/eu-west-1/s3/bucket/%2E');
    expect(artifactUri(finding({ name: '../../etc/passwd' }))).toBe('aws/123456789012/eu-west-1/s3/bucket/..%2F..%2Fetc%2Fpasswd');
    expect(artifactUri(finding({ name: 'a b?#%' }))).toBe('aws/123456789012/eu-west-1/s3/bucket/a%20b%3F%23%25');
  });

  it('never starts with a scheme, even for an ARN-like or URL-like name', () => {
    for (const name of ['arn:aws:s3:::x', 'https://evil.example/', 'javascript:alert(1)']) {
      const uri = artifactUri(finding({ name }));
      expect(uri).not.toMatch(/^[a-z][a-z0-9+.-]*:/i);
      expect(uri.split('/')).toHaveLength(6);
    }
  });

  it('uses global for resources without a region and the ARN service for account resources', () => {
    expect(artifactUri(finding({ name: 'prod', type: 'AWS::::Account', arn: 'arn:aws:iam::123456789012:root', region: '' }))).toBe(
      'aws/123456789012/global/iam/account/prod',
    );
    expect(artifactUri(finding({ name: '', type: 'Custom-Type', arn: 'not-an-arn' }))).toBe('aws/123456789012/eu-west-1/aws/custom-type/_');
  });
});
