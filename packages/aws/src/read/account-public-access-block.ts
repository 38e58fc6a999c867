import { GetPublicAccessBlockCommand, type GetPublicAccessBlockCommandOutput } from '@aws-sdk/client-s3-control';
import type { Known, PublicAccessBlock } from '@trailwarden/core';
import { readKnown } from '../known-read.js';
import type { Metrics } from '../pacing/metrics.js';
import type { AccountSession } from '../session.js';
import { toPublicAccessBlock } from './buckets.js';

/** The account-level S3 Block Public Access (S3 Control); `null` when none is configured. */
export async function readAccountPublicAccessBlock(session: AccountSession, homeRegion: string, metrics: Metrics): Promise<Known<PublicAccessBlock | null>> {
  return readKnown(
    { accountId: session.accountId, region: homeRegion, metrics },
    'GetPublicAccessBlock',
    async () => {
      const out = await session.send<GetPublicAccessBlockCommandOutput>('s3control', homeRegion, new GetPublicAccessBlockCommand({ AccountId: session.accountId }));
      return toPublicAccessBlock(out.PublicAccessBlockConfiguration);
    },
    { codes: ['NoSuchPublicAccessBlockConfiguration'], value: null },
  );
}
