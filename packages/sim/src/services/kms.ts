/** KMS (awsJson1_1): keys by id, ARN, alias name or alias ARN, in the caller's region. */
import { principalAllows } from '../policy.js';
import { jsonReply } from '../protocol/reply.js';
import { SimError } from '../protocol/services.js';
import type { KeyModel } from '../world/model.js';
import { type CallContext, compact, epochSeconds, type Handler } from './context.js';

const KEY_ARN = /^arn:[^:]+:kms:([a-z0-9-]+):([0-9]{12}):(key|alias)\/(.+)$/;

/**
 * Finds a key as KMS does. Another account's key is reachable only by ARN and only when its key policy
 * lets the caller's account in (KMS: "Allowing users in other accounts to use a KMS key").
 */
function resolveKey(ctx: CallContext, keyId: unknown, action: string, crossAccount: boolean): KeyModel {
  if (typeof keyId !== 'string' || keyId === '') throw new SimError('ValidationException', "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null");
  const notFound = () => new SimError('NotFoundException', `Key '${keyId}' does not exist`);
  let key: KeyModel | undefined;
  const m = KEY_ARN.exec(keyId);
  if (m) {
    const [, region, accountId, kind, rest] = m;
    if (region !== ctx.region) throw new SimError('NotFoundException', `Invalid arn ${region}`);
    const owner = ctx.model.accounts.get(accountId!);
    key = kind === 'key' ? ctx.model.keysByArn.get(keyId) : owner?.keys.find((k) => k.region === region && k.aliases?.includes(`alias/${rest}`));
    if (!key) throw notFound();
    if (key.ownerId !== ctx.account.id) {
      if (!crossAccount || !principalAllows(key.policyText, ctx.identity, ctx.model.partition, action)) {
        throw new SimError('AccessDeniedException', `User: ${ctx.identity.arn} is not authorized to perform: ${action} on resource: ${key.arn} because no resource-based policy allows the ${action} action`);
      }
    }
    return key;
  }
  const mine = ctx.account.keys.filter((k) => k.region === ctx.region);
  key = keyId.startsWith('alias/') ? mine.find((k) => k.aliases?.includes(keyId)) : mine.find((k) => k.id === keyId);
  if (!key) throw notFound();
  return key;
}

function metadata(k: KeyModel) {
  const state = k.state ?? 'Enabled';
  const spec = k.keySpec ?? 'SYMMETRIC_DEFAULT';
  return compact({
    AWSAccountId: k.ownerId,
    KeyId: k.id,
    Arn: k.arn,
    CreationDate: epochSeconds(k.creationDate ?? '2020-01-01T00:00:00Z'),
    Enabled: state === 'Enabled',
    Description: k.description ?? '',
    KeyUsage: k.keyUsage ?? 'ENCRYPT_DECRYPT',
    KeyState: state,
    DeletionDate: epochSeconds(k.deletionDate),
    Origin: k.origin ?? 'AWS_KMS',
    CustomKeyStoreId: k.customKeyStoreId,
    KeyManager: k.manager ?? 'CUSTOMER',
    CustomerMasterKeySpec: spec,
    KeySpec: spec,
    EncryptionAlgorithms: spec === 'SYMMETRIC_DEFAULT' ? ['SYMMETRIC_DEFAULT'] : undefined,
    MultiRegion: k.multiRegion ?? k.id.startsWith('mrk-'),
    MultiRegionConfiguration: multiRegionConfiguration(k),
  });
}

/** A replica names its primary; a multi-Region key without `primaryKeyArn` is a primary. */
function multiRegionConfiguration(k: KeyModel) {
  if (!(k.multiRegion ?? k.id.startsWith('mrk-'))) return undefined;
  const primaryArn = k.primaryKeyArn ?? k.arn;
  return { MultiRegionKeyType: k.primaryKeyArn ? 'REPLICA' : 'PRIMARY', PrimaryKey: { Arn: primaryArn, Region: primaryArn.split(':')[3] } };
}

const describeKey: Handler = (ctx) => jsonReply({ KeyMetadata: metadata(resolveKey(ctx, ctx.input.KeyId, 'kms:DescribeKey', true)) }, ctx.requestId);

/** GetKeyPolicy has no cross-account use (KMS API reference). */
const getKeyPolicy: Handler = (ctx) => {
  const key = resolveKey(ctx, ctx.input.KeyId, 'kms:GetKeyPolicy', false);
  const name = ctx.input.PolicyName ?? 'default';
  if (name !== 'default') throw new SimError('NotFoundException', `No such policy: ${String(name)}`);
  return jsonReply({ Policy: key.policyText, PolicyName: 'default' }, ctx.requestId);
};

const getKeyRotationStatus: Handler = (ctx) => {
  const key = resolveKey(ctx, ctx.input.KeyId, 'kms:GetKeyRotationStatus', true);
  const aws = (key.manager ?? 'CUSTOMER') === 'AWS';
  if ((key.keySpec ?? 'SYMMETRIC_DEFAULT') !== 'SYMMETRIC_DEFAULT') {
    throw new SimError('UnsupportedOperationException', `${key.arn} key spec does not support automatic key rotation`);
  }
  // Keys in a custom key store and keys with imported material cannot rotate automatically: "The key
  // rotation status of these KMS keys is always false". A replica shares its primary's setting.
  const origin = key.origin ?? 'AWS_KMS';
  const primary = key.primaryKeyArn ? ctx.model.keysByArn.get(key.primaryKeyArn) : undefined;
  const source = primary ?? key;
  const enabled = origin === 'AWS_KMS' ? (source.rotation ?? aws) : false;
  return jsonReply(
    compact({
      KeyRotationEnabled: enabled,
      KeyId: key.arn,
      RotationPeriodInDays: enabled ? (source.rotationPeriodDays ?? 365) : undefined,
    }),
    ctx.requestId,
  );
};

export const kmsHandlers: Record<string, Handler> = {
  DescribeKey: describeKey,
  GetKeyPolicy: getKeyPolicy,
  GetKeyRotationStatus: getKeyRotationStatus,
};
