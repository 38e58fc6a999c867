import { connect } from 'node:net';
import {
  DeleteTrailCommand,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetInsightSelectorsCommand,
  GetTrailStatusCommand,
  ListTrailsCommand,
  PutEventSelectorsCommand,
  StopLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { CreateUserCommand, GetAccountAuthorizationDetailsCommand } from '@aws-sdk/client-iam';
import { DescribeKeyCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand, ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms';
import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  DetachPolicyCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListDelegatedAdministratorsCommand,
  ListOrganizationalUnitsForParentCommand,
  ListPoliciesCommand,
  ListRootsCommand,
  ListTargetsForPolicyCommand,
} from '@aws-sdk/client-organizations';
import {
  DeleteBucketPolicyCommand,
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
  PutBucketPolicyCommand,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand, PutPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clients, clientsAs, DEMO, errorOf, rawRequest } from './clients.test-util.js';
import { DEMO_WORLD_PATH, type SimServer, startSimulator } from './index.js';

let sim: SimServer;
beforeAll(async () => {
  sim = await startSimulator({ world: DEMO_WORLD_PATH });
});
afterAll(() => sim.stop());

const settle = (p: Promise<unknown>) => p.then(
  () => 'ok',
  (e: Error) => e.name,
);

describe('read-only guarantee', () => {
  it('a sweep of every read leaves the mutation counter at zero; each mutation is refused and counted', async () => {
    sim.resetCounters();
    const mgmt = clients(sim);
    const archive = await clientsAs(sim, DEMO.logArchive);
    const bucket = 'acme-org-cloudtrail-logs-318273645501';
    const key = 'arn:aws:kms:us-east-1:318273645501:key/7d3f6a9e-2b41-4c8e-9f15-0a6b2c4d8e11';
    const reads = [
      mgmt.cloudtrail.send(new DescribeTrailsCommand({})),
      mgmt.cloudtrail.send(new ListTrailsCommand({})),
      mgmt.cloudtrail.send(new GetTrailStatusCommand({ Name: DEMO.orgTrailArn })),
      mgmt.cloudtrail.send(new GetEventSelectorsCommand({ TrailName: DEMO.orgTrailArn })),
      mgmt.cloudtrail.send(new GetInsightSelectorsCommand({ TrailName: DEMO.orgTrailArn })),
      archive.s3.send(new ListBucketsCommand({})),
      archive.s3.send(new GetBucketLocationCommand({ Bucket: bucket })),
      archive.s3.send(new GetBucketPolicyCommand({ Bucket: bucket })),
      archive.s3.send(new GetBucketPolicyStatusCommand({ Bucket: bucket })),
      archive.s3.send(new GetBucketAclCommand({ Bucket: bucket })),
      archive.s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })),
      archive.s3.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket })),
      archive.s3.send(new GetObjectLockConfigurationCommand({ Bucket: bucket })),
      archive.s3.send(new GetBucketEncryptionCommand({ Bucket: bucket })),
      archive.s3.send(new GetBucketLoggingCommand({ Bucket: bucket })),
      archive.s3.send(new GetBucketVersioningCommand({ Bucket: bucket })),
      archive.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket })),
      archive.s3control.send(new GetAccountPublicAccessBlockCommand({ AccountId: DEMO.logArchive })),
      archive.kms.send(new DescribeKeyCommand({ KeyId: key })),
      archive.kms.send(new GetKeyPolicyCommand({ KeyId: key })),
      archive.kms.send(new GetKeyRotationStatusCommand({ KeyId: key })),
      mgmt.iam.send(new GetAccountAuthorizationDetailsCommand({})),
      mgmt.organizations.send(new DescribeOrganizationCommand({})),
      mgmt.organizations.send(new ListAccountsCommand({})),
      mgmt.organizations.send(new ListRootsCommand({})),
      mgmt.organizations.send(new ListOrganizationalUnitsForParentCommand({ ParentId: 'r-acm3' })),
      mgmt.organizations.send(new ListAccountsForParentCommand({ ParentId: 'r-acm3' })),
      mgmt.organizations.send(new ListPoliciesCommand({ Filter: 'SERVICE_CONTROL_POLICY' })),
      mgmt.organizations.send(new DescribePolicyCommand({ PolicyId: 'p-FullAWSAccess' })),
      mgmt.organizations.send(new ListTargetsForPolicyCommand({ PolicyId: 'p-FullAWSAccess' })),
      mgmt.organizations.send(new ListDelegatedAdministratorsCommand({})),
      mgmt.sts.send(new GetCallerIdentityCommand({})),
      mgmt.ec2.send(new DescribeRegionsCommand({ AllRegions: true })),
    ];
    expect(await Promise.all(reads.map(settle))).toEqual(reads.map(() => 'ok'));
    expect(sim.counters().mutations).toBe(0);
    // 33 reads plus the AssumeRole behind clientsAs.
    expect(sim.counters().total).toBe(34);

    const mutations = await Promise.all([
      errorOf(mgmt.cloudtrail.send(new StopLoggingCommand({ Name: 'acme-org-trail' }))),
      errorOf(mgmt.cloudtrail.send(new DeleteTrailCommand({ Name: 'acme-org-trail' }))),
      errorOf(mgmt.cloudtrail.send(new PutEventSelectorsCommand({ TrailName: 'acme-org-trail', EventSelectors: [] }))),
      errorOf(archive.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: '{}' }))),
      errorOf(archive.s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }))),
      errorOf(archive.s3control.send(new PutPublicAccessBlockCommand({ AccountId: DEMO.logArchive, PublicAccessBlockConfiguration: {} }))),
      errorOf(archive.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key }))),
      errorOf(mgmt.iam.send(new CreateUserCommand({ UserName: 'intruder' }))),
      errorOf(mgmt.organizations.send(new DetachPolicyCommand({ PolicyId: 'p-FullAWSAccess', TargetId: 'r-acm3' }))),
    ]);
    expect(mutations.map((e) => e.name)).toEqual([
      'AccessDeniedException',
      'AccessDeniedException',
      'AccessDeniedException',
      'AccessDenied',
      'AccessDenied',
      'AccessDenied',
      'AccessDeniedException',
      'AccessDenied',
      'AccessDeniedException',
    ]);
    const counters = sim.counters();
    expect(counters.mutations).toBe(9);
    expect(counters.byOperation['CloudTrail.StopLogging']).toBe(1);
    expect(counters.byOperation['S3.PutBucketPolicy']).toBe(1);
    expect(counters.byOperation['S3Control.PutPublicAccessBlock']).toBe(1);
    expect(counters.byAccount[DEMO.logArchive]).toBeGreaterThan(0);
    expect(counters.byRegion['us-east-1']).toBe(counters.total);
  });
});

const sign = (service: string, key = sim.callerCredentials.accessKeyId) =>
  `AWS4-HMAC-SHA256 Credential=${key}/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`;

describe('malformed requests get AWS error shapes', () => {
  it('awsJson: bad JSON, a non-object body, an unknown target, wrong parameter types', async () => {
    const json = (target: string, body: string) =>
      rawRequest(sim.url, '/', { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.1', authorization: sign('cloudtrail') }, 'POST', body);
    for (const [target, body, code] of [
      ['CloudTrail_20131101.DescribeTrails', '{not json', 'SerializationException'],
      ['CloudTrail_20131101.DescribeTrails', '[1,2]', 'SerializationException'],
      ['Nonsense_2020.DoThings', '{}', 'UnknownOperationException'],
      ['CloudTrail_20131101.GetTrailStatus', '{"Name": 42}', 'InvalidTrailNameException'],
      ['TrentService.DescribeKey', '{"KeyId": {"a": 1}}', 'ValidationException'],
      ['CloudTrail_20131101.GetQueryResults', '{}', 'UnknownOperationException'],
    ] as const) {
      const res = await json(target, body);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body).__type).toBe(code);
    }
  });

  it('awsQuery and ec2Query: a missing Action, no signature, an unknown key', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const noAction = await rawRequest(sim.url, '/', { ...form, authorization: sign('sts') }, 'POST', 'Version=2011-06-15');
    expect(noAction.status).toBe(400);
    expect(noAction.body).toMatch(/<ErrorResponse[^>]*><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code>/);
    const unsigned = await rawRequest(sim.url, '/', form, 'POST', 'Action=GetCallerIdentity&Version=2011-06-15');
    expect(unsigned.status).toBe(403);
    expect(unsigned.body).toContain('<Code>MissingAuthenticationToken</Code>');
    const unknownKey = await rawRequest(sim.url, '/', { ...form, authorization: sign('ec2', 'AKIANOBODY0000000000') }, 'POST', 'Action=DescribeRegions&Version=2016-11-15');
    expect(unknownKey.status).toBe(401);
    expect(unknownKey.body).toMatch(/<Response><Errors><Error><Code>AuthFailure<\/Code>/);
  });

  it('REST-XML: unknown verbs, object paths and a huge body', async () => {
    const patch = await rawRequest(sim.url, '/', { authorization: sign('s3') }, 'PATCH');
    expect(patch.status).toBe(405);
    expect(patch.body).toContain('<Error><Code>MethodNotAllowed</Code>');
    // GET/HEAD of objects are simulated now (delivered CloudTrail files); bucket tagging is not.
    const object = await rawRequest(sim.url, '/acme-sandbox-trail-logs?tagging', { authorization: sign('s3') });
    expect(object.status).toBe(501);
    expect(object.body).toContain('<Code>NotImplemented</Code>');
    const huge = await rawRequest(sim.url, '/', { 'x-amz-target': 'CloudTrail_20131101.DescribeTrails', authorization: sign('cloudtrail') }, 'POST', 'x'.repeat(5 * 1024 * 1024));
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.body).__type).toBe('RequestEntityTooLarge');
  });

  it('survives garbage on the socket and keeps serving', async () => {
    const port = Number(new URL(sim.url).port);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('HELLO THERE\r\n\r\n'));
      let data = '';
      socket.on('data', (d) => {
        data += d.toString();
      });
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect((await clients(sim).sts.send(new GetCallerIdentityCommand({}))).Account).toBe(DEMO.management);
  });

  it('answers 400 random, half-valid requests in an AWS error shape without falling over', async () => {
    let state = 12345;
    const rand = () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
    const targets = [undefined, 'CloudTrail_20131101.GetTrailStatus', 'TrentService.DescribeKey', 'AWSOrganizationsV20161128.ListAccounts', 'AWSOrganizationsV20161128.DescribePolicy', 'x', '.', 'CloudTrail_20131101.'];
    const paths = ['/', '/acme-sandbox-trail-logs', '/acme-sandbox-trail-logs?policy', '/%E0%A4%A', '/v20180820/configuration/publicAccessBlock', '/v20180820/', '/a/b/c?acl', '/?location', '/acme-web-trail-logs?lifecycle&versioning'];
    const bodies = ['', '{}', '{"Name":null}', '{"KeyId":"alias/"}', '{"ParentId":[]}', '{"PolicyId":"p-FullAWSAccess","MaxResults":0}', 'Action=AssumeRole&Version=2011-06-15&RoleArn=arn:aws:iam::1:role/x', 'Action=&Version=2010-05-08', 'Action=GetAccountAuthorizationDetails&Version=2010-05-08&MaxItems=abc', '\u0000\u0001', '<xml>'];
    const auths = [undefined, sign('cloudtrail'), sign('s3'), 'AWS4-HMAC-SHA256 Credential=/', 'garbage', sign('sts', 'ASIAEXPIREDSESSION00')];
    const types = [undefined, 'application/x-amz-json-1.1', 'application/x-www-form-urlencoded', 'text/plain'];
    for (let i = 0; i < 400; i++) {
      const headers: Record<string, string> = {};
      const target = pick(targets);
      if (target) headers['x-amz-target'] = target;
      const auth = pick(auths);
      if (auth) headers.authorization = auth;
      const type = pick(types);
      if (type) headers['content-type'] = type;
      if (rand() < 0.3) headers['x-amz-account-id'] = pick([DEMO.management, DEMO.web, 'nope']);
      const method = pick(['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH', 'OPTIONS']);
      const res = await rawRequest(sim.url, pick(paths), headers, method, method === 'GET' || method === 'HEAD' ? '' : pick(bodies));
      expect(res.status).toBeGreaterThanOrEqual(200);
      expect(res.status).toBeLessThan(600);
      if (res.status >= 400 && method !== 'HEAD') {
        const shaped = res.body.startsWith('{') ? typeof JSON.parse(res.body).__type === 'string' : /<Code>[A-Za-z]+<\/Code>/.test(res.body);
        expect(shaped, `${method} ${res.status} ${res.body.slice(0, 200)}`).toBe(true);
      }
    }
    expect((await clients(sim).sts.send(new GetCallerIdentityCommand({}))).Account).toBe(DEMO.management);
  });
});
