import {
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clients, clientsAs, DEMO, errorOf, rawRequest } from '../clients.test-util.js';
import { DEMO_WORLD_PATH, type SimServer, startSimulator } from '../index.js';

let sim: SimServer;
let archive: S3Client;
let web: S3Client;
let sandbox: S3Client;
const ORG_BUCKET = 'acme-org-cloudtrail-logs-318273645501';
const ACCESS_LOGS = 'acme-s3-access-logs-318273645501';

beforeAll(async () => {
  sim = await startSimulator({ world: DEMO_WORLD_PATH });
  archive = (await clientsAs(sim, DEMO.logArchive)).s3;
  web = (await clientsAs(sim, DEMO.web, 'us-west-2')).s3;
  sandbox = (await clientsAs(sim, DEMO.sandbox, 'us-west-2')).s3;
});
afterAll(() => sim.stop());

describe('S3 bucket configuration', () => {
  it('lists the buckets of the calling account, with their regions only when MaxBuckets is sent (as S3 does)', async () => {
    const legacy = await archive.send(new ListBucketsCommand({}));
    expect(legacy.Buckets?.map((b) => [b.Name, b.BucketRegion])).toEqual([
      [ORG_BUCKET, undefined],
      [ACCESS_LOGS, undefined],
    ]);
    expect(legacy.ContinuationToken).toBeUndefined();
    const out = await archive.send(new ListBucketsCommand({ MaxBuckets: 1000 }));
    expect(out.Buckets?.map((b) => [b.Name, b.BucketRegion])).toEqual([
      [ORG_BUCKET, 'us-east-1'],
      [ACCESS_LOGS, 'us-east-1'],
    ]);
    expect(out.Owner?.DisplayName).toBe('acme-log-archive');
    const paged = await archive.send(new ListBucketsCommand({ MaxBuckets: 1 }));
    expect(paged.Buckets?.map((b) => b.Name)).toEqual([ORG_BUCKET]);
    expect(paged.ContinuationToken).toBeTruthy();
    const rest = await archive.send(new ListBucketsCommand({ MaxBuckets: 1, ContinuationToken: paged.ContinuationToken }));
    expect(rest.Buckets?.map((b) => b.Name)).toEqual([ACCESS_LOGS]);
  });

  it('answers an empty LocationConstraint for us-east-1 and the region otherwise', async () => {
    expect((await archive.send(new GetBucketLocationCommand({ Bucket: ORG_BUCKET }))).LocationConstraint).toBeFalsy();
    expect((await web.send(new GetBucketLocationCommand({ Bucket: 'acme-web-trail-logs' }))).LocationConstraint).toBe('us-west-2');
  });

  it('reads every setting of a well-configured bucket', async () => {
    const policy = JSON.parse((await archive.send(new GetBucketPolicyCommand({ Bucket: ORG_BUCKET }))).Policy!);
    expect(policy.Statement[1].Sid).toBe('AWSCloudTrailWrite');
    expect((await archive.send(new GetBucketPolicyStatusCommand({ Bucket: ORG_BUCKET }))).PolicyStatus?.IsPublic).toBe(false);
    expect((await archive.send(new GetPublicAccessBlockCommand({ Bucket: ORG_BUCKET }))).PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    expect((await archive.send(new GetBucketOwnershipControlsCommand({ Bucket: ORG_BUCKET }))).OwnershipControls?.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
    expect((await archive.send(new GetObjectLockConfigurationCommand({ Bucket: ORG_BUCKET }))).ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } },
    });
    expect((await archive.send(new GetBucketEncryptionCommand({ Bucket: ORG_BUCKET }))).ServerSideEncryptionConfiguration?.Rules).toEqual([
      {
        ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'arn:aws:kms:us-east-1:318273645501:key/7d3f6a9e-2b41-4c8e-9f15-0a6b2c4d8e11' },
        BucketKeyEnabled: true,
      },
    ]);
    expect((await archive.send(new GetBucketLoggingCommand({ Bucket: ORG_BUCKET }))).LoggingEnabled).toEqual({ TargetBucket: ACCESS_LOGS, TargetPrefix: 'cloudtrail/' });
    expect(await archive.send(new GetBucketVersioningCommand({ Bucket: ORG_BUCKET }))).toMatchObject({ Status: 'Enabled', MFADelete: 'Disabled' });
    const lifecycle = await archive.send(new GetBucketLifecycleConfigurationCommand({ Bucket: ORG_BUCKET }));
    expect(lifecycle.Rules).toEqual([
      {
        ID: 'archive-then-expire',
        Filter: { Prefix: '' },
        Status: 'Enabled',
        Transitions: [{ Days: 90, StorageClass: 'GLACIER' }],
        Expiration: { Days: 2555 },
        NoncurrentVersionExpiration: { NoncurrentDays: 365 },
      },
    ]);
  });

  it('reports a public bucket policy and an AuthenticatedUsers ACL grant', async () => {
    expect((await sandbox.send(new GetBucketPolicyStatusCommand({ Bucket: 'acme-sandbox-trail-logs' }))).PolicyStatus?.IsPublic).toBe(true);
    const acl = await web.send(new GetBucketAclCommand({ Bucket: 'acme-web-trail-logs' }));
    expect(acl.Owner?.DisplayName).toBe('acme-prod-web');
    expect(acl.Grants).toEqual([
      { Grantee: { Type: 'CanonicalUser', ID: acl.Owner?.ID, DisplayName: 'acme-prod-web' }, Permission: 'FULL_CONTROL' },
      { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers' }, Permission: 'READ' },
    ]);
  });

  it("answers AWS's exact 'not configured' errors", async () => {
    // Thunks: a call starts only when awaited, so no rejection waits unhandled behind a slower one.
    const cases: [() => Promise<unknown>, string][] = [
      [() => archive.send(new GetBucketPolicyCommand({ Bucket: ACCESS_LOGS })), 'NoSuchBucketPolicy'],
      [() => archive.send(new GetBucketPolicyStatusCommand({ Bucket: ACCESS_LOGS })), 'NoSuchBucketPolicy'],
      [() => archive.send(new GetObjectLockConfigurationCommand({ Bucket: ACCESS_LOGS })), 'ObjectLockConfigurationNotFoundError'],
      [() => web.send(new GetPublicAccessBlockCommand({ Bucket: 'acme-web-trail-logs' })), 'NoSuchPublicAccessBlockConfiguration'],
      [() => web.send(new GetBucketLifecycleConfigurationCommand({ Bucket: 'acme-web-trail-logs' })), 'NoSuchLifecycleConfiguration'],
      [() => sandbox.send(new GetBucketEncryptionCommand({ Bucket: 'acme-sandbox-trail-logs' })), 'ServerSideEncryptionConfigurationNotFoundError'],
      [() => sandbox.send(new GetBucketOwnershipControlsCommand({ Bucket: 'acme-sandbox-trail-logs' })), 'OwnershipControlsNotFoundError'],
    ];
    for (const [call, code] of cases) expect(await errorOf(call())).toMatchObject({ name: code, status: 404 });
  });

  it('answers never-configured versioning and logging with empty documents', async () => {
    const versioning = await web.send(new GetBucketVersioningCommand({ Bucket: 'acme-web-trail-logs' }));
    expect(versioning.Status).toBeUndefined();
    expect((await web.send(new GetBucketLoggingCommand({ Bucket: 'acme-web-trail-logs' }))).LoggingEnabled).toBeUndefined();
  });

  it('refuses another account’s bucket and answers NoSuchBucket for an unknown one', async () => {
    const mgmt = clients(sim).s3;
    expect(await errorOf(mgmt.send(new GetBucketPolicyCommand({ Bucket: ORG_BUCKET })))).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(await errorOf(mgmt.send(new GetBucketVersioningCommand({ Bucket: 'no-such-bucket-here' })))).toMatchObject({ name: 'NoSuchBucket', status: 404 });
  });
});

describe('S3 Control account public access block', () => {
  it('reads the account setting, or NoSuchPublicAccessBlockConfiguration', async () => {
    const web = (await clientsAs(sim, DEMO.web)).s3control;
    expect((await web.send(new GetAccountPublicAccessBlockCommand({ AccountId: DEMO.web }))).PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: false,
      IgnorePublicAcls: false,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    const sandbox = (await clientsAs(sim, DEMO.sandbox)).s3control;
    expect(await errorOf(sandbox.send(new GetAccountPublicAccessBlockCommand({ AccountId: DEMO.sandbox })))).toMatchObject({
      name: 'NoSuchPublicAccessBlockConfiguration',
      status: 404,
    });
  });

  it('refuses another account id', async () => {
    const s3control = clients(sim).s3control;
    expect(await errorOf(s3control.send(new GetAccountPublicAccessBlockCommand({ AccountId: DEMO.web })))).toMatchObject({ name: 'AccessDenied', status: 403 });
  });

  it('accepts the account id as a host prefix too', async () => {
    // fetch() does not let a caller set Host, so this one goes through node:http.
    const res = await rawRequest(sim.url, '/v20180820/configuration/publicAccessBlock', {
      host: `${DEMO.management}.s3-control.us-east-1.amazonaws.com`,
      authorization: `AWS4-HMAC-SHA256 Credential=${sim.callerCredentials.accessKeyId}/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0`,
    });
    expect(res.status).toBe(200);
    expect(res.body).toContain('<BlockPublicAcls>true</BlockPublicAcls>');
  });
});
