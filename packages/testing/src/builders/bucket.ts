import type {
  AccessPoint,
  AclGrant,
  Bucket,
  BucketAcl,
  EncryptionRule,
  JsonValue,
  Known,
  LifecycleRule,
  ObjectLockConfiguration,
  PolicyDocument,
  PublicAccessBlock,
  Trail,
} from '@trailwarden/core';
import { canonicalUserId } from './ids.js';
import { stripUndefined } from './trail.js';
import { type Unreadable, isUnreadable, knownError } from './unreadable.js';

type Ownership = 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter';

/** Object Lock: a full configuration, or just the default retention to put on an enabled lock. */
export type ObjectLockInput =
  | ObjectLockConfiguration
  | { mode?: 'COMPLIANCE' | 'GOVERNANCE'; days?: number; years?: number };

export interface BucketInput {
  /** GetBucketLocation. Default: the owner account's first region. */
  region?: string | Unreadable;
  /** Default: CloudTrail's delivery policy for the trails that use the bucket, plus a TLS-only deny. `null`: no policy. */
  policy?: PolicyDocument | null | Unreadable;
  /** GetBucketPolicyStatus. Default: public when the policy allows `*` without conditions; `null` when there is no policy. */
  policyStatus?: { isPublic: boolean } | null | Unreadable;
  /** Default: the owner with FULL_CONTROL. Grants given here replace the default grants. */
  acl?: Partial<BucketAcl> | Unreadable;
  /** Merged over "all four on". `null`: no bucket-level Block Public Access configuration. */
  publicAccessBlock?: Partial<PublicAccessBlock> | null | Unreadable;
  /** Object Ownership. Default BucketOwnerEnforced (ACLs disabled). */
  ownership?: Ownership | null | Unreadable;
  /** Default: enabled, COMPLIANCE, 365 days. `null`: Object Lock not configured. */
  objectLock?: ObjectLockInput | null | Unreadable;
  /** Default: SSE-KMS with the key of a trail that uses the bucket, bucket key on. `null`: no default encryption. */
  encryption?: EncryptionRule[] | null | Unreadable;
  /** Server access logging. Default on, to `<name>-access-logs`. `null`: off. */
  logging?: { targetBucket: string; targetPrefix?: string } | null | Unreadable;
  /** Merged over `{ status: 'Enabled', mfaDelete: 'Enabled' }`. */
  versioning?: Partial<{ status: 'Enabled' | 'Suspended' | null; mfaDelete: 'Enabled' | 'Disabled' | null }> | Unreadable;
  /** Default `null` (no lifecycle configuration: nothing expires). */
  lifecycle?: LifecycleRule[] | null | Unreadable;
  /** S3 Control ListAccessPoints for the bucket. Default `[]` (none). */
  accessPoints?: AccessPoint[] | Unreadable;
}

export interface BucketSpec {
  readonly kind: 'bucket';
  readonly name: string;
  readonly input: BucketInput;
}

/** An S3 bucket owned by the account it is listed in, with compliant CloudTrail-bucket defaults. */
export function bucket(name: string, input: BucketInput = {}): BucketSpec {
  if (typeof name !== 'string' || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name)) {
    throw new Error(`bucket(${JSON.stringify(name)}): not a valid S3 bucket name (3-63 lower-case letters, digits, dots, dashes)`);
  }
  return { kind: 'bucket', name, input };
}

/** ACL grants that make a bucket public, for `bucket('b', { acl: { grants: [...] } })`. */
export const aclGrants = {
  allUsers(permission: AclGrant['permission'] = 'READ'): AclGrant {
    return { grantee: { type: 'Group', uri: 'http://acs.amazonaws.com/groups/global/AllUsers' }, permission };
  },
  authenticatedUsers(permission: AclGrant['permission'] = 'READ'): AclGrant {
    return { grantee: { type: 'Group', uri: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers' }, permission };
  },
  logDelivery(permission: AclGrant['permission'] = 'WRITE'): AclGrant {
    return { grantee: { type: 'Group', uri: 'http://acs.amazonaws.com/groups/s3/LogDelivery' }, permission };
  },
  owner(accountId: string, permission: AclGrant['permission'] = 'FULL_CONTROL'): AclGrant {
    return { grantee: { type: 'CanonicalUser', id: canonicalUserId(accountId) }, permission };
  },
};

export interface BucketBuildContext {
  partition: string;
  accountId: string;
  defaultRegion: string;
  /** Trails (owner records) that deliver to this bucket. */
  trails: Trail[];
  organizationId?: string;
}

function field<T>(v: T | Unreadable | undefined, dflt: () => T, accountId: string, region?: string): Known<T> {
  if (isUnreadable(v)) return knownError(v, accountId, region);
  return { value: v === undefined ? dflt() : (v as T) };
}

export function buildBucket(spec: BucketSpec, ctx: BucketBuildContext): Bucket {
  const b = spec.input;
  const { partition, accountId } = ctx;
  const name = spec.name;
  const arn = `arn:${partition}:s3:::${name}`;
  const region: Known<string> = isUnreadable(b.region) ? knownError(b.region, accountId) : { value: b.region ?? ctx.defaultRegion };
  const r = region.value;
  const policy = field<PolicyDocument | null>(b.policy, () => cloudTrailBucketPolicy(name, partition, ctx.trails, ctx.organizationId), accountId, r);
  const policyStatus = field<{ isPublic: boolean } | null>(
    b.policyStatus,
    () => (policy.error ? { isPublic: false } : policy.value === null ? null : { isPublic: allowsEveryone(policy.value) }),
    accountId,
    r,
  );
  const owner = canonicalUserId(accountId);
  const acl: Known<BucketAcl> = isUnreadable(b.acl)
    ? knownError(b.acl, accountId, r)
    : { value: { ownerId: b.acl?.ownerId ?? owner, grants: b.acl?.grants ?? [{ grantee: { type: 'CanonicalUser', id: owner }, permission: 'FULL_CONTROL' }] } };
  const allOn: PublicAccessBlock = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };
  const publicAccessBlock: Known<PublicAccessBlock | null> = isUnreadable(b.publicAccessBlock)
    ? knownError(b.publicAccessBlock, accountId, r)
    : { value: b.publicAccessBlock === null ? null : { ...allOn, ...b.publicAccessBlock } };
  const ownershipControls = field<Ownership | null>(b.ownership, () => 'BucketOwnerEnforced', accountId, r);
  const objectLock: Known<ObjectLockConfiguration | null> = isUnreadable(b.objectLock)
    ? knownError(b.objectLock, accountId, r)
    : { value: objectLockOf(b.objectLock) };
  const key = ctx.trails.find((t) => t.kmsKeyId)?.kmsKeyId;
  const encryption = field<EncryptionRule[] | null>(
    b.encryption,
    () => [stripUndefined({ sseAlgorithm: 'aws:kms', kmsMasterKeyId: key, bucketKeyEnabled: true })],
    accountId,
    r,
  );
  const logging = field<{ targetBucket: string; targetPrefix?: string } | null>(
    b.logging,
    () => ({ targetBucket: `${name.slice(0, 51)}-access-logs`, targetPrefix: `${name}/` }),
    accountId,
    r,
  );
  const versioning: Bucket['versioning'] = isUnreadable(b.versioning)
    ? knownError(b.versioning, accountId, r)
    : { value: { status: 'Enabled', mfaDelete: 'Enabled', ...b.versioning } };
  const lifecycle = field<LifecycleRule[] | null>(b.lifecycle, () => null, accountId, r);
  const accessPoints = field<AccessPoint[]>(b.accessPoints, () => [], accountId, r);
  return {
    name,
    arn,
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

function objectLockOf(input: ObjectLockInput | null | undefined): ObjectLockConfiguration | null {
  if (input === null) return null;
  if (input && 'enabled' in input) return input;
  const mode = input?.mode ?? 'COMPLIANCE';
  if (input?.years !== undefined) return { enabled: true, defaultRetention: { mode, years: input.years } };
  return { enabled: true, defaultRetention: { mode, days: input?.days ?? 365 } };
}

/** The policy the CloudTrail console writes: ACL check and PutObject for the trails, pinned by aws:SourceArn. */
export function cloudTrailBucketPolicy(name: string, partition: string, trails: Trail[], organizationId?: string): PolicyDocument {
  const arns = [...new Set(trails.map((t) => t.arn))].sort();
  const sourceArn: JsonValue = arns.length === 1 ? (arns[0] as string) : arns;
  const objectArns = new Set<string>();
  for (const t of trails) {
    const base = `arn:${partition}:s3:::${name}/${t.s3KeyPrefix ? `${t.s3KeyPrefix}/` : ''}AWSLogs`;
    objectArns.add(`${base}/${t.ownerAccountId}/*`);
    if (t.isOrganizationTrail && organizationId) objectArns.add(`${base}/${organizationId}/*`);
  }
  const statements: JsonValue[] = [];
  if (arns.length > 0) {
    statements.push(
      {
        Sid: 'AWSCloudTrailAclCheck',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 's3:GetBucketAcl',
        Resource: `arn:${partition}:s3:::${name}`,
        Condition: { StringEquals: { 'aws:SourceArn': sourceArn } },
      },
      {
        Sid: 'AWSCloudTrailWrite',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: [...objectArns].sort(),
        Condition: { StringEquals: { 'aws:SourceArn': sourceArn, 's3:x-amz-acl': 'bucket-owner-full-control' } },
      },
    );
  }
  statements.push({
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [`arn:${partition}:s3:::${name}`, `arn:${partition}:s3:::${name}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  });
  return { Version: '2012-10-17', Statement: statements };
}

/** A rough stand-in for S3's own IsPublic: some Allow to `*` with no condition at all. */
function allowsEveryone(policy: PolicyDocument | null): boolean {
  if (!policy || typeof policy !== 'object' || Array.isArray(policy)) return false;
  const st = (policy as { Statement?: JsonValue }).Statement;
  const list = Array.isArray(st) ? st : st ? [st] : [];
  return list.some((s) => {
    if (!s || typeof s !== 'object' || Array.isArray(s)) return false;
    const p = s.Principal;
    const star = p === '*' || (p && typeof p === 'object' && !Array.isArray(p) && ([] as JsonValue[]).concat(p.AWS ?? []).includes('*'));
    return s.Effect === 'Allow' && !!star && !pinnedAsS3Says(s.Condition);
  });
}

/**
 * S3's own "public" test (S3 user guide, "The meaning of public"), as GetBucketPolicyStatus answers:
 * a condition pins a wildcard principal only with fixed values of these keys (no wildcard, no policy
 * variable; an access point ARN of a fixed account and `<role id>:*` for aws:userid count as fixed).
 */
const S3_PINNING_KEYS = new Set(['aws:sourceip', 'aws:sourcearn', 'aws:sourcevpc', 'aws:sourcevpce', 'aws:sourceowner', 'aws:sourceaccount', 'aws:principalorgid', 'aws:principalaccount', 'aws:userid', 's3:dataaccesspointarn', 's3:dataaccesspointaccount']);

function pinnedAsS3Says(condition: JsonValue | undefined): boolean {
  if (!condition || typeof condition !== 'object' || Array.isArray(condition)) return false;
  return Object.entries(condition).some(([operator, block]) => {
    const op = operator.toLowerCase().replace(/^foranyvalue:/, '');
    if (op.startsWith('forallvalues:') || op.endsWith('ifexists') || !block || typeof block !== 'object' || Array.isArray(block)) return false;
    return Object.entries(block).some(([key, values]) => {
      const k = key.toLowerCase();
      const list = ([] as JsonValue[]).concat(values ?? []);
      if (!S3_PINNING_KEYS.has(k) || list.length === 0) return false;
      if (k === 'aws:sourceip') return op === 'ipaddress' && list.every((v) => typeof v === 'string' && !/[*?]/.test(v) && !/\/0+$/.test(v));
      if (!['stringequals', 'stringequalsignorecase', 'stringlike', 'arnequals', 'arnlike'].includes(op)) return false;
      return list.every(
        (v) =>
          typeof v === 'string' &&
          !v.includes('${') &&
          (!/[*?]/.test(v) || (k === 's3:dataaccesspointarn' && /:\d{12}:accesspoint\/[^:]*$/.test(v)) || (k === 'aws:userid' && /^[A-Z0-9]+:\*$/.test(v))),
      );
    });
  });
}
