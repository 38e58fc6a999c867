import type { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { ClientFactory, memoizeCredentials } from './clients.js';
import { RoleAssumer, roleArn } from './credentials.js';
import type { AccountSession } from './session.js';

/** A caller session whose AssumeRole answers are scripted. */
function fakeSession(expiresInMs: () => number) {
  const calls: { RoleArn: string; RoleSessionName: string; ExternalId?: string }[] = [];
  const session = {
    accountId: '111111111111',
    send: async (_service: string, _region: string, command: AssumeRoleCommand) => {
      calls.push(command.input as (typeof calls)[number]);
      return { Credentials: { AccessKeyId: `AK${calls.length}`, SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(Date.now() + expiresInMs()) } };
    },
  } as unknown as AccountSession;
  return { session, calls };
}

describe('RoleAssumer', () => {
  it('assumes <role> in the account with session name trailwarden and the external id', async () => {
    const { session, calls } = fakeSession(() => 3600_000);
    const assumer = new RoleAssumer(session, { partition: 'aws-us-gov', roleName: 'audit/Trailwarden', externalId: 'x-1', region: 'us-gov-west-1' });
    await assumer.credentials('222222222222');
    expect(calls).toEqual([{ RoleArn: 'arn:aws-us-gov:iam::222222222222:role/audit/Trailwarden', RoleSessionName: 'trailwarden', DurationSeconds: 3600, ExternalId: 'x-1' }]);
  });

  it('caches credentials, shares one call between concurrent askers, and refreshes before expiry', async () => {
    let lifetime = 3600_000;
    const { session, calls } = fakeSession(() => lifetime);
    const assumer = new RoleAssumer(session, { partition: 'aws', roleName: 'R', region: 'us-east-1' });
    const [a, b] = await Promise.all([assumer.credentials('222222222222'), assumer.credentials('222222222222')]);
    expect(a).toBe(b);
    expect(await assumer.credentials('222222222222')).toBe(a);
    expect(calls).toHaveLength(1);
    // Credentials that expire within the refresh margin are replaced before use.
    lifetime = 60_000;
    const other = await assumer.credentials('333333333333');
    expect(calls).toHaveLength(2);
    lifetime = 3600_000;
    const renewed = await assumer.credentials('333333333333');
    expect(renewed).not.toBe(other);
    expect(calls).toHaveLength(3);
  });

  it('does not cache a failed assumption', async () => {
    let fail = true;
    const session = {
      accountId: '111111111111',
      send: async () => {
        if (fail) throw Object.assign(new Error('denied'), { name: 'AccessDenied' });
        return { Credentials: { AccessKeyId: 'AK', SecretAccessKey: 's', Expiration: new Date(Date.now() + 3600_000) } };
      },
    } as unknown as AccountSession;
    const assumer = new RoleAssumer(session, { partition: 'aws', roleName: 'R', region: 'us-east-1' });
    await expect(assumer.credentials('222222222222')).rejects.toThrow('denied');
    fail = false;
    await expect(assumer.credentials('222222222222')).resolves.toMatchObject({ accessKeyId: 'AK' });
  });

  it('roleArn strips a leading slash of a path', () => {
    expect(roleArn('aws', '123456789012', '/ops/Audit')).toBe('arn:aws:iam::123456789012:role/ops/Audit');
  });
});

describe('memoizeCredentials and shared clients', () => {
  it('resolves a provider once while the credentials are fresh', async () => {
    let n = 0;
    const provider = memoizeCredentials(async () => ({ accessKeyId: `AK${++n}`, secretAccessKey: 's', expiration: new Date(Date.now() + 3600_000) }));
    await provider();
    await provider();
    expect(n).toBe(1);
  });

  it('builds one shared client per service and region (each request carries its session’s credentials; see collect.test.ts)', async () => {
    const factory = new ClientFactory('http://127.0.0.1:9');
    try {
      const first = factory.get('sts', 'us-east-1');
      expect(factory.get('sts', 'us-east-1')).toBe(first);
      expect(factory.get('sts', 'eu-west-1')).not.toBe(first);
    } finally {
      factory.close();
    }
  });
});
