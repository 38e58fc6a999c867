/** Partitions and credential expiry, through the real SDK v3 clients (issue #13 items 10, 14, 15). */
import { DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it } from 'vitest';
import { clients, errorOf } from './clients.test-util.js';
import { type SimServer, startSimulator, type World } from './index.js';

const ACCOUNT = '210000000001';
const MEMBER = '210000000002';
const trusting = (partition: string) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:${partition}:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }],
});
const world = (partition: string, regions: string[]): World => ({
  partition,
  regions,
  accounts: [
    { id: ACCOUNT, name: 'main', iam: { users: [{ name: 'admin' }] } },
    { id: MEMBER, name: 'member', iam: { roles: [{ name: 'Audit', trustPolicy: trusting(partition) }] } },
  ],
});

let sim: SimServer | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

describe('partitions', () => {
  it('DescribeRegions lists only the caller’s partition, with its endpoints; another partition’s region is invalid', async () => {
    sim = await startSimulator({ world: world('aws-cn', ['cn-north-1', 'cn-northwest-1', 'us-east-1', 'us-gov-west-1']) });
    const ec2 = clients(sim, { region: 'cn-north-1' }).ec2;
    const out = await ec2.send(new DescribeRegionsCommand({ AllRegions: true }));
    expect(out.Regions?.map((r) => [r.RegionName, r.Endpoint])).toEqual([
      ['cn-north-1', 'ec2.cn-north-1.amazonaws.com.cn'],
      ['cn-northwest-1', 'ec2.cn-northwest-1.amazonaws.com.cn'],
    ]);
    expect(await errorOf(ec2.send(new DescribeRegionsCommand({ RegionNames: ['us-east-1'] })))).toMatchObject({ name: 'InvalidParameterValue', message: 'Invalid region: us-east-1' });
  });

  it('credentials work only in their own partition: GovCloud keys signed for us-east-1 are unknown', async () => {
    sim = await startSimulator({ world: world('aws-us-gov', ['us-gov-west-1', 'us-gov-east-1', 'us-east-1']) });
    const gov = clients(sim, { region: 'us-gov-west-1' });
    expect((await gov.sts.send(new GetCallerIdentityCommand({}))).Arn).toBe(`arn:aws-us-gov:iam::${ACCOUNT}:user/admin`);
    const commercial = clients(sim, { region: 'us-east-1' });
    expect(await errorOf(commercial.sts.send(new GetCallerIdentityCommand({})))).toMatchObject({ name: 'InvalidClientTokenId', status: 403 });
    expect(await errorOf(commercial.s3.send(new ListBucketsCommand({})))).toMatchObject({ name: 'InvalidAccessKeyId', status: 403 });
    expect(await errorOf(commercial.ec2.send(new DescribeRegionsCommand({})))).toMatchObject({ name: 'AuthFailure' });
  });

  it('a world refuses a trail in another partition’s region', async () => {
    const w = world('aws-us-gov', ['us-gov-west-1', 'us-east-1']);
    w.accounts[0]!.trails = [{ name: 'main-trail', homeRegion: 'us-east-1', bucket: 'main-trail-logs' }];
    await expect(startSimulator({ world: w })).rejects.toThrow(/accounts\[0\]\.trails\[0\]\.homeRegion: region us-east-1 is in partition aws, not the world's partition aws-us-gov/);
  });
});

describe('credentials that expire', () => {
  it('after N calls the caller’s session credentials answer each protocol’s expired-token error; role sessions issued before live on', async () => {
    sim = await startSimulator({ world: world('aws', ['us-east-1']), inject: { expireCallerCredentials: { afterCalls: 2 } } });
    expect(sim.callerCredentials.sessionToken).toBeTruthy();
    const c = clients(sim);
    await c.sts.send(new GetCallerIdentityCommand({}));
    const role = (await c.sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MEMBER}:role/Audit`, RoleSessionName: 'trailwarden' }))).Credentials!;
    expect(await errorOf(c.sts.send(new GetCallerIdentityCommand({})))).toEqual({ name: 'ExpiredToken', message: 'The security token included in the request is expired', status: 403 });
    expect(await errorOf(c.cloudtrail.send(new DescribeTrailsCommand({})))).toMatchObject({ name: 'ExpiredTokenException', status: 403 });
    expect(await errorOf(c.ec2.send(new DescribeRegionsCommand({})))).toMatchObject({ name: 'RequestExpired', message: 'Request has expired.', status: 400 });
    expect(await errorOf(c.s3.send(new ListBucketsCommand({})))).toMatchObject({ name: 'ExpiredToken', message: 'The provided token has expired.', status: 400 });
    const member = clients(sim, { credentials: { accessKeyId: role.AccessKeyId!, secretAccessKey: role.SecretAccessKey!, sessionToken: role.SessionToken! } });
    expect((await member.sts.send(new GetCallerIdentityCommand({}))).Account).toBe(MEMBER);
  });

  it('after N seconds, and role sessions after their own call budget', async () => {
    sim = await startSimulator({ world: world('aws', ['us-east-1']), inject: { expireCallerCredentials: { afterSeconds: 1 }, expireRoleSessions: { afterCalls: 1 } } });
    const c = clients(sim);
    const role = (await c.sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MEMBER}:role/Audit`, RoleSessionName: 'trailwarden' }))).Credentials!;
    const member = clients(sim, { credentials: { accessKeyId: role.AccessKeyId!, secretAccessKey: role.SecretAccessKey!, sessionToken: role.SessionToken! } });
    await member.sts.send(new GetCallerIdentityCommand({}));
    expect(await errorOf(member.cloudtrail.send(new DescribeTrailsCommand({})))).toMatchObject({ name: 'ExpiredTokenException' });
    await new Promise((r) => setTimeout(r, 1100));
    expect(await errorOf(c.sts.send(new GetCallerIdentityCommand({})))).toMatchObject({ name: 'ExpiredToken' });
  });
});
