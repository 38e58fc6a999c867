import {
  GetBucketAclCommand,
  type GetBucketAclCommandOutput,
  GetBucketEncryptionCommand,
  type GetBucketEncryptionCommandOutput,
  GetBucketLifecycleConfigurationCommand,
  type GetBucketLifecycleConfigurationCommandOutput,
  GetBucketLocationCommand,
  type GetBucketLocationCommandOutput,
  GetBucketLoggingCommand,
  type GetBucketLoggingCommandOutput,
  GetBucketOwnershipControlsCommand,
  type GetBucketOwnershipControlsCommandOutput,
  GetBucketPolicyCommand,
  type GetBucketPolicyCommandOutput,
  GetBucketPolicyStatusCommand,
  type GetBucketPolicyStatusCommandOutput,
  GetBucketVersioningCommand,
  type GetBucketVersioningCommandOutput,
  GetObjectLockConfigurationCommand,
  type GetObjectLockConfigurationCommandOutput,
  GetPublicAccessBlockCommand,
  type GetPublicAccessBlockCommandOutput,
  ListBucketsCommand,
  type ListBucketsCommandOutput,
  type PublicAccessBlockConfiguration,
} from '@aws-sdk/client-s3';
import type { AccessPoint, AclGrant, Bucket, EncryptionRule, Known, LifecycleRule, ObjectLockConfiguration, PublicAccessBlock } from '@trailwarden/core';
import { compact, parsePolicy, readKnown, toJson } from '../known-read.js';
import type { Metrics } from '../pacing/metrics.js';
import type { AccountSession } from '../session.js';
import { readAccessPoints } from './access-points.js';

export interface ListedBucket {
  name: string;
  /** When ListBuckets says (newer S3 responses carry BucketRegion); saves a GetBucketLocation. */
  region?: string;
}

/**
 * Buckets a ListBuckets page asks for. S3 returns `BucketRegion` (saving a GetBucketLocation per
 * bucket) and pages only when `MaxBuckets` is sent; without it, an account with more than 10,000
 * buckets cannot be listed at all.
 */
export const LIST_BUCKETS_PAGE = 1000;

/** ListBuckets, all pages: which buckets this account owns (bucket names are global). */
export async function listBuckets(session: AccountSession, homeRegion: string, metrics: Metrics): Promise<Known<ListedBucket[]>> {
  return readKnown({ accountId: session.accountId, region: homeRegion, metrics }, 'ListBuckets', async () => {
    const out: ListedBucket[] = [];
    let token: string | undefined;
    do {
      const page: ListBucketsCommandOutput = await session.send(
        's3',
        homeRegion,
        new ListBucketsCommand({ MaxBuckets: LIST_BUCKETS_PAGE, ...(token ? { ContinuationToken: token } : {}) }),
      );
      for (const b of page.Buckets ?? []) if (b.Name) out.push(b.BucketRegion ? { name: b.Name, region: b.BucketRegion } : { name: b.Name });
      token = page.ContinuationToken || undefined;
    } while (token);
    return out;
  });
}

/** GetBucketLocation's answer → region name ('' / null is us-east-1, 'EU' is eu-west-1). */
export function locationToRegion(constraint: string | null | undefined): string {
  if (!constraint) return 'us-east-1';
  if (constraint === 'EU') return 'eu-west-1';
  return constraint;
}

type ObjectOwnership = 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter' | null;

const NOT_CONFIGURED = {
  policy: ['NoSuchBucketPolicy'],
  publicAccessBlock: ['NoSuchPublicAccessBlockConfiguration'],
  ownership: ['OwnershipControlsNotFoundError'],
  objectLock: ['ObjectLockConfigurationNotFoundError'],
  encryption: ['ServerSideEncryptionConfigurationNotFoundError'],
  lifecycle: ['NoSuchLifecycleConfiguration'],
} as const;

/** Every setting the checks need of one bucket, read in its owner account and its own region. */
export async function readBucket(
  session: AccountSession,
  name: string,
  partition: string,
  homeRegion: string,
  metrics: Metrics,
  listedRegion?: string,
): Promise<Bucket> {
  const accountId = session.accountId;
  let region: Known<string>;
  if (listedRegion) region = { value: listedRegion };
  else {
    region = await readKnown({ accountId, region: homeRegion, metrics }, 'GetBucketLocation', async () => {
      const out = await session.send<GetBucketLocationCommandOutput>('s3', homeRegion, new GetBucketLocationCommand({ Bucket: name }));
      return locationToRegion(out.LocationConstraint);
    });
  }
  // When the region is unknown we still ask (from the home region): S3 then says where the bucket
  // is (below), or each setting says why it failed.
  const at = region.value ?? homeRegion;
  const place = { accountId, region: at, metrics };
  let movedTo: string | undefined;
  /** A region S3 served a read of this bucket in: S3 serves bucket requests only in the bucket's region. */
  let servedIn: string | undefined;
  const send = async <T>(command: object): Promise<T> => {
    const where = movedTo ?? at;
    let out: T;
    try {
      out = await session.send<T>('s3', where, command);
    } catch (err) {
      // Asked in the wrong region (a stale or missing region): S3 names the right one in
      // x-amz-bucket-region. Retry there once; the other reads of this bucket go there directly.
      const moved = redirectRegion(err);
      if (moved === undefined || moved === where) throw err;
      movedTo = moved;
      place.region = moved;
      out = await session.send<T>('s3', moved, freshCommand(command));
      servedIn = moved;
      return out;
    }
    servedIn ??= where;
    return out;
  };
  const Bucket = name;

  const [policy, policyStatus, acl, publicAccessBlock, ownershipControls, objectLock, encryption, logging, versioning, lifecycle] = await Promise.all([
    readKnown(
      place,
      'GetBucketPolicy',
      async () => parsePolicy((await send<GetBucketPolicyCommandOutput>(new GetBucketPolicyCommand({ Bucket }))).Policy),
      { codes: NOT_CONFIGURED.policy, value: null },
    ),
    readKnown(
      place,
      'GetBucketPolicyStatus',
      async () => {
        const out = await send<GetBucketPolicyStatusCommandOutput>(new GetBucketPolicyStatusCommand({ Bucket }));
        return out.PolicyStatus ? { isPublic: out.PolicyStatus.IsPublic === true } : null;
      },
      { codes: NOT_CONFIGURED.policy, value: null },
    ),
    readKnown(place, 'GetBucketAcl', async () => {
      const out = await send<GetBucketAclCommandOutput>(new GetBucketAclCommand({ Bucket }));
      const grants: AclGrant[] = [];
      for (const g of out.Grants ?? []) {
        if (!g.Grantee?.Type || !g.Permission) continue;
        grants.push({
          grantee: compact({
            type: g.Grantee.Type as AclGrant['grantee']['type'],
            id: g.Grantee.ID,
            uri: g.Grantee.URI,
            displayName: g.Grantee.DisplayName,
            emailAddress: g.Grantee.EmailAddress,
          }),
          permission: g.Permission as AclGrant['permission'],
        });
      }
      return compact({ ownerId: out.Owner?.ID, grants });
    }),
    readKnown(
      place,
      'GetPublicAccessBlock',
      async () => toPublicAccessBlock((await send<GetPublicAccessBlockCommandOutput>(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration),
      { codes: NOT_CONFIGURED.publicAccessBlock, value: null },
    ),
    readKnown(
      place,
      'GetBucketOwnershipControls',
      async () => {
        const out = await send<GetBucketOwnershipControlsCommandOutput>(new GetBucketOwnershipControlsCommand({ Bucket }));
        const rule = out.OwnershipControls?.Rules?.[0]?.ObjectOwnership;
        return (rule ?? null) as ObjectOwnership;
      },
      { codes: NOT_CONFIGURED.ownership, value: null },
    ),
    readKnown(
      place,
      'GetObjectLockConfiguration',
      async () => {
        const out = await send<GetObjectLockConfigurationCommandOutput>(new GetObjectLockConfigurationCommand({ Bucket }));
        const cfg = out.ObjectLockConfiguration;
        if (!cfg) return null;
        const lock: ObjectLockConfiguration = { enabled: cfg.ObjectLockEnabled === 'Enabled' };
        const retention = cfg.Rule?.DefaultRetention;
        if (retention?.Mode) lock.defaultRetention = compact({ mode: retention.Mode, days: retention.Days, years: retention.Years });
        return lock;
      },
      { codes: NOT_CONFIGURED.objectLock, value: null },
    ),
    readKnown(
      place,
      'GetBucketEncryption',
      async () => {
        const out = await send<GetBucketEncryptionCommandOutput>(new GetBucketEncryptionCommand({ Bucket }));
        const rules = out.ServerSideEncryptionConfiguration?.Rules;
        if (!rules) return null;
        return rules.map((r) =>
          compact<EncryptionRule>({
            sseAlgorithm: r.ApplyServerSideEncryptionByDefault?.SSEAlgorithm ?? 'NONE',
            kmsMasterKeyId: r.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID,
            bucketKeyEnabled: r.BucketKeyEnabled,
          }),
        );
      },
      { codes: NOT_CONFIGURED.encryption, value: null },
    ),
    readKnown(place, 'GetBucketLogging', async () => {
      const out = await send<GetBucketLoggingCommandOutput>(new GetBucketLoggingCommand({ Bucket }));
      const enabled = out.LoggingEnabled;
      if (!enabled?.TargetBucket) return null;
      return compact({ targetBucket: enabled.TargetBucket, targetPrefix: enabled.TargetPrefix });
    }),
    readKnown(place, 'GetBucketVersioning', async () => {
      const out = await send<GetBucketVersioningCommandOutput>(new GetBucketVersioningCommand({ Bucket }));
      return {
        status: (out.Status ?? null) as 'Enabled' | 'Suspended' | null,
        mfaDelete: (out.MFADelete ?? null) as 'Enabled' | 'Disabled' | null,
      };
    }),
    readKnown(
      place,
      'GetBucketLifecycleConfiguration',
      async () => {
        const out = await send<GetBucketLifecycleConfigurationCommandOutput>(new GetBucketLifecycleConfigurationCommand({ Bucket }));
        return (out.Rules ?? []).map(toLifecycleRule);
      },
      { codes: NOT_CONFIGURED.lifecycle, value: null },
    ),
  ]);
  if (movedTo !== undefined) region = { value: movedTo };

  // Access points are regional: listed only in the bucket's own region, so only once it is known
  // (from the listing, GetBucketLocation, a redirect, or S3 serving this bucket's reads there).
  const home = region.value ?? servedIn;
  const accessPoints: Known<AccessPoint[]> =
    home === undefined && region.error
      ? { error: { ...region.error, operation: 'ListAccessPoints', message: `the bucket's region is unknown, so its access points cannot be listed: ${region.error.message}` } }
      : await readAccessPoints(session, name, home ?? at, metrics);

  return {
    name,
    arn: `arn:${partition}:s3:::${name}`,
    ownerAccountId: accountId,
    region,
    policy,
    policyStatus,
    acl,
    publicAccessBlock,
    ownershipControls,
    objectLock,
    encryption,
    logging,
    versioning,
    lifecycle,
    accessPoints,
  };
}

/** S3 answers a bucket request sent to the wrong region this way (the SDK's own region-redirect rule). */
const REDIRECT_CODES = new Set(['IllegalLocationConstraintException']);
const REGION_NAME = /^[a-z]{2}(-[a-z0-9]+){1,3}-[0-9]{1,2}$/;

/**
 * The region a `301 PermanentRedirect` or `400 IllegalLocationConstraintException` names in its
 * `x-amz-bucket-region` header; `undefined` for any other error or a header that is no region name.
 */
export function redirectRegion(err: unknown): string | undefined {
  const e = (err ?? {}) as { name?: string; $metadata?: { httpStatusCode?: number }; $response?: { headers?: Record<string, string | undefined> } };
  const status = e.$metadata?.httpStatusCode;
  if (!(status === 301 || (status === 400 && e.name !== undefined && REDIRECT_CODES.has(e.name)))) return undefined;
  const header = e.$response?.headers?.['x-amz-bucket-region'];
  return typeof header === 'string' && header.length <= 32 && REGION_NAME.test(header) ? header : undefined;
}

/** A new command with the same input: an SDK command is sent once. */
function freshCommand(command: object): object {
  const { constructor: Ctor, input } = command as { constructor: new (input: unknown) => object; input?: unknown };
  return new Ctor(input);
}

/** Block Public Access settings; a setting AWS leaves out is off. */
export function toPublicAccessBlock(cfg: PublicAccessBlockConfiguration | undefined): PublicAccessBlock | null {
  if (!cfg) return null;
  return {
    blockPublicAcls: cfg.BlockPublicAcls === true,
    ignorePublicAcls: cfg.IgnorePublicAcls === true,
    blockPublicPolicy: cfg.BlockPublicPolicy === true,
    restrictPublicBuckets: cfg.RestrictPublicBuckets === true,
  };
}

type SdkLifecycleRule = NonNullable<GetBucketLifecycleConfigurationCommandOutput['Rules']>[number];

function toLifecycleRule(r: SdkLifecycleRule): LifecycleRule {
  return compact<LifecycleRule>({
    id: r.ID,
    status: r.Status === 'Enabled' ? 'Enabled' : 'Disabled',
    prefix: r.Prefix,
    filter: r.Filter ? toJson(r.Filter) : undefined,
    expiration: r.Expiration
      ? compact({ days: r.Expiration.Days, date: r.Expiration.Date?.toISOString(), expiredObjectDeleteMarker: r.Expiration.ExpiredObjectDeleteMarker })
      : undefined,
    noncurrentVersionExpiration: r.NoncurrentVersionExpiration
      ? compact({ noncurrentDays: r.NoncurrentVersionExpiration.NoncurrentDays, newerNoncurrentVersions: r.NoncurrentVersionExpiration.NewerNoncurrentVersions })
      : undefined,
    transitions: r.Transitions?.map((t) => compact({ days: t.Days, date: t.Date?.toISOString(), storageClass: t.StorageClass ?? 'UNKNOWN' })),
    abortIncompleteMultipartUpload: r.AbortIncompleteMultipartUpload
      ? compact({ daysAfterInitiation: r.AbortIncompleteMultipartUpload.DaysAfterInitiation })
      : undefined,
  });
}
