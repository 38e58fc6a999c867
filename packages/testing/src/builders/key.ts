import type { Key, KeyMetadata, Known, PolicyDocument, Trail } from '@trailwarden/core';
import { uuidFrom } from './ids.js';
import { stripUndefined } from './trail.js';
import { type Unreadable, isUnreadable, knownError } from './unreadable.js';

export interface KmsKeyInput {
  /** Key id (a UUID). Default: derived from the account, region and position, stable across runs. */
  id?: string;
  /** Default: the owner account's first region. */
  region?: string;
  /** KeyState: `Enabled` (default), `Disabled`, `PendingDeletion`, ...; or DescribeKey unreadable. */
  state?: string | Unreadable;
  /** Default CUSTOMER. */
  manager?: 'AWS' | 'CUSTOMER';
  /** Default: the account root, plus cloudtrail.amazonaws.com allowed to encrypt for the trails that use it. */
  policy?: PolicyDocument | Unreadable;
  /** Default: rotation on, every 365 days. */
  rotation?: boolean | { enabled: boolean; rotationPeriodInDays?: number } | Unreadable;
  description?: string;
  multiRegion?: boolean;
}

export interface KmsKeySpec {
  readonly kind: 'kmsKey';
  readonly input: KmsKeyInput;
}

/** A KMS key owned by the account it is listed in, usable by CloudTrail by default. */
export function kmsKey(input: KmsKeyInput = {}): KmsKeySpec {
  return { kind: 'kmsKey', input };
}

export interface KeyBuildContext {
  partition: string;
  accountId: string;
  defaultRegion: string;
  collectedAt: string;
  /** For default ids: the key's position in its account. */
  ordinal: number;
}

export function keyIdentity(spec: KmsKeySpec, ctx: Omit<KeyBuildContext, 'collectedAt'>): { arn: string; keyId: string; region: string } {
  const region = spec.input.region ?? ctx.defaultRegion;
  const keyId = spec.input.id ?? uuidFrom('kms', ctx.accountId, region, String(ctx.ordinal));
  return { arn: `arn:${ctx.partition}:kms:${region}:${ctx.accountId}:key/${keyId}`, keyId, region };
}

export function buildKey(spec: KmsKeySpec, ctx: KeyBuildContext, trails: Trail[]): Key {
  const k = spec.input;
  const { arn, keyId, region } = keyIdentity(spec, ctx);
  const { accountId } = ctx;
  let metadata: Known<KeyMetadata>;
  if (isUnreadable(k.state)) metadata = knownError(k.state, accountId, region);
  else {
    const state = k.state ?? 'Enabled';
    metadata = {
      value: stripUndefined({
        keyState: state,
        enabled: state === 'Enabled',
        keyManager: k.manager ?? 'CUSTOMER',
        keySpec: 'SYMMETRIC_DEFAULT',
        keyUsage: 'ENCRYPT_DECRYPT',
        origin: 'AWS_KMS',
        multiRegion: k.multiRegion ?? false,
        description: k.description ?? (trails.length > 0 ? `CloudTrail key for ${trails.map((t) => t.name).join(', ')}` : undefined),
        deletionDate: state === 'PendingDeletion' ? new Date(Date.parse(ctx.collectedAt) + 7 * 86_400_000).toISOString() : undefined,
      }),
    };
  }
  const policy: Known<PolicyDocument> = isUnreadable(k.policy)
    ? knownError(k.policy, accountId, region)
    : { value: k.policy ?? cloudTrailKeyPolicy(ctx.partition, accountId, trails) };
  const rotation: Key['rotation'] = isUnreadable(k.rotation)
    ? knownError(k.rotation, accountId, region)
    : {
        value:
          typeof k.rotation === 'object'
            ? k.rotation
            : k.rotation === false
              ? { enabled: false }
              : { enabled: true, rotationPeriodInDays: 365 },
      };
  return { arn, keyId, ownerAccountId: accountId, region, metadata, policy, rotation };
}

/** The key policy the CloudTrail console writes: root administers; CloudTrail encrypts for the trails' accounts. */
export function cloudTrailKeyPolicy(partition: string, accountId: string, trails: Trail[]): PolicyDocument {
  const owners = [...new Set([accountId, ...trails.map((t) => t.ownerAccountId)])].sort();
  const contexts = owners.map((o) => `arn:${partition}:cloudtrail:*:${o}:trail/*`);
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'EnableRootPermissions', Effect: 'Allow', Principal: { AWS: `arn:${partition}:iam::${accountId}:root` }, Action: 'kms:*', Resource: '*' },
      {
        Sid: 'AllowCloudTrailEncrypt',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:GenerateDataKey*',
        Resource: '*',
        Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': contexts.length === 1 ? (contexts[0] as string) : contexts } },
      },
      { Sid: 'AllowCloudTrailDescribe', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:DescribeKey', Resource: '*' },
    ],
  };
}
