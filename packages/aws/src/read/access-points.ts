import {
  GetAccessPointCommand,
  type GetAccessPointCommandOutput,
  GetAccessPointPolicyCommand,
  type GetAccessPointPolicyCommandOutput,
  GetAccessPointPolicyStatusCommand,
  type GetAccessPointPolicyStatusCommandOutput,
  ListAccessPointsCommand,
  type ListAccessPointsCommandOutput,
} from '@aws-sdk/client-s3-control';
import type { AccessPoint, Known } from '@trailwarden/core';
import { parsePolicy, readKnown } from '../known-read.js';
import type { Metrics } from '../pacing/metrics.js';
import type { AccountSession } from '../session.js';
import { toPublicAccessBlock } from './buckets.js';

/** ListAccessPoints' largest page (S3 Control API reference: MaxResults 0–1000). */
export const LIST_ACCESS_POINTS_PAGE = 1000;
/** AWS's quota: 10,000 access points per account per region; more pages than that is a broken answer. */
const MAX_PAGES = 10;

const NO_POLICY = ['NoSuchAccessPointPolicy'];

/**
 * The bucket owner's access points for one bucket, read where they live: S3 Control lists the
 * access points of the region it is called in, so this must be the bucket's own region. Each
 * access point's policy status is S3's own verdict; for a public one its Block Public Access
 * settings (which may neutralise it) and its policy (evidence) are read as well.
 */
export async function readAccessPoints(session: AccountSession, bucket: string, region: string, metrics: Metrics): Promise<Known<AccessPoint[]>> {
  const accountId = session.accountId;
  const place = { accountId, region, metrics };
  const listed = await readKnown(place, 'ListAccessPoints', async () => {
    const out: AccessPoint[] = [];
    let token: string | undefined;
    for (let page = 0; ; page++) {
      if (page === MAX_PAGES) throw Object.assign(new Error(`more than ${MAX_PAGES} pages of access points for bucket ${bucket}`), { name: 'TooManyAccessPoints' });
      const res: ListAccessPointsCommandOutput = await session.send(
        's3control',
        region,
        new ListAccessPointsCommand({ AccountId: accountId, Bucket: bucket, MaxResults: LIST_ACCESS_POINTS_PAGE, ...(token ? { NextToken: token } : {}) }),
      );
      for (const ap of res.AccessPointList ?? []) {
        // ListAccessPoints filters by bucket already; an answer naming another bucket is not this one's.
        if (!ap.Name || (ap.Bucket !== undefined && ap.Bucket !== bucket)) continue;
        const entry: AccessPoint = { name: ap.Name, policyStatus: { value: null } };
        if (ap.AccessPointArn) entry.arn = ap.AccessPointArn;
        if (ap.NetworkOrigin === 'Internet' || ap.NetworkOrigin === 'VPC') entry.networkOrigin = ap.NetworkOrigin;
        out.push(entry);
      }
      token = res.NextToken || undefined;
      if (!token) return out;
    }
  });
  if (listed.error) return listed;

  const send = <T>(command: object) => session.send<T>('s3control', region, command);
  await Promise.all(
    listed.value.map(async (ap) => {
      const Name = ap.name;
      ap.policyStatus = await readKnown(
        place,
        'GetAccessPointPolicyStatus',
        async () => {
          const out = await send<GetAccessPointPolicyStatusCommandOutput>(new GetAccessPointPolicyStatusCommand({ AccountId: accountId, Name }));
          return out.PolicyStatus ? { isPublic: out.PolicyStatus.IsPublic === true } : null;
        },
        { codes: NO_POLICY, value: null },
      );
      if (ap.policyStatus.value?.isPublic !== true) return;
      const [pab, policy] = await Promise.all([
        readKnown(place, 'GetAccessPoint', async () =>
          toPublicAccessBlock((await send<GetAccessPointCommandOutput>(new GetAccessPointCommand({ AccountId: accountId, Name }))).PublicAccessBlockConfiguration),
        ),
        readKnown(
          place,
          'GetAccessPointPolicy',
          async () => parsePolicy((await send<GetAccessPointPolicyCommandOutput>(new GetAccessPointPolicyCommand({ AccountId: accountId, Name }))).Policy),
          { codes: NO_POLICY, value: null },
        ),
      ]);
      ap.publicAccessBlock = pab;
      ap.policy = policy;
    }),
  );
  return listed;
}
