import { describe, expect, it } from 'vitest';
import { CollectorError } from './errors.js';
import { CredentialExpiry, expiryMessage, isExpiredCredentials } from './expiry.js';

describe('expired credentials', () => {
  it('are recognised by each protocol’s code', () => {
    for (const name of ['ExpiredToken', 'ExpiredTokenException', 'RequestExpired']) expect(isExpiredCredentials({ name })).toBe(true);
    expect(isExpiredCredentials({ name: 'AccessDenied' })).toBe(false);
  });

  it('the message estimates the session a whole scan needs from the time per finished account, in quarter hours', () => {
    // 10 of 40 accounts in 20 minutes: about 80 minutes for all, plus a quarter → 1h 45m.
    expect(expiryMessage('ExpiredToken', 'sts:AssumeRole in us-east-1', 20 * 60_000, 10, 40)).toBe(
      "the caller's credentials expired after 20m of scanning (ExpiredToken from sts:AssumeRole in us-east-1): 10 of 40 account(s) were read; a whole scan takes about 1h 20m: use credentials that last at least 1h 45m (a role's MaxSessionDuration and the duration you request, or the SSO permission set's session duration). What was read is kept",
    );
    expect(expiryMessage('ExpiredToken', 'x', 11 * 3_600_000, 1, 2)).toMatch(/longer than the 12 h a role session can last: scan in parts \(--accounts, --ous\)/);
    expect(expiryMessage('RequestExpired', 'ec2:DescribeRegions in us-east-1', 65_000, 0, 3)).toMatch(
      /after 1m 5s of scanning \(RequestExpired from ec2:DescribeRegions in us-east-1; or this machine’s clock is more than 15 minutes off\): 0 of 3 account\(s\) were read; no account was finished/,
    );
  });

  const options = (fresh: { accessKeyId: string; sessionToken?: string }) => {
    const stops: CollectorError[] = [];
    const forgotten: string[] = [];
    const expiry = new CredentialExpiry({
      startedAt: 0,
      clock: () => 60_000,
      currentBase: async () => ({ accessKeyId: 'ASIAOLD', secretAccessKey: 's', sessionToken: 'old' }),
      refreshBase: async () => ({ secretAccessKey: 's', ...fresh }),
      forgetRole: (id) => forgotten.push(id),
      progress: () => ({ done: 1, total: 4 }),
      stop: (e) => stops.push(e),
    });
    return { expiry, stops, forgotten };
  };

  it("an assumed role's session is assumed again; the scan goes on", async () => {
    const { expiry, stops, forgotten } = options({ accessKeyId: 'ASIAOLD', sessionToken: 'old' });
    expect(await expiry.expired('222222222222', false, { name: 'ExpiredTokenException' }, 'cloudtrail:DescribeTrails in us-east-1', 0)).toBe(true);
    expect(forgotten).toEqual(['222222222222']);
    expect(stops).toEqual([]);
  });

  it("the caller's own credentials that renew (SSO, a profile's role) are used again; ones that cannot stop the scan once", async () => {
    const renewed = options({ accessKeyId: 'ASIANEW', sessionToken: 'new' });
    expect(await renewed.expiry.expired('111111111111', true, { name: 'ExpiredToken' }, 'sts:AssumeRole in us-east-1', 0)).toBe(true);
    expect(renewed.stops).toEqual([]);

    const fixed = options({ accessKeyId: 'ASIAOLD', sessionToken: 'old' });
    const all = await Promise.all([1, 2, 3].map(() => fixed.expiry.expired('111111111111', true, { name: 'ExpiredToken' }, 'sts:AssumeRole in us-east-1', 0)));
    expect(all).toEqual([false, false, false]);
    expect(fixed.stops).toHaveLength(1);
    expect(fixed.stops[0]).toBeInstanceOf(CollectorError);
    expect(fixed.stops[0]!.code).toBe('CredentialsExpired');
    expect(fixed.expiry.stopError()).toBe(fixed.stops[0]);
    // Once stopped, a role's expiry is not renewed either: no call is worth sending.
    expect(await fixed.expiry.expired('222222222222', false, { name: 'ExpiredTokenException' }, 'x', 0)).toBe(false);
  });
});
