import { DescribeTrailsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { GetAccountAuthorizationDetailsCommand } from '@aws-sdk/client-iam';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { ListAccountsCommand } from '@aws-sdk/client-organizations';
import { GetBucketVersioningCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { clients, DEMO, errorOf } from './clients.test-util.js';
import { DEMO_WORLD_PATH, type InjectionOptions, startSimulator } from './index.js';
import { Injector } from './inject.js';
import { SERVICES } from './protocol/services.js';

async function withSim<T>(inject: InjectionOptions, fn: (sim: Awaited<ReturnType<typeof startSimulator>>) => Promise<T>, seed = 7): Promise<T> {
  const sim = await startSimulator({ world: DEMO_WORLD_PATH, inject, seed });
  try {
    return await fn(sim);
  } finally {
    await sim.stop();
  }
}

describe('throttling', () => {
  it("answers each service's own throttling error, and the SDK's retries get through", async () => {
    await withSim({ throttleRate: 0.3 }, async (sim) => {
      const c = clients(sim, { maxAttempts: 12 });
      const calls = Array.from({ length: 3 }, () => [
        c.cloudtrail.send(new DescribeTrailsCommand({})),
        c.s3.send(new ListBucketsCommand({})),
        c.kms.send(new DescribeKeyCommand({ KeyId: 'arn:aws:kms:us-east-1:318273645501:key/7d3f6a9e-2b41-4c8e-9f15-0a6b2c4d8e11' })),
        c.iam.send(new GetAccountAuthorizationDetailsCommand({})),
        c.organizations.send(new ListAccountsCommand({})),
        c.sts.send(new GetCallerIdentityCommand({})),
        c.ec2.send(new DescribeRegionsCommand({})),
      ]).flat();
      const results = await Promise.all(calls);
      expect(results).toHaveLength(21);
      const counters = sim.counters();
      expect(counters.throttled).toBeGreaterThan(0);
      expect(counters.total).toBe(21 + counters.throttled);
    });
  });

  it('throttles with the error codes AWS uses, seen without retries', async () => {
    await withSim({ throttleRate: 1 }, async (sim) => {
      const c = clients(sim);
      const seen = await Promise.all([
        errorOf(c.cloudtrail.send(new DescribeTrailsCommand({}))),
        errorOf(c.s3.send(new ListBucketsCommand({}))),
        errorOf(c.kms.send(new DescribeKeyCommand({ KeyId: 'alias/x' }))),
        errorOf(c.iam.send(new GetAccountAuthorizationDetailsCommand({}))),
        errorOf(c.organizations.send(new ListAccountsCommand({}))),
        errorOf(c.sts.send(new GetCallerIdentityCommand({}))),
        errorOf(c.ec2.send(new DescribeRegionsCommand({}))),
      ]);
      expect(seen.map((e) => [e.name, e.status])).toEqual([
        ['ThrottlingException', 400],
        ['SlowDown', 503],
        ['ThrottlingException', 400],
        ['Throttling', 400],
        ['TooManyRequestsException', 400],
        ['Throttling', 400],
        ['RequestLimitExceeded', 503],
      ]);
    });
  });

  it('enforces per-(account, region, service) token-bucket quotas', async () => {
    await withSim({ quotas: { cloudtrail: 1 } }, async (sim) => {
      const east = clients(sim).cloudtrail;
      const west = clients(sim, { region: 'us-west-2' }).cloudtrail;
      const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => east.send(new DescribeTrailsCommand({}))));
      const rejected = outcomes.filter((o) => o.status === 'rejected');
      expect(rejected.length).toBeGreaterThanOrEqual(5);
      expect((rejected[0] as PromiseRejectedResult).reason.name).toBe('ThrottlingException');
      // Another region has its own bucket; S3 has its own service quota.
      await west.send(new DescribeTrailsCommand({}));
      await clients(sim).s3.send(new ListBucketsCommand({}));
      expect(sim.counters().throttled).toBe(rejected.length);
    });
  });

  it("applies AWS's default rates with quotas: true", async () => {
    await withSim({ quotas: true }, async (sim) => {
      const east = clients(sim).cloudtrail;
      // CloudTrail's bucket holds 10 and refills 10/s: 40 calls at once cannot all pass.
      const outcomes = await Promise.allSettled(Array.from({ length: 40 }, () => east.send(new DescribeTrailsCommand({}))));
      expect(outcomes.filter((o) => o.status === 'rejected').length).toBeGreaterThanOrEqual(15);
    });
  });
});

describe('faults, timeouts and access denied', () => {
  it('injects 500/503 faults that the SDK retries', async () => {
    await withSim({ faultRate: 0.4 }, async (sim) => {
      const ct = clients(sim, { maxAttempts: 12 }).cloudtrail;
      await Promise.all(Array.from({ length: 10 }, () => ct.send(new DescribeTrailsCommand({}))));
      const c = sim.counters();
      expect(c.faults).toBeGreaterThan(0);
      expect(c.total).toBe(10 + c.faults);
    });
    await withSim({ faultRate: 1 }, async (sim) => {
      const err = await errorOf(clients(sim).cloudtrail.send(new DescribeTrailsCommand({})));
      expect(['InternalError', 'ServiceUnavailable']).toContain(err.name);
      expect([500, 503]).toContain(err.status);
    });
  });

  it('holds responses to trigger client timeouts', async () => {
    await withSim({ timeouts: { rate: 1, ms: 400 } }, async (sim) => {
      const ct = clients(sim).cloudtrail;
      const err = await errorOf(ct.send(new DescribeTrailsCommand({}), { abortSignal: AbortSignal.timeout(100) }));
      expect(err.name).toBe('AbortError');
      const started = Date.now();
      await clients(sim).cloudtrail.send(new DescribeTrailsCommand({}));
      expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    });
  });

  it('denies chosen operations, accounts and regions', async () => {
    await withSim({ accessDenied: [{ operation: 'GetTrailStatus', accountId: DEMO.management }, { operation: 'S3.GetBucketVersioning' }, { region: 'eu-west-1' }] }, async (sim) => {
      const c = clients(sim);
      expect(await errorOf(c.cloudtrail.send(new GetTrailStatusCommand({ Name: 'acme-org-trail' })))).toMatchObject({ name: 'AccessDeniedException' });
      await c.cloudtrail.send(new DescribeTrailsCommand({}));
      expect(await errorOf(c.s3.send(new GetBucketVersioningCommand({ Bucket: 'anything' })))).toMatchObject({ name: 'AccessDenied', status: 403 });
      const eu = clients(sim, { region: 'eu-west-1' });
      expect(await errorOf(eu.ec2.send(new DescribeRegionsCommand({})))).toMatchObject({ name: 'UnauthorizedOperation' });
      expect(sim.counters().accessDenied).toBe(3);
    });
  });
});

describe('determinism', () => {
  async function outcomes(seed: number): Promise<string[]> {
    return withSim(
      { throttleRate: 0.5, faultRate: 0.2 },
      async (sim) => {
        const ct = clients(sim).cloudtrail;
        const out: string[] = [];
        for (let i = 0; i < 16; i++) out.push(await ct.send(new DescribeTrailsCommand({})).then(() => 'ok', (e: Error) => e.name));
        return out;
      },
      seed,
    );
  }

  it('replays the same injected outcomes for the same seed, and others for another', async () => {
    const a = await outcomes(42);
    expect(await outcomes(42)).toEqual(a);
    expect(await outcomes(43)).not.toEqual(a);
  });

  it('samples log-normal latency with the requested median and tail', () => {
    const key = { service: SERVICES.cloudtrail, operation: 'DescribeTrails', accountId: '111111111111', region: 'us-east-1' };
    const sample = (seed: number) => {
      const injector = new Injector({ latency: { medianMs: 20, p99Ms: 200 } }, seed);
      return Array.from({ length: 4000 }, () => injector.delayMs(injector.next(key))).sort((x, y) => x - y);
    };
    const s = sample(1);
    expect(s[2000]).toBeGreaterThan(17);
    expect(s[2000]).toBeLessThan(23);
    expect(s[3960]).toBeGreaterThan(150);
    expect(s[3960]).toBeLessThan(260);
    expect(sample(1)).toEqual(s);
    expect(sample(2)).not.toEqual(s);
  });
});
