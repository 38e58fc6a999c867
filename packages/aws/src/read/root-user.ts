import { GetAccountSummaryCommand, type GetAccountSummaryCommandOutput } from '@aws-sdk/client-iam';
import type { Known, RootUserCredentials } from '@trailwarden/core';
import { readKnown } from '../known-read.js';
import type { Metrics } from '../pacing/metrics.js';
import type { AccountSession } from '../session.js';

/**
 * The root user's credentials as IAM GetAccountSummary tells them: `AccountAccessKeysPresent` and
 * `AccountMFAEnabled` (1 or 0). The controls AWS and CIS judge root by: no access keys, MFA on.
 */
export async function readRootUser(session: AccountSession, homeRegion: string, metrics: Metrics): Promise<Known<RootUserCredentials>> {
  return readKnown({ accountId: session.accountId, region: homeRegion, metrics }, 'GetAccountSummary', async () => {
    const out = await session.send<GetAccountSummaryCommandOutput>('iam', homeRegion, new GetAccountSummaryCommand({}));
    const map = out.SummaryMap ?? {};
    const keys = map.AccountAccessKeysPresent;
    const mfa = map.AccountMFAEnabled;
    if (typeof keys !== 'number' || typeof mfa !== 'number') {
      throw Object.assign(new Error('GetAccountSummary did not return AccountAccessKeysPresent and AccountMFAEnabled'), { name: 'IncompleteAnswer' });
    }
    return { accessKeysPresent: keys > 0, mfaEnabled: mfa > 0 };
  });
}
