import { GetBucketPolicyCommand, type GetBucketPolicyCommandOutput } from '@aws-sdk/client-s3';
import type { JsonValue } from '@trailwarden/core';
import { errorCode } from '../errors.js';
import { parsePolicy } from '../known-read.js';
import type { AccountSession } from '../session.js';

const CLOUDTRAIL = 'cloudtrail.amazonaws.com';

/**
 * Could a trail deliver to this bucket? CloudTrail refuses a trail whose bucket policy does not let
 * `cloudtrail.amazonaws.com` write (InsufficientS3BucketPolicyException), so a bucket some trail uses
 * has such a grant. A sharded scan asks this of the buckets its accounts own that none of its own
 * trails uses: a trail in another shard may use them, and only this shard can read them. `true`
 * when the policy grants CloudTrail (or `*`), or could not be read (better read once too many).
 */
export async function bucketAcceptsCloudTrail(session: AccountSession, name: string, region: string): Promise<boolean> {
  let policy: JsonValue;
  try {
    const out = await session.send<GetBucketPolicyCommandOutput>('s3', region, new GetBucketPolicyCommand({ Bucket: name }));
    policy = parsePolicy(out.Policy);
  } catch (err) {
    return errorCode(err) !== 'NoSuchBucketPolicy';
  }
  if (typeof policy === 'string') return true; // did not parse: the full read records it
  return grantsCloudTrail(policy);
}

/** An Allow statement whose principal is CloudTrail's service principal, or anyone. */
export function grantsCloudTrail(policy: JsonValue): boolean {
  if (!policy || typeof policy !== 'object' || Array.isArray(policy)) return false;
  const raw = policy.Statement;
  const statements = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return statements.some((s) => {
    if (!s || typeof s !== 'object' || Array.isArray(s) || s.Effect !== 'Allow') return false;
    const p = s.Principal;
    if (p === '*') return true;
    if (!p || typeof p !== 'object' || Array.isArray(p)) return false;
    const service = p.Service;
    const list = Array.isArray(service) ? service : [service];
    return list.includes(CLOUDTRAIL) || p.AWS === '*';
  });
}
