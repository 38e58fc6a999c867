import { describe, expect, it } from 'vitest';
import { classifyError } from '../errors.js';
import { Caller } from './caller.js';
import { Metrics } from './metrics.js';
import { PACE_FRACTION, paceFor, QUOTAS } from './quotas.js';
import { TokenBucket } from './token-bucket.js';

function err(name: string, status: number, extra: object = {}) {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status }, ...extra });
}

describe('classifyError', () => {
  it('tells throttling, transient and final errors apart', () => {
    expect(classifyError(err('ThrottlingException', 400))).toBe('throttle');
    expect(classifyError(err('Throttling', 400))).toBe('throttle');
    expect(classifyError(err('TooManyRequestsException', 400))).toBe('throttle');
    expect(classifyError(err('RequestLimitExceeded', 503))).toBe('throttle');
    expect(classifyError(err('SlowDown', 503))).toBe('throttle');
    expect(classifyError(err('Whatever', 429))).toBe('throttle');
    expect(classifyError(err('InternalError', 500))).toBe('transient');
    expect(classifyError(err('ServiceUnavailable', 503))).toBe('transient');
    expect(classifyError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe('transient');
    expect(classifyError(err('AccessDenied', 403))).toBe('final');
    expect(classifyError(err('AccessDeniedException', 400))).toBe('final');
    expect(classifyError(err('OptInRequired', 401))).toBe('final');
    expect(classifyError(err('UnrecognizedClientException', 400))).toBe('final');
    expect(classifyError(err('NoSuchBucketPolicy', 404))).toBe('final');
    // AccessDenied is final even when a proxy dresses it as a 5xx.
    expect(classifyError(err('AccessDenied', 503))).toBe('final');
  });
});

describe('quotas', () => {
  it('paces every service at 80 % of its quota at most', () => {
    expect(PACE_FRACTION).toBeLessThanOrEqual(0.8);
    for (const service of Object.keys(QUOTAS) as (keyof typeof QUOTAS)[]) {
      expect(paceFor(service).rate).toBeLessThanOrEqual(QUOTAS[service].rps * 0.8);
    }
    expect(paceFor('cloudtrail').rate).toBe(8);
  });
});

describe('TokenBucket', () => {
  it('admits a burst, then one token per 1/rate seconds', async () => {
    let t = 0;
    const bucket = new TokenBucket(10, 2, () => t);
    await bucket.take();
    await bucket.take();
    let third = false;
    const p = bucket.take().then(() => (third = true));
    await new Promise((r) => setTimeout(r, 5));
    expect(third).toBe(false);
    t = 100; // 100 ms at 10/s = one token
    await p;
    expect(third).toBe(true);
  });

  it('slows down on throttling and recovers on success, within bounds', () => {
    const bucket = new TokenBucket(8, 8, () => 0);
    bucket.throttled();
    expect(bucket.currentRate).toBeCloseTo(7.2);
    for (let i = 0; i < 20; i++) bucket.throttled();
    expect(bucket.currentRate).toBe(2);
    for (let i = 0; i < 100; i++) bucket.succeeded();
    expect(bucket.currentRate).toBe(8);
  });
});

describe('Caller', () => {
  const target = { accountId: '111111111111', region: 'us-east-1', service: 'cloudtrail' as const };
  class GetThingCommand {
    constructor(readonly input: object = {}) {}
  }

  it('retries throttles with capped exponential backoff and full jitter, then succeeds', async () => {
    const metrics = new Metrics();
    const sleeps: number[] = [];
    const caller = new Caller({ metrics, random: () => 1, sleep: async (ms) => void sleeps.push(ms), baseDelayMs: 100 });
    let n = 0;
    const client = {
      send: async () => {
        n += 1;
        if (n <= 3) throw err('ThrottlingException', 400);
        return 'ok';
      },
    };
    expect(await caller.send(target, client, new GetThingCommand())).toBe('ok');
    expect(sleeps).toEqual([200, 400, 800]);
    expect(metrics).toMatchObject({ calls: 4, throttles: 3, retries: 3 });
    expect(caller.rateOf(target)).toBeLessThan(8);
  });

  it('sends a fresh copy of the command on each retry (some SDK commands cannot be sent twice)', async () => {
    const caller = new Caller({ metrics: new Metrics(), sleep: async () => {} });
    const sent: GetThingCommand[] = [];
    const client = {
      send: async (c: GetThingCommand) => {
        sent.push(c);
        if (sent.length === 1) throw err('InternalError', 500);
        return 'ok';
      },
    };
    const command = new GetThingCommand({ Name: 'x' });
    await caller.send(target, client, command);
    expect(sent[0]).toBe(command);
    expect(sent[1]).not.toBe(command);
    expect(sent[1]).toBeInstanceOf(GetThingCommand);
    expect(sent[1]!.input).toEqual({ Name: 'x' });
  });

  it('never retries a final error and rethrows it as is', async () => {
    const metrics = new Metrics();
    const caller = new Caller({ metrics, sleep: async () => {} });
    const denied = err('AccessDenied', 403);
    await expect(caller.send(target, { send: async () => Promise.reject(denied) }, new GetThingCommand())).rejects.toBe(denied);
    expect(metrics).toMatchObject({ calls: 1, retries: 0, throttles: 0 });
  });

  it('gives up after maxAttempts, keeping the AWS error code', async () => {
    const metrics = new Metrics();
    const caller = new Caller({ metrics, maxAttempts: 3, sleep: async () => {} });
    await expect(caller.send(target, { send: async () => Promise.reject(err('InternalError', 500)) }, new GetThingCommand())).rejects.toMatchObject({
      name: 'InternalError',
      message: expect.stringMatching(/gave up after 3 attempts/),
    });
    expect(metrics.calls).toBe(3);
  });

  it('keeps Organizations calls in one queue with bounded concurrency', async () => {
    const metrics = new Metrics();
    const caller = new Caller({ metrics });
    let inFlight = 0;
    let peak = 0;
    const client = {
      send: async () => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight -= 1;
      },
    };
    const org = { accountId: '111111111111', region: 'us-east-1', service: 'organizations' as const };
    await Promise.all(Array.from({ length: 12 }, () => caller.send(org, client, new GetThingCommand())));
    expect(peak).toBeLessThanOrEqual(4);
    expect(metrics.calls).toBe(12);
  });

  it('forgets an account’s pacing state once it is released', async () => {
    const caller = new Caller({ metrics: new Metrics() });
    await caller.send(target, { send: async () => 1 }, new GetThingCommand());
    expect(caller.rateOf(target)).toBe(8);
    caller.releaseAccount(target.accountId);
    expect(caller.rateOf(target)).toBeUndefined();
  });
});

describe('Caller: timeouts and the scan deadline', () => {
  class GetThingCommand {
    constructor(readonly input: object = {}) {}
  }
  const target = { accountId: '111111111111', region: 'us-east-1', service: 'cloudtrail' };

  it('gives a call that timed out at most 3 attempts, not maxAttempts', async () => {
    let sent = 0;
    const client = {
      async send() {
        sent++;
        throw Object.assign(new Error('socket timed out'), { name: 'TimeoutError' });
      },
    };
    const caller = new Caller({ metrics: new Metrics(), maxAttempts: 8, sleep: async () => {} });
    await expect(caller.send(target, client, new GetThingCommand())).rejects.toThrow('gave up after 3 attempts');
    expect(sent).toBe(3);
  });

  it('once the deadline passes, cancels the call in flight and starts no other: ScanTimeout', async () => {
    const controller = new AbortController();
    const seen: (AbortSignal | undefined)[] = [];
    const client = {
      send(_command: object, options?: { abortSignal?: AbortSignal }) {
        seen.push(options?.abortSignal);
        return new Promise((_resolve, reject) => options?.abortSignal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))));
      },
    };
    const caller = new Caller({ metrics: new Metrics(), signal: controller.signal, sleep: async () => {} });
    const pending = caller.send(target, client, new GetThingCommand());
    setTimeout(() => controller.abort('the scan reached its overall time limit of 1s (--timeout)'), 10);
    await expect(pending).rejects.toMatchObject({ code: 'ScanTimeout', message: 'the scan reached its overall time limit of 1s (--timeout)' });
    expect(seen).toEqual([controller.signal]);
    await expect(caller.send(target, client, new GetThingCommand())).rejects.toMatchObject({ code: 'ScanTimeout' });
    expect(seen).toHaveLength(1);
  });
});
